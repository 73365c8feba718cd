//! The approval workflow's IPC types: the approval status an invoice shows,
//! the approvers' queue, and the inputs and outcomes of approving.

use super::ApiError;
use chrono::NaiveDate;
use invoicer_domain::lifecycle::InvoiceStatus;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One approval or rejection of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApprovalDecisionView {
    /// The level (1..=3) it was given at.
    pub level: u8,
    /// The approver's email.
    pub approver: String,
    /// When, as an RFC 3339 instant in UTC.
    pub decided_at: String,
    /// `approved` or `rejected`.
    pub decision: String,
    /// Why, for a rejection.
    pub reason: Option<String>,
}

/// Where an invoice stands in the approval workflow: the rule that applies,
/// the approvals in force, the level waiting and who may decide it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApprovalStatusView {
    /// The rule that applied, in words.
    pub rule: String,
    /// How many distinct approvers the rule requires.
    pub approvers_required: u8,
    /// The approvals in force, by level.
    pub approvals: Vec<ApprovalDecisionView>,
    /// The level waiting for a decision, `None` when none waits.
    pub next_level: Option<u8>,
    /// The latest rejection, when the invoice was sent back to its maker.
    pub rejection: Option<ApprovalDecisionView>,
    /// Who may decide, in words, e.g. "an approver or admin other than …".
    pub who_may_decide: String,
    /// Whether the final approval also queues the invoice's email.
    pub send_on_approval: bool,
    /// The total in the company currency, as decimal text.
    pub converted_total: String,
    /// The company currency.
    pub company_currency: String,
    /// The exchange rate used, when the invoice is in another currency.
    pub exchange_rate: Option<String>,
}

/// One invoice waiting for approval, as the approvers' queue lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApprovalQueueRow {
    /// The invoice's id.
    pub invoice_id: i64,
    /// Its status (pending approval).
    #[ts(as = "super::invoices::InvoiceStatusTs")]
    pub status: InvoiceStatus,
    /// The customer's name.
    pub customer_name: String,
    /// The total in the invoice's currency, as decimal text.
    pub total: String,
    /// The invoice's currency.
    pub currency: String,
    /// The total in the company currency, as decimal text.
    pub converted_total: String,
    /// The company currency.
    pub company_currency: String,
    /// The exchange rate used, when converted.
    pub exchange_rate: Option<String>,
    /// The issue date.
    pub issue_date: NaiveDate,
    /// The maker's email.
    pub maker: String,
    /// When it was submitted (RFC 3339, UTC).
    pub submitted_at: String,
    /// Whole days it has waited.
    pub age_days: u32,
    /// The rule that applied, in words.
    pub rule: String,
    /// The level waiting for a decision.
    pub level: u8,
    /// How many distinct approvers the rule requires.
    pub approvers_required: u8,
    /// How the invoice was made: `manual`, `bulk`, `recurring` or `api`.
    pub source: String,
    /// Whether the final approval also queues its email.
    pub send_on_approval: bool,
    /// Whether the signed-in person may approve or reject it now.
    pub can_decide: bool,
    /// Why not, when not.
    pub refusal: Option<String>,
}

/// The approvers' queue: every invoice waiting, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApprovalQueue {
    /// The invoices waiting, oldest first.
    pub rows: Vec<ApprovalQueueRow>,
    /// How many of them the signed-in person may decide.
    pub waiting_for_you: u32,
}

/// Approve one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApproveInput {
    /// The invoice.
    pub invoice_id: i64,
    /// Whether the final approval queues the email; `None` keeps the
    /// invoice's own "send on approval".
    #[ts(optional = nullable)]
    pub send: Option<bool>,
}

/// Approve several invoices, each checked and recorded on its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApproveManyInput {
    /// The invoices, in the order to approve them.
    pub invoice_ids: Vec<i64>,
}

/// What became of one invoice of a batch approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApprovalOutcome {
    /// The invoice.
    pub invoice_id: i64,
    /// Whether the approval was recorded.
    pub ok: bool,
    /// The invoice's status now (unchanged when refused), `None` when unknown.
    #[ts(as = "Option<super::invoices::InvoiceStatusTs>")]
    pub status: Option<InvoiceStatus>,
    /// Why it was refused.
    pub error: Option<ApiError>,
}
