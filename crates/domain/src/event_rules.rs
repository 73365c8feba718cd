//! Event rules: per event type, what the invoice an event makes does
//! (draft, issue, issue & send, wait for approval), its template and terms,
//! and a **field mapping** from the event's free-form `data` object (a
//! CRM's deal JSON, a shop's order) to the bulk import's fields
//! ([`TargetField`]), so a program that cannot reshape its webhook can
//! still be billed from.
//!
//! A mapped event becomes [`BulkRecord`]s, one per line, which the same
//! grouping and checks as a bulk file's rows turn into an invoice; so a
//! mapping speaks the bulk send's words and is checked the same way.
//!
//! Paths are dotted keys into `data`: `contact.email`, `amount`. A segment
//! of digits indexes an array (`items.0.sku`); a segment ending in `[]`
//! (`line_items[].price`) makes one invoice line per element of that
//! array, so every line field must then name the same array.

use crate::bulk_grouping::BulkRecord;
use crate::bulk_mapping::{TargetField, ALL_FIELDS};
use crate::event_actions::{EventAction, EventType};
use crate::validation::ValidationErrors;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashSet;

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

/// A step of a path.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn steps(path: &str) -> impl Iterator<Item = Step<'_>> {
    path.split('.').filter(|s| !s.is_empty()).map(|seg| {
        match (
            seg.parse::<usize>(),
            seg.chars().all(|c| c.is_ascii_digit()),
        ) {
            (Ok(i), true) => Step::Index(i),
            _ => Step::Key(seg),
        }
    })
}

fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    steps(path).try_fold(value, |v, step| match step {
        Step::Key(k) => v.as_object()?.get(k),
        Step::Index(i) => v.as_array()?.get(i),
    })
}

/// A scalar as text: strings as they are, numbers as JSON writes them
/// (never through a float the code computes with), booleans as
/// `true`/`false`; `None` for null or a missing key.
fn scalar(value: Option<&Value>, key: &str, errs: &mut ValidationErrors) -> Option<String> {
    let text = match value? {
        Value::Null => return None,
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(_) | Value::Object(_) => {
            errs.push(
                key,
                "",
                "is an object or an array; map a key that holds a single value",
            );
            return None;
        }
    };
    if text.chars().count() > MAX_VALUE_LEN {
        errs.push(
            key,
            text.chars().take(40).collect::<String>(),
            format!("is longer than {MAX_VALUE_LEN} characters"),
        );
        return None;
    }
    Some(text)
}

fn set_field(
    r: &mut BulkRecord,
    field: TargetField,
    text: String,
    key: &str,
    errs: &mut ValidationErrors,
) {
    let t = text.trim().to_string();
    let opt = || (!t.is_empty()).then(|| t.clone());
    let c = &mut r.customer;
    match field {
        TargetField::CustomerName => c.name = t,
        TargetField::Company => c.company = opt(),
        TargetField::Email => c.email = t,
        TargetField::AddressLine1 => {
            c.address = if c.address.is_empty() {
                t
            } else {
                format!("{t}\n{}", c.address)
            }
        }
        TargetField::AddressLine2 => {
            if !t.is_empty() {
                c.address = if c.address.is_empty() {
                    t
                } else {
                    format!("{}\n{t}", c.address)
                }
            }
        }
        TargetField::City => c.city = t,
        TargetField::Region => c.region = opt(),
        TargetField::PostalCode => c.postal_code = t,
        TargetField::Country => c.country = t,
        TargetField::TaxId => c.tax_id = opt(),
        TargetField::ExternalReference => r.external_reference = opt(),
        TargetField::Currency => r.currency = opt(),
        TargetField::InvoiceKey => {
            if !t.is_empty() {
                r.invoice_key = t
            }
        }
        TargetField::IssueDate if t.is_empty() => {}
        TargetField::IssueDate => match t.get(..10).and_then(|d| d.parse::<NaiveDate>().ok()) {
            Some(d) => r.issue_date = Some(d),
            None => errs.push(key, t, "is not a date in the form YYYY-MM-DD"),
        },
        TargetField::Terms if t.is_empty() => {}
        TargetField::Terms => match t.parse::<u32>() {
            Ok(d) if d <= 365 => r.terms_days = Some(d),
            _ => errs.push(key, t, "must be a whole number of days between 0 and 365"),
        },
        TargetField::PoNumber => r.po_number = opt(),
        TargetField::Template => r.template = opt(),
        TargetField::Description => r.item.description = t,
        TargetField::Quantity => r.item.quantity = t,
        TargetField::UnitPrice => r.item.unit_price = t,
        TargetField::Discount => r.item.discount_percent = t,
        TargetField::TaxRate if t.is_empty() => {}
        TargetField::TaxRate => match t.parse::<Decimal>() {
            Ok(p) => r.tax_rate_percent = Some(p),
            Err(_) => errs.push(key, t, "is not a percentage like 19 or 7.5"),
        },
        TargetField::TaxExemption => r.tax_exemption = opt(),
    }
}

/// The invoice key every record of one event shares when the mapping names
/// none (an event is one invoice).
pub const EVENT_INVOICE_KEY: &str = "event";

