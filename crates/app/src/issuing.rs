//! Issuing, submitting for approval, sending back and voiding (approving
//! and rejecting are in `approval_flow`).

use crate::api::{InvoiceScreen, VoidInput};
use crate::drafts::load;
use crate::invoice_pdf::{not_initialized, PdfInputs};
use crate::invoice_screen::require_action;
use crate::{ApiError, AppResult, Invoicer, Session};
use chrono::{DateTime, Utc};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::bulk_job::BulkRowStatus;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice::Invoice;
use invoicer_domain::invoice_actions::InvoiceAction;
use invoicer_domain::lifecycle::{InvoiceEvent, InvoiceStatus};
use invoicer_store::Tx;
use serde_json::json;

/// Who issues, when, and what the audit event says besides the usual.
pub(crate) struct IssuedBy<'a> {
    /// The audit actor.
    pub(crate) actor: &'a str,
    /// The moment of issue.
    pub(crate) now: DateTime<Utc>,
    /// More data for the `invoice.issued` event (an object), if any.
    pub(crate) extra: Option<serde_json::Value>,
}

impl Invoicer {
    /// Issues an invoice: takes the next number of its series, freezes it and
    /// records the event, all in one transaction. If anything fails the number
    /// goes back to the series, so numbering stays gapless.
    ///
    /// The PDF carries the number, yet rendering runs user-written templates
    /// that may be slow, so it is done first, outside the write transaction,
    /// with the number the series will most likely give, under the rendering
    /// budget. Inside the transaction the settings, the invoice and the number
    /// are read again and that one reading decides numbering, approval and the
    /// PDF; only if the PDF would differ (another issue took the number, the
    /// settings or the template changed) is it rendered again, still within
    /// the budget, so the write lock is never held longer than that.
    ///
    /// A draft that meets an approval rule is submitted for approval instead
    /// and comes back pending approval; its final approval issues it.
    pub fn issue_invoice(&self, session: &Session, id: i64) -> AppResult<InvoiceScreen> {
        self.issue(session, id, false)
    }

