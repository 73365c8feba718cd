//! Invoiced vs collected per period, days to pay per customer, and DSO.

use super::aging::aging;
use super::{check_filter, period_length, range};
use crate::api::{
    CollectionPeriodRow, CollectionReport, CurrencyRate, CustomerPaymentSpeed, DsoFigure,
    DsoReport, ReportFilter, ReportPeriod,
};
use crate::views::amount;
use crate::AppResult;
use chrono::{Datelike, Days, Months, NaiveDate};
use invoicer_domain::reports::aging::AgingBuckets;
use invoicer_domain::reports::figures::{average, dso, percent, DSO_FORMULA};
use invoicer_domain::reports::periods::{days_inclusive, periods_covering};
use invoicer_domain::{Currency, Decimal};
use invoicer_store::{AgingCell, DayAmount, ReportScope, Tx};
use std::collections::BTreeMap;

/// The collection report's default range: the twelve calendar months up to
/// and including the one holding `to`.
fn default_collection_from(to: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(to.year(), to.month(), 1)
        .and_then(|first| first.checked_sub_months(Months::new(11)))
        .unwrap_or(to)
}

/// DSO's default range: the 90 days up to and including `to`.
pub(crate) fn default_dso_from(to: NaiveDate) -> NaiveDate {
    to.checked_sub_days(Days::new(89)).unwrap_or(to)
}

/// Sums of `days` per currency.
fn per_currency(days: &[DayAmount]) -> BTreeMap<&'static str, (Currency, Decimal, u64)> {
    let mut out: BTreeMap<&'static str, (Currency, Decimal, u64)> = BTreeMap::new();
    for d in days {
        let e = out
            .entry(d.currency.code())
            .or_insert((d.currency, Decimal::ZERO, 0));
        e.1 += d.amount;
        e.2 += d.count;
    }
    out
}

/// The collection report for `filter` (`from`/`to` default to the twelve
/// months up to `as_of`).
pub(crate) fn collection_report(
    tx: &Tx<'_>,
    today: NaiveDate,
    filter: &ReportFilter,
    period: ReportPeriod,
) -> AppResult<CollectionReport> {
    let checked = check_filter(filter, today)?;
    let to = checked.to.unwrap_or(checked.as_of);
    let (from, to) = range(checked.from, to, default_collection_from(to))?;
    let scope = &checked.scope;
    let sales = tx.sales_by_day(scope, from, to)?;
    let collected = tx.collected_by_day(scope, from, to)?;
    let mut currencies: BTreeMap<&'static str, Currency> = BTreeMap::new();
    for d in sales.iter().chain(collected.iter()) {
        currencies.insert(d.currency.code(), d.currency);
    }
    let mut periods = Vec::new();
    for p in periods_covering(period_length(period), from, to) {
        // A period cut by the range counts only its days inside it.
        let (start, end) = (p.start.max(from), p.end.min(to));
        let within = |d: &&DayAmount| d.day >= start && d.day <= end;
        let invoiced = per_currency(&sales.iter().filter(within).cloned().collect::<Vec<_>>());
        let got = per_currency(&collected.iter().filter(within).cloned().collect::<Vec<_>>());
        for (code, cur) in &currencies {
            let inv = invoiced.get(code).map_or(Decimal::ZERO, |e| e.1);
            let col = got.get(code).map_or(Decimal::ZERO, |e| e.1);
            periods.push(CollectionPeriodRow {
                period_start: p.start,
                period_end: p.end,
                label: p.label.clone(),
                currency: code.to_string(),
                invoiced: amount(*cur, inv),
                collected: amount(*cur, col),
                collection_rate: percent(col, inv).map(|r| r.to_string()),
            });
        }
    }
    let all_sales = per_currency(&sales);
    let all_collected = per_currency(&collected);
    let overall_rate = currencies
        .keys()
        .map(|code| CurrencyRate {
            currency: code.to_string(),
            rate: percent(
                all_collected.get(code).map_or(Decimal::ZERO, |e| e.1),
                all_sales.get(code).map_or(Decimal::ZERO, |e| e.1),
            )
            .map(|r| r.to_string()),
        })
        .collect();
    let mut customers: Vec<(Option<Decimal>, CustomerPaymentSpeed)> = tx
        .payment_speed(scope, from, to)?
        .into_iter()
        .map(|r| {
            let to_pay = average(r.days_to_pay_sum, r.invoices_paid);
            (
                to_pay,
                CustomerPaymentSpeed {
                    customer_id: r.customer_id,
                    customer_name: r.customer_name,
                    invoices_paid: r.invoices_paid,
                    average_days_to_pay: to_pay.map(|d| d.to_string()),
                    average_days_late: average(r.days_late_sum, r.invoices_paid)
                        .map(|d| d.to_string()),
                },
            )
        })
        .collect();
    customers.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.customer_name.cmp(&b.1.customer_name))
    });
    Ok(CollectionReport {
        from,
        to,
        periods,
        overall_rate,
        customers: customers.into_iter().map(|(_, c)| c).collect(),
        dso: dso_between(tx, scope, from, to, Some(&sales), None)?,
    })
}

