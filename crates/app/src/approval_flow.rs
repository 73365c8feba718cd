//! The approval workflow: a draft that meets a rule waits for approval; each
//! approval is recorded at its level, four eyes across levels; the final one
//! issues the invoice (and queues its email when chosen) in one transaction;
//! a rejection sends it back to its maker with a reason.

use crate::api::{
    AppEvent, ApprovalDecisionView, ApprovalOutcome, ApprovalStatusView, ApproveInput,
    ApproveManyInput, InvoiceScreen,
};
use crate::drafts::load;
use crate::invoice_pdf::not_initialized;
use crate::invoice_screen::require_action;
use crate::issuing::IssuedBy;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use chrono::{DateTime, Utc};
use invoicer_domain::approval::ApprovalDecision;
use invoicer_domain::approval_record::{
    approvers_in_force, ApprovalRecord, NewApprovalDecision, Verdict,
};
use invoicer_domain::approval_rules::approval_refusal;
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::bulk_job::BulkRowStatus;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice::Invoice;
use invoicer_domain::invoice_actions::{action_role_refusal, InvoiceAction};
use invoicer_domain::lifecycle::{InvoiceEvent, InvoiceStatus};
use invoicer_store::{RoundOutcome, Tx};
use serde_json::json;

/// What an approval did, for the events told after it committed.
struct Approved {
    screen: InvoiceScreen,
    maker_id: i64,
    finished: bool,
    queued: bool,
}

/// Who submits, and whether the final approval should send the email.
pub(crate) struct Submission<'a> {
    /// The audit actor.
    pub(crate) actor: &'a str,
    /// `Some` to set the invoice's "send on approval", `None` to keep it.
    pub(crate) send_on_approval: Option<bool>,
    /// More data for the `invoice.submitted` event (an object), if any.
    pub(crate) extra: serde_json::Value,
}

/// The number of approvals an invoice under `d` needs: at least one, since
/// an invoice someone chose to submit is decided by an approver even when
/// no rule requires it.
fn required(d: &ApprovalDecision) -> u8 {
    d.required.approvers.max(1)
}

impl Invoicer {
    /// Submits `inv` for approval inside the caller's write transaction,
    /// after the caller checked the action: it waits at level 1, decisions
    /// from before (a rejection) no longer hold, and `invoice.submitted`
    /// records the rule, the level and the figures.
    pub(crate) fn submit_in(
        &self,
        tx: &Tx<'_>,
        by: Submission<'_>,
        settings: &CompanySettings,
        inv: &Invoice,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let id = inv.id;
        let next = inv.status.apply(InvoiceEvent::SubmitForApproval)?;
        let decision = crate::approvals::decision_in(tx, settings, inv)?;
        tx.set_invoice_status(id, next)?;
        let voided = tx.void_approval_decisions(id, now)?;
        // The round the automation report times, from this submission to
        // its final decision.
        tx.open_approval_round(id, now)?;
        if let Some(send) = by.send_on_approval {
            tx.set_send_on_approval(id, send)?;
        }
        let mut data = json!({"approval": decision.to_json(), "level": 1,
            "approvers_required": required(&decision), "rule": decision.required.rule.text,
            "decisions_voided": voided});
        if let (serde_json::Value::Object(more), Some(map)) = (by.extra, data.as_object_mut()) {
            map.extend(more);
        }
        tx.append_audit(
            NewAuditEvent::new(
                Some(by.actor),
                "invoice.submitted",
                format!("invoice:{id}"),
                data,
            ),
            now,
        )?;
        Ok(())
    }

