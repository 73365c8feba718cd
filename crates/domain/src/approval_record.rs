//! What approvers decided about an invoice, as the store keeps it: one record
//! per approval or rejection, at the level it was given, voided (not deleted)
//! when an edit sends the invoice back to draft.

use crate::trigger_source::TriggerSource;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The most levels an invoice can need (the rules allow up to three approvers).
pub const MAX_LEVELS: u8 = 3;

/// An approver's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The approver accepted the invoice at their level.
    Approved,
    /// The approver sent the invoice back to its maker, with a reason.
    Rejected,
}

impl Verdict {
    /// The snake_case name used in the store, the audit and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Approved => "approved",
            Verdict::Rejected => "rejected",
        }
    }
}

/// A decision about to be recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct NewApprovalDecision {
    /// The invoice decided on.
    pub invoice_id: i64,
    /// The level (1..=3) the decision was given at.
    pub level: u8,
    /// The approver's user id.
    pub approver_id: i64,
    /// Approved or rejected.
    pub verdict: Verdict,
    /// Why, for a rejection.
    pub reason: Option<String>,
    /// When.
    pub decided_at: DateTime<Utc>,
    /// The figures decided on: rule, converted total, rate and totals.
    pub figures: serde_json::Value,
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalRecord {
    /// The record's id.
    pub id: i64,
    /// The decision as it was made.
    pub decision: NewApprovalDecision,
    /// When an edit voided it; `None` while it is in force.
    pub voided_at: Option<DateTime<Utc>>,
}

impl ApprovalRecord {
    /// Whether this is an approval that still counts.
    pub fn approval_in_force(&self) -> bool {
        self.voided_at.is_none() && self.decision.verdict == Verdict::Approved
    }
}

/// The approvers of `records` whose approvals are in force, by level.
pub fn approvers_in_force(records: &[ApprovalRecord]) -> Vec<i64> {
    let mut in_force: Vec<&ApprovalRecord> =
        records.iter().filter(|r| r.approval_in_force()).collect();
    in_force.sort_by_key(|r| r.decision.level);
    in_force.iter().map(|r| r.decision.approver_id).collect()
}

/// How an invoice came to be and what its final approval does besides issuing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvoiceOrigin {
    /// How the invoice was made.
    pub source: TriggerSource,
    /// Whether the final approval also queues its email.
    pub send_on_approval: bool,
}

impl Default for InvoiceOrigin {
    fn default() -> Self {
        InvoiceOrigin {
            source: TriggerSource::Manual,
            send_on_approval: false,
        }
    }
}
