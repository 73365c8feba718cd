//! Making one invoice of a running bulk job, in one write transaction:
//! claim its key, create its customer if new, create the draft, then either
//! send it to an approver or issue it (number, PDF, archive) and queue its
//! email — and record the outcome, which moves the job's cursor. A crash at
//! any point inside rolls all of it back, key claim included, so the
//! invoice is made exactly once: by this transaction or by the resumed job.

use super::principal_actor;
use crate::api::BulkProblem;
use crate::invoice_pdf::not_initialized;
use crate::trigger_invoice::{TriggerAction, TriggeredInvoice, TriggeredStatus};
use crate::{ApiError, AppResult, ErrorCode, Invoicer};
use chrono::{DateTime, Duration, Utc};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::User;
use invoicer_domain::bulk_grouping::BulkInvoice as FileInvoice;
use invoicer_domain::bulk_job::{BulkInvoice, BulkInvoiceFailure, BulkOutcome, BulkRowStatus};
use invoicer_domain::trigger_source::TriggerSource;
use invoicer_store::KeyClaim;
use serde_json::json;
use std::collections::HashMap;

/// Spaces a job's emails to at most a number a minute: each queued email is
/// held until its slot (the outbox sender leaves it until then), so the job
/// itself runs at full speed and a restart keeps the pace.
#[derive(Debug, Clone, Copy)]
pub(super) struct Throttle {
    /// The time between two emails.
    pub(super) interval: Duration,
    /// The earliest time the next email may go.
    pub(super) next_slot: DateTime<Utc>,
}

impl Throttle {
    /// The slot of the next email at `now`, and the one after it.
    fn take(&mut self, now: DateTime<Utc>) -> DateTime<Utc> {
        let slot = self.next_slot.max(now);
        self.next_slot = slot + self.interval;
        slot
    }
}

/// What a running job makes its invoices from.
pub(super) struct RunContext {
    /// The job.
    pub(super) job_id: i64,
    /// The user who started it: the invoices' maker, whose role decides
    /// what the job may do, as it would for them.
    pub(super) user: User,
    /// Whether issued invoices are emailed.
    pub(super) send: bool,
    /// The file's invoices by key, read from the kept copy.
    pub(super) invoices: HashMap<String, FileInvoice>,
    /// The email throttle, if the job has one.
    pub(super) throttle: Option<Throttle>,
}

impl Invoicer {
    /// Makes the pending invoice `p` of the job (or finds it made before)
    /// and records the outcome; a failure rolls everything back and is
    /// recorded on its own, freeing the key for a later run.
    pub(super) fn make_bulk_invoice(
        &self,
        ctx: &mut RunContext,
        p: &BulkInvoice,
    ) -> AppResult<BulkOutcome> {
        let made = self.store.write(|tx| -> AppResult<BulkOutcome> {
            let now = self.clock.now();
            let outcome = match tx.claim_bulk_invoice_key(ctx.job_id, &p.key)? {
                KeyClaim::AlreadyInvoiced { invoice_id, .. } => {
                    BulkOutcome::AlreadyInvoiced { invoice_id }
                }
                KeyClaim::Owned => self.make_in(tx, ctx, p, now)?,
            };
            tx.record_bulk_outcome(ctx.job_id, p.position, &outcome)?;
            Ok(outcome)
        });
        match made {
            Ok(outcome) => Ok(outcome),
            Err(e) => {
                let failure = BulkOutcome::Failed(BulkInvoiceFailure {
                    code: serde_json::to_value(e.code)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_else(|| "internal".into()),
                    message: e.message,
                });
                self.store
                    .write(|tx| tx.record_bulk_outcome(ctx.job_id, p.position, &failure))?;
                Ok(failure)
            }
        }
    }

    fn make_in(
        &self,
        tx: &invoicer_store::Tx<'_>,
        ctx: &mut RunContext,
        p: &BulkInvoice,
        now: DateTime<Utc>,
    ) -> AppResult<BulkOutcome> {
        if !ctx.user.active {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                format!(
                    "{} started this job and can no longer sign in; an active user must send the file",
                    ctx.user.email
                ),
            ));
        }
        let actor = principal_actor();
        let file_invoice = ctx.invoices.get(&p.key.invoice_key).ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidState,
                format!(
                    "the job's file has no invoice {:?} any more",
                    p.key.invoice_key
                ),
            )
        })?;
        let settings = tx.company()?.ok_or_else(not_initialized)?;
        let rates = tx.tax_rates()?;
        let today = self.clock.today(settings.timezone);
        let prepared = self
            .prepare_bulk_invoice(tx, &settings, &rates, file_invoice, today)
            .map_err(problems_error)?;
        let about = json!({"bulk_job": ctx.job_id, "line": p.first_line,
                           "invoice_key": p.key.invoice_key, "on_behalf_of": ctx.user.email});
        let mut content = prepared.content;
        if content.customer.id == 0 {
            content.customer.id = tx.insert_customer(&content.customer, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(actor),
                    "customer.created",
                    format!("customer:{}", content.customer.id),
                    json!({"name": content.customer.name, "email": content.customer.email,
                           "external_ref": content.customer.external_ref, "bulk": about}),
                ),
                now,
            )?;
        }
        let action = if ctx.send {
            TriggerAction::IssueAndSend
        } else {
            TriggerAction::Issue
        };
        let (id, made) = self.make_triggered_in(
            tx,
            &settings,
            TriggeredInvoice {
                content,
                template: prepared.template,
                source: TriggerSource::Bulk,
                action,
                maker: &ctx.user,
                actor,
                about: ("bulk", about),
                needs_approval: prepared.needs_approval,
                fault_point: "bulk_after_create",
            },
            now,
        )?;
        let status = match made {
            TriggeredStatus::AwaitingApproval => BulkRowStatus::AwaitingApproval,
            TriggeredStatus::Draft | TriggeredStatus::Issued => BulkRowStatus::Issued,
            TriggeredStatus::Queued(delivery) => {
                if let Some(slot) = ctx.throttle.as_mut().map(|t| t.take(now)) {
                    if slot > now {
                        tx.hold_delivery_until(delivery, slot)?;
                    }
                }
                BulkRowStatus::QueuedForSending
            }
        };
        Ok(BulkOutcome::Made {
            status,
            invoice_id: id,
        })
    }
}

/// The problems that keep an invoice from being made, as one error: the
/// first in its sentence, all of them as details.
fn problems_error(found: Vec<BulkProblem>) -> ApiError {
    let first = found
        .first()
        .map(|p| format!("line {}: {} {:?} {}", p.line, p.field, p.value, p.reason))
        .unwrap_or_else(|| "the invoice cannot be made".to_string());
    let mut e = ApiError::new(ErrorCode::Validation, first);
    e.details = Some(
        found
            .into_iter()
            .map(|p| crate::error::ErrorDetail {
                field: p.field,
                message: p.reason.clone(),
                value: Some(p.value),
                reason: Some(p.reason),
                ..crate::error::ErrorDetail::default()
            })
            .collect(),
    );
    e
}