    /// Submits a draft for approval, as [`Invoicer::submit_for_approval`]
    /// does, with `send_on_approval` set when given; tells approvers.
    pub(crate) fn submit_with(
        &self,
        session: &Session,
        id: i64,
        send_on_approval: Option<bool>,
        extra: serde_json::Value,
    ) -> AppResult<InvoiceScreen> {
        session.require(Permission::ManageInvoices)?;
        let now = self.clock.now();
        let screen = self.store.write(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let inv = load(tx, id)?;
            require_action(session, &settings, &inv, InvoiceAction::Submit)?;
            let by = Submission {
                actor: session.actor(),
                send_on_approval,
                extra,
            };
            self.submit_in(tx, by, &settings, &inv, now)?;
            self.screen_in(tx, session, id)
        })?;
        self.publish(AppEvent::ApprovalRequested {
            invoice_id: id,
            label: self.invoice_label_of(id),
        });
        Ok(screen)
    }

    /// Approves an invoice at its next level with its own "send on approval".
    pub fn approve_invoice(&self, session: &Session, id: i64) -> AppResult<InvoiceScreen> {
        self.approve_invoice_with(
            session,
            &ApproveInput {
                invoice_id: id,
                send: None,
            },
        )
    }

    /// Approves an invoice at its next level. Only an approver or admin may,
    /// never its maker, its last editor, nor someone who already approved it
    /// at a lower level. The approval is recorded with the rule and figures;
    /// when it is the last level the rules require, the same transaction
    /// issues the invoice (number, PDF, archive) and, when `send` (by default
    /// the invoice's "send on approval") says so, queues its email.
    pub fn approve_invoice_with(
        &self,
        session: &Session,
        input: &ApproveInput,
    ) -> AppResult<InvoiceScreen> {
        require_decider(session, InvoiceAction::Approve)?;
        let id = input.invoice_id;
        let now = self.clock.now();
        let done = self.store.write(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let inv = load(tx, id)?;
            require_action(session, &settings, &inv, InvoiceAction::Approve)?;
            let records = tx.approval_decisions(id)?;
            let so_far = approvers_in_force(&records);
            let me = session.user().id;
            if let Some(why) = approval_refusal(inv.created_by, inv.last_edited_by, &so_far, me) {
                return Err(ApiError::new(ErrorCode::Forbidden, why));
            }
            let decision = crate::approvals::decision_in(tx, &settings, &inv)?;
            let needed = required(&decision);
            let level = u8::try_from(so_far.len() + 1).unwrap_or(u8::MAX);
            let finished = level >= needed;
            let origin = tx.invoice_origin(id)?.unwrap_or_default();
            let send = finished && input.send.unwrap_or(origin.send_on_approval);
            if send {
                // Refused before anything is written, with what to set up.
                crate::email_message::sender(&settings)?;
            }
            record(
                tx,
                &inv,
                &decision,
                (level, me, Verdict::Approved, None),
                now,
            )?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "invoice.approved",
                    format!("invoice:{id}"),
                    json!({"level": level, "approvers_required": needed,
                           "rule": decision.required.rule.text, "approval": decision.to_json(),
                           "final": finished, "send": send, "status_before": inv.status.as_str()}),
                ),
                now,
            )?;
            if finished {
                tx.close_approval_round(id, RoundOutcome::Approved, now)?;
                let next = inv.status.apply(InvoiceEvent::Approve)?;
                tx.set_invoice_status(id, next)?;
                let approved = load(tx, id)?;
                let by = IssuedBy {
                    actor: session.actor(),
                    now,
                    extra: Some(json!({"on_approval": true, "approval_levels": level})),
                };
                self.issue_in(tx, by, &settings, &approved, None)?;
                if send {
                    let issued = load(tx, id)?;
                    self.enqueue_invoice_email(tx, session.actor(), &settings, &issued, now)?;
                }
                // A bulk job's invoice is counted by its job as what it became.
                let row = if send {
                    BulkRowStatus::QueuedForSending
                } else {
                    BulkRowStatus::Issued
                };
                tx.settle_bulk_approval(id, row)?;
            }
            Ok::<_, ApiError>(Approved {
                screen: self.screen_in(tx, session, id)?,
                maker_id: inv.created_by,
                finished,
                queued: send,
            })
        })?;
        if done.queued {
            self.nudge_jobs();
        }
        let label = self.invoice_label_of(id);
        self.publish(AppEvent::ApprovalDecided {
            invoice_id: id,
            label: label.clone(),
            maker_id: done.maker_id,
            decision: Verdict::Approved.as_str().into(),
            by: session.actor().to_string(),
            reason: None,
        });
        if !done.finished {
            self.publish(AppEvent::ApprovalRequested {
                invoice_id: id,
                label,
            });
        }
        Ok(done.screen)
    }

    /// Sends an invoice back to its maker with a reason, which the maker
    /// sees on the invoice. The same people may reject as may approve; the
    /// approvals given so far no longer hold.
    pub fn reject_invoice(
        &self,
        session: &Session,
        id: i64,
        reason: &str,
    ) -> AppResult<InvoiceScreen> {
        require_decider(session, InvoiceAction::Reject)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ApiError::field(
                "reason",
                "",
                "is required: tell the maker what to change",
            ));
        }
        let now = self.clock.now();
        let (screen, maker_id) = self.store.write(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let inv = load(tx, id)?;
            require_action(session, &settings, &inv, InvoiceAction::Reject)?;
            let so_far = approvers_in_force(&tx.approval_decisions(id)?);
            let me = session.user().id;
            if let Some(why) = approval_refusal(inv.created_by, inv.last_edited_by, &so_far, me) {
                return Err(ApiError::new(ErrorCode::Forbidden, why));
            }
            let decision = crate::approvals::decision_in(tx, &settings, &inv)?;
            let level = u8::try_from(so_far.len() + 1).unwrap_or(u8::MAX);
            let next = inv.status.apply(InvoiceEvent::Reject)?;
            tx.set_invoice_status(id, next)?;
            let voided = tx.void_approval_decisions(id, now)?;
            tx.close_approval_round(id, RoundOutcome::Rejected, now)?;
            let verdict = (level, me, Verdict::Rejected, Some(reason.to_string()));
            record(tx, &inv, &decision, verdict, now)?;
            // A bulk invoice that no longer waits is a draft of its job.
            tx.settle_bulk_approval(id, BulkRowStatus::Created)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "invoice.rejected",
                    format!("invoice:{id}"),
                    json!({"reason": reason, "level": level, "rule": decision.required.rule.text,
                           "approval": decision.to_json(), "approvals_voided": voided,
                           "status_before": inv.status.as_str()}),
                ),
                now,
            )?;
            Ok::<_, ApiError>((self.screen_in(tx, session, id)?, inv.created_by))
        })?;
        self.publish(AppEvent::ApprovalDecided {
            invoice_id: id,
            label: self.invoice_label_of(id),
            maker_id,
            decision: Verdict::Rejected.as_str().into(),
            by: session.actor().to_string(),
            reason: Some(reason.to_string()),
        });
        Ok(screen)
    }

    /// Approves several invoices, each on its own: checked, recorded and
    /// audited in its own transaction, so one refused never stops the others.
    pub fn approve_invoices(
        &self,
        session: &Session,
        input: &ApproveManyInput,
    ) -> AppResult<Vec<ApprovalOutcome>> {
        require_decider(session, InvoiceAction::Approve)?;
        Ok(input
            .invoice_ids
            .iter()
            .map(|&invoice_id| {
                let one = ApproveInput {
                    invoice_id,
                    send: None,
                };
                match self.approve_invoice_with(session, &one) {
                    Ok(screen) => ApprovalOutcome {
                        invoice_id,
                        ok: true,
                        status: Some(screen.invoice.status),
                        error: None,
                    },
                    Err(error) => ApprovalOutcome {
                        invoice_id,
                        ok: false,
                        status: self
                            .store
                            .read(|tx| tx.invoice(invoice_id))
                            .ok()
                            .flatten()
                            .map(|inv| inv.status),
                        error: Some(error),
                    },
                }
            })
            .collect())
    }
}

