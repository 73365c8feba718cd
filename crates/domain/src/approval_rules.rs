//! The company's approval rules and what they require of one invoice: how
//! many distinct approvers, and which rule said so in words a person reads.
//!
//! Rules are amount levels on the total converted into the company currency
//! (≥ 10,000.00 one approver, ≥ 100,000.00 two), an "every invoice" switch,
//! and rules scoped to a customer, a template or the way the invoice was
//! made (bulk, recurring, API). The strictest rule that matches wins, so
//! adding a rule can only ever ask for more approvers, never fewer.
//!
//! Four eyes across levels lives here too ([`approval_refusal`]): the maker,
//! the last editor and anyone who already approved the invoice may not give
//! another of its approvals.

use crate::approval::{convert, ApprovalDecision, ExchangeRate, MissingRate};
use crate::money::Currency;
use crate::validation::ValidationErrors;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use crate::trigger_source::TriggerSource;

/// The most distinct approvers any rule may ask for.
pub const MAX_APPROVERS: u8 = 3;

/// One amount level: invoices whose converted total reaches `from` need
/// `approvers` distinct approvers (unless a higher level asks for more).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalLevel {
    /// The converted total in the company currency from which the level
    /// applies. Read only from a string, so no float ever rounds it.
    #[serde(with = "rust_decimal::serde::str")]
    pub from: Decimal,
    /// How many distinct approvers the level needs (1 to 3).
    pub approvers: u8,
}

/// What a scoped rule applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleScope {
    /// Invoices for the customer with this id.
    Customer(i64),
    /// Invoices rendered with the template of this name.
    Template(String),
    /// Invoices made this way.
    Source(TriggerSource),
}

impl RuleScope {
    /// "for customer 42", "with template \"modern\"", "made by a bulk job".
    fn words(&self) -> String {
        match self {
            RuleScope::Customer(id) => format!("for customer {id}"),
            RuleScope::Template(name) => format!("with template \"{name}\""),
            RuleScope::Source(source) => format!("from {}", source_words(*source)),
        }
    }
}

fn source_words(source: TriggerSource) -> &'static str {
    match source {
        TriggerSource::Manual => "manual entry",
        TriggerSource::Bulk => "a bulk job",
        TriggerSource::Recurring => "a recurring schedule",
        TriggerSource::Api => "the API",
        TriggerSource::Threshold => "a usage threshold",
    }
}

/// A rule that applies only to one customer, template or trigger source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopedRule {
    /// Which invoices the rule applies to.
    pub scope: RuleScope,
    /// The converted total from which it applies; `None` for every invoice in scope.
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub from: Option<Decimal>,
    /// How many distinct approvers it needs (1 to 3).
    pub approvers: u8,
}

/// The company's approval rules. Amounts are in the company currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRules {
    /// "Require approval for every invoice": one approver at least, whatever the total.
    #[serde(default)]
    pub every_invoice: bool,
    /// Amount levels, strictly increasing in `from`; the first level's
    /// `from` is the approval threshold.
    pub levels: Vec<ApprovalLevel>,
    /// Rules for one customer, template or trigger source.
    #[serde(default)]
    pub scoped: Vec<ScopedRule>,
}

impl Default for ApprovalRules {
    /// One approver from 10,000.00, two from 100,000.00; nothing else.
    fn default() -> Self {
        ApprovalRules {
            every_invoice: false,
            levels: vec![
                ApprovalLevel {
                    from: Decimal::new(1_000_000, 2),
                    approvers: 1,
                },
                ApprovalLevel {
                    from: Decimal::new(10_000_000, 2),
                    approvers: 2,
                },
            ],
            scoped: Vec::new(),
        }
    }
}

/// The facts about one invoice that the rules look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalFacts {
    /// The invoice total converted into the company currency.
    pub converted_total: Decimal,
    /// The company currency, which `converted_total` and the rules are in.
    pub currency: Currency,
    /// The invoice's customer (ids start at 1, so 0 matches no customer rule).
    pub customer_id: i64,
    /// The invoice's template, when it has one of its own.
    pub template: Option<String>,
    /// How the invoice was made.
    pub source: TriggerSource,
}

