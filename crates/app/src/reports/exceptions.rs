//! Exceptions: what needs a person now, each with a specific detail, the
//! action that resolves it and the ids the screen opens it by. Every kind is
//! counted (zero included); at most [`MAX_ITEMS`] items are listed per kind,
//! the oldest first.
//!
//! The invoice filters (customer, currency, template, source) apply to the
//! kinds about an invoice (deliveries, disputes, approvals); the customer
//! filter also to stale customers and failed triggers. Invalid bulk rows
//! and refused events belong to no invoice yet and are never filtered out.
//! Exceptions are what is open as of `as_of`; only refused events, which
//! nothing marks resolved but a later accepted event of the same type and
//! reference, are read from `from` (default: the last 30 days).

use super::ops_scope::{reference_instant, scope};
use crate::api::{ExceptionCount, ExceptionItem, ExceptionKind, ExceptionsReport, ReportFilter};
use crate::invoice_pdf::not_initialized;
use crate::views::amount;
use crate::{AppResult, Invoicer, Session};
use chrono::{DateTime, Duration, Utc};
use invoicer_domain::authorization::Permission;
use invoicer_domain::Currency;
use invoicer_store::{ExceptionDelivery, OpsScope, Tx};

/// Items listed per kind at most; the count says how many in all.
pub(crate) const MAX_ITEMS: u32 = 500;

/// "Pending approval for more than N days" when the request names no N.
pub(crate) const DEFAULT_APPROVAL_DAYS: u32 = 3;

/// "No update from its source for N days" when the request names no N.
pub(crate) const DEFAULT_STALE_CUSTOMER_DAYS: u32 = 90;

/// Every kind, in the order the report lists them.
const KINDS: [ExceptionKind; 8] = [
    ExceptionKind::FailedDelivery,
    ExceptionKind::UnknownDelivery,
    ExceptionKind::InvalidBulkRow,
    ExceptionKind::RefusedEvent,
    ExceptionKind::FailedTrigger,
    ExceptionKind::DisputePastWindow,
    ExceptionKind::StaleApproval,
    ExceptionKind::StaleCustomer,
];

/// "INV-2026-00012 to Acme", or "draft 12 to Acme" before it has a number.
fn invoice_subject(number: Option<&str>, invoice_id: i64, customer: &str) -> String {
    match number {
        Some(n) => format!("{n} to {customer}"),
        None => format!("draft {invoice_id} to {customer}"),
    }
}

/// "the invoice email", "reminder 2", "the credit note email".
fn email_words(kind: &str, step: u32) -> String {
    match kind {
        "invoice" => "the invoice email".into(),
        "reminder" => format!("reminder {step}"),
        "credit_note" => "the credit note email".into(),
        "receipt" => "the receipt".into(),
        other => format!("the {other} email"),
    }
}