    /// Issues the invoice and, with `send`, queues its email in the same
    /// transaction.
    pub(crate) fn issue(&self, session: &Session, id: i64, send: bool) -> AppResult<InvoiceScreen> {
        let action = if send {
            InvoiceAction::IssueAndSend
        } else {
            InvoiceAction::Issue
        };
        session.require(Permission::ManageInvoices)?;
        // A draft that meets an approval rule is not refused: it waits for
        // approval instead, and "issue & send" makes its approval send it.
        let waits = self.store.read(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let inv = load(tx, id)?;
            if inv.status != InvoiceStatus::Draft {
                return Ok::<_, ApiError>(false);
            }
            require_action(session, &settings, &inv, action)?;
            Ok(crate::approvals::decision_in(tx, &settings, &inv)?.needs_approval)
        })?;
        if waits {
            return self.submit_with(session, id, Some(send), json!({"via": action}));
        }
        let now = self.clock.now();
        let early = self.store.read(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let inv = load(tx, id)?;
            // A refused issue should say why, not render first.
            require_action(session, &settings, &inv, action)?;
            if send {
                crate::email_message::sender(&settings)?;
            }
            let series = settings.number_format.series_key(inv.content.issue_date);
            let seq = tx.peek_in_series(&series)?;
            let number = settings.number_format.render(inv.content.issue_date, seq);
            self.pdf_inputs(tx, &inv, Some(&number), &settings)
        })?;
        let early_pdf = self.render_within_budget(&early)?;
        self.store.write(|tx| {
            // Read inside the transaction, so a concurrent settings change
            // applies to this issue wholly or not at all.
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let inv = load(tx, id)?;
            require_action(session, &settings, &inv, action)?;
            if inv.status == InvoiceStatus::Draft {
                // The rules or the invoice changed since the read above: it
                // is never issued past a rule that now applies.
                let d = crate::approvals::decision_in(tx, &settings, &inv)?;
                if d.needs_approval {
                    return Err(crate::invoice_screen::refused(
                        invoicer_domain::invoice_actions::needs_approval(&d),
                    ));
                }
            }
            let by = IssuedBy {
                actor: session.actor(),
                now,
                extra: None,
            };
            self.issue_in(tx, by, &settings, &inv, Some((&early, early_pdf)))?;
            if send {
                let issued = load(tx, id)?;
                self.enqueue_invoice_email(tx, session.actor(), &settings, &issued, now)?;
            }
            // The screen is read in the same transaction, so issuing costs
            // one read (the early render) and this one write.
            self.screen_in(tx, session, id)
        })
    }

    /// The issuing step inside the caller's write transaction, after the
    /// caller checked that `actor` may issue `inv`: takes the next number,
    /// renders the PDF (reusing `early` when it would be the same bytes),
    /// archives it, marks the invoice issued and records `invoice.issued`
    /// with `extra` merged into its data. Returns the number.
    pub(crate) fn issue_in(
        &self,
        tx: &Tx<'_>,
        by: IssuedBy<'_>,
        settings: &CompanySettings,
        inv: &Invoice,
        early: Option<(&PdfInputs, Vec<u8>)>,
    ) -> AppResult<String> {
        let IssuedBy { actor, now, extra } = by;
        let id = inv.id;
        let approval = crate::approvals::issue_figures(settings, inv);
        let series = settings.number_format.series_key(inv.content.issue_date);
        let seq = tx.next_in_series(&series)?;
        let number = settings.number_format.render(inv.content.issue_date, seq);
        let inputs = self.pdf_inputs(tx, inv, Some(&number), settings)?;
        // If rendering fails or overruns here, the transaction rolls back
        // and the number goes back to the series.
        let pdf = match early {
            Some((early, pdf)) if inputs.same_as(early) => pdf,
            _ => {
                crate::fault_points::reached("bulk_rendering");
                self.render_within_budget(&inputs)?
            }
        };
        let template = inputs.template;
        let sha256 = crate::invoice_pdf::sha256_hex(&pdf);
        tx.archive_pdf(id, &sha256, &pdf)?;
        tx.mark_issued(id, &number, now, Some(&template), Some(&sha256))?;
        let mut data = json!({"number": number, "total": inv.totals.total.to_string(),
               "currency": inv.content.currency.code(),
               "due_date": inv.due_date().to_string(),
               "template": format!("{} v{}", template.name, template.version),
               "pdf_sha256": sha256, "approval": approval});
        if let (Some(serde_json::Value::Object(more)), Some(map)) = (extra, data.as_object_mut()) {
            map.extend(more);
        }
        tx.append_audit(
            NewAuditEvent::new(Some(actor), "invoice.issued", format!("invoice:{id}"), data),
            now,
        )?;
        Ok(number)
    }

    /// Sends a draft to an approver. The audit event records the rule that
    /// applied, the level waiting and how its total compares with the rules in
    /// the company currency; a currency with no exchange rate in force on the
    /// issue date is refused.
    pub fn submit_for_approval(&self, session: &Session, id: i64) -> AppResult<InvoiceScreen> {
        self.submit_with(session, id, None, json!({}))
    }

    /// Withdraws an approval request or an approval: the invoice becomes a
    /// draft again, with the reason in the audit trail. This is what an
    /// approved invoice gets instead of a void, because it has no number yet.
    pub fn send_back_to_draft(
        &self,
        session: &Session,
        id: i64,
        reason: &str,
    ) -> AppResult<InvoiceScreen> {
        session.require(Permission::ManageInvoices)?;
        if reason.trim().is_empty() {
            return Err(ApiError::field(
                "reason",
                "",
                "is required: say why the invoice goes back to draft",
            ));
        }
        self.transition(
            session,
            id,
            (InvoiceAction::SendBack, InvoiceEvent::SendBackToDraft),
            "invoice.sent_back_to_draft",
            json!({"reason": reason.trim()}),
        )
    }

    /// Applies `event` to the invoice after checking `act`, records `action`
    /// with `data` (and the status before), and returns the screen. An
    /// invoice that goes back to draft loses the approval decisions in force.
    fn transition(
        &self,
        session: &Session,
        id: i64,
        (act, event): (InvoiceAction, InvoiceEvent),
        action: &str,
        data: serde_json::Value,
    ) -> AppResult<InvoiceScreen> {
        let now = self.clock.now();
        self.store.write(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let inv = load(tx, id)?;
            // Checked inside the write transaction, on the row being changed,
            // by the rules that also compute the screen's allowed actions.
            require_action(session, &settings, &inv, act)?;
            let next = inv.status.apply(event)?;
            tx.set_invoice_status(id, next)?;
            if inv.status == InvoiceStatus::PendingApproval && next != InvoiceStatus::Approved {
                // A bulk invoice that no longer waits is a draft of its job.
                tx.settle_bulk_approval(id, BulkRowStatus::Created)?;
            }
            let mut data = data.clone();
            if next == InvoiceStatus::Draft {
                data["approvals_voided"] = json!(tx.void_approval_decisions(id, now)?);
                tx.close_approval_round(id, invoicer_store::RoundOutcome::Withdrawn, now)?;
            }
            data["status_before"] = json!(inv.status.as_str());
            tx.append_audit(
                NewAuditEvent::new(Some(session.actor()), action, format!("invoice:{id}"), data),
                now,
            )?;
            self.screen_in(tx, session, id)
        })
    }

    /// Voids an issued invoice; it keeps its number, with the reason. An
    /// approved invoice is refused (it has no number): it is sent back to draft instead.
    pub fn void_invoice(&self, session: &Session, input: &VoidInput) -> AppResult<InvoiceScreen> {
        session.require(Permission::ManageInvoices)?;
        let reason = input.reason.trim();
        if reason.is_empty() {
            return Err(ApiError::field(
                "reason",
                "",
                "is required: say why the invoice is voided",
            ));
        }
        let now = self.clock.now();
        let id = input.invoice_id;
        self.store.write(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let inv = load(tx, id)?;
            require_action(session, &settings, &inv, InvoiceAction::Void)?;
            if let Some(why) = crate::refunds::sent_refusal(tx, &inv)? {
                return Err(crate::refunds::sent_void_error(why));
            }
            tx.mark_void(id, reason)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "invoice.voided",
                    format!("invoice:{id}"),
                    json!({"reason": reason, "number": inv.number}),
                ),
                now,
            )?;
            self.screen_in(tx, session, id)
        })
    }
}