/// Which rule decided, as a stable machine form for the audit
/// (`{"kind": "level", "index": 1, …}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RuleKind {
    /// No rule matched: the invoice needs no approval.
    None,
    /// The "every invoice" switch.
    EveryInvoice,
    /// `levels[index]`.
    Level {
        /// The level's position in `levels`, from 0.
        index: usize,
        /// The level's amount, as text.
        #[serde(with = "rust_decimal::serde::str")]
        from: Decimal,
    },
    /// `scoped[index]`.
    Scoped {
        /// The rule's position in `scoped`, from 0.
        index: usize,
        /// What the rule applies to.
        scope: RuleScope,
        /// The rule's amount, as text, `None` for every invoice in scope.
        #[serde(with = "rust_decimal::serde::str_option")]
        from: Option<Decimal>,
    },
}

/// The rule that applied, both for people and for machines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRef {
    /// The machine form, flattened: `kind`, and `index` etc. as it needs.
    #[serde(flatten)]
    pub kind: RuleKind,
    /// The rule in words, e.g. "total ≥ 100,000.00 USD: two approvers".
    pub text: String,
}

/// How many distinct approvers an invoice needs, and the rule that says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    /// Distinct approvers needed; 0 means the invoice needs no approval.
    pub approvers: u8,
    /// The rule that decided.
    pub rule: RuleRef,
}

impl Requirement {
    /// Whether an approver must accept the invoice before it is issued.
    pub fn needs_approval(&self) -> bool {
        self.approvers > 0
    }
}

/// The facts of an invoice before conversion, for [`decision`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceFacts {
    /// The invoice total in its own currency.
    pub total: Decimal,
    /// The invoice currency.
    pub currency: Currency,
    /// The issue date, which picks the exchange rate.
    pub date: NaiveDate,
    /// The invoice's customer (0 when the caller does not know it).
    pub customer_id: i64,
    /// The invoice's template, when it has one of its own.
    pub template: Option<String>,
    /// How the invoice was made.
    pub source: TriggerSource,
}

impl ApprovalRules {
    /// The rules before levels existed: one approver from `threshold`.
    /// Databases written then are read this way.
    pub fn from_threshold(threshold: Decimal) -> Self {
        ApprovalRules {
            every_invoice: false,
            levels: vec![ApprovalLevel {
                from: threshold,
                approvers: 1,
            }],
            scoped: Vec::new(),
        }
    }

    /// The approval threshold: the first level's `from`, `None` when there
    /// are no levels (which [`ApprovalRules::validate`] refuses).
    pub fn threshold(&self) -> Option<Decimal> {
        self.levels.first().map(|l| l.from)
    }

    /// Moves the threshold (the first level) to `threshold`. Later levels at
    /// or below it fold into the first level, which keeps the most approvers
    /// among them: moving the threshold up never lowers how many people must
    /// check an invoice above it.
    pub fn set_threshold(&mut self, threshold: Decimal) {
        let mut approvers = self.levels.first().map_or(1, |l| l.approvers);
        let above: Vec<ApprovalLevel> = self
            .levels
            .iter()
            .skip(1)
            .filter(|l| {
                let folds = l.from <= threshold;
                if folds {
                    approvers = approvers.max(l.approvers);
                }
                !folds
            })
            .cloned()
            .collect();
        self.levels = std::iter::once(ApprovalLevel {
            from: threshold,
            approvers,
        })
        .chain(above)
        .collect();
    }

