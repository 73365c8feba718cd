//! Version 1 of the stored approval rules, nested in the company settings
//! record as `approval_rules`. Amounts are decimal text, trigger sources
//! their fixed names, and the scope kinds are spelled out here, so the
//! stored JSON never follows a rename in the domain.

use super::enum_names::{parse_trigger_source, trigger_source_text};
use crate::codec::decimal;
use crate::StoreError;
use invoicer_domain::approval_rules::{ApprovalLevel, ApprovalRules, RuleScope, ScopedRule};
use serde::{Deserialize, Serialize};

/// The stored approval rules, version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ApprovalRulesV1 {
    every_invoice: bool,
    levels: Vec<ApprovalLevelV1>,
    scoped: Vec<ScopedRuleV1>,
}

/// One stored amount level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ApprovalLevelV1 {
    from: String,
    approvers: u8,
}

/// One stored scoped rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ScopedRuleV1 {
    scope: RuleScopeV1,
    from: Option<String>,
    approvers: u8,
}

/// What a stored scoped rule applies to, tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind")]
enum RuleScopeV1 {
    #[serde(rename = "customer")]
    Customer { customer_id: i64 },
    #[serde(rename = "template")]
    Template { name: String },
    #[serde(rename = "source")]
    Source { source: String },
}

impl From<&ApprovalRules> for ApprovalRulesV1 {
    fn from(r: &ApprovalRules) -> Self {
        ApprovalRulesV1 {
            every_invoice: r.every_invoice,
            levels: r
                .levels
                .iter()
                .map(|l| ApprovalLevelV1 {
                    from: l.from.to_string(),
                    approvers: l.approvers,
                })
                .collect(),
            scoped: r
                .scoped
                .iter()
                .map(|s| ScopedRuleV1 {
                    scope: match &s.scope {
                        RuleScope::Customer(id) => RuleScopeV1::Customer { customer_id: *id },
                        RuleScope::Template(name) => RuleScopeV1::Template { name: name.clone() },
                        RuleScope::Source(source) => RuleScopeV1::Source {
                            source: trigger_source_text(*source).to_string(),
                        },
                    },
                    from: s.from.map(|f| f.to_string()),
                    approvers: s.approvers,
                })
                .collect(),
        }
    }
}

impl TryFrom<&ApprovalRulesV1> for ApprovalRules {
    type Error = StoreError;

    fn try_from(r: &ApprovalRulesV1) -> Result<Self, StoreError> {
        Ok(ApprovalRules {
            every_invoice: r.every_invoice,
            levels: r
                .levels
                .iter()
                .map(|l| {
                    Ok(ApprovalLevel {
                        from: decimal(&l.from)?,
                        approvers: l.approvers,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            scoped: r
                .scoped
                .iter()
                .map(|s| {
                    Ok(ScopedRule {
                        scope: match &s.scope {
                            RuleScopeV1::Customer { customer_id } => {
                                RuleScope::Customer(*customer_id)
                            }
                            RuleScopeV1::Template { name } => RuleScope::Template(name.clone()),
                            RuleScopeV1::Source { source } => {
                                RuleScope::Source(parse_trigger_source(source)?)
                            }
                        },
                        from: s.from.as_deref().map(decimal).transpose()?,
                        approvers: s.approvers,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
        })
    }
}
