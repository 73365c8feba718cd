//! An event's free-form `data` read through its rule's field mapping: the
//! dotted paths resolved, each value taken as text (numbers as JSON wrote
//! them, never through a float), one bulk record per line, and every
//! problem named by its payload key (`data.contact.email`). Also the
//! built-in sample `data` a rule's test run uses.

use crate::bulk_grouping::BulkRecord;
use crate::bulk_mapping::TargetField;
use crate::event_rules::{is_line_field, EventRuleSettings, MAX_VALUE_LEN};
use crate::validation::ValidationErrors;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Map, Value};

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

/// The largest array index a sample fills (`items.3.price`).
const MAX_SAMPLE_INDEX: usize = 100;

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
            // An index far beyond a sample's needs is left out rather than
            // filling memory with empty elements.
            (Value::Array(_), Some(idx)) if idx > MAX_SAMPLE_INDEX => return,
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
