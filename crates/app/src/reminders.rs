//! The reminder scheduler's pass and the reminders lists.
//!
//! A pass reads the candidate invoices with one indexed query, then decides
//! each invoice in its own write transaction: the domain's
//! [`due_reminders`] says which step to send today and which earlier ones
//! catch-up skips; the skipped steps, the sent step, its outbox delivery
//! (idempotency key invoice + reminder + step) and their audit events are
//! written together or not at all. The `reminders` table's unique
//! (invoice, step) key, not a check before the insert, is what keeps a step
//! from ever being sent twice, whatever process crashes where.

use crate::api::{ReminderPassView, ReminderView};
use crate::deliveries::invoice_recipients;
use crate::drafts::load;
use crate::fault_points;
use crate::jobs::system_actor;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use chrono::NaiveDate;
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::delivery::{DeliveryKind, NewDelivery};
use invoicer_domain::invoice::Invoice;
use invoicer_domain::reminder_policy::step_date;
use invoicer_domain::reminder_schedule::{
    due_reminders, DueStep, RecordedReminder, ReminderDecision, ReminderFacts, StepOutcome,
};
use invoicer_store::Tx;
use serde_json::json;

/// The scheduler's job name (and audit actor `system:reminder_scheduler`).
pub(crate) const SCHEDULER: &str = "reminder_scheduler";

/// The most reminder rows a list shows.
const LIST_LIMIT: u32 = 1000;

/// What deciding one invoice did.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Decided {
    /// The delivery of the step sent, if one was.
    pub queued: Option<i64>,
    /// How many steps were skipped.
    pub skipped: u32,
}

impl Invoicer {
    /// One pass of the reminder scheduler at the app clock's "today" in the
    /// company's time zone: every invoice whose step is due gets it queued
    /// (or, after downtime, only the latest, the earlier recorded as
    /// skipped). Stops between invoices when `cancelled` says so.
    pub(crate) fn reminder_pass(
        &self,
        cancelled: &dyn Fn() -> bool,
        progress: &dyn Fn(u32, u32, Option<String>, u32),
    ) -> AppResult<ReminderPassView> {
        let mut pass = ReminderPassView::default();
        let Some(settings) = self.store.read(|tx| tx.company())? else {
            return Ok(pass);
        };
        let policy = &settings.reminder_policy;
        let Some((first_offset, _)) = policy.offset_range() else {
            return Ok(pass);
        };
        let today = self.clock.today(settings.timezone);
        let latest_due = step_date(today, first_offset.saturating_neg());
        let steps = u32::try_from(policy.steps.len()).unwrap_or(u32::MAX);
        // Only invoices whose next undecided step has reached its day get a
        // write transaction; the others (step 1 sent, step 2 weeks away) are
        // dropped here, so a pass over thousands of open invoices holds the
        // writer only for the few that have something due.
        let candidates: Vec<_> = self
            .store
            .read(|tx| tx.reminder_candidates(latest_due, steps))?
            .into_iter()
            .filter(|c| {
                policy
                    .step(c.last_step.saturating_add(1))
                    .is_some_and(|s| step_date(c.due_date, s.offset_days) <= today)
            })
            .collect();
        let total = u32::try_from(candidates.len()).unwrap_or(u32::MAX);
        let mut done = 0;
        for c in candidates {
            if cancelled() {
                break;
            }
            match self.decide_reminders(c.invoice_id, &settings, today) {
                Ok(d) => {
                    pass.skipped += d.skipped;
                    if let Some(delivery) = d.queued {
                        pass.queued += 1;
                        self.publish_delivery(delivery);
                        self.publish(crate::api::AppEvent::InvoiceChanged {
                            invoice_id: c.invoice_id,
                        });
                    }
                    // After the commit, before the next invoice: a crash here
                    // must neither repeat nor drop this invoice's step.
                    fault_points::reached("reminder_committed");
                }
                Err(e) => {
                    tracing::warn!(invoice = c.invoice_id, error = %e.message,
                        "a reminder could not be decided");
                    pass.failed += 1;
                }
            }
            done += 1;
            progress(
                done,
                total,
                Some(format!("invoice {}", c.invoice_id)),
                pass.failed,
            );
        }
        if pass.queued > 0 {
            self.publish(crate::api::AppEvent::Notification(
                crate::api::NotificationView {
                    title: "Payment reminders sent".into(),
                    body: format!(
                        "{} payment reminder{} queued for overdue invoices.",
                        pass.queued,
                        if pass.queued == 1 { " was" } else { "s were" }
                    ),
                    topic: "reminders".into(),
                },
            ));
            self.nudge_jobs();
        }
        Ok(pass)
    }

