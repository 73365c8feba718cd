//! Making one invoice of a running bulk job, in one write transaction:
//! claim its key, create its customer if new, create the draft, then either
//! send it to an approver or issue it (number, PDF, archive) and queue its
//! email — and record the outcome, which moves the job's cursor. A crash at
//! any point inside rolls all of it back, key claim included, so the
//! invoice is made exactly once: by this transaction or by the resumed job.

use super::principal_actor;
use crate::api::BulkProblem;
use crate::approval_flow::Submission;
use crate::drafts::load;
use crate::invoice_pdf::not_initialized;
use crate::invoice_screen::require_action_by;
use crate::issuing::IssuedBy;
use crate::{ApiError, AppResult, ErrorCode, Invoicer};
use chrono::{DateTime, Duration, Utc};
use invoicer_domain::approval_record::InvoiceOrigin;
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::User;
use invoicer_domain::bulk_grouping::BulkInvoice as FileInvoice;
use invoicer_domain::bulk_job::{BulkInvoice, BulkInvoiceFailure, BulkOutcome, BulkRowStatus};
use invoicer_domain::invoice_actions::{Actor, InvoiceAction};
use invoicer_domain::trigger_source::TriggerSource;
use invoicer_store::{InvoiceRecord, KeyClaim};
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
        let totals = content.totals(settings.rounding_scope, settings.rounding_mode);
        let id = tx.insert_invoice(
            InvoiceRecord {
                content: &content,
                totals: &totals,
                rounding_scope: settings.rounding_scope,
                rounding_mode: settings.rounding_mode,
            },
            ctx.user.id,
            now,
        )?;
        tx.set_invoice_template(id, prepared.template.as_ref())?;
        // A job's invoice is a bulk one, and when the job sends, its final
        // approval sends it too ("sent when approved").
        tx.set_invoice_origin(
            id,
            InvoiceOrigin {
                source: TriggerSource::Bulk,
                send_on_approval: ctx.send,
            },
        )?;
        tx.append_audit(
            NewAuditEvent::new(
                Some(actor),
                "invoice.created",
                format!("invoice:{id}"),
                json!({"customer_id": content.customer.id, "currency": content.currency.code(),
                       "total": totals.total.to_string(), "lines": content.lines.len(),
                       "bulk": about}),
            ),
            now,
        )?;
        crate::fault_points::reached("bulk_after_create");
        let inv = load(tx, id)?;
        let acting = Actor {
            user_id: ctx.user.id,
            role: ctx.user.role,
        };
        // Decided again with every fact, the source included, so a rule for
        // bulk invoices applies.
        let needs_approval = prepared.needs_approval
            || crate::approvals::decision_in(tx, &settings, &inv)?.needs_approval;
        let status = if needs_approval {
            require_action_by(acting, &settings, &inv, InvoiceAction::Submit)?;
            let by = Submission {
                actor,
                send_on_approval: None,
                extra: json!({"bulk": about}),
            };
            self.submit_in(tx, by, &settings, &inv, now)?;
            BulkRowStatus::AwaitingApproval
        } else {
            let action = if ctx.send {
                InvoiceAction::IssueAndSend
            } else {
                InvoiceAction::Issue
            };
            require_action_by(acting, &settings, &inv, action)?;
            let by = IssuedBy {
                actor,
                now,
                extra: Some(json!({"bulk": about})),
            };
            self.issue_in(tx, by, &settings, &inv, None)?;
            if ctx.send {
                let issued = load(tx, id)?;
                let delivery = self.enqueue_invoice_email(tx, actor, &settings, &issued, now)?;
                if let Some(slot) = ctx.throttle.as_mut().map(|t| t.take(now)) {
                    if slot > now {
                        tx.hold_delivery_until(delivery, slot)?;
                    }
                }
                BulkRowStatus::QueuedForSending
            } else {
                BulkRowStatus::Issued
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
