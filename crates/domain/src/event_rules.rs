//! Event rules: per event type, what the invoice an event makes does
//! (draft, issue, issue & send, wait for approval), its template and terms,
//! and a **field mapping** from the event's free-form `data` object (a
//! CRM's deal JSON, a shop's order) to the bulk import's fields
//! ([`TargetField`]), so a program that cannot reshape its webhook can
//! still be billed from.
//!
//! A mapped event becomes `BulkRecord`s, one per line (`event_payload.rs`), which the same
//! grouping and checks as a bulk file's rows turn into an invoice; so a
//! mapping speaks the bulk send's words and is checked the same way.
//!
//! Paths are dotted keys into `data`: `contact.email`, `amount`. A segment
//! of digits indexes an array (`items.0.sku`); a segment ending in `[]`
//! (`line_items[].price`) makes one invoice line per element of that
//! array, so every line field must then name the same array.

use crate::bulk_mapping::{TargetField, ALL_FIELDS};
use crate::event_actions::{EventAction, EventType};
use crate::validation::ValidationErrors;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

pub use crate::event_payload::{records_from_data, sample_data, EVENT_INVOICE_KEY};

/// The longest path a mapping may name, in characters.
pub const MAX_PATH_LEN: usize = 200;

/// The longest payload text a mapped field takes, in characters; longer
/// values are refused rather than cut.
pub const MAX_VALUE_LEN: usize = 2_000;

/// One invoice, customer or line field filled from a key of the event's
/// `data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldMapping {
    /// The field it fills.
    pub field: TargetField,
    /// The dotted path into `data`, e.g. `contact.email` or
    /// `line_items[].price`.
    pub path: String,
}

/// What a rule makes of an event of its type: everything an admin edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRuleSettings {
    /// What happens to the invoice.
    pub action: EventAction,
    /// The template to print with; the customer's or the company default
    /// when `None`.
    pub template: Option<String>,
    /// Payment terms in days; the company's when `None`.
    pub terms_days: Option<u32>,
    /// How the event's `data` fills the invoice; empty = the event's typed
    /// fields only.
    pub mapping: Vec<FieldMapping>,
}

/// A stored rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRule {
    /// The event type it is for (one rule per type).
    pub event_type: EventType,
    /// What it does.
    pub settings: EventRuleSettings,
    /// Whether events of its type are acted on; otherwise they are refused.
    pub enabled: bool,
    /// When a test run with these settings last passed; `None` = needs a
    /// (new) test before it may be enabled.
    pub tested_at: Option<DateTime<Utc>>,
    /// Who ran that test.
    pub tested_by: Option<i64>,
    /// When an admin last changed it (`None`: as the migration seeded it).
    pub updated_at: Option<DateTime<Utc>>,
}

impl EventRule {
    /// Why the rule may not be enabled now, if it may not: it has never
    /// passed a test with its current settings.
    pub fn enable_refusal(&self) -> Option<String> {
        self.tested_at.is_none().then(|| {
            format!(
                "the {} rule has not passed a test run since it was last changed; \
                 test it (Triggers → Event rules → Test, or `invoicer trigger test rule {}`) \
                 and check the invoice it would make, then enable it",
                self.event_type.as_str(),
                self.event_type.as_str()
            )
        })
    }
}

impl EventRuleSettings {
    /// Whether going from `self` to `after` changes what an event makes, so
    /// the rule needs a new test: its action, template or mapping. Terms
    /// only move the due date, which a test run would not judge.
    pub fn needs_new_test(&self, after: &EventRuleSettings) -> bool {
        self.action != after.action
            || self.template != after.template
            || self.mapping != after.mapping
    }

