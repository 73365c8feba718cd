//! The automation and exceptions reports as text tables for `invoicer
//! report automation|exceptions` (`--json` and `--csv` print the same
//! report as the Reports screen reads).

use crate::report::table;
use invoicer_app::api::{AutomationReport, ExceptionKind, ExceptionsReport};

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "–".into())
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// Automation performance: origins, deliveries, reminder steps, approvals.
pub fn automation_text(a: &AutomationReport) -> String {
    let origins: Vec<Vec<String>> = a
        .by_origin
        .iter()
        .map(|o| {
            vec![
                o.source.clone(),
                o.invoices.to_string(),
                format!("{} %", o.share),
                opt(&o.median_minutes_to_sent),
                opt(&o.p90_minutes_to_sent),
            ]
        })
        .collect();
    let d = &a.delivery;
    let steps: Vec<Vec<String>> = a
        .reminder_steps
        .iter()
        .map(|s| {
            vec![
                s.step.to_string(),
                s.sent.to_string(),
                s.paid_within.to_string(),
                s.paid_within_share
                    .as_ref()
                    .map_or_else(|| "–".into(), |p| format!("{p} %")),
            ]
        })
        .collect();
    let p = &a.approvals;
    [
        format!("Automation {} to {}", a.from, a.to),
        table(
            &row(&["Origin", "Invoices", "Share", "Median min to sent", "P90 min to sent"]),
            &origins,
        ),
        format!(
            "Deliveries: {} sent, {} failed, {} unknown, {} pending, {} retried; success {}, retries {}",
            d.sent,
            d.failed,
            d.unknown,
            d.pending,
            d.retried,
            d.success_rate.as_ref().map_or_else(|| "–".into(), |r| format!("{r} %")),
            d.retry_rate.as_ref().map_or_else(|| "–".into(), |r| format!("{r} %")),
        ),
        table(
            &row(&[
                "Reminder step",
                "Sent",
                &format!("Paid within {} days", a.paid_within_days),
                "Share",
            ]),
            &steps,
        ),
        format!(
            "Approvals: {} decided (median {} h, p90 {} h), {} waiting now",
            p.decided,
            opt(&p.median_hours),
            opt(&p.p90_hours),
            p.pending
        ),
    ]
    .join("\n\n")
}

fn kind_words(k: ExceptionKind) -> &'static str {
    match k {
        ExceptionKind::FailedDelivery => "Failed deliveries",
        ExceptionKind::UnknownDelivery => "Unknown deliveries",
        ExceptionKind::InvalidBulkRow => "Invalid bulk rows",
        ExceptionKind::RefusedEvent => "Events refused by the API",
        ExceptionKind::FailedTrigger => "Schedules and thresholds that failed",
        ExceptionKind::DisputePastWindow => "Disputes past their window",
        ExceptionKind::StaleApproval => "Invoices waiting too long for approval",
        ExceptionKind::StaleCustomer => "Customers with stale data",
    }
}

/// Exceptions: the count of every kind, then each item with its action.
pub fn exceptions_text(e: &ExceptionsReport) -> String {
    let counts: Vec<Vec<String>> = e
        .counts
        .iter()
        .map(|c| vec![kind_words(c.kind).to_string(), c.count.to_string()])
        .collect();
    let mut out = vec![
        format!("Exceptions as of {}", e.as_of),
        table(&row(&["Kind", "Count"]), &counts),
    ];
    for c in e.counts.iter().filter(|c| c.count > 0) {
        let items: Vec<Vec<String>> = e
            .items
            .iter()
            .filter(|i| i.kind == c.kind)
            .map(|i| {
                vec![
                    i.subject.clone(),
                    i.detail.clone(),
                    i.since.format("%Y-%m-%d").to_string(),
                    i.action.clone(),
                ]
            })
            .collect();
        out.push(format!(
            "{}\n{}",
            kind_words(c.kind),
            table(&row(&["Subject", "Detail", "Since", "Action"]), &items)
        ));
    }
    out.join("\n\n")
}
