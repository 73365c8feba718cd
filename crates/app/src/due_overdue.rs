//! The "Due & overdue" view: one page of open invoices from one indexed store
//! query, each row completed with its reminders and dispute as the scheduler
//! itself decides them, so the view never says a reminder is coming that the
//! scheduler would not send.

use crate::api::{DueInvoiceView, DuePage, DueQuery, DueReminderView};
use crate::drafts::load;
use crate::invoice_list::currency_filter;
use crate::invoice_pdf::not_initialized;
use crate::invoice_screen::require_action;
use crate::reminders::decision_for;
use crate::views::{amount, dispute_label};
use crate::{ApiError, AppResult, Invoicer, Session};
use chrono::{Days, NaiveDate};
use invoicer_domain::authorization::Permission;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice_actions::InvoiceAction;
use invoicer_domain::reminder_schedule::{ReminderHold, StepOutcome};
use invoicer_store::{DueFilter, DueInvoiceRow, Tx};

/// The largest page the view serves: each row costs a few small reads.
const MAX_PAGE_SIZE: u32 = 200;

/// Disputes are "near their window's end" from this many days before it.
pub(crate) const DISPUTE_WARNING_DAYS: u32 = 7;

/// The longest "due within" window accepted, in days.
const MAX_WITHIN_DAYS: u32 = 3660;

impl Invoicer {
    /// One page of the "Due & overdue" view at the company's today.
    pub fn due_invoices(&self, session: &Session, q: &DueQuery) -> AppResult<DuePage> {
        session.require(Permission::View)?;
        let currency = currency_filter("currency", q.currency.as_deref())?;
        for (field, days) in [
            ("due_within_days", q.due_within_days),
            ("dispute_window_within_days", q.dispute_window_within_days),
        ] {
            if let Some(days) = days.filter(|d| *d > MAX_WITHIN_DAYS) {
                return Err(ApiError::field(
                    field,
                    &days.to_string(),
                    &format!("must be at most {MAX_WITHIN_DAYS} days"),
                ));
            }
        }
        let page = q.page.max(1);
        let page_size = q.page_size.clamp(1, MAX_PAGE_SIZE);
        self.store.read(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let today = self.clock.today(settings.timezone);
            // "Due within N days" keeps the overdue ones too: a person asking
            // what is due this week still has to see what is already late.
            let due_until = match (q.overdue_only, q.due_within_days) {
                (true, _) => today.pred_opt(),
                (false, Some(days)) => today.checked_add_days(Days::new(u64::from(days))),
                (false, None) => None,
            };
            let filter = DueFilter {
                due_until,
                customer_id: q.customer_id,
                currency,
                dispute_window_ends_by: q
                    .dispute_window_within_days
                    .map(|days| dispute_window_ends_by(today, days)),
                offset: u64::from(page - 1) * u64::from(page_size),
                limit: u64::from(page_size),
            };
            let (rows, total) = tx.due_invoices(&filter)?;
            let items = rows
                .iter()
                .map(|r| row_view(tx, session, &settings, r, today))
                .collect::<AppResult<Vec<_>>>()?;
            Ok(DuePage {
                items,
                total_count: total,
                page,
                page_size,
                today,
            })
        })
    }
}

/// The last window end the dispute filter keeps for `days` from `today`: a
/// window ending on that day or before it is "near its end" (or past it).
fn dispute_window_ends_by(today: NaiveDate, days: u32) -> NaiveDate {
    today
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// How many invoices the dashboard's "disputes near their window's end"
/// opens: the length of the view with `dispute_window_within_days` =
/// [`DISPUTE_WARNING_DAYS`], counted by the view's own query so the number
/// and the list cannot differ.
pub(crate) fn disputes_near_window_end(tx: &Tx<'_>, today: NaiveDate) -> AppResult<u64> {
    let filter = DueFilter {
        dispute_window_ends_by: Some(dispute_window_ends_by(today, DISPUTE_WARNING_DAYS)),
        limit: 0,
        ..DueFilter::default()
    };
    Ok(tx.due_invoices(&filter)?.1)
}

impl Invoicer {
    /// The dashboard's "disputes near their window's end" at the company's
    /// today: how many invoices "Due & overdue" lists with
    /// `dispute_window_within_days` = 7.
    pub fn disputes_near_window_end(&self, session: &Session) -> AppResult<u64> {
        session.require(Permission::View)?;
        self.store.read(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            disputes_near_window_end(tx, self.clock.today(settings.timezone))
        })
    }
}

/// A row of the view: the stored row, its reminders and its dispute.
fn row_view(
    tx: &Tx<'_>,
    session: &Session,
    settings: &CompanySettings,
    r: &DueInvoiceRow,
    today: NaiveDate,
) -> AppResult<DueInvoiceView> {
    let inv = load(tx, r.id)?;
    let decided = tx.reminders_of(r.id)?;
    let recorded: Vec<u32> = decided.iter().map(|d| d.step).collect();
    let decision = decision_for(tx, &inv, settings, &recorded, today)?;
    let dispute_days_left = tx
        .latest_dispute(r.id)?
        .filter(|d| d.resolution.is_none())
        .map(|d| d.days_left(today));
    let next = decision.send.or(decision.next);
    let no_reminder_reason = match (decision.hold, next) {
        (Some(ReminderHold::Disputed), _) => Some(match dispute_days_left {
            Some(n) if n >= 0 => format!(
                "Paused: disputed, {n} day{} left",
                if n == 1 { "" } else { "s" }
            ),
            _ => "Paused: disputed, past its window".to_string(),
        }),
        (Some(ReminderHold::OptedOut), _) => Some("Customer opted out".to_string()),
        (Some(ReminderHold::DisputeUpheld), _) => Some("Stopped: dispute upheld".to_string()),
        (Some(ReminderHold::NothingOwed), _) => Some("Nothing owed".to_string()),
        (None, None) if settings.reminder_policy.steps.is_empty() => {
            Some("No reminder steps are set".to_string())
        }
        (None, None) => Some("Every step was sent".to_string()),
        (None, Some(_)) => None,
    };
    Ok(DueInvoiceView {
        id: r.id,
        number: r.number.clone(),
        customer_id: r.customer_id,
        customer_name: r.customer_name.clone(),
        currency: r.currency.code().to_string(),
        due_date: r.due_date,
        days_overdue: (today - r.due_date).num_days(),
        balance: amount(r.currency, r.balance),
        last_reminder: decided
            .iter()
            .filter(|d| d.outcome == StepOutcome::Sent)
            .max_by_key(|d| d.step)
            .map(|d| DueReminderView {
                step: d.step,
                on: d.recorded_on,
            }),
        next_reminder: next
            .filter(|_| decision.hold.is_none())
            .map(|s| DueReminderView {
                step: s.step,
                on: s.due_on,
            }),
        no_reminder_reason,
        dispute_days_left,
        dispute_label: dispute_days_left.map(dispute_label),
        can_record_payment: require_action(session, settings, &inv, InvoiceAction::RecordPayment)
            .is_ok(),
    })
}
