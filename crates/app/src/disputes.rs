//! Disputes: a person marks an issued invoice disputed (reminders pause),
//! then records the resolution: upheld (reminders stay stopped; the customer
//! is owed a credit note) or rejected (reminders resume with the next due
//! step). Each change is audited in its own transaction.

use crate::api::DisputeView;
use crate::drafts::load;
use crate::invoice_pdf::not_initialized;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use chrono::NaiveDate;
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::dispute::{check_new_dispute, Dispute, DisputeOutcome};
use invoicer_domain::invoice::Invoice;
use invoicer_domain::lifecycle::InvoiceStatus;
use serde_json::json;

impl Invoicer {
    /// Marks invoice `id` disputed for `reason`, for `days` (the company's
    /// dispute window when not given; 30–90). Only an issued invoice that is
    /// still owed can be disputed, and only one dispute is open at a time.
    pub fn dispute_invoice(
        &self,
        session: &Session,
        id: i64,
        reason: &str,
        days: Option<u32>,
    ) -> AppResult<DisputeView> {
        session.require(Permission::ManageInvoices)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let today = self.clock.today(settings.timezone);
            let window = days.unwrap_or(settings.dispute_window_days);
            let reason = reason.trim();
            check_new_dispute(reason, window)?;
            let inv = load(tx, id)?;
            if !(inv.was_issued()
                && matches!(
                    inv.status,
                    InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid
                ))
            {
                return Err(ApiError::new(
                    ErrorCode::InvalidState,
                    format!(
                        "only an issued invoice that is still owed can be disputed; this one is {}",
                        inv.status.as_str()
                    ),
                ));
            }
            tx.open_dispute(id, reason, today, window, session.actor(), now)?
                .ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::Conflict,
                        "this invoice is already disputed; resolve that dispute first",
                    )
                })?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "invoice.disputed",
                    format!("invoice:{id}"),
                    json!({"reason": reason, "opened_on": today.to_string(), "window_days": window}),
                ),
                now,
            )?;
            let d = tx.latest_dispute(id)?.ok_or_else(missing)?;
            Ok(dispute_view(&d, &inv, today))
        })
    }

    /// Records how invoice `id`'s open dispute ended.
    pub fn resolve_dispute(
        &self,
        session: &Session,
        id: i64,
        outcome: DisputeOutcome,
    ) -> AppResult<DisputeView> {
        session.require(Permission::ManageInvoices)?;
        let now = self.clock.now();
        let view = self.store.write(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let today = self.clock.today(settings.timezone);
            let inv = load(tx, id)?;
            if !tx.resolve_dispute(id, outcome, today, session.actor())? {
                return Err(ApiError::new(
                    ErrorCode::InvalidState,
                    "this invoice has no open dispute to resolve",
                ));
            }
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "invoice.dispute_resolved",
                    format!("invoice:{id}"),
                    json!({"outcome": outcome.as_str(), "resolved_on": today.to_string(),
                           "credit_note_owed": outcome == DisputeOutcome::Upheld}),
                ),
                now,
            )?;
            let d = tx.latest_dispute(id)?.ok_or_else(missing)?;
            Ok(dispute_view(&d, &inv, today))
        })?;
        // A rejected dispute lets the scheduler send the next due step now.
        self.nudge_jobs();
        Ok(view)
    }

    /// [`Invoicer::resolve_dispute`] with the outcome as typed (`upheld` or
    /// `rejected`), as the window sends it.
    pub fn resolve_dispute_as(
        &self,
        session: &Session,
        input: &crate::api::ResolveDisputeInput,
    ) -> AppResult<DisputeView> {
        let outcome = DisputeOutcome::parse(input.outcome.trim()).ok_or_else(|| {
            ApiError::field("outcome", &input.outcome, "must be upheld or rejected")
        })?;
        self.resolve_dispute(session, input.invoice_id, outcome)
    }

    /// Invoice `id`'s latest dispute, open or resolved.
    pub fn invoice_dispute(&self, session: &Session, id: i64) -> AppResult<Option<DisputeView>> {
        session.require(Permission::View)?;
        self.store.read(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let today = self.clock.today(settings.timezone);
            let inv = load(tx, id)?;
            Ok(tx
                .latest_dispute(id)?
                .map(|d| dispute_view(&d, &inv, today)))
        })
    }

    /// Disputes still open after their window: the exceptions view's list,
    /// oldest first.
    pub fn disputes_past_window(&self, session: &Session) -> AppResult<Vec<DisputeView>> {
        session.require(Permission::View)?;
        self.store.read(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let today = self.clock.today(settings.timezone);
            let mut out = Vec::new();
            for d in tx.disputes_past_window(today)? {
                let inv = load(tx, d.invoice_id)?;
                out.push(dispute_view(&d, &inv, today));
            }
            Ok(out)
        })
    }
}

fn missing() -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        "the dispute just written was not found",
    )
}

/// The dispute as people see it on `today`.
pub(crate) fn dispute_view(d: &Dispute, inv: &Invoice, today: NaiveDate) -> DisputeView {
    let (state, resolved_on, next) = match d.resolution {
        None if d.past_window(today) => (
            "open",
            None,
            format!(
                "Open past its {}-day window; reminders stay paused until it is resolved.",
                d.window_days
            ),
        ),
        None => (
            "open",
            None,
            format!(
                "Reminders are paused; {} day{} left in the window.",
                d.days_left(today),
                if d.days_left(today) == 1 { "" } else { "s" }
            ),
        ),
        Some((DisputeOutcome::Upheld, on)) => (
            "upheld",
            Some(on),
            "Upheld: reminders stay stopped and the customer is owed a credit note \
             (create it with `invoicer credit-note create`)."
                .to_string(),
        ),
        Some((DisputeOutcome::Rejected, on)) => (
            "rejected",
            Some(on),
            "Rejected: reminders resume with the next due step.".to_string(),
        ),
    };
    DisputeView {
        invoice_id: inv.id,
        invoice_number: inv.number.clone(),
        reason: d.reason.clone(),
        opened_on: d.opened_on,
        window_days: d.window_days,
        window_ends_on: d.window_ends_on(),
        days_left: d.days_left(today),
        state: state.to_string(),
        resolved_on,
        opened_by: d.opened_by.clone(),
        next,
    }
}