fn delivery_item(kind: ExceptionKind, d: ExceptionDelivery) -> ExceptionItem {
    let what = email_words(&d.kind, d.step);
    let reply = d
        .last_reply
        .as_ref()
        .map(|(code, text)| format!(" The server answered {code} {}.", text.trim()))
        .unwrap_or_default();
    let (detail, action) = if kind == ExceptionKind::FailedDelivery {
        (
            format!(
                "{} failed after {} attempt{}.{reply}",
                capitalised(&what),
                d.attempts,
                if d.attempts == 1 { "" } else { "s" }
            ),
            "Retry the delivery (correct the customer's email address first if the server \
             refused it)"
                .to_string(),
        )
    } else {
        (
            format!(
                "The connection broke after {what} was handed to the mail server; it may or may \
                 not have arrived.{reply}"
            ),
            "Ask the customer whether it arrived, then mark it sent or retry the delivery"
                .to_string(),
        )
    };
    ExceptionItem {
        kind,
        subject: invoice_subject(d.invoice_number.as_deref(), d.invoice_id, &d.customer_name),
        detail,
        since: d.since,
        action,
        invoice_id: Some(d.invoice_id),
        customer_id: Some(d.customer_id),
        record_id: Some(d.id),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Whether the invoice `id` passes the invoice filters of `scope`.
fn invoice_in_scope(tx: &Tx<'_>, id: i64, scope: &OpsScope) -> AppResult<bool> {
    let Some(inv) = tx.invoice(id)? else {
        return Ok(false);
    };
    let source_ok = match &scope.source {
        None => true,
        Some(s) => tx.invoice_origin(id)?.unwrap_or_default().source.as_str() == s,
    };
    Ok(scope
        .customer_id
        .is_none_or(|c| c == inv.content.customer.id)
        && scope
            .currency
            .as_deref()
            .is_none_or(|c| c == inv.content.currency.code())
        && scope
            .template
            .as_deref()
            .is_none_or(|t| inv.template.as_ref().is_some_and(|r| r.name == t))
        && source_ok)
}

/// Refused events are listed from `from`, else from this many days before
/// the report's instant (the events log keeps 90).
pub(crate) const REFUSED_EVENT_DAYS: i64 = 30;

/// The first instant refused events are listed from.
pub(crate) fn refused_since(
    filter: &ReportFilter,
    at: DateTime<Utc>,
    tz: chrono_tz::Tz,
) -> DateTime<Utc> {
    filter.from.map_or_else(
        || at - Duration::days(REFUSED_EVENT_DAYS),
        |d| super::ops_scope::start_of(d, tz),
    )
}

/// What resolves a refused event, by the refusal's code.
fn refused_action(code: &str) -> &'static str {
    match code {
        "trigger_disabled" => "Test and enable the event rule, then have the sender send it again",
        "validation" => {
            "Correct the data the sending system sends (see the error), then send it again"
        }
        _ => "Fix what the error names, then have the sending system send the event again",
    }
}

fn days_between(since: DateTime<Utc>, at: DateTime<Utc>) -> i64 {
    (at - since).num_days().max(0)
}

impl Invoicer {
    /// What needs a person as of `as_of` (default today): failed and
    /// unknown deliveries, invalid rows of bulk jobs that still show them,
    /// events the API refused, triggers failing now, disputes open past
    /// their window, invoices waiting for approval for more than
    /// `approval_days` (default 3) days, and customers fed by a source
    /// that sent nothing about them for `stale_customer_days` (default 90)
    /// days. Every signed-in role may read it.
    pub fn exceptions_report(
        &self,
        session: &Session,
        filter: &ReportFilter,
        approval_days: Option<u32>,
        stale_customer_days: Option<u32>,
    ) -> AppResult<ExceptionsReport> {
        session.require(Permission::View)?;
        let scope = scope(filter)?;
        let approval_days = approval_days.unwrap_or(DEFAULT_APPROVAL_DAYS);
        let stale_days = stale_customer_days.unwrap_or(DEFAULT_STALE_CUSTOMER_DAYS);
        let now = self.clock.now();
        self.store.read(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let today = self.clock.today(settings.timezone);
            let as_of = filter.as_of.unwrap_or(today);
            let at = reference_instant(as_of, today, now, settings.timezone);
            let mut counts = Vec::new();
            let mut items = Vec::new();
            let mut add = |kind, n: u64, list: Vec<ExceptionItem>| {
                counts.push(ExceptionCount { kind, count: n });
                items.extend(list);
            };

            for (kind, status) in [
                (ExceptionKind::FailedDelivery, "failed"),
                (ExceptionKind::UnknownDelivery, "unknown"),
            ] {
                let (n, list) = tx.exception_deliveries(status, &scope, MAX_ITEMS)?;
                add(
                    kind,
                    n,
                    list.into_iter().map(|d| delivery_item(kind, d)).collect(),
                );
            }

            let (n, rows) = tx.exception_bulk_rows(MAX_ITEMS)?;
            let list = rows
                .into_iter()
                .map(|e| {
                    let column = e.column.clone().unwrap_or_else(|| "row".into());
                    ExceptionItem {
                        kind: ExceptionKind::InvalidBulkRow,
                        subject: format!("{}, row {}", e.file_name, e.line),
                        detail: format!("{column} {:?}: {}", e.value, e.reason),
                        since: e.started_at,
                        action: format!(
                            "Fix row {}'s {column} and re-run the file",
                            e.line
                        ),
                        invoice_id: None,
                        customer_id: None,
                        record_id: Some(e.job_id),
                    }
                })
                .collect();
            add(ExceptionKind::InvalidBulkRow, n, list);

            let since = refused_since(filter, at, settings.timezone);
            let (n, refused) = tx.unresolved_refused_events(since, at, MAX_ITEMS)?;
            let list = refused
                .into_iter()
                .map(|e| ExceptionItem {
                    kind: ExceptionKind::RefusedEvent,
                    subject: match &e.reference {
                        Some(r) => format!("{} event {r}", e.event_type),
                        None => format!("{} event", e.event_type),
                    },
                    detail: format!("Refused ({}): {}", e.error_code, e.error_message),
                    since: e.received_at,
                    action: refused_action(&e.error_code).into(),
                    invoice_id: None,
                    customer_id: None,
                    record_id: Some(e.id),
                })
                .collect();
            add(ExceptionKind::RefusedEvent, n, list);

            let (n, failures) = tx.open_trigger_failures(scope.customer_id, MAX_ITEMS)?;
            let list = failures
                .into_iter()
                .map(|f| ExceptionItem {
                    kind: ExceptionKind::FailedTrigger,
                    subject: f.what.clone(),
                    detail: format!(
                        "{} (failed {} time{} in a row, last at {})",
                        f.error_message,
                        f.failures,
                        if f.failures == 1 { "" } else { "s" },
                        f.last_failed_at.format("%Y-%m-%d %H:%M UTC")
                    ),
                    since: f.since,
                    action: match f.trigger_kind.as_str() {
                        "schedule" => "Fix what the error names, then test the schedule; its \
                                       next run makes the missed invoice"
                            .to_string(),
                        "event" => "Test and enable the event rule".to_string(),
                        _ => "Fix what the error names, then test the threshold".to_string(),
                    },
                    invoice_id: None,
                    customer_id: f.customer_id,
                    record_id: Some(f.trigger_id),
                })
                .collect();
            add(ExceptionKind::FailedTrigger, n, list);

            let mut disputes = Vec::new();
            for d in tx.disputes_past_window(as_of)? {
                if invoice_in_scope(tx, d.invoice_id, &scope)? {
                    disputes.push(d);
                }
            }
            let n = disputes.len() as u64;
            let mut list = Vec::new();
            for d in disputes.into_iter().take(MAX_ITEMS as usize) {
                let inv = tx.invoice(d.invoice_id)?;
                let (number, customer_id, customer) = inv.as_ref().map_or((None, None, ""), |i| {
                    (
                        i.number.as_deref(),
                        Some(i.content.customer.id),
                        i.content.customer.name.as_str(),
                    )
                });
                let ended = d.window_ends_on();
                list.push(ExceptionItem {
                    kind: ExceptionKind::DisputePastWindow,
                    subject: invoice_subject(number, d.invoice_id, customer),
                    detail: format!(
                        "Disputed on {} ({:?}); its {}-day window ended on {ended}, {} day{} ago",
                        d.opened_on,
                        d.reason,
                        d.window_days,
                        (as_of - ended).num_days(),
                        if (as_of - ended).num_days() == 1 { "" } else { "s" }
                    ),
                    since: d.opened_at,
                    action: "Decide the dispute: uphold or reject".into(),
                    invoice_id: Some(d.invoice_id),
                    customer_id,
                    record_id: Some(d.id),
                });
            }
            add(ExceptionKind::DisputePastWindow, n, list);

            let before = at - Duration::days(i64::from(approval_days));
            let (n, waiting) = tx.approvals_waiting_since(before, &scope, MAX_ITEMS)?;
            let list = waiting
                .into_iter()
                .map(|w| {
                    let total = Currency::from_code(&w.currency).map_or_else(
                        || format!("{} (minor units) {}", w.total_minor, w.currency),
                        |c| format!("{} {}", amount(c, c.from_minor(w.total_minor)), w.currency),
                    );
                    ExceptionItem {
                        kind: ExceptionKind::StaleApproval,
                        subject: format!("{}, {total}", w.customer_name),
                        detail: format!(
                            "Waiting for approval for {} days (submitted {}), more than {approval_days}",
                            days_between(w.since, at),
                            w.since.format("%Y-%m-%d %H:%M UTC")
                        ),
                        since: w.since,
                        action: "Approve or reject".into(),
                        invoice_id: Some(w.invoice_id),
                        customer_id: Some(w.customer_id),
                        record_id: None,
                    }
                })
                .collect();
            add(ExceptionKind::StaleApproval, n, list);

            let before = at - Duration::days(i64::from(stale_days));
            let (n, stale) = tx.stale_customers(before, scope.customer_id, MAX_ITEMS)?;
            let list = stale
                .into_iter()
                .map(|c| ExceptionItem {
                    kind: ExceptionKind::StaleCustomer,
                    subject: format!("{} ({})", c.name, c.external_ref),
                    detail: format!(
                        "No update from its source for {} days (last on {}), more than {stale_days}",
                        days_between(c.since, at),
                        c.since.format("%Y-%m-%d")
                    ),
                    since: c.since,
                    action: "Check that the system feeding this customer still sends it, or \
                             remove its external reference if it is no longer fed"
                        .into(),
                    invoice_id: None,
                    customer_id: Some(c.id),
                    record_id: None,
                })
                .collect();
            add(ExceptionKind::StaleCustomer, n, list);

            debug_assert_eq!(counts.len(), KINDS.len());
            Ok(ExceptionsReport {
                as_of,
                counts,
                items,
            })
        })
    }
}