/// The event's `data` read through `settings`' mapping: one record per
/// line (per element of the `[]` array, or one), each line numbered from 1
/// in `BulkRecord::line`, ready for [`crate::bulk_grouping::group_records`].
/// Invoice and customer fields are read once and repeated on every line.
/// Errors name the payload key (`data.contact.email`). A mapping without
/// line fields gives one record with an empty line, for the caller to
/// replace with the event's typed lines.
pub fn records_from_data(
    settings: &EventRuleSettings,
    data: &Value,
) -> Result<Vec<BulkRecord>, ValidationErrors> {
    let mut errs = ValidationErrors::new();
    if !data.is_object() {
        errs.push("data", "", "must be a JSON object");
        return Err(errs);
    }
    let mut head = BulkRecord {
        line: 1,
        invoice_key: EVENT_INVOICE_KEY.into(),
        ..BulkRecord::default()
    };
    let mut line_maps = Vec::new();
    for m in &settings.mapping {
        if is_line_field(m.field) {
            line_maps.push(m);
            continue;
        }
        let key = format!("data.{}", m.path);
        if let Some(text) = scalar(lookup(data, &m.path), &key, &mut errs) {
            set_field(&mut head, m.field, text, &key, &mut errs);
        }
    }
    let array = line_maps
        .iter()
        .find_map(|m| m.path.find("[]").map(|p| m.path[..p].to_string()));
    let elements: Vec<(String, &Value, String)> = match &array {
        None => vec![(String::new(), data, String::new())],
        Some(prefix) => match lookup(data, prefix) {
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("{prefix}[{i}]"), v, format!("{prefix}[]")))
                .collect(),
            Some(Value::Array(_)) => {
                errs.push(
                    format!("data.{prefix}"),
                    "[]",
                    "is empty; an invoice needs at least one line",
                );
                Vec::new()
            }
            other => {
                errs.push(
                    format!("data.{prefix}"),
                    other.map(|v| v.to_string()).unwrap_or_default(),
                    "is not an array; the mapping makes one line per element of it",
                );
                Vec::new()
            }
        },
    };
    let mut records = Vec::with_capacity(elements.len().max(1));
    for (n, (at, element, marker)) in elements.into_iter().enumerate() {
        let mut r = head.clone();
        r.line = n as u64 + 1;
        for m in &line_maps {
            let (value, key) = if marker.is_empty() {
                (lookup(element, &m.path), format!("data.{}", m.path))
            } else {
                let rest = m.path[marker.len()..].trim_start_matches('.');
                let v = if rest.is_empty() {
                    Some(element)
                } else {
                    lookup(element, rest)
                };
                let key = if rest.is_empty() {
                    format!("data.{at}")
                } else {
                    format!("data.{at}.{rest}")
                };
                (v, key)
            };
            if let Some(text) = scalar(value, &key, &mut errs) {
                set_field(&mut r, m.field, text, &key, &mut errs);
            }
        }
        if !line_maps.is_empty() && r.item.quantity.trim().is_empty() {
            // A deal or an order total has no quantity: it is one of it.
            r.item.quantity = "1".into();
        }
        records.push(r);
    }
    if errs.is_empty() {
        Ok(records)
    } else {
        Err(errs)
    }
}

/// A `data` object the mapping reads, each mapped key holding a plausible
/// value for its field: the built-in sample of a rule's test run.
pub fn sample_data(settings: &EventRuleSettings) -> Value {
    let mut root = Value::Object(Map::new());
    for m in &settings.mapping {
        let path = m.path.replacen("[]", ".0", 1);
        let value = match m.field {
            TargetField::CustomerName => Value::from("Sam Sample"),
            TargetField::Company => Value::from("Sample Industries"),
            TargetField::Email => Value::from("sam@sample.example"),
            TargetField::AddressLine1 => Value::from("1 Sample Street"),
            TargetField::AddressLine2 => Value::from("Suite 2"),
            TargetField::City => Value::from("Springfield"),
            TargetField::Region => Value::from("IL"),
            TargetField::PostalCode => Value::from("62701"),
            TargetField::Country => Value::from("US"),
            TargetField::TaxId => Value::Null,
            TargetField::ExternalReference => Value::from("sample-customer"),
            TargetField::Currency => Value::Null,
            TargetField::InvoiceKey => Value::from("SAMPLE-1"),
            TargetField::IssueDate => Value::Null,
            TargetField::Terms => Value::Null,
            TargetField::PoNumber => Value::from("PO-SAMPLE"),
            TargetField::Template => Value::Null,
            TargetField::Description => Value::from("Sample item"),
            TargetField::Quantity => Value::from("2"),
            TargetField::UnitPrice => Value::from("150.00"),
            TargetField::Discount => Value::Null,
            TargetField::TaxRate => Value::Null,
            TargetField::TaxExemption => Value::Null,
        };
        // Two fields may read one key (an email that is also the external
        // reference): the first mapping's sample value stays.
        if lookup(&root, &path).is_none() {
            put(&mut root, &path, value);
        }
    }
    root
}

fn put(root: &mut Value, path: &str, value: Value) {
    let parts: Vec<&str> = path.split('.').filter(|s| !s.is_empty()).collect();
    let mut at = root;
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let next_is_index = parts
            .get(i + 1)
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()));
        let fresh = || {
            if next_is_index {
                Value::Array(Vec::new())
            } else {
                Value::Object(Map::new())
            }
        };
        let index = part
            .chars()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse::<usize>().ok())
            .flatten();
        at = match (at, index) {
            (Value::Array(items), Some(idx)) => {
                while items.len() <= idx {
                    items.push(Value::Object(Map::new()));
                }
                if last {
                    items[idx] = value;
                    return;
                }
                if !(items[idx].is_object() || items[idx].is_array()) {
                    items[idx] = fresh();
                }
                &mut items[idx]
            }
            (Value::Object(map), _) => {
                if last {
                    map.insert((*part).to_string(), value);
                    return;
                }
                let slot = map.entry((*part).to_string()).or_insert_with(fresh);
                if !(slot.is_object() || slot.is_array()) {
                    *slot = fresh();
                }
                slot
            }
            // A path that disagrees with itself (a key where an index was
            // used): the sample leaves that field out.
            _ => return,
        };
    }
}

#[cfg(test)]
#[path = "event_rules_tests.rs"]
mod tests;