    /// Checks the rules, naming each bad entry by its path, e.g.
    /// `levels[1].from` or `scoped[0].approvers`.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::new();
        if self.levels.is_empty() {
            errs.push(
                "levels",
                "[]",
                "needs at least one level; the first level's amount is the approval threshold",
            );
        }
        for (i, level) in self.levels.iter().enumerate() {
            check_amount(&mut errs, &format!("levels[{i}].from"), level.from);
            check_approvers(
                &mut errs,
                &format!("levels[{i}].approvers"),
                level.approvers,
            );
            let Some(prev) = i.checked_sub(1).map(|p| &self.levels[p]) else {
                continue;
            };
            if level.from <= prev.from {
                errs.push(
                    format!("levels[{i}].from"),
                    level.from.to_string(),
                    format!(
                        "must be greater than levels[{}].from ({}): levels go up in amount",
                        i - 1,
                        prev.from
                    ),
                );
            }
            if level.approvers < prev.approvers {
                errs.push(
                    format!("levels[{i}].approvers"),
                    level.approvers.to_string(),
                    format!(
                        "must be at least levels[{}].approvers ({}): a larger total never needs fewer approvers",
                        i - 1,
                        prev.approvers
                    ),
                );
            }
        }
        for (i, rule) in self.scoped.iter().enumerate() {
            if let Some(from) = rule.from {
                check_amount(&mut errs, &format!("scoped[{i}].from"), from);
            }
            check_approvers(&mut errs, &format!("scoped[{i}].approvers"), rule.approvers);
            let field = format!("scoped[{i}].scope");
            match &rule.scope {
                RuleScope::Customer(id) if *id < 1 => {
                    errs.push(field.as_str(), id.to_string(), "is not a customer id");
                }
                RuleScope::Template(name) if name.trim().is_empty() || name.len() > 100 => {
                    errs.push(
                        field.as_str(),
                        name.as_str(),
                        "must name a template (1 to 100 characters)",
                    );
                }
                _ => {}
            }
            if let Some(first) = self.scoped[..i].iter().position(|o| o.scope == rule.scope) {
                errs.push(
                    field,
                    serde_json::to_string(&rule.scope).unwrap_or_default(),
                    format!("repeats scoped[{first}].scope; give each customer, template or source one rule"),
                );
            }
        }
        errs.into_result()
    }

    /// What the rules require of an invoice with `facts`. The strictest
    /// matching rule wins (the most approvers); among rules asking for the
    /// same number, the first in this order: the highest matching level,
    /// then the scoped rules in their order, then "every invoice".
    pub fn required(&self, facts: &ApprovalFacts) -> Requirement {
        let total = facts.converted_total;
        let level = self
            .levels
            .iter()
            .enumerate()
            .rev()
            .find(|(_, l)| total >= l.from)
            .map(|(index, l)| Requirement {
                approvers: l.approvers,
                rule: RuleRef {
                    kind: RuleKind::Level {
                        index,
                        from: l.from,
                    },
                    text: format!(
                        "total ≥ {}: {}",
                        amount_words(l.from, facts.currency),
                        approvers_words(l.approvers)
                    ),
                },
            });
        let scoped = self
            .scoped
            .iter()
            .enumerate()
            .filter(|(_, r)| in_scope(&r.scope, facts) && r.from.is_none_or(|f| total >= f))
            .map(|(index, r)| Requirement {
                approvers: r.approvers,
                rule: RuleRef {
                    kind: RuleKind::Scoped {
                        index,
                        scope: r.scope.clone(),
                        from: r.from,
                    },
                    text: scoped_words(r, facts.currency),
                },
            });
        let every = self.every_invoice.then(|| Requirement {
            approvers: 1,
            rule: RuleRef {
                kind: RuleKind::EveryInvoice,
                text: "every invoice: one approver".into(),
            },
        });
        let mut best: Option<Requirement> = None;
        for candidate in level.into_iter().chain(scoped).chain(every) {
            // Strictly more approvers replaces, so ties keep the earlier rule.
            if best
                .as_ref()
                .is_none_or(|b| candidate.approvers > b.approvers)
            {
                best = Some(candidate);
            }
        }
        best.unwrap_or_else(|| Requirement {
            approvers: 0,
            rule: RuleRef {
                kind: RuleKind::None,
                text: match self.threshold() {
                    Some(t) => format!(
                        "total below {}: no approval needed",
                        amount_words(t, facts.currency)
                    ),
                    None => "no approval rule applies".into(),
                },
            },
        })
    }
}

