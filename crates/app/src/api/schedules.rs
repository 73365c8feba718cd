//! Recurring schedules: the editor's form, the list, the next occurrences
//! preview and a test run's would-be invoice.
#![allow(missing_docs)]

use super::invoices::{LineInput, TotalsView};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A schedule as entered in the editor (or with `invoicer schedule add`).
/// A line's `proration` is ignored: partial periods are prorated by the
/// schedule itself.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScheduleInput {
    /// A name people recognise it by; "<customer> every <frequency>" when blank.
    #[serde(default)]
    pub name: String,
    pub customer_id: i64,
    pub lines: Vec<LineInput>,
    /// ISO 4217 code; the customer's currency (else the company's) when absent.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub currency: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub template: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub terms_days: Option<u32>,
    /// weekly, monthly, quarterly or yearly.
    pub frequency: String,
    /// Every N of them (1 when absent).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub interval: Option<u32>,
    /// The first period's start: every period is counted from it.
    pub anchor: NaiveDate,
    /// The first day of service, when later than the anchor (a partial first period).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub starts_on: Option<NaiveDate>,
    /// No period starts after this day; the one it falls in is the last.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub until: Option<NaiveDate>,
    /// Bill this many periods.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub count: Option<u32>,
    /// Bill a partial first or last period by days (true when absent).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub prorate: Option<bool>,
    /// `issue_and_send` or `draft`.
    pub mode: String,
}

/// Changing a schedule: its id and the whole form again.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdateScheduleInput {
    pub id: i64,
    pub schedule: ScheduleInput,
}

/// A schedule's line as stored.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScheduleLineView {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount_percent: Option<String>,
    pub tax_rate_id: Option<i64>,
    pub tax_exempt_reason: Option<String>,
}

/// A schedule in the list and the editor.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScheduleView {
    pub id: i64,
    pub name: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub currency: Option<String>,
    pub template: Option<String>,
    pub terms_days: Option<u32>,
    pub frequency: String,
    pub interval: u32,
    pub anchor: NaiveDate,
    pub starts_on: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub count: Option<u32>,
    pub prorate: bool,
    pub mode: String,
    pub lines: Vec<ScheduleLineView>,
    /// `disabled` (never enabled), `active` or `paused`.
    pub state: String,
    pub paused_on: Option<NaiveDate>,
    /// When a test run last passed (RFC 3339); it can be enabled only after one.
    pub tested_at: Option<String>,
    /// The next period not yet made or skipped, if the schedule has one.
    pub next_period: Option<NaiveDate>,
    /// Periods made, and skipped.
    pub made: u32,
    pub skipped: u32,
}

/// One upcoming occurrence in the preview.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OccurrencePreview {
    /// Its place, from 0 (the anchor's period).
    pub index: u32,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub billed_from: NaiveDate,
    pub billed_to: NaiveDate,
    /// The invoice's date (and the day it is made): the first day billed.
    pub invoice_date: NaiveDate,
    pub due_date: NaiveDate,
    /// Whether the period is partial and billed by days.
    pub prorated: bool,
    pub currency: String,
    pub subtotal: String,
    pub tax_total: String,
    pub total: String,
}

/// A test run: the invoice the next occurrence would make. Nothing was
/// written or sent.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScheduleTestRun {
    pub schedule_id: i64,
    pub occurrence: OccurrencePreview,
    pub customer_name: String,
    pub customer_email: String,
    /// The template and version it would be printed with, e.g. `Standard v1`.
    pub template: String,
    /// What would happen: `draft`, `issued`, `queued_for_sending` or
    /// `awaiting_approval`.
    pub outcome: String,
    pub needs_approval: bool,
    /// The number it would get now (another invoice issued first takes it).
    pub number: Option<String>,
    pub totals: TotalsView,
    /// The would-be invoice's PDF.
    pub pdf_sha256: String,
    pub pdf_bytes: Vec<u8>,
}

/// What made an invoice, for the invoice screen: its trigger source and,
/// for a recurring invoice, the schedule and period.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceTriggerView {
    pub invoice_id: i64,
    /// `manual`, `bulk`, `recurring`, `api` or `threshold`.
    pub source: String,
    pub schedule_id: Option<i64>,
    pub schedule_name: Option<String>,
    pub period_start: Option<NaiveDate>,
    /// The threshold rule, for an invoice a threshold made.
    pub threshold_id: Option<i64>,
    pub threshold_name: Option<String>,
}
