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
use invoicer_domain::reminder_schedule::ReminderHold;
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
        Ok(RemindersPanel {
            invoice_id: id,
            reminders,
            dispute: dispute.map(|d| dispute_view(&d, inv, today)),
            hold: decision.hold.map(|h| hold_text(h).to_string()),
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
    /// the invoice or when every step was decided.
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
            let (skip, send) = match decision.send {
                Some(s) => (decision.skip, Some(s)),
                None => (Vec::new(), decision.next),
            };
            if send.is_none() {
                return Err(ApiError::new(
                    ErrorCode::InvalidState,
                    "every reminder step of this invoice was already sent or skipped",
                ));
            }
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
