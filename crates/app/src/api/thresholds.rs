//! Time and usage thresholds: the editor's form, the Thresholds tab's list
//! (progress, unbilled entries, recent invoices), a recorded entry and a
//! test run's would-be invoice; and the API's answer to a `usage.recorded`
//! or `time.logged` event a threshold rule took.
#![allow(missing_docs)]

use super::integration::ApiInvoice;
use super::invoices::TotalsView;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use utoipa::ToSchema;

/// A threshold rule as entered in the editor (or with `invoicer threshold add`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ThresholdInput {
    /// A name people recognise it by; "<customer> <measure>" when blank.
    #[serde(default)]
    pub name: String,
    pub customer_id: i64,
    /// Only entries of this project reference; every entry of the customer when absent.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub project: Option<String>,
    /// `hours` (time.logged) or `units` (usage.recorded).
    pub measure: String,
    /// The price of one hour or unit; each entry's own price when absent.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub unit_price: Option<String>,
    /// Each entry's invoice line: `{date}`, `{description}`, `{quantity}`,
    /// `{project}`; "{date} {description}" when absent.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub description_template: Option<String>,
    /// Bill once this many hours or units are unbilled.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub quantity_threshold: Option<String>,
    /// Bill once the unbilled entries are worth this much before tax.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub amount_threshold: Option<String>,
    /// `monthly` or `quarterly`: bill what accumulated at each period's end.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub period: Option<String>,
    /// The first period's start (the first of this month when absent).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub period_anchor: Option<NaiveDate>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub template: Option<String>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub terms_days: Option<u32>,
    /// `draft`, `issue`, `issue_and_send` or `approval`.
    pub action: String,
}

/// Changing a rule: its id and the whole form again. The rule is disabled
/// and must pass a test run again.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdateThresholdInput {
    pub id: i64,
    pub threshold: ThresholdInput,
}

/// The unbilled totals of a rule against its thresholds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[ts(export)]
pub struct ThresholdProgressView {
    /// Unbilled hours or units.
    pub quantity: String,
    pub quantity_threshold: Option<String>,
    /// Unbilled amount before tax, in `currency`.
    pub amount: String,
    pub amount_threshold: Option<String>,
    pub currency: String,
    /// e.g. "31.5 of 40 h · 1,260.00 of 5,000.00 USD".
    pub label: String,
}

/// One logged entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, ToSchema)]
#[ts(export)]
pub struct UsageEntryView {
    pub id: i64,
    pub rule_id: i64,
    pub occurred_on: NaiveDate,
    pub description: String,
    pub project: Option<String>,
    pub quantity: String,
    pub unit_price: String,
    /// Quantity × unit price, rounded to the currency.
    pub amount: String,
    /// `api`, `cli` or `app`.
    pub source: String,
    pub source_ref: Option<String>,
    /// The invoice that billed it.
    pub invoice_id: Option<i64>,
}

/// One invoice a rule made (or a period end with nothing to bill).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UsageBillingView {
    pub invoice_id: Option<i64>,
    pub invoice_number: Option<String>,
    pub invoice_status: Option<String>,
    pub total: Option<String>,
    /// `quantity`, `amount` or `period_end`.
    pub reason: String,
    pub period_start: Option<NaiveDate>,
    pub entries: u32,
    /// Billed after the day its period ended (the app was closed).
    pub caught_up: bool,
    /// RFC 3339.
    pub billed_at: String,
}

/// A rule on the Thresholds tab.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ThresholdView {
    pub id: i64,
    pub name: String,
    pub customer_id: i64,
    pub customer_name: String,
    pub project: Option<String>,
    pub measure: String,
    pub unit_price: Option<String>,
    pub description_template: String,
    pub quantity_threshold: Option<String>,
    pub amount_threshold: Option<String>,
    pub period: Option<String>,
    pub period_anchor: Option<NaiveDate>,
    pub template: Option<String>,
    pub terms_days: Option<u32>,
    pub action: String,
    /// `disabled` or `active`.
    pub state: String,
    /// When a test run last passed on these terms (RFC 3339).
    pub tested_at: Option<String>,
    pub progress: ThresholdProgressView,
    /// The end of the period now running, when the rule bills at period ends.
    pub current_period_end: Option<NaiveDate>,
    /// The oldest unbilled entries (at most 50) and how many there are.
    pub unbilled: Vec<UsageEntryView>,
    pub unbilled_count: u32,
    /// The newest billings, at most 10.
    pub billings: Vec<UsageBillingView>,
}

/// An hour or usage entry as typed (or `invoicer usage record`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UsageInput {
    pub customer_id: i64,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub project: Option<String>,
    /// `hours` or `units`.
    pub measure: String,
    pub quantity: String,
    /// Required when the rule has no unit price; ignored when it has one.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub unit_price: Option<String>,
    pub description: String,
    pub occurred_on: NaiveDate,
    /// The sender's reference: the same reference is recorded once.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub reference: Option<String>,
}

/// What recording an entry did.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UsageRecorded {
    pub rule_id: i64,
    pub rule_name: String,
    pub entry: UsageEntryView,
    /// True when the reference was recorded before: nothing new was written.
    pub duplicate: bool,
    /// The totals still unbilled after this entry (zero once billed).
    pub progress: ThresholdProgressView,
    /// The invoice made when this entry crossed the threshold.
    pub invoice_id: Option<i64>,
    pub invoice_number: Option<String>,
    /// `draft`, `awaiting_approval`, `issued` or `queued_for_sending`.
    pub outcome: Option<String>,
}

/// A test run: the invoice the rule would make now. Nothing was written or sent.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ThresholdTestRun {
    pub rule_id: i64,
    /// True when the rule had no unbilled entries and sample entries were used.
    pub sample: bool,
    /// The entries it would bill, one invoice line each.
    pub entries: Vec<UsageEntryView>,
    pub customer_name: String,
    pub customer_email: String,
    /// e.g. `Standard v1`.
    pub template: String,
    /// `draft`, `issued`, `queued_for_sending` or `awaiting_approval`.
    pub outcome: String,
    pub needs_approval: bool,
    pub number: Option<String>,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub totals: TotalsView,
    pub pdf_sha256: String,
    pub pdf_bytes: Vec<u8>,
    /// When this passing run was recorded (RFC 3339): the rule may now be enabled.
    pub tested_at: String,
}

/// The API's answer to a `usage.recorded` or `time.logged` event that a
/// threshold rule took: 202 with the entries and the running totals, or 201
/// with the invoice when the event crossed the threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UsageEventResult {
    pub event_type: String,
    /// True when nothing was written (`?dry_run=true`).
    pub dry_run: bool,
    pub rule_id: i64,
    pub rule_name: String,
    /// One entry per line of the event.
    pub entries: Vec<UsageEntryView>,
    /// True when every line's reference was recorded before.
    pub duplicate: bool,
    /// What is still unbilled.
    pub progress: ThresholdProgressView,
    /// The invoice made when the event crossed the threshold.
    pub invoice: Option<ApiInvoice>,
}