fn in_scope(scope: &RuleScope, facts: &ApprovalFacts) -> bool {
    match scope {
        RuleScope::Customer(id) => *id == facts.customer_id,
        RuleScope::Template(name) => facts.template.as_deref() == Some(name.as_str()),
        RuleScope::Source(source) => *source == facts.source,
    }
}

fn scoped_words(rule: &ScopedRule, currency: Currency) -> String {
    let who = approvers_words(rule.approvers);
    match (&rule.scope, rule.from) {
        (RuleScope::Source(s), None) => format!("every {} invoice: {who}", s.as_str()),
        (scope, None) => format!("every invoice {}: {who}", scope.words()),
        (scope, Some(from)) => format!(
            "invoices {} with total ≥ {}: {who}",
            scope.words(),
            amount_words(from, currency)
        ),
    }
}

fn approvers_words(n: u8) -> String {
    match n {
        0 => "no approver".into(),
        1 => "one approver".into(),
        2 => "two approvers".into(),
        3 => "three approvers".into(),
        n => format!("{n} approvers"),
    }
}

/// "100,000.00 USD": grouped in thousands, with at least the currency's decimals.
pub fn amount_words(amount: Decimal, currency: Currency) -> String {
    let mut shown = amount;
    if shown.scale() < currency.exponent() {
        shown.rescale(currency.exponent());
    }
    let text = shown.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    let dot = if frac.is_empty() { "" } else { "." };
    format!("{sign}{grouped}{dot}{frac} {currency}")
}

fn check_amount(errs: &mut ValidationErrors, field: &str, amount: Decimal) {
    if amount < Decimal::ZERO {
        errs.push(field, amount.to_string(), "must not be negative");
    } else if amount.normalize().scale() > 2 {
        errs.push(field, amount.to_string(), "must have at most 2 decimals");
    }
}

fn check_approvers(errs: &mut ValidationErrors, field: &str, n: u8) {
    if !(1..=MAX_APPROVERS).contains(&n) {
        errs.push(
            field,
            n.to_string(),
            format!("must be between 1 and {MAX_APPROVERS} distinct approvers"),
        );
    }
}

/// Why `approver` may not give the next approval of an invoice made by
/// `maker`, last edited by `last_editor` and approved so far by
/// `approvals_so_far` (approver ids, in order), or `None` when they may.
/// Four eyes across levels: the maker, the last editor and everyone who
/// already approved are all different people from the next approver.
pub fn approval_refusal(
    maker: i64,
    last_editor: i64,
    approvals_so_far: &[i64],
    approver: i64,
) -> Option<&'static str> {
    if approver == maker {
        return Some("you made this invoice, so someone else must approve it");
    }
    if approver == last_editor {
        return Some("you last edited this invoice, so someone else must approve it");
    }
    match approvals_so_far.iter().position(|a| *a == approver)? {
        0 => Some("you already approved this invoice at level 1; a different approver must give the next approval"),
        1 => Some("you already approved this invoice at level 2; a different approver must give the next approval"),
        _ => Some("you already approved this invoice; a different approver must give the next approval"),
    }
}

/// The conversion figures and the requirement for an invoice in one call:
/// its total converted into `company_currency` with the rate in force on
/// its date, then the rules applied. A currency without a rate in force is
/// refused ([`MissingRate`]) rather than guessed.
pub fn decision(
    rules: &ApprovalRules,
    invoice: &InvoiceFacts,
    company_currency: Currency,
    rates: &[ExchangeRate],
) -> Result<ApprovalDecision, MissingRate> {
    let (converted_total, rate) = convert(
        invoice.total,
        invoice.currency,
        invoice.date,
        company_currency,
        rates,
    )?;
    let required = rules.required(&ApprovalFacts {
        converted_total,
        currency: company_currency,
        customer_id: invoice.customer_id,
        template: invoice.template.clone(),
        source: invoice.source,
    });
    Ok(ApprovalDecision {
        needs_approval: required.needs_approval(),
        total: invoice.total,
        currency: invoice.currency,
        converted_total,
        company_currency,
        rate,
        threshold: rules.threshold().unwrap_or(Decimal::ZERO),
        required,
    })
}

#[cfg(test)]
#[path = "approval_rules_tests.rs"]
mod tests;