    /// The settings checked and tidied (trimmed template and paths), or
    /// every problem by its path (`template`, `terms_days`,
    /// `mapping[2].path`).
    pub fn validate(mut self) -> Result<EventRuleSettings, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        self.template = self
            .template
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        if let Some(days) = self.terms_days.filter(|d| *d > 365) {
            errs.push(
                "terms_days",
                days.to_string(),
                "must be between 0 and 365 days",
            );
        }
        let mut seen = HashSet::new();
        let mut array: Option<(usize, String)> = None;
        for (i, m) in self.mapping.iter_mut().enumerate() {
            m.path = m.path.trim().to_string();
            let at = format!("mapping[{i}]");
            if !seen.insert(m.field) {
                errs.push(
                    format!("{at}.field"),
                    m.field.as_str(),
                    "is mapped twice; map each field to one key",
                );
            }
            if let Err(why) = check_path(&m.path) {
                errs.push(format!("{at}.path"), m.path.clone(), why);
                continue;
            }
            let each = m.path.find("[]");
            match (each, is_line_field(m.field)) {
                (Some(_), false) => errs.push(
                    format!("{at}.path"),
                    m.path.clone(),
                    format!(
                        "`[]` makes one line per element, so only line fields may use it, not {}",
                        m.field.as_str()
                    ),
                ),
                (Some(pos), true) => {
                    let prefix = m.path[..pos].to_string();
                    match &array {
                        Some((first, p)) if *p != prefix => errs.push(
                            format!("{at}.path"),
                            m.path.clone(),
                            format!(
                                "names the array `{prefix}[]` but mapping[{first}] names `{p}[]`; \
                                 every line field must come from the same array"
                            ),
                        ),
                        Some(_) => {}
                        None => array = Some((i, prefix)),
                    }
                }
                (None, _) => {}
            }
        }
        let maps = |f: TargetField| self.mapping.iter().any(|m| m.field == f);
        if self.mapping.iter().any(|m| is_line_field(m.field)) {
            for needed in [TargetField::Description, TargetField::UnitPrice] {
                if !maps(needed) {
                    errs.push(
                        "mapping",
                        needed.as_str(),
                        format!(
                            "maps line fields but not {}; a line needs a description and a unit \
                             price (the quantity is 1 when it is not mapped)",
                            needed.as_str()
                        ),
                    );
                }
            }
        }
        if array.is_some() {
            for m in &self.mapping {
                if is_line_field(m.field) && !m.path.contains("[]") {
                    errs.push(
                        "mapping",
                        m.path.clone(),
                        format!(
                            "{} is not read from the lines' array; with `[]` every line field \
                             must be",
                            m.field.as_str()
                        ),
                    );
                }
            }
        }
        if errs.is_empty() {
            Ok(self)
        } else {
            Err(errs)
        }
    }

    /// Whether the mapping fills the customer (then the event's typed
    /// `customer` is not used).
    pub fn maps_customer(&self) -> bool {
        self.mapping.iter().any(|m| is_customer_field(m.field))
    }

    /// Whether the mapping fills the lines (then the event's typed `lines`
    /// are not used).
    pub fn maps_lines(&self) -> bool {
        self.mapping.iter().any(|m| is_line_field(m.field))
    }

    /// The payload key a field came from, for an error about it: `field` is
    /// a field name as the bulk checks name it (`email`, `quantity`,
    /// `name`…), `line` the 1-based line it is on.
    pub fn payload_key(&self, field: &str, line: u64) -> Option<String> {
        let target = TargetField::parse(field).or(match field {
            "name" => Some(TargetField::CustomerName),
            "address" => Some(TargetField::AddressLine1),
            "discount_percent" => Some(TargetField::Discount),
            "terms_days" => Some(TargetField::Terms),
            _ => None,
        })?;
        let m = self.mapping.iter().find(|m| m.field == target)?;
        let index = line.saturating_sub(1);
        Some(format!(
            "data.{}",
            m.path.replacen("[]", &format!("[{index}]"), 1)
        ))
    }
}

/// Whether `field` is a line's (one per line rather than one per invoice).
pub fn is_line_field(field: TargetField) -> bool {
    matches!(
        field,
        TargetField::Description
            | TargetField::Quantity
            | TargetField::UnitPrice
            | TargetField::Discount
            | TargetField::TaxRate
            | TargetField::TaxExemption
    )
}

/// Whether `field` describes the customer.
pub fn is_customer_field(field: TargetField) -> bool {
    matches!(
        field,
        TargetField::CustomerName
            | TargetField::Company
            | TargetField::Email
            | TargetField::AddressLine1
            | TargetField::AddressLine2
            | TargetField::City
            | TargetField::Region
            | TargetField::PostalCode
            | TargetField::Country
            | TargetField::TaxId
            | TargetField::ExternalReference
    )
}

/// The fields a rule may map, in the order an editor lists them.
pub fn mappable_fields() -> impl Iterator<Item = TargetField> {
    ALL_FIELDS.into_iter()
}

fn check_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("is empty; name a key of the event's data, e.g. `contact.email`".into());
    }
    if path.chars().count() > MAX_PATH_LEN {
        return Err(format!("is longer than {MAX_PATH_LEN} characters"));
    }
    if path.matches("[]").count() > 1 {
        return Err("uses `[]` more than once; one array makes the lines".into());
    }
    for seg in path.split('.') {
        let name = seg.strip_suffix("[]").unwrap_or(seg);
        if name.is_empty() {
            return Err("has an empty key between dots".into());
        }
        if name.contains('[') || name.contains(']') {
            return Err(format!(
                "has `{seg}`; write `name[]` for each element or `name.0` for one"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "event_rules_tests.rs"]
mod tests;