/// Refuses anyone whose role may not decide on invoices with the sentence
/// the invoice screen gives for the same action, which says who may.
fn require_decider(session: &Session, action: InvoiceAction) -> AppResult<()> {
    session.require(Permission::Approve).map_err(|_| {
        ApiError::new(
            ErrorCode::Forbidden,
            action_role_refusal(session.user().role, action),
        )
    })
}

/// Records one decision; a second approval at the same level racing this one
/// is refused by the store's uniqueness and reported as a conflict.
fn record(
    tx: &Tx<'_>,
    inv: &Invoice,
    decision: &ApprovalDecision,
    (level, approver_id, verdict, reason): (u8, i64, Verdict, Option<String>),
    now: DateTime<Utc>,
) -> AppResult<()> {
    let new = NewApprovalDecision {
        invoice_id: inv.id,
        level,
        approver_id,
        verdict,
        reason,
        decided_at: now,
        figures: json!({"rule": decision.required.rule, "approval": decision.to_json()}),
    };
    match tx.record_approval_decision(&new) {
        Ok(_) => Ok(()),
        Err(e) if e.is_unique_violation() => Err(ApiError::new(
            ErrorCode::Conflict,
            format!(
                "level {level} of this invoice was decided by someone else just now; reload it"
            ),
        )),
        Err(e) => Err(e.into()),
    }
}