/// The DSO report for `filter` (`from`/`to` default to the 90 days up to
/// `as_of`).
pub(crate) fn dso_report(
    tx: &Tx<'_>,
    today: NaiveDate,
    filter: &ReportFilter,
) -> AppResult<DsoReport> {
    let checked = check_filter(filter, today)?;
    let to = checked.to.unwrap_or(checked.as_of);
    let (from, to) = range(checked.from, to, default_dso_from(to))?;
    dso_between(tx, &checked.scope, from, to, None, None)
}

/// DSO of `scope` from `from` to `to`: receivables open at the end of `to`
/// (the aging's balance as of that day; `open`, when the caller already has
/// the aging's total cells as of `to` for `scope`) over the credit sales of
/// the range (`sales`, when the caller already read them) times its days.
pub(crate) fn dso_between(
    tx: &Tx<'_>,
    scope: &ReportScope,
    from: NaiveDate,
    to: NaiveDate,
    sales: Option<&[DayAmount]>,
    open: Option<&[AgingCell]>,
) -> AppResult<DsoReport> {
    let read;
    let sales = match sales {
        Some(s) => s,
        None => {
            read = tx.sales_by_day(scope, from, to)?;
            &read
        }
    };
    let sales = per_currency(sales);
    let aged;
    let open = match open {
        Some(cells) => cells,
        None => {
            aged = aging(tx, scope, to, &AgingBuckets::default(), false)?;
            &aged.total_cells
        }
    };
    let mut receivables: BTreeMap<&'static str, (Currency, Decimal)> = BTreeMap::new();
    for c in open {
        receivables
            .entry(c.currency.code())
            .or_insert((c.currency, Decimal::ZERO))
            .1 += c.balance;
    }
    let days = days_inclusive(from, to);
    let mut currencies: BTreeMap<&'static str, Currency> = BTreeMap::new();
    for (code, cur) in sales
        .iter()
        .map(|(k, e)| (*k, e.0))
        .chain(receivables.iter().map(|(k, e)| (*k, e.0)))
    {
        currencies.insert(code, cur);
    }
    let figures = currencies
        .into_iter()
        .map(|(code, cur)| {
            let open = receivables.get(code).map_or(Decimal::ZERO, |e| e.1);
            let sold = sales.get(code).map_or(Decimal::ZERO, |e| e.1);
            DsoFigure {
                currency: code.to_string(),
                receivables: amount(cur, open),
                credit_sales: amount(cur, sold),
                days,
                dso: dso(open, sold, days).map(|d| d.to_string()),
            }
        })
        .collect();
    Ok(DsoReport {
        from,
        to,
        figures,
        formula: DSO_FORMULA.to_string(),
    })
}
