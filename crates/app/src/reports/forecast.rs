//! The cash forecast: today's open balances spread over the coming weeks by
//! due date and each customer's historical lateness.

use super::check_filter;
use crate::api::{CurrencyAmount, CustomerLateness, ForecastReport, ForecastWeek, ReportFilter};
use crate::views::amount;
use crate::{ApiError, AppResult};
use chrono::{Days, NaiveDate};
use invoicer_domain::reports::figures::whole_average;
use invoicer_domain::reports::forecast::{
    ForecastSlot, ForecastWeeks, DEFAULT_FORECAST_WEEKS, FORECAST_METHOD, MAX_FORECAST_WEEKS,
};
use invoicer_domain::{Currency, Decimal};
use invoicer_store::{ReportScope, Tx};
use std::collections::{BTreeMap, HashMap};

/// How far back a customer's paid invoices count for its lateness, in days.
const LATENESS_HISTORY_DAYS: u64 = 365;

/// One week's sums in one currency.
#[derive(Default, Clone, Copy)]
struct Cell {
    expected: Decimal,
    from_overdue: Decimal,
    invoices: u64,
}

/// The forecast for `filter`: `as_of` is its first day, `weeks` how many
/// weeks (default 13, at most 104).
pub(crate) fn forecast_report(
    tx: &Tx<'_>,
    today: NaiveDate,
    filter: &ReportFilter,
    weeks: Option<u32>,
) -> AppResult<ForecastReport> {
    let weeks = weeks.unwrap_or(DEFAULT_FORECAST_WEEKS);
    if weeks == 0 || weeks > MAX_FORECAST_WEEKS {
        return Err(ApiError::field(
            "weeks",
            &weeks.to_string(),
            &format!("must be between 1 and {MAX_FORECAST_WEEKS}"),
        ));
    }
    let checked = check_filter(filter, today)?;
    forecast(tx, &checked.scope, checked.as_of, weeks)
}

/// The forecast of `scope`'s open balances from `as_of` over `weeks` weeks.
pub(crate) fn forecast(
    tx: &Tx<'_>,
    scope: &ReportScope,
    as_of: NaiveDate,
    weeks: u32,
) -> AppResult<ForecastReport> {
    let plan = ForecastWeeks::new(as_of, weeks);
    // Lateness is the customer's habit, whatever the currency, template or
    // source of the invoice: only the customer filter narrows it.
    let history = ReportScope {
        customer_id: scope.customer_id,
        ..ReportScope::default()
    };
    let since = as_of
        .checked_sub_days(Days::new(LATENESS_HISTORY_DAYS))
        .unwrap_or(as_of);
    let speed: HashMap<i64, (String, i64, u64)> = tx
        .payment_speed(&history, since, as_of)?
        .into_iter()
        .map(|r| {
            (
                r.customer_id,
                (
                    r.customer_name,
                    whole_average(r.days_late_sum, r.invoices_paid),
                    r.invoices_paid,
                ),
            )
        })
        .collect();
    let mut cells: BTreeMap<(u32, &'static str), (Currency, Cell)> = BTreeMap::new();
    let mut beyond: BTreeMap<&'static str, (Currency, Decimal, u64)> = BTreeMap::new();
    let mut open_customers: BTreeMap<i64, ()> = BTreeMap::new();
    for b in tx.open_balances_by_due(scope)? {
        open_customers.insert(b.customer_id, ());
        let lateness = speed.get(&b.customer_id).map_or(0, |s| s.1);
        match plan.slot(b.due_date, lateness) {
            ForecastSlot::Week(n) => {
                let n = u32::try_from(n).unwrap_or(u32::MAX);
                let e = cells
                    .entry((n, b.currency.code()))
                    .or_insert((b.currency, Cell::default()));
                e.1.expected += b.balance;
                if b.due_date < as_of {
                    e.1.from_overdue += b.balance;
                }
                e.1.invoices += b.invoices;
            }
            ForecastSlot::Beyond => {
                let e = beyond
                    .entry(b.currency.code())
                    .or_insert((b.currency, Decimal::ZERO, 0));
                e.1 += b.balance;
                e.2 += b.invoices;
            }
        }
    }
    // Every week is listed for every currency with open balances, so a
    // chart has no gaps.
    let mut currencies: BTreeMap<&'static str, Currency> = BTreeMap::new();
    for (code, (cur, _)) in cells.iter().map(|((_, c), v)| (c, v)) {
        currencies.insert(code, *cur);
    }
    for (code, (cur, _, _)) in &beyond {
        currencies.insert(code, *cur);
    }
    let mut rows = Vec::new();
    for n in 0..weeks {
        let (start, end) = plan.week(n);
        for (code, cur) in &currencies {
            let c = cells.get(&(n, *code)).map(|e| e.1).unwrap_or_default();
            rows.push(ForecastWeek {
                week_start: start,
                week_end: end,
                currency: code.to_string(),
                expected: amount(*cur, c.expected),
                from_overdue: amount(*cur, c.from_overdue),
                invoice_count: c.invoices,
            });
        }
    }
    let mut lateness = Vec::new();
    for id in open_customers.keys() {
        let (name, days, measured) = match speed.get(id) {
            Some((name, days, n)) => (name.clone(), *days, *n),
            None => (tx.customer_display_name(*id)?.unwrap_or_default(), 0, 0),
        };
        lateness.push(CustomerLateness {
            customer_id: *id,
            customer_name: name,
            average_days_late: days,
            invoices_measured: measured,
        });
    }
    Ok(ForecastReport {
        as_of,
        weeks: rows,
        beyond: beyond
            .into_iter()
            .map(|(code, (cur, sum, n))| CurrencyAmount {
                currency: code.to_string(),
                amount: amount(cur, sum),
                count: n,
            })
            .collect(),
        lateness,
        method: FORECAST_METHOD.to_string(),
    })
}
