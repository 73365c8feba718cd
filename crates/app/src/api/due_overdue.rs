//! The "Due & overdue" view: every open invoice that still owes something,
//! most overdue first, with its reminders and dispute.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A page request of the "Due & overdue" view; `page` is 1-based.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DueQuery {
    /// Only invoices past their due date.
    #[serde(default)]
    pub overdue_only: bool,
    /// Also (or, with `overdue_only` off, only) invoices due within this many
    /// days from today; none lists every open invoice.
    #[serde(default)]
    #[ts(optional)]
    pub due_within_days: Option<u32>,
    /// Only this customer's invoices.
    #[serde(default)]
    #[ts(optional)]
    pub customer_id: Option<i64>,
    /// Only invoices in this currency (ISO code).
    #[serde(default)]
    #[ts(optional)]
    pub currency: Option<String>,
    /// Only invoices with an open dispute whose window ends within this many
    /// days from today or has already ended (the dashboard's "disputes near
    /// their window's end" uses 7).
    #[serde(default)]
    #[ts(optional)]
    pub dispute_window_within_days: Option<u32>,
    /// The page, from 1.
    pub page: u32,
    /// Rows per page (at most 200).
    pub page_size: u32,
}

/// One page of the "Due & overdue" view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DuePage {
    /// The rows, most overdue first; not yet due at the end, by due date.
    pub items: Vec<DueInvoiceView>,
    /// How many invoices match in all.
    pub total_count: u64,
    /// This page, from 1.
    pub page: u32,
    /// Rows per page.
    pub page_size: u32,
    /// The day "days overdue" is counted to (the company's today).
    pub today: NaiveDate,
}

/// A reminder step and its day, as a row of the view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DueReminderView {
    /// The step's number, from 1.
    pub step: u32,
    /// The day it was sent, or the day it is scheduled for.
    pub on: NaiveDate,
}

/// One open invoice in the "Due & overdue" view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DueInvoiceView {
    /// The invoice.
    pub id: i64,
    /// Its number.
    pub number: Option<String>,
    /// Its customer.
    pub customer_id: i64,
    /// The customer's name.
    pub customer_name: String,
    /// Its currency.
    pub currency: String,
    /// Its due date.
    pub due_date: NaiveDate,
    /// Days past the due date today; negative while not yet due (-3: due in
    /// three days), 0 on the due date.
    pub days_overdue: i64,
    /// What is still owed (decimal text in the currency's decimals).
    pub balance: String,
    /// The last reminder sent, if any.
    pub last_reminder: Option<DueReminderView>,
    /// The next reminder scheduled, while reminders run for the invoice.
    pub next_reminder: Option<DueReminderView>,
    /// Why no reminder is scheduled, in a few words, when none is.
    pub no_reminder_reason: Option<String>,
    /// Days left in the window of its open dispute (negative once past it);
    /// none when no dispute is open.
    pub dispute_days_left: Option<i64>,
    /// "Disputed · 12 days left" while a dispute is open, as the invoice
    /// list says it.
    pub dispute_label: Option<String>,
    /// Whether the signed-in person may record a payment on it now.
    pub can_record_payment: bool,
}
