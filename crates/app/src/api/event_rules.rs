//! Triggers → Event rules: each event type's rule with its recent events,
//! the editor's form (action, template, terms, field mapping), and a test
//! run's would-be invoice.
#![allow(missing_docs)]

use super::invoices::TotalsView;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One field of the mapping: a bulk-send field (`email`, `unit_price`, …)
/// filled from a dotted key of the event's `data` (`contact.email`,
/// `line_items[].price`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventFieldMapping {
    pub field: String,
    pub path: String,
}

/// A rule as the editor saves it (admins only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventRuleInput {
    /// `create_draft`, `issue`, `issue_and_send` or `await_approval`.
    pub action: String,
    /// A template in the library; the customer's or the default when absent.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub template: Option<String>,
    /// Days to pay; the company's terms when absent.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub terms_days: Option<u32>,
    #[serde(default)]
    pub mapping: Vec<EventFieldMapping>,
}

/// One event the API received, as a rule's recent events list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApiEventView {
    pub id: i64,
    /// RFC 3339.
    pub received_at: String,
    pub event_type: String,
    pub reference: Option<String>,
    /// `created`, `draft`, `awaiting_approval`, `refused`, `dry_run` or
    /// `accepted` (recorded as usage by a threshold rule, no invoice yet).
    pub outcome: String,
    pub invoice_id: Option<i64>,
    pub invoice_number: Option<String>,
    /// The refusal's code (`validation`, `trigger_disabled`, …).
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    /// The line a person reads: "invoice INV-2026-00001 created",
    /// "refused: customer.email …".
    pub summary: String,
}

/// An event type's rule and its recent events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventRuleView {
    /// `order.created`, `deal.closed_won`, …
    pub event_type: String,
    pub action: String,
    pub template: Option<String>,
    pub terms_days: Option<u32>,
    pub mapping: Vec<EventFieldMapping>,
    pub enabled: bool,
    /// True when no test has passed since the rule was last changed.
    pub needs_test: bool,
    /// RFC 3339 of the last passed test.
    pub tested_at: Option<String>,
    /// Who ran it (email).
    pub tested_by: Option<String>,
    /// Newest first (at most 10).
    pub recent_events: Vec<ApiEventView>,
}

/// Triggers → Event rules in one answer: the five rules, what the signed-in
/// person may do, and the fields a mapping may fill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventRulesView {
    pub rules: Vec<EventRuleView>,
    /// Whether the signed-in person may edit, enable and disable (admins).
    pub can_edit: bool,
    /// Whether they may run a test (admins and specialists).
    pub can_test: bool,
    /// The fields a mapping may fill, in the editor's order.
    pub mappable_fields: Vec<String>,
}

/// A test run of a rule: on the built-in sample event of its type, or on
/// the JSON event a person pasted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventRuleTestInput {
    pub event_type: String,
    /// A whole event as `POST /v1/events` takes it; absent = the sample.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub sample_event: Option<String>,
}

/// What the rule would make of the event; nothing was written or sent.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EventRuleTestResult {
    pub event_type: String,
    /// The rule's action.
    pub action: String,
    /// `draft`, `issued`, `queued_for_sending` or `awaiting_approval`.
    pub outcome: String,
    pub needs_approval: bool,
    pub customer_name: String,
    pub customer_email: String,
    /// True when no customer matched: the event would create this one.
    pub customer_created: bool,
    /// The template and version it would be printed with, e.g. `standard-en v1`.
    pub template: String,
    /// The number it would get now (another invoice issued first takes it).
    pub number: Option<String>,
    pub totals: TotalsView,
    /// The event that was tested (the sample, or the pasted one), as JSON.
    pub event_json: String,
    /// RFC 3339: when the test passed (recorded on the rule).
    pub tested_at: String,
    pub pdf_sha256: String,
    pub pdf_bytes: Vec<u8>,
}
