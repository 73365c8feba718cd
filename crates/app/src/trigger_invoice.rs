//! Making an invoice from a trigger — a bulk job's row, a recurring
//! schedule's period, later an API event or a threshold — inside the
//! caller's write transaction: create the draft with its template and
//! origin, then, as the trigger asks, leave it a draft, send it to an
//! approver (when a rule applies or the trigger always asks), or issue it
//! (number, PDF, archive) and queue its email. Every trigger goes through
//! this one function, so approval rules for its source and the audit trail
//! are the same whatever made the invoice.

use crate::approval_flow::Submission;
use crate::drafts::load;
use crate::invoice_pdf::PdfInputs;
use crate::invoice_screen::require_action_by;
use crate::issuing::IssuedBy;
use crate::{AppResult, Invoicer};
use chrono::{DateTime, Utc};
use invoicer_domain::approval_record::InvoiceOrigin;
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::User;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice::{InvoiceContent, TemplateRef};
use invoicer_domain::invoice_actions::{Actor, InvoiceAction};
use invoicer_domain::trigger_source::TriggerSource;
use invoicer_store::{InvoiceRecord, Tx};
use serde_json::json;

/// What a trigger does with the invoice it makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TriggerAction {
    /// Leave a draft for a person to review.
    Draft,
    /// Issue it (unless an approval rule applies: then it waits).
    Issue,
    /// Issue it and queue its email (unless an approval rule applies: then
    /// it waits, and its final approval sends it).
    IssueAndSend,
    /// Send it to an approver whatever the rules say; sent on approval when
    /// `send` is true.
    AwaitApproval {
        /// Whether the final approval also queues the email.
        send: bool,
    },
}

/// An invoice a trigger asks for.
pub(crate) struct TriggeredInvoice<'a> {
    /// The checked content (customer already stored, issue date set).
    pub(crate) content: InvoiceContent,
    /// The template asked for; the customer's or the default when `None`.
    pub(crate) template: Option<TemplateRef>,
    /// The trigger's kind, for approval rules per source and the queue.
    pub(crate) source: TriggerSource,
    /// What to do with it.
    pub(crate) action: TriggerAction,
    /// The user on whose behalf the trigger acts: the invoice's maker, whose
    /// role decides what may be done, as it would for them.
    pub(crate) maker: &'a User,
    /// The audit actor (`system:<job>`).
    pub(crate) actor: &'a str,
    /// What the trigger says about itself in every audit event, under
    /// `about.0` (e.g. `"bulk"` or `"schedule"`).
    pub(crate) about: (&'static str, serde_json::Value),
    /// True when the caller already knows an approval is needed.
    pub(crate) needs_approval: bool,
    /// The fault point reached right after the draft is created.
    pub(crate) fault_point: &'static str,
}

/// Where a triggered invoice ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TriggeredStatus {
    /// A draft.
    Draft,
    /// Waiting for an approver.
    AwaitingApproval,
    /// Issued, no email.
    Issued,
    /// Issued with its email queued as this delivery.
    Queued(i64),
}

impl Invoicer {
    /// Makes the invoice `t` asks for in `tx`. Returns its id and status; an
    /// error leaves the caller to roll everything back.
    pub(crate) fn make_triggered_in(
        &self,
        tx: &Tx<'_>,
        settings: &CompanySettings,
        t: TriggeredInvoice<'_>,
        now: DateTime<Utc>,
    ) -> AppResult<(i64, TriggeredStatus)> {
        self.make_triggered_with(tx, settings, t, now, None)
    }

    /// [`Invoicer::make_triggered_in`] with a PDF rendered before the
    /// transaction: issuing archives it only when the invoice it issues
    /// prints the same (`PdfInputs::same_as`, the number included), and
    /// renders again otherwise, so correctness never rests on the guess.
    pub(crate) fn make_triggered_with(
        &self,
        tx: &Tx<'_>,
        settings: &CompanySettings,
        t: TriggeredInvoice<'_>,
        now: DateTime<Utc>,
        early: Option<(&PdfInputs, Vec<u8>)>,
    ) -> AppResult<(i64, TriggeredStatus)> {
        let (key, about) = t.about;
        let content = t.content;
        let totals = content.totals(settings.rounding_scope, settings.rounding_mode);
        let id = tx.insert_invoice(
            InvoiceRecord {
                content: &content,
                totals: &totals,
                rounding_scope: settings.rounding_scope,
                rounding_mode: settings.rounding_mode,
            },
            t.maker.id,
            now,
        )?;
        tx.set_invoice_template(id, t.template.as_ref())?;
        let send = matches!(
            t.action,
            TriggerAction::IssueAndSend | TriggerAction::AwaitApproval { send: true }
        );
        // When the trigger sends, the final approval sends it too ("sent
        // when approved").
        tx.set_invoice_origin(
            id,
            InvoiceOrigin {
                source: t.source,
                send_on_approval: send,
            },
        )?;
        // An invoice from the customer's own source (an API event, a bulk
        // file) shows the source still speaks of it: the exceptions report's
        // "stale customer" looks at this.
        if matches!(t.source, TriggerSource::Bulk | TriggerSource::Api) {
            tx.mark_customer_source_seen(content.customer.id, now)?;
        }
        tx.append_audit(
            NewAuditEvent::new(
                Some(t.actor),
                "invoice.created",
                format!("invoice:{id}"),
                json!({"customer_id": content.customer.id, "currency": content.currency.code(),
                       "total": totals.total.to_string(), "lines": content.lines.len(),
                       key: about}),
            ),
            now,
        )?;
        crate::fault_points::reached(t.fault_point);
        if t.action == TriggerAction::Draft {
            return Ok((id, TriggeredStatus::Draft));
        }
        let inv = load(tx, id)?;
        let acting = Actor {
            user_id: t.maker.id,
            role: t.maker.role,
        };
        // Decided again with every fact, the source included, so a rule for
        // the trigger's source applies.
        let needs_approval = matches!(t.action, TriggerAction::AwaitApproval { .. })
            || t.needs_approval
            || crate::approvals::decision_in(tx, settings, &inv)?.needs_approval;
        if needs_approval {
            require_action_by(acting, settings, &inv, InvoiceAction::Submit)?;
            let by = Submission {
                actor: t.actor,
                send_on_approval: None,
                extra: json!({key: about}),
            };
            self.submit_in(tx, by, settings, &inv, now)?;
            return Ok((id, TriggeredStatus::AwaitingApproval));
        }
        let action = if send {
            InvoiceAction::IssueAndSend
        } else {
            InvoiceAction::Issue
        };
        require_action_by(acting, settings, &inv, action)?;
        let by = IssuedBy {
            actor: t.actor,
            now,
            extra: Some(json!({key: about})),
        };
        self.issue_in(tx, by, settings, &inv, early)?;
        if !send {
            return Ok((id, TriggeredStatus::Issued));
        }
        let issued = load(tx, id)?;
        let delivery = self.enqueue_invoice_email(tx, t.actor, settings, &issued, now)?;
        Ok((id, TriggeredStatus::Queued(delivery)))
    }
}
