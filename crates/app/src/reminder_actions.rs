//! The invoice screen's Reminders section and its "Send reminder now": what
//! the panel shows and which actions the backend allows, and sending the next
//! step at once (through the same transaction as the scheduler's, so the
//! (invoice, step) key still holds).

use crate::api::{DisputeDone, DisputeInput, InvoiceScreen, RemindersPanel, ResolveDisputeInput};
use crate::disputes::dispute_view;
use crate::drafts::load;
use crate::invoice_pdf::not_initialized;
use crate::reminders::{decision_for, write_decision};
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_domain::authorization::Permission;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice::Invoice;
use invoicer_domain::lifecycle::InvoiceStatus;
use invoicer_domain::reminder_policy::step_date;
use invoicer_domain::reminder_schedule::{
    DueStep, RecordedReminder, ReminderDecision, ReminderHold,
};
use invoicer_store::Tx;

/// A hold in words, for the panel and refusals.
fn hold_text(hold: ReminderHold) -> &'static str {
    match hold {
        ReminderHold::NothingOwed => "Nothing is owed on this invoice, so no reminders go out.",
        ReminderHold::OptedOut => "The customer opted out of payment reminders.",
        ReminderHold::Disputed => "Reminders are paused while the invoice is disputed.",
        ReminderHold::DisputeUpheld => {
            "The dispute was upheld: no more reminders; the customer is owed a credit note."
        }
    }
}