    /// Decides invoice `id`'s reminders for `today` in one transaction.
    fn decide_reminders(
        &self,
        id: i64,
        settings: &CompanySettings,
        today: NaiveDate,
    ) -> AppResult<Decided> {
        let now = self.clock.now();
        let actor = system_actor(SCHEDULER);
        self.store.write(|tx| -> AppResult<Decided> {
            let inv = load(tx, id)?;
            let recorded = tx.recorded_steps(id)?;
            let decision = decision_for(tx, &inv, settings, &recorded, today)?;
            let decided = write_decision(
                tx,
                &inv,
                settings,
                &decision.skip,
                decision.send,
                &actor,
                today,
                now,
            )?;
            // Between recording the step and the commit: a crash here must
            // roll all of it back, so the next run decides the step afresh.
            if decided.queued.is_some() || decided.skipped > 0 {
                fault_points::reached("reminder_recorded");
            }
            Ok(decided)
        })
    }

    /// Reminders of all invoices: the sent and skipped steps (newest first),
    /// then each owed invoice's next scheduled step, with their dates; with
    /// `due`, only the steps due today that the scheduler has not yet sent
    /// (what its next run would queue).
    pub fn reminders(&self, session: &Session, due: bool) -> AppResult<Vec<ReminderView>> {
        session.require(Permission::View)?;
        self.store.read(|tx| {
            let settings = tx
                .company()?
                .ok_or_else(crate::invoice_pdf::not_initialized)?;
            let today = self.clock.today(settings.timezone);
            let policy = &settings.reminder_policy;
            let mut scheduled = Vec::new();
            if let Some((first, _)) = policy.offset_range() {
                let steps = u32::try_from(policy.steps.len()).unwrap_or(u32::MAX);
                // Without `due`, every owed invoice's next step, however far
                // off; the scan's upper bound is then only a far date that
                // still compares as text.
                let latest_due = if due {
                    step_date(today, first.saturating_neg())
                } else {
                    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
                };
                for c in tx.reminder_candidates(latest_due, steps)? {
                    if scheduled.len() >= LIST_LIMIT as usize {
                        break;
                    }
                    let inv = load(tx, c.invoice_id)?;
                    let recorded = tx.recorded_steps(inv.id)?;
                    let d = decision_for(tx, &inv, &settings, &recorded, today)?;
                    let step = if due { d.send } else { d.send.or(d.next) };
                    if let Some(s) = step {
                        scheduled.push(scheduled_view(&inv, &s));
                    }
                }
            }
            if due {
                return Ok(scheduled);
            }
            let mut out: Vec<ReminderView> = tx
                .list_reminders(LIST_LIMIT)?
                .into_iter()
                .map(|l| {
                    recorded_view(
                        &l.reminder,
                        l.invoice_number,
                        l.customer_name,
                        l.currency.code(),
                    )
                })
                .collect();
            out.extend(scheduled);
            Ok(out)
        })
    }

    /// One invoice's reminders: sent and skipped with their dates, then the
    /// next scheduled step while reminders run for it.
    pub fn invoice_reminders(&self, session: &Session, id: i64) -> AppResult<Vec<ReminderView>> {
        session.require(Permission::View)?;
        self.store.read(|tx| {
            let settings = tx
                .company()?
                .ok_or_else(crate::invoice_pdf::not_initialized)?;
            let today = self.clock.today(settings.timezone);
            let inv = load(tx, id)?;
            invoice_reminders_in(tx, &settings, &inv, today)
        })
    }
}

