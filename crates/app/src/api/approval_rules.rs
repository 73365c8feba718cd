//! The approval rules as the Settings → Approvals page edits them: amount
//! levels, the "every invoice" switch and rules scoped to one customer,
//! template or trigger source. Amounts are decimal text in the company
//! currency; a refused field is named by its path, e.g. `levels[1].min_total`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One amount level: invoices whose total in the company currency reaches
/// `min_total` need `approvers` distinct approvers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApprovalLevelView {
    /// The minimum total, as decimal text in the company currency.
    pub min_total: String,
    /// How many distinct approvers (1 to 3).
    pub approvers: u32,
}

/// What a scoped rule applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleScopeView {
    /// Invoices for one customer.
    Customer {
        /// The customer's id.
        customer_id: i64,
        /// The customer's name, filled in when the rules are read (ignored
        /// when they are saved).
        #[serde(default)]
        #[ts(optional = nullable)]
        customer_name: Option<String>,
    },
    /// Invoices rendered with one template.
    Template {
        /// The template's name.
        template: String,
    },
    /// Invoices made one way: `manual`, `bulk`, `recurring` or `api`.
    Source {
        /// The trigger source's name.
        source: String,
    },
}

/// A rule that applies only to one customer, template or trigger source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ScopedRuleView {
    /// Which invoices it applies to.
    pub scope: RuleScopeView,
    /// The minimum total (decimal text in the company currency); `None`
    /// for every invoice in scope.
    #[ts(optional = nullable)]
    pub min_total: Option<String>,
    /// How many distinct approvers (1 to 3).
    pub approvers: u32,
}

/// The company's approval rules, read and replaced as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApprovalRulesView {
    /// The company currency every amount is in (ignored when saved).
    #[serde(default)]
    pub currency: String,
    /// "Require approval for every invoice": one approver at least, whatever the total.
    pub every_invoice: bool,
    /// Amount levels, increasing; the first level's minimum is the approval threshold.
    pub levels: Vec<ApprovalLevelView>,
    /// Rules for one customer, template or trigger source.
    pub scoped: Vec<ScopedRuleView>,
    /// The trigger sources a rule can name, in the order they are listed.
    #[serde(default)]
    pub sources: Vec<String>,
}
