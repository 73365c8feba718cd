//! The approval rules as the Settings → Approvals page reads and replaces
//! them: admins only, one call each way, each refused field named by the
//! path the page shows it at (`levels[1].min_total`), and every change
//! audited as `approval_rules.updated` with the rules before and after.

use crate::api::{ApprovalLevelView, ApprovalRulesView, RuleScopeView, ScopedRuleView};
use crate::invoice_pdf::not_initialized;
use crate::{AppResult, Invoicer, Session};
use invoicer_domain::approval_rules::{
    ApprovalLevel, ApprovalRules, RuleScope, ScopedRule, TriggerSource, MAX_APPROVERS,
};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::money::parse_decimal;
use invoicer_domain::ValidationErrors;
use invoicer_store::Tx;
use rust_decimal::Decimal;
use serde_json::json;

/// The rules of `settings` as the page shows them, customers named.
fn rules_view(tx: &Tx<'_>, settings: &CompanySettings) -> AppResult<ApprovalRulesView> {
    let rules = &settings.approval_rules;
    let mut scoped = Vec::with_capacity(rules.scoped.len());
    for rule in &rules.scoped {
        let scope = match &rule.scope {
            RuleScope::Customer(id) => RuleScopeView::Customer {
                customer_id: *id,
                customer_name: tx.customer(*id)?.map(|c| c.name),
            },
            RuleScope::Template(name) => RuleScopeView::Template {
                template: name.clone(),
            },
            RuleScope::Source(source) => RuleScopeView::Source {
                source: source.as_str().to_string(),
            },
        };
        scoped.push(ScopedRuleView {
            scope,
            min_total: rule.from.map(|f| f.to_string()),
            approvers: u32::from(rule.approvers),
        });
    }
    Ok(ApprovalRulesView {
        currency: settings.currency.code().to_string(),
        every_invoice: rules.every_invoice,
        levels: rules
            .levels
            .iter()
            .map(|l| ApprovalLevelView {
                min_total: l.from.to_string(),
                approvers: u32::from(l.approvers),
            })
            .collect(),
        scoped,
        sources: TriggerSource::ALL
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
    })
}

/// An amount as typed, or its error at `field`.
fn amount(errs: &mut ValidationErrors, field: &str, text: &str) -> Option<Decimal> {
    match parse_decimal(text) {
        Ok(d) => Some(d),
        Err(why) => {
            errs.push(field, text, why);
            None
        }
    }
}

/// A number of approvers as sent, or its error at `field`.
fn approvers(errs: &mut ValidationErrors, field: &str, n: u32) -> u8 {
    match u8::try_from(n) {
        Ok(n) if (1..=MAX_APPROVERS).contains(&n) => n,
        _ => {
            errs.push(
                field,
                n.to_string(),
                format!("must be between 1 and {MAX_APPROVERS} distinct approvers"),
            );
            1
        }
    }
}

/// What a scoped rule applies to, checked against what exists: a customer
/// rule must name a customer on file and a template rule a template in the
/// library, so a rule never silently matches nothing.
fn scope(
    tx: &Tx<'_>,
    errs: &mut ValidationErrors,
    field: &str,
    view: &RuleScopeView,
) -> AppResult<RuleScope> {
    Ok(match view {
        RuleScopeView::Customer { customer_id, .. } => {
            if tx.customer(*customer_id)?.is_none() {
                errs.push(
                    field,
                    customer_id.to_string(),
                    "is not a customer on file; pick one from the list",
                );
            }
            RuleScope::Customer(*customer_id)
        }
        RuleScopeView::Template { template } => {
            let name = template.trim();
            if !tx.templates()?.iter().any(|t| t.name == name) {
                errs.push(
                    field,
                    template.as_str(),
                    "is not a template in the library; pick one from the list",
                );
            }
            RuleScope::Template(name.to_string())
        }
        RuleScopeView::Source { source } => match TriggerSource::parse(source.trim()) {
            Ok(s) => RuleScope::Source(s),
            Err(why) => {
                errs.push(field, source.as_str(), why);
                RuleScope::Source(TriggerSource::Manual)
            }
        },
    })
}