/// Writes in `tx` the steps catch-up `skip`s and the step to `send` (its
/// outbox delivery keyed invoice + reminder + step, its late fee), each with
/// its audit event as `actor`. A step already decided fails the whole
/// transaction, so nothing of it is written twice.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_decision(
    tx: &Tx<'_>,
    inv: &Invoice,
    settings: &CompanySettings,
    skip: &[DueStep],
    send: Option<DueStep>,
    actor: &str,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<Decided> {
    let id = inv.id;
    let mut decided = Decided::default();
    for s in skip {
        let r = recorded_step(inv, s, StepOutcome::Skipped, today, None, None)?;
        if !tx.record_reminder(&r, inv.content.currency, now)? {
            return Err(already_decided(id, s.step));
        }
        tx.append_audit(
            NewAuditEvent::new(
                Some(actor),
                "reminder.skipped",
                format!("invoice:{id}"),
                json!({"step": s.step, "due_on": s.due_on.to_string(),
                               "reason": skip_reason(inv, s, settings)}),
            ),
            now,
        )?;
        decided.skipped += 1;
    }
    if let Some(s) = send {
        let currency = inv.content.currency;
        let fee = s
            .late_fee
            .map(|f| currency.round(f.amount(inv.balance()), settings.rounding_mode));
        let new = NewDelivery {
            invoice_id: Some(id),
            kind: DeliveryKind::Reminder,
            step: s.step,
            recipients: invoice_recipients(tx, inv)?,
        };
        let delivery = tx
            .enqueue_delivery(&new, now)?
            .ok_or_else(|| already_decided(id, s.step))?;
        let r = recorded_step(inv, &s, StepOutcome::Sent, today, fee, Some(delivery))?;
        if !tx.record_reminder(&r, currency, now)? {
            return Err(already_decided(id, s.step));
        }
        tx.append_audit(
            NewAuditEvent::new(
                Some(actor),
                "reminder.queued",
                format!("invoice:{id}"),
                json!({"step": s.step, "tone": s.tone.as_str(),
                               "due_on": s.due_on.to_string(), "delivery_id": delivery,
                               "balance": inv.balance().to_string(),
                               "late_fee": fee.map(|f| f.to_string()),
                               "to": new.recipients.to}),
            ),
            now,
        )?;
        decided.queued = Some(delivery);
    }
    Ok(decided)
}

/// The domain's decision for `inv` on `today`, from what the store holds.
pub(crate) fn decision_for(
    tx: &Tx<'_>,
    inv: &Invoice,
    settings: &CompanySettings,
    recorded: &[u32],
    today: NaiveDate,
) -> AppResult<ReminderDecision> {
    let facts = ReminderFacts {
        status: inv.status,
        due_date: inv.due_date(),
        issued_on: inv
            .issued_at
            .map(|at| at.with_timezone(&settings.timezone).date_naive()),
        balance: inv.balance(),
        customer_opted_out: tx
            .customer_reminders_opt_out(inv.content.customer.id)?
            .unwrap_or(false),
        dispute: tx.dispute_state(inv.id)?,
    };
    Ok(due_reminders(
        &facts,
        &settings.reminder_policy,
        recorded,
        today,
    ))
}

fn recorded_step(
    inv: &Invoice,
    s: &DueStep,
    outcome: StepOutcome,
    today: NaiveDate,
    late_fee: Option<invoicer_domain::Decimal>,
    delivery_id: Option<i64>,
) -> AppResult<RecordedReminder> {
    Ok(RecordedReminder {
        invoice_id: inv.id,
        step: s.step,
        outcome,
        tone: s.tone,
        due_on: s.due_on,
        recorded_on: today,
        balance: inv.balance(),
        late_fee,
        delivery_id,
    })
}

/// Why catch-up skipped step `s`, for the audit trail.
fn skip_reason(inv: &Invoice, s: &DueStep, settings: &CompanySettings) -> &'static str {
    let issued_on = inv
        .issued_at
        .map(|at| at.with_timezone(&settings.timezone).date_naive());
    if issued_on.is_some_and(|issued| s.due_on <= issued) {
        "it fell due before the invoice was issued, or on that day"
    } else {
        "a later step was due when the scheduler ran"
    }
}

