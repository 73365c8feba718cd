//! The aging report: open balances by days past due, as of any day, per
//! customer and currency and in total.

use super::check_filter;
use crate::api::{AgingBucket, AgingReport, AgingRow, ReportFilter};
use crate::views::amount;
use crate::{ApiError, AppResult};
use chrono::NaiveDate;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::reports::aging::AgingBuckets;
use invoicer_domain::{Currency, Decimal};
use invoicer_store::{AgingCell, ReportScope, Tx};
use std::collections::BTreeMap;

/// The buckets of a request: its own bounds, else the company's setting.
pub(crate) fn buckets(
    settings: &CompanySettings,
    requested: Option<&[u32]>,
) -> AppResult<AgingBuckets> {
    match requested {
        Some(bounds) => AgingBuckets::new(bounds).map_err(|why| {
            let text: Vec<String> = bounds.iter().map(u32::to_string).collect();
            ApiError::field("bucket_bounds", &text.join(","), &why)
        }),
        None => Ok(company_buckets(settings)),
    }
}

/// The company's aging buckets (Settings: `aging_bucket_bounds`).
pub(crate) fn company_buckets(settings: &CompanySettings) -> AgingBuckets {
    AgingBuckets::new(&settings.aging_bucket_bounds).unwrap_or_default()
}

/// Open balances as of `as_of`, and the cells they were summed from.
pub(crate) struct Aging {
    /// The report.
    pub report: AgingReport,
    /// The total cells (per currency and bucket), for the dashboard.
    pub total_cells: Vec<AgingCell>,
}

/// The aging report for `filter`.
pub(crate) fn aging_report(
    tx: &Tx<'_>,
    settings: &CompanySettings,
    today: NaiveDate,
    filter: &ReportFilter,
    bounds: Option<&[u32]>,
) -> AppResult<AgingReport> {
    let buckets = buckets(settings, bounds)?;
    let mut checked = check_filter(filter, today)?;
    checked.scope.issued_from = checked.from;
    checked.scope.issued_to = checked.to;
    Ok(aging(tx, &checked.scope, checked.as_of, &buckets, true)?.report)
}

/// Aging of `scope` as of `as_of`; customer rows only `with_customers`.
pub(crate) fn aging(
    tx: &Tx<'_>,
    scope: &ReportScope,
    as_of: NaiveDate,
    buckets: &AgingBuckets,
    with_customers: bool,
) -> AppResult<Aging> {
    let floors = buckets.due_date_floors(as_of);
    let total_cells = tx.aging_cells(scope, as_of, &floors, false)?;
    let totals = rows(&total_cells, buckets.len());
    let customers = if with_customers {
        let mut rows = rows(&tx.aging_cells(scope, as_of, &floors, true)?, buckets.len());
        // Largest balance first; one currency's figures are only compared
        // with each other's, so within a currency, then by name.
        rows.sort_by(|a, b| {
            (
                a.1.currency.as_str(),
                std::cmp::Reverse(a.0),
                &a.1.customer_name,
            )
                .cmp(&(
                    b.1.currency.as_str(),
                    std::cmp::Reverse(b.0),
                    &b.1.customer_name,
                ))
        });
        rows.into_iter().map(|(_, r)| r).collect()
    } else {
        Vec::new()
    };
    Ok(Aging {
        report: AgingReport {
            as_of,
            buckets: buckets
                .spans()
                .into_iter()
                .map(|s| AgingBucket {
                    label: s.label,
                    from_days: s.from_days,
                    to_days: s.to_days,
                })
                .collect(),
            totals: totals.into_iter().map(|(_, r)| r).collect(),
            customers,
        },
        total_cells,
    })
}

/// Rows from cells: one per (customer, currency), each with its total for
/// sorting. Totals rows (no customer) come out in currency order.
fn rows(cells: &[AgingCell], n: usize) -> Vec<(Decimal, AgingRow)> {
    type Key = (Option<i64>, &'static str);
    let mut by: BTreeMap<Key, (Option<String>, Currency, Vec<Decimal>, u64)> = BTreeMap::new();
    for c in cells {
        let e = by
            .entry((c.customer_id, c.currency.code()))
            .or_insert_with(|| {
                (
                    c.customer_name.clone(),
                    c.currency,
                    vec![Decimal::ZERO; n],
                    0,
                )
            });
        if let Some(slot) = e.2.get_mut(c.bucket) {
            *slot += c.balance;
        }
        e.3 += c.invoices;
    }
    let mut out: Vec<(Decimal, AgingRow)> = by
        .into_iter()
        .map(|((customer_id, _), (name, cur, sums, count))| {
            let total: Decimal = sums.iter().copied().sum();
            (
                total,
                AgingRow {
                    customer_id,
                    customer_name: name,
                    currency: cur.code().to_string(),
                    buckets: sums.iter().map(|s| amount(cur, *s)).collect(),
                    total: amount(cur, total),
                    invoice_count: count,
                },
            )
        })
        .collect();
    out.sort_by(|a, b| a.1.currency.cmp(&b.1.currency));
    out
}