/// The domain's paths say `from`; the page's fields say `min_total`.
fn page_path(field: &str) -> String {
    match field.strip_suffix(".from") {
        Some(head) => format!("{head}.min_total"),
        None => field.to_string(),
    }
}

/// The rules the page sent, read and validated: every field's error at once,
/// by the path the page shows it at.
fn rules_from(tx: &Tx<'_>, view: &ApprovalRulesView) -> AppResult<ApprovalRules> {
    let mut errs = ValidationErrors::new();
    let mut levels = Vec::with_capacity(view.levels.len());
    for (i, level) in view.levels.iter().enumerate() {
        let from = amount(
            &mut errs,
            &format!("levels[{i}].min_total"),
            &level.min_total,
        );
        let approvers = approvers(
            &mut errs,
            &format!("levels[{i}].approvers"),
            level.approvers,
        );
        levels.push(ApprovalLevel {
            from: from.unwrap_or_default(),
            approvers,
        });
    }
    let mut scoped = Vec::with_capacity(view.scoped.len());
    for (i, rule) in view.scoped.iter().enumerate() {
        let from = match rule.min_total.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => amount(&mut errs, &format!("scoped[{i}].min_total"), text),
        };
        scoped.push(ScopedRule {
            scope: scope(tx, &mut errs, &format!("scoped[{i}].scope"), &rule.scope)?,
            from,
            approvers: approvers(&mut errs, &format!("scoped[{i}].approvers"), rule.approvers),
        });
    }
    // Unreadable fields stand in as defaults above; checking the order of
    // levels against those would only add errors about values nobody typed.
    errs.into_result()?;
    let rules = ApprovalRules {
        every_invoice: view.every_invoice,
        levels,
        scoped,
    };
    if let Err(v) = rules.validate() {
        let mut renamed = ValidationErrors::new();
        for e in v.errors {
            renamed.push(
                page_path(&e.field),
                e.value,
                e.message.replace(".from", ".min_total"),
            );
        }
        renamed.into_result()?;
    }
    Ok(rules)
}

impl Invoicer {
    /// The company's approval rules (admins only: they are edited on an
    /// admin's Settings page).
    pub fn approval_rules(&self, session: &Session) -> AppResult<ApprovalRulesView> {
        session.require(Permission::ManageCompany)?;
        self.store.read(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            rules_view(tx, &settings)
        })
    }

    /// Replaces the company's approval rules as a whole (admins only). The
    /// approval threshold follows the first level. Refused with every bad
    /// field named (`levels[1].min_total`, `scoped[0].scope`, …) and nothing
    /// saved; a change is audited as `approval_rules.updated` with the rules
    /// before and after, in the same transaction.
    pub fn update_approval_rules(
        &self,
        session: &Session,
        input: &ApprovalRulesView,
    ) -> AppResult<ApprovalRulesView> {
        session.require(Permission::ManageCompany)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            let before = tx.company()?.ok_or_else(not_initialized)?;
            let rules = rules_from(tx, input)?;
            let mut after = before.clone();
            after.approval_rules = rules;
            after.reconcile_approval_threshold(&before);
            after.validate()?;
            if after.approval_rules != before.approval_rules {
                tx.save_company(&after)?;
                tx.append_audit(
                    NewAuditEvent::new(
                        Some(session.actor()),
                        "approval_rules.updated",
                        "company",
                        json!({
                            "before": before.approval_rules,
                            "after": after.approval_rules,
                            "approval_threshold": {
                                "before": before.approval_threshold.to_string(),
                                "after": after.approval_threshold.to_string(),
                            },
                        }),
                    ),
                    now,
                )?;
            }
            rules_view(tx, &after)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::page_path;

    #[test]
    fn domain_paths_read_as_the_pages_fields() {
        assert_eq!(page_path("levels[1].from"), "levels[1].min_total");
        assert_eq!(page_path("scoped[0].from"), "scoped[0].min_total");
        assert_eq!(page_path("scoped[0].scope"), "scoped[0].scope");
    }
}