/// Why "Send reminder now" has no step to send although reminders run for
/// the invoice (`decision` holds nothing to send and nothing ahead), naming
/// every step and its state, so the panel and the refusal never call a step
/// sent or skipped unless it was recorded so. `decided` are the invoice's
/// recorded steps; the undecided steps the domain passes over are the
/// decision's `skip`, which with nothing to send can only be steps that fell
/// due on or before the day the invoice was issued.
fn nothing_left_text(
    inv: &Invoice,
    settings: &CompanySettings,
    decided: &[RecordedReminder],
    decision: &ReminderDecision,
) -> String {
    let policy = &settings.reminder_policy;
    let highest = decided.iter().map(|r| r.step).max().unwrap_or(0);
    let last = highest.max(u32::try_from(policy.steps.len()).unwrap_or(u32::MAX));
    if last == 0 {
        return "The company's reminder policy has no steps, so there is no reminder to send."
            .to_string();
    }
    let mut clauses = Vec::new();
    let mut passed_over: Vec<&DueStep> = Vec::new();
    for n in 1..=last {
        if let Some(r) = decided.iter().find(|r| r.step == n) {
            clauses.push(format!(
                "step {n} (due {}) was {} on {}",
                r.due_on,
                r.outcome.as_str(),
                r.recorded_on
            ));
        } else if let Some(s) = decision.skip.iter().find(|s| s.step == n) {
            passed_over.push(s);
        } else if let Some(p) = policy.step(n) {
            // Below the highest decided step: "Send reminder now" sent a
            // later step ahead of its day, so this one is not due again.
            clauses.push(format!(
                "step {n} (due {}) was never recorded and is not due again, because a later step was already decided",
                step_date(inv.due_date(), p.offset_days)
            ));
        }
    }
    if !passed_over.is_empty() {
        let issued_on = inv
            .issued_at
            .map(|at| {
                at.with_timezone(&settings.timezone)
                    .date_naive()
                    .to_string()
            })
            .unwrap_or_default();
        let steps: Vec<String> = passed_over
            .iter()
            .map(|s| format!("{} (due {})", s.step, s.due_on))
            .collect();
        let (noun, they, none_yet) = if steps.len() == 1 {
            ("step", "it is", "it is not")
        } else {
            ("steps", "they are", "none of them is")
        };
        clauses.push(format!(
            "{noun} {} fell due on or before {issued_on}, the day the invoice was issued \
             (it is dated {}), and a back-dated invoice is not reminded of such steps, so \
             {they} never sent ({none_yet} recorded yet; the reminder scheduler records \
             such steps as skipped)",
            and_list(&steps),
            inv.content.issue_date
        ));
    }
    let number = inv.number.clone().unwrap_or_else(|| format!("#{}", inv.id));
    format!(
        "No reminder step is left to send for invoice {number}: {}.",
        clauses.join("; ")
    )
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

impl Invoicer {
    /// The invoice screen's Reminders section.
    pub fn reminders_panel(&self, session: &Session, id: i64) -> AppResult<RemindersPanel> {
        session.require(Permission::View)?;
        self.store.read(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let inv = load(tx, id)?;
            self.reminders_panel_in(tx, session, &settings, &inv)
        })
    }

    /// The Reminders section inside the caller's transaction, so the invoice
    /// screen carries it in the same answer as the rest of the invoice (one
    /// round trip per user action).
    pub(crate) fn reminders_panel_in(
        &self,
        tx: &Tx<'_>,
        session: &Session,
        settings: &CompanySettings,
        inv: &Invoice,
    ) -> AppResult<RemindersPanel> {
        let today = self.clock.today(settings.timezone);
        let id = inv.id;
        let may_change = session.require(Permission::ManageInvoices).is_ok();
        let reminders = crate::reminders::invoice_reminders_in(tx, settings, inv, today)?;
        let recorded: Vec<u32> = tx.recorded_steps(id)?;
        let decision = decision_for(tx, inv, settings, &recorded, today)?;
        let dispute = tx.latest_dispute(id)?;
        let open = dispute.as_ref().is_some_and(|d| d.resolution.is_none());
        let owed = inv.was_issued()
            && matches!(
                inv.status,
                InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid
            );
        // Reminders run but no step is left: say why, step by step, rather
        // than offer nothing without a word.
        let hold = match decision.hold {
            Some(h) => Some(hold_text(h).to_string()),
            None if owed && decision.send.is_none() && decision.next.is_none() => Some(
                nothing_left_text(inv, settings, &tx.reminders_of(id)?, &decision),
            ),
            None => None,
        };
        Ok(RemindersPanel {
            invoice_id: id,
            reminders,
            dispute: dispute.map(|d| dispute_view(&d, inv, today)),
            hold,
            can_mark_disputed: may_change && owed && !open,
            can_resolve_dispute: may_change && open,
            can_send_now: may_change
                && decision.hold.is_none()
                && (decision.send.is_some() || decision.next.is_some()),
        })
    }

    /// "Send reminder now" from the invoice screen: sends the step and
    /// answers with the whole screen (the new email, the activity, the
    /// panel), so the action is one round trip.
    pub fn send_reminder_from_screen(
        &self,
        session: &Session,
        id: i64,
    ) -> AppResult<InvoiceScreen> {
        self.send_reminder_now(session, id)?;
        self.invoice_screen(session, id)
    }

    /// "Mark disputed" from the invoice screen: the dispute and the screen
    /// it leaves, in one round trip.
    pub fn dispute_from_screen(
        &self,
        session: &Session,
        input: &DisputeInput,
    ) -> AppResult<DisputeDone> {
        let dispute = self.dispute_invoice(session, input.invoice_id, &input.reason, input.days)?;
        let screen = self.invoice_screen(session, input.invoice_id)?;
        Ok(DisputeDone { dispute, screen })
    }

    /// "Resolve dispute" from the invoice screen: the resolution and the
    /// screen it leaves, in one round trip.
    pub fn resolve_dispute_from_screen(
        &self,
        session: &Session,
        input: &ResolveDisputeInput,
    ) -> AppResult<DisputeDone> {
        let dispute = self.resolve_dispute_as(session, input)?;
        let screen = self.invoice_screen(session, input.invoice_id)?;
        Ok(DisputeDone { dispute, screen })
    }

    /// Sends the invoice's next reminder step now: the one due today, else
    /// the next scheduled one ahead of its day. Earlier due steps are
    /// skipped as the scheduler would. Refused while reminders do not run for
    /// the invoice, or when no step is left (every step was decided, or the
    /// undecided ones fell due before a back-dated invoice was issued), with
    /// each step and its state in the message.
    pub fn send_reminder_now(&self, session: &Session, id: i64) -> AppResult<RemindersPanel> {
        session.require(Permission::ManageInvoices)?;
        let now = self.clock.now();
        let delivery = self.store.write(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let today = self.clock.today(settings.timezone);
            let inv = load(tx, id)?;
            let recorded = tx.recorded_steps(id)?;
            let decision = decision_for(tx, &inv, &settings, &recorded, today)?;
            if let Some(hold) = decision.hold {
                return Err(ApiError::new(ErrorCode::InvalidState, hold_text(hold)));
            }
            if decision.send.is_none() && decision.next.is_none() {
                return Err(ApiError::new(
                    ErrorCode::InvalidState,
                    nothing_left_text(&inv, &settings, &tx.reminders_of(id)?, &decision),
                ));
            }
            let (skip, send) = match decision.send {
                Some(s) => (decision.skip, Some(s)),
                None => (Vec::new(), decision.next),
            };
            let decided = write_decision(
                tx,
                &inv,
                &settings,
                &skip,
                send,
                session.actor(),
                today,
                now,
            )?;
            Ok(decided.queued)
        })?;
        if let Some(d) = delivery {
            self.publish_delivery(d);
        }
        self.nudge_jobs();
        self.reminders_panel(session, id)
    }
}
