//! Time and usage thresholds: logged hours or usage units accumulate per
//! customer (optionally per project) and become **one** invoice when a
//! threshold is crossed — a quantity (e.g. 40 hours), an amount (e.g.
//! 5,000.00 before tax) — or when a billing period ends.
//!
//! Pure rules only: what a rule is, whether its unbilled entries crossed it,
//! which of its periods have ended by a day, and the invoice line each entry
//! becomes. Storing entries, claiming them and making the invoice belong to
//! the store and the app.
//!
//! Lines: each entry becomes **one invoice line** (its date, description and
//! quantity at its unit price), so the customer sees every logged item and
//! a disputed one can be credited by its line. Grouping per description was
//! rejected because it hides which day's work is billed.
//!
//! Periods are counted from the rule's anchor like a schedule's
//! ([`Cadence::start_of`]): period `k` runs from `anchor + k` periods to the
//! day before period `k + 1` starts, and it is billed once it has ended.

use crate::schedule::{Cadence, Frequency};
use crate::validation::ValidationErrors;
use chrono::{DateTime, Days, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The longest description template, in characters.
pub const MAX_DESCRIPTION_TEMPLATE: usize = 200;

/// The placeholders a description template may use.
pub const PLACEHOLDERS: [&str; 4] = ["{description}", "{date}", "{quantity}", "{project}"];

/// The description template a rule gets when none is given.
pub const DEFAULT_DESCRIPTION_TEMPLATE: &str = "{date} {description}";

/// What a rule measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Hours logged (`time.logged` events, `usage record --hours`).
    Hours,
    /// Usage units recorded (`usage.recorded` events, `usage record --units`).
    Units,
}

impl Measure {
    /// The snake_case name used in the store, the CLI and the audit.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Hours => "hours",
            Measure::Units => "units",
        }
    }

    /// The measure named `text`, or a sentence naming those that exist.
    pub fn parse(text: &str) -> Result<Measure, String> {
        match text.trim() {
            "hours" => Ok(Measure::Hours),
            "units" => Ok(Measure::Units),
            _ => Err("is not a measure; use hours or units".into()),
        }
    }

    /// The short unit people read after a quantity ("h", "units").
    pub fn unit(self) -> &'static str {
        match self {
            Measure::Hours => "h",
            Measure::Units => "units",
        }
    }
}

/// What a rule does with the invoice it makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdAction {
    /// Leave a draft for review.
    Draft,
    /// Issue it (an approval rule that applies still comes first).
    Issue,
    /// Issue it and queue its email.
    IssueAndSend,
    /// Send it to an approver whatever the rules say; emailed on approval.
    Approval,
}

impl ThresholdAction {
    /// Every action, in the order they are offered.
    pub const ALL: [ThresholdAction; 4] = [
        ThresholdAction::Draft,
        ThresholdAction::Issue,
        ThresholdAction::IssueAndSend,
        ThresholdAction::Approval,
    ];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ThresholdAction::Draft => "draft",
            ThresholdAction::Issue => "issue",
            ThresholdAction::IssueAndSend => "issue_and_send",
            ThresholdAction::Approval => "approval",
        }
    }

    /// The action named `text`, or a sentence naming those that exist.
    pub fn parse(text: &str) -> Result<ThresholdAction, String> {
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == text.trim())
            .ok_or_else(|| "is not an action; use draft, issue, issue_and_send or approval".into())
    }
}

/// The period after which what accumulated is billed, whatever the totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodEnd {
    /// Monthly or quarterly.
    pub frequency: Frequency,
    /// The first period's start; every period is counted from it.
    pub anchor: NaiveDate,
}

/// One period of a rule's period end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingPeriod {
    /// Its place, from 0 (the anchor's period).
    pub index: u32,
    /// Its first day: the billing's key.
    pub start: NaiveDate,
    /// Its last day: entries on or before it are billed, and the invoice is
    /// dated to it.
    pub end: NaiveDate,
}

impl PeriodEnd {
    fn cadence(&self) -> Cadence {
        Cadence {
            frequency: self.frequency,
            interval: 1,
        }
    }

    /// Period `k`, or `None` past the calendar's end.
    pub fn period(&self, k: u32) -> Option<BillingPeriod> {
        let c = self.cadence();
        let start = c.start_of(self.anchor, k)?;
        let end = c
            .start_of(self.anchor, k.checked_add(1)?)?
            .checked_sub_days(Days::new(1))?;
        Some(BillingPeriod {
            index: k,
            start,
            end,
        })
    }