/// Another process decided the step first; this transaction rolls back.
fn already_decided(id: i64, step: u32) -> ApiError {
    ApiError::new(
        ErrorCode::Conflict,
        format!("reminder step {step} of invoice {id} was already decided"),
    )
}

fn recorded_view(
    r: &RecordedReminder,
    invoice_number: Option<String>,
    customer_name: String,
    currency: &str,
) -> ReminderView {
    ReminderView {
        invoice_id: r.invoice_id,
        invoice_number,
        customer_name,
        step: r.step,
        state: r.outcome.as_str().to_string(),
        tone: r.tone.as_str().to_string(),
        due_on: r.due_on,
        recorded_on: Some(r.recorded_on),
        balance: r.balance.to_string(),
        late_fee: r.late_fee.map(|f| f.to_string()),
        currency: currency.to_string(),
        delivery_id: r.delivery_id,
    }
}

fn scheduled_view(inv: &Invoice, s: &DueStep) -> ReminderView {
    ReminderView {
        invoice_id: inv.id,
        invoice_number: inv.number.clone(),
        customer_name: inv.content.customer.name.clone(),
        step: s.step,
        state: "scheduled".into(),
        tone: s.tone.as_str().to_string(),
        due_on: s.due_on,
        recorded_on: None,
        balance: inv.balance().to_string(),
        late_fee: s.late_fee.map(|f| {
            inv.content
                .currency
                .round(f.amount(inv.balance()), inv.rounding_mode)
                .to_string()
        }),
        currency: inv.content.currency.code().to_string(),
        delivery_id: None,
    }
}

impl Invoicer {
    /// Whether customer `customer_id` opted out of payment reminders, and
    /// whether the signed-in person may change it.
    pub fn customer_reminders(
        &self,
        session: &Session,
        customer_id: i64,
    ) -> AppResult<crate::api::CustomerRemindersView> {
        session.require(Permission::View)?;
        let opt_out = self
            .store
            .read(|tx| tx.customer_reminders_opt_out(customer_id))?
            .ok_or_else(|| ApiError::not_found("customer", customer_id))?;
        Ok(crate::api::CustomerRemindersView {
            customer_id,
            opt_out,
            can_change: session.require(Permission::ManageCustomers).is_ok(),
        })
    }

    /// Sets whether customer `customer_id` receives payment reminders; an
    /// opted-out customer's invoices are never reminded. Audited.
    pub fn set_customer_reminders(
        &self,
        session: &Session,
        customer_id: i64,
        opt_out: bool,
    ) -> AppResult<bool> {
        session.require(Permission::ManageCustomers)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            if !tx.set_customer_reminders_opt_out(customer_id, opt_out)? {
                return Err(ApiError::new(
                    ErrorCode::NotFound,
                    format!("there is no customer {customer_id}"),
                ));
            }
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "customer.reminders_changed",
                    format!("customer:{customer_id}"),
                    json!({"reminders_opt_out": opt_out}),
                ),
                now,
            )?;
            Ok(opt_out)
        })
    }
}

/// An invoice's decided reminders and its next scheduled one, inside the
/// caller's transaction.
pub(crate) fn invoice_reminders_in(
    tx: &Tx<'_>,
    settings: &CompanySettings,
    inv: &Invoice,
    today: NaiveDate,
) -> AppResult<Vec<ReminderView>> {
    let code = inv.content.currency.code().to_string();
    let mut out: Vec<ReminderView> = tx
        .reminders_of(inv.id)?
        .iter()
        .map(|r| {
            recorded_view(
                r,
                inv.number.clone(),
                inv.content.customer.name.clone(),
                &code,
            )
        })
        .collect();
    let recorded: Vec<u32> = out.iter().map(|r| r.step).collect();
    let d = decision_for(tx, inv, settings, &recorded, today)?;
    if let Some(s) = d.send.or(d.next) {
        out.push(scheduled_view(inv, &s));
    }
    Ok(out)
}
