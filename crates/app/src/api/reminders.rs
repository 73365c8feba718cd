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