    /// The periods after the one starting on `after` (from the first when
    /// `None`) that have ended before `today`, in order: each is billed
    /// once, the missed ones too (catch-up).
    pub fn ended(&self, after: Option<NaiveDate>, today: NaiveDate) -> Vec<BillingPeriod> {
        let mut k = 0u32;
        let mut out = Vec::new();
        while let Some(p) = self.period(k) {
            if p.end >= today {
                break;
            }
            if after.is_none_or(|a| p.start > a) {
                out.push(p);
            }
            match k.checked_add(1) {
                Some(next) => k = next,
                None => break,
            }
        }
        out
    }

    /// The period `day` falls in (the first one for a day before the anchor).
    pub fn containing(&self, day: NaiveDate) -> Option<BillingPeriod> {
        let mut k = 0u32;
        loop {
            let p = self.period(k)?;
            if p.end >= day {
                return Some(p);
            }
            k = k.checked_add(1)?;
        }
    }
}

/// What a threshold rule bills and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThresholdTerms {
    /// A name people recognise it by.
    pub name: String,
    /// The customer billed.
    pub customer_id: i64,
    /// Only entries of this project (the sender's project reference) when set.
    pub project: Option<String>,
    /// Hours or usage units.
    pub measure: Measure,
    /// The price of one hour or unit; each entry's own price when absent.
    pub unit_price: Option<Decimal>,
    /// The text of each entry's invoice line (see [`PLACEHOLDERS`]).
    pub description_template: String,
    /// Bill once this many hours or units are unbilled.
    pub quantity_threshold: Option<Decimal>,
    /// Bill once the unbilled entries are worth this much before tax.
    pub amount_threshold: Option<Decimal>,
    /// Bill what accumulated at the end of each period.
    pub period: Option<PeriodEnd>,
    /// The template's name; the customer's or the default when absent.
    pub template: Option<String>,
    /// Payment terms in days; the company's when absent.
    pub terms_days: Option<u32>,
    /// What happens to the invoice.
    pub action: ThresholdAction,
}

/// Whether a rule records and bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThresholdState {
    /// New, edited or switched off: records no entries, bills nothing.
    Disabled,
    /// Records entries and bills them.
    Active,
}

/// A stored threshold rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThresholdRule {
    /// Its id.
    pub id: i64,
    /// What it bills.
    pub terms: ThresholdTerms,
    /// Whether it is on.
    pub state: ThresholdState,
    /// When a test run last passed on these terms; enabling needs one.
    pub tested_at: Option<DateTime<Utc>>,
    /// The user who made it: its invoices' maker.
    pub created_by: i64,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// One logged hour or usage entry, as a rule bills it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageEntry {
    /// Its id (0 for a sample entry).
    pub id: i64,
    /// How many hours or units.
    pub quantity: Decimal,
    /// The price of one, as billed.
    pub unit_price: Decimal,
    /// What was done or used.
    pub description: String,
    /// The project it belongs to, if any.
    pub project: Option<String>,
    /// The day it happened.
    pub occurred_on: NaiveDate,
}

impl UsageEntry {
    /// Quantity × unit price, unrounded.
    pub fn amount(&self) -> Decimal {
        self.quantity * self.unit_price
    }
}

/// Which threshold unbilled entries crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Crossing {
    /// The quantity threshold.
    Quantity,
    /// The amount threshold.
    Amount,
}

impl Crossing {
    /// The snake_case name used in the audit.
    pub fn as_str(self) -> &'static str {
        match self {
            Crossing::Quantity => "quantity",
            Crossing::Amount => "amount",
        }
    }
}

/// The unbilled totals of a rule against its thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Unbilled hours or units.
    pub quantity: Decimal,
    /// Unbilled amount before tax, unrounded.
    pub amount: Decimal,
    /// The threshold reached, if one is.
    pub crossed: Option<Crossing>,
}

