//! The dashboard: the money parts are the reports' own functions called with
//! the dashboard's ranges, so each number equals the report a click opens.

use super::aging::{aging, company_buckets};
use super::collection::{default_dso_from, dso_between};
use super::forecast::forecast;
use crate::api::{CurrencyAmount, Dashboard, NeedsYouToday};
use crate::views::amount;
use crate::{AppResult, Invoicer, Session};
use chrono::{Days, NaiveDate};
use invoicer_domain::authorization::Permission;
use invoicer_domain::reports::forecast::DEFAULT_FORECAST_WEEKS;
use invoicer_domain::reports::periods::month_start;
use invoicer_domain::{Currency, Decimal};
use invoicer_store::{ReportScope, Tx};
use std::collections::BTreeMap;

/// How many of the forecast's weeks the dashboard shows.
const DASHBOARD_WEEKS: u32 = 6;

/// Payments less refunds per currency from `from` to `to`.
pub(crate) fn collected_between(
    tx: &Tx<'_>,
    scope: &ReportScope,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<CurrencyAmount>> {
    let mut sums: BTreeMap<&'static str, (Currency, Decimal, u64)> = BTreeMap::new();
    for d in tx.collected_by_day(scope, from, to)? {
        let e = sums
            .entry(d.currency.code())
            .or_insert((d.currency, Decimal::ZERO, 0));
        e.1 += d.amount;
        e.2 += d.count;
    }
    Ok(sums
        .into_iter()
        .map(|(code, (cur, sum, n))| CurrencyAmount {
            currency: code.to_string(),
            amount: amount(cur, sum),
            count: n,
        })
        .collect())
}

impl Invoicer {
    /// The signed-in user's dashboard as of the company's today (any role).
    pub fn dashboard(&self, session: &Session) -> AppResult<Dashboard> {
        session.require(Permission::View)?;
        let mut dashboard = self.store.read(|tx| {
            let (settings, today) = self.report_context(tx)?;
            money_parts(tx, &company_buckets(&settings), today)
        })?;
        // What needs the signed-in person: the same counts the lists behind
        // them show (reports/needs_you.rs).
        dashboard.needs_you = self.needs_you_today(session)?;
        Ok(dashboard)
    }
}

/// The dashboard's money as of `today`, every part from the reports' code.
pub(crate) fn money_parts(
    tx: &Tx<'_>,
    buckets: &invoicer_domain::reports::aging::AgingBuckets,
    today: NaiveDate,
) -> AppResult<Dashboard> {
    let all = ReportScope::default();
    let aged = aging(tx, &all, today, buckets, false)?;
    let mut outstanding: BTreeMap<&'static str, (Currency, Decimal, u64)> = BTreeMap::new();
    let mut overdue: BTreeMap<&'static str, (Currency, Decimal, u64)> = BTreeMap::new();
    for c in &aged.total_cells {
        let e = outstanding
            .entry(c.currency.code())
            .or_insert((c.currency, Decimal::ZERO, 0));
        e.1 += c.balance;
        e.2 += c.invoices;
        // Bucket 0 is "current": not yet past due.
        if c.bucket > 0 {
            let e = overdue
                .entry(c.currency.code())
                .or_insert((c.currency, Decimal::ZERO, 0));
            e.1 += c.balance;
            e.2 += c.invoices;
        }
    }
    let listed = |m: BTreeMap<&'static str, (Currency, Decimal, u64)>| -> Vec<CurrencyAmount> {
        m.into_iter()
            .map(|(code, (cur, sum, n))| CurrencyAmount {
                currency: code.to_string(),
                amount: amount(cur, sum),
                count: n,
            })
            .collect()
    };
    let this_month = month_start(today);
    let last_month_end = this_month.pred_opt().unwrap_or(this_month);
    let last_month = month_start(last_month_end);
    let mut forecast = forecast(tx, &all, today, DEFAULT_FORECAST_WEEKS)?;
    let horizon = forecast.weeks.first().and_then(|w| {
        w.week_start
            .checked_add_days(Days::new(7 * u64::from(DASHBOARD_WEEKS)))
    });
    forecast
        .weeks
        .retain(|w| horizon.is_some_and(|h| w.week_start < h));
    // The receivables at the end of the DSO's period are today's aging.
    let dso = dso_between(
        tx,
        &all,
        default_dso_from(today),
        today,
        None,
        Some(&aged.total_cells),
    )?;
    Ok(Dashboard {
        as_of: today,
        outstanding: listed(outstanding),
        overdue: listed(overdue),
        aging: aged.report,
        collected_this_month: collected_between(tx, &all, this_month, today)?,
        collected_last_month: collected_between(tx, &all, last_month, last_month_end)?,
        dso,
        forecast: forecast.weeks,
        needs_you: NeedsYouToday::default(),
    })
}
