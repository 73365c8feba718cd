//! Payment reminders and disputes as the invoice screen, the Reminders list
//! and `invoicer reminders list` / `invoicer invoice dispute` show them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One reminder step of an invoice: sent or skipped (decided), or scheduled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReminderView {
    /// The invoice.
    pub invoice_id: i64,
    /// Its number.
    pub invoice_number: Option<String>,
    /// Its customer.
    pub customer_name: String,
    /// The step's number, from 1.
    pub step: u32,
    /// `sent`, `skipped` or `scheduled`.
    pub state: String,
    /// `friendly`, `firm` or `final`.
    pub tone: String,
    /// The day the step falls (or fell) due.
    pub due_on: NaiveDate,
    /// The day it was sent or skipped; none while scheduled.
    pub recorded_on: Option<NaiveDate>,
    /// The balance it was written for (decimal text); the balance now while
    /// scheduled.
    pub balance: String,
    /// The late fee it charged (decimal text), if any.
    pub late_fee: Option<String>,
    /// The invoice currency.
    pub currency: String,
    /// Its outbox delivery, when sent.
    pub delivery_id: Option<i64>,
}

/// What one pass of the reminder scheduler did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReminderPassView {
    /// Reminders queued in the outbox.
    pub queued: u32,
    /// Earlier steps recorded as skipped (catch-up after downtime).
    pub skipped: u32,
    /// Invoices whose reminder could not be decided (e.g. no valid email).
    pub failed: u32,
}

/// An invoice's dispute as the invoice screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisputeView {
    /// The invoice.
    pub invoice_id: i64,
    /// Its number.
    pub invoice_number: Option<String>,
    /// What the customer contests.
    pub reason: String,
    /// The day it was opened.
    pub opened_on: NaiveDate,
    /// Its window in days.
    pub window_days: u32,
    /// The last day of its window.
    pub window_ends_on: NaiveDate,
    /// Days left in the window today (negative once past it).
    pub days_left: i64,
    /// `open`, `upheld` or `rejected`.
    pub state: String,
    /// The day it was resolved.
    pub resolved_on: Option<NaiveDate>,
    /// Who opened it.
    pub opened_by: String,
    /// What happens next, in a sentence: e.g. that an upheld dispute owes
    /// the customer a credit note.
    pub next: String,
}

/// Settings → Reminders: the company's reminder policy. Steps are distinct
/// and sorted by `offset_days`; they are numbered from 1 in that order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReminderPolicyView {
    /// The steps, earliest first.
    pub steps: Vec<ReminderStepView>,
}

/// One step of the reminder policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReminderStepView {
    /// Days after the due date (negative: before it).
    pub offset_days: i32,
    /// `friendly`, `firm` or `final`: which of the template's three reminder
    /// texts the step is written with.
    pub tone: String,
    /// The late fee charged with this step, if any.
    #[serde(default)]
    #[ts(optional)]
    pub late_fee: Option<LateFeeView>,
}

/// A late fee: noted in the reminder's text and recorded with its step, so it
/// is charged at most once; never added to the issued invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LateFeeView {
    /// `flat` (an amount in the invoice currency) or `percent` (of the open
    /// balance when the step is sent).
    pub kind: String,
    /// The amount or percentage as decimal text.
    pub value: String,
}

/// "Mark disputed" on the invoice screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisputeInput {
    /// The invoice.
    pub invoice_id: i64,
    /// What the customer contests (required).
    pub reason: String,
    /// The window in days (30–90); the company's when not given.
    #[serde(default)]
    #[ts(optional)]
    pub days: Option<u32>,
}

/// "Resolve dispute" on the invoice screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ResolveDisputeInput {
    /// The invoice.
    pub invoice_id: i64,
    /// `upheld` or `rejected`.
    pub outcome: String,
}

/// A customer's reminders switch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerRemindersInput {
    /// The customer.
    pub customer_id: i64,
    /// Whether the customer opted out of payment reminders.
    pub opt_out: bool,
}

/// A customer's reminders switch as the customer dialog shows it: whether
/// they opted out, and whether the signed-in person may change that (the
/// backend decides; the dialog shows the switch only then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerRemindersView {
    /// The customer.
    pub customer_id: i64,
    /// Whether the customer opted out of payment reminders.
    pub opt_out: bool,
    /// Whether the signed-in person may turn them on or off.
    pub can_change: bool,
}

/// The invoice screen's Reminders section: the steps (sent, skipped, the next
/// scheduled), the dispute, why reminders do not run, and which of "Mark
/// disputed", "Resolve dispute" and "Send reminder now" the signed-in person
/// may use now (the backend decides; the UI only shows them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RemindersPanel {
    /// The invoice.
    pub invoice_id: i64,
    /// Sent and skipped steps in order, then the next scheduled one.
    pub reminders: Vec<ReminderView>,
    /// The latest dispute, open or resolved.
    pub dispute: Option<DisputeView>,
    /// Why no reminder goes out, in a sentence, when none does.
    pub hold: Option<String>,
    /// Whether "Mark disputed" is allowed.
    pub can_mark_disputed: bool,
    /// Whether "Resolve dispute" is allowed.
    pub can_resolve_dispute: bool,
    /// Whether "Send reminder now" is allowed (a next step exists and
    /// reminders run for the invoice).
    pub can_send_now: bool,
}

/// What "Mark disputed" and "Resolve dispute" answer on the invoice screen:
/// the dispute and the whole screen it leaves, in one round trip.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DisputeDone {
    /// The dispute as it now stands.
    pub dispute: DisputeView,
    /// The invoice screen after the change.
    pub screen: super::InvoiceScreen,
}