/// Where `inv` stands in the approval workflow, for its screen: `None` for
/// an invoice that needs no approval and has no decision in force.
pub(crate) fn status_view(
    tx: &Tx<'_>,
    settings: &CompanySettings,
    inv: &Invoice,
) -> AppResult<Option<ApprovalStatusView>> {
    let records = tx.approval_decisions(inv.id)?;
    let rejection = records
        .iter()
        .rev()
        .find(|r| r.voided_at.is_none() && r.decision.verdict == Verdict::Rejected);
    let waiting = inv.status.holds_approval();
    // Without the rate in force the figures are unknown; the screen still
    // opens (its Approve is refused with the missing rate, by the use case).
    let Ok(decision) = crate::approvals::decision_in(tx, settings, inv) else {
        return Ok(None);
    };
    let unissued = matches!(inv.status, InvoiceStatus::Draft) || waiting;
    if !(waiting || rejection.is_some() || (unissued && decision.needs_approval)) {
        return Ok(None);
    }
    let email = |user: i64| -> AppResult<String> {
        Ok(tx.user(user)?.map(|u| u.email).unwrap_or_default())
    };
    let view = |r: &ApprovalRecord| -> AppResult<ApprovalDecisionView> {
        Ok(ApprovalDecisionView {
            level: r.decision.level,
            approver: email(r.decision.approver_id)?,
            decided_at: invoicer_domain::audit::canonical_time(r.decision.decided_at),
            decision: r.decision.verdict.as_str().into(),
            reason: r.decision.reason.clone(),
        })
    };
    let mut approvals = Vec::new();
    for r in records.iter().filter(|r| r.approval_in_force()) {
        approvals.push(view(r)?);
    }
    approvals.sort_by_key(|a| a.level);
    let needed = required(&decision);
    let next_level = (inv.status == InvoiceStatus::PendingApproval)
        .then(|| u8::try_from(approvals.len() + 1).unwrap_or(u8::MAX));
    let mut excluded = vec![email(inv.created_by)?];
    if inv.last_edited_by != inv.created_by {
        excluded.push(email(inv.last_edited_by)?);
    }
    for a in &approvals {
        excluded.push(a.approver.clone());
    }
    let origin = tx.invoice_origin(inv.id)?.unwrap_or_default();
    Ok(Some(ApprovalStatusView {
        rule: decision.required.rule.text.clone(),
        approvers_required: needed,
        approvals,
        next_level,
        rejection: rejection.map(view).transpose()?,
        who_may_decide: format!("an approver or admin other than {}", excluded.join(", ")),
        send_on_approval: origin.send_on_approval,
        converted_total: decision.converted_total.to_string(),
        company_currency: decision.company_currency.code().to_string(),
        exchange_rate: decision.rate.as_ref().map(|r| r.rate.to_string()),
    }))
}

/// Narrows the screen's Approve and Reject to what [`approval_refusal`]
/// allows with the approvals in force: the domain's action check knows the
/// maker and the last editor, not who approved at a lower level.
pub(crate) fn refine_decide_actions(
    tx: &Tx<'_>,
    session: &Session,
    inv: &Invoice,
    detail: &mut crate::api::InvoiceDetail,
) -> AppResult<()> {
    if inv.status != InvoiceStatus::PendingApproval {
        return Ok(());
    }
    let so_far = approvers_in_force(&tx.approval_decisions(inv.id)?);
    let me = session.user().id;
    let Some(why) = approval_refusal(inv.created_by, inv.last_edited_by, &so_far, me) else {
        return Ok(());
    };
    for a in detail.allowed_actions.iter_mut() {
        if a.allowed && matches!(a.action, InvoiceAction::Approve | InvoiceAction::Reject) {
            a.allowed = false;
            a.reason = Some(crate::api::ActionRefusalView {
                code: invoicer_domain::invoice_actions::RefusalCode::FourEyes,
                message: why.to_string(),
                approval: None,
            });
        }
    }
    Ok(())
}