impl ThresholdTerms {
    /// Checks the terms, naming each bad field.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::new();
        if self.name.chars().count() > 120 {
            errs.push("name", &self.name, "must be at most 120 characters");
        }
        if let Some(p) = self.unit_price.filter(|p| *p <= Decimal::ZERO) {
            errs.push("unit_price", p.to_string(), "must be greater than zero");
        }
        if let Some(q) = self.quantity_threshold.filter(|q| *q <= Decimal::ZERO) {
            errs.push(
                "quantity_threshold",
                q.to_string(),
                "must be greater than zero",
            );
        }
        if let Some(a) = self.amount_threshold.filter(|a| *a <= Decimal::ZERO) {
            errs.push(
                "amount_threshold",
                a.to_string(),
                "must be greater than zero",
            );
        }
        if self.quantity_threshold.is_none()
            && self.amount_threshold.is_none()
            && self.period.is_none()
        {
            errs.push(
                "quantity_threshold",
                "",
                "a rule needs a quantity threshold, an amount threshold or a period end",
            );
        }
        if let Some(p) = &self.period {
            if !matches!(p.frequency, Frequency::Monthly | Frequency::Quarterly) {
                errs.push(
                    "period",
                    p.frequency.as_str(),
                    "must be monthly or quarterly",
                );
            }
        }
        if let Some(project) = &self.project {
            if project.trim().is_empty() || project.chars().count() > 120 {
                errs.push("project", project, "must be 1 to 120 characters");
            }
        }
        if let Err(m) = check_description_template(&self.description_template) {
            errs.push("description_template", &self.description_template, m);
        }
        if let Some(t) = self.terms_days.filter(|t| *t > 365) {
            errs.push("terms_days", t.to_string(), "must be between 0 and 365");
        }
        errs.into_result()
    }

    /// Whether an entry of this customer, project and measure belongs to
    /// the rule: same customer and measure, and the rule's project when it
    /// names one.
    pub fn matches(&self, customer_id: i64, project: Option<&str>, measure: Measure) -> bool {
        self.customer_id == customer_id
            && self.measure == measure
            && self
                .project
                .as_deref()
                .is_none_or(|p| Some(p) == project.map(str::trim))
    }

    /// The totals of `unbilled` against the quantity and amount thresholds.
    pub fn progress(&self, unbilled: &[UsageEntry]) -> Progress {
        let quantity: Decimal = unbilled.iter().map(|e| e.quantity).sum();
        let amount: Decimal = unbilled.iter().map(UsageEntry::amount).sum();
        let crossed = if self.quantity_threshold.is_some_and(|t| quantity >= t) {
            Some(Crossing::Quantity)
        } else if self.amount_threshold.is_some_and(|t| amount >= t) {
            Some(Crossing::Amount)
        } else {
            None
        };
        Progress {
            quantity,
            amount,
            crossed,
        }
    }

    /// The invoice line text of `entry`: the description template with its
    /// placeholders filled in.
    pub fn line_description(&self, entry: &UsageEntry) -> String {
        self.description_template
            .replace("{description}", entry.description.trim())
            .replace("{date}", &entry.occurred_on.to_string())
            .replace("{quantity}", &entry.quantity.normalize().to_string())
            .replace("{project}", entry.project.as_deref().unwrap_or(""))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Entries to show a test run when a rule has none yet: three days of
    /// work or use at the rule's price (or 100.00).
    pub fn sample_entries(&self, today: NaiveDate) -> Vec<UsageEntry> {
        let price = self.unit_price.unwrap_or(Decimal::new(10_000, 2));
        let (what, q) = match self.measure {
            Measure::Hours => (
                "Consulting (sample)",
                [Decimal::new(75, 1), Decimal::new(8, 0), Decimal::new(45, 1)],
            ),
            Measure::Units => (
                "API calls, thousands (sample)",
                [Decimal::new(12, 0), Decimal::new(30, 0), Decimal::new(8, 0)],
            ),
        };
        (0..3u64)
            .map(|i| UsageEntry {
                id: 0,
                quantity: q[i as usize],
                unit_price: price,
                description: what.to_string(),
                project: self.project.clone(),
                occurred_on: today.checked_sub_days(Days::new(2 - i)).unwrap_or(today),
            })
            .collect()
    }
}

/// Checks a description template: not blank, at most
/// [`MAX_DESCRIPTION_TEMPLATE`] characters, no control characters, and only
/// the [`PLACEHOLDERS`] in braces.
pub fn check_description_template(t: &str) -> Result<(), String> {
    if t.trim().is_empty() {
        return Err("must not be blank".into());
    }
    if t.chars().count() > MAX_DESCRIPTION_TEMPLATE {
        return Err(format!(
            "must be at most {MAX_DESCRIPTION_TEMPLATE} characters"
        ));
    }
    if t.chars().any(char::is_control) {
        return Err("must not contain control characters".into());
    }
    let mut rest = t;
    while let Some(open) = rest.find('{') {
        let tail = &rest[open..];
        let Some(close) = tail.find('}') else {
            return Err("has a `{` that is never closed".into());
        };
        let placeholder = &tail[..=close];
        if !PLACEHOLDERS.contains(&placeholder) {
            return Err(format!(
                "{placeholder} is not a placeholder; use {}",
                PLACEHOLDERS.join(", ")
            ));
        }
        rest = &tail[close + 1..];
    }
    Ok(())
}

#[cfg(test)]
#[path = "usage_threshold_tests.rs"]
mod tests;