fn kind_name(k: ExceptionKind) -> String {
    serde_json::to_value(k)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Writes the exceptions report as CSV, one row per item
/// (`kind,subject,detail,since,action,invoice_id,customer_id,record_id`),
/// every cell formula-neutralised; returns the data rows written.
pub(crate) fn write_exceptions_csv<W: std::io::Write>(
    r: &ExceptionsReport,
    out: &mut csv::Writer<W>,
) -> AppResult<u64> {
    let mut rows = super::ops_csv::CsvRows::new(
        out,
        &[
            "kind",
            "subject",
            "detail",
            "since",
            "action",
            "invoice_id",
            "customer_id",
            "record_id",
        ],
    )?;
    let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    for i in &r.items {
        rows.write(&[
            &kind_name(i.kind),
            &i.subject,
            &i.detail,
            &invoicer_domain::audit::canonical_time(i.since),
            &i.action,
            &id(i.invoice_id),
            &id(i.customer_id),
            &id(i.record_id),
        ])?;
    }
    rows.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_snake_case_name() {
        let names: Vec<String> = KINDS.into_iter().map(kind_name).collect();
        assert_eq!(names[0], "failed_delivery");
        assert_eq!(names[7], "stale_customer");
        assert!(names.iter().all(|n| !n.is_empty()));
    }
}
