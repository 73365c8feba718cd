//! Rows as records: each cell read in the confirmed styles, each refusal a
//! problem with its line, column, value and reason.

use super::settle::Settled;
use crate::api::BulkProblem;
use invoicer_domain::bulk_grouping::{BulkRecord, RowProblem};
use invoicer_domain::bulk_mapping::{DateStyle, NumberStyle, TargetField};
use invoicer_domain::customer::CustomerInput;
use invoicer_import::{parse_date, parse_number};

/// One row as a record, its cells read in the confirmed styles; a cell that
/// does not fit its style is a problem, and `false` says the row's invoice
/// cannot be made.
pub(super) fn record(
    row: &invoicer_import::Row,
    settled: &Settled,
    numbers: NumberStyle,
    dates: DateStyle,
    problems: &mut Vec<BulkProblem>,
) -> (BulkRecord, bool) {
    let mut r = BulkRecord {
        line: row.line,
        ..BulkRecord::default()
    };
    let mut ok = true;
    let mut address2 = String::new();
    for ((value, field), column) in row.fields.iter().zip(&settled.fields).zip(&settled.columns) {
        let Some(field) = field else { continue };
        let text = value.trim();
        let mut bad = |reason: String| {
            problems.push(BulkProblem {
                line: row.line,
                column: Some(column.header.clone()),
                field: field.as_str().to_string(),
                value: value.clone(),
                reason,
            });
        };
        let number = |t: &str| -> Result<Option<String>, String> {
            if t.is_empty() {
                return Ok(None);
            }
            parse_number(t, numbers)
                .map(|d| Some(d.to_string()))
                .map_err(|e| e.reason)
        };
        let c: &mut CustomerInput = &mut r.customer;
        match field {
            TargetField::CustomerName => c.name = text.to_string(),
            TargetField::Company => c.company = non_empty(text),
            TargetField::Email => c.email = text.to_string(),
            TargetField::AddressLine1 => c.address = text.to_string(),
            TargetField::AddressLine2 => address2 = text.to_string(),
            TargetField::City => c.city = text.to_string(),
            TargetField::Region => c.region = non_empty(text),
            TargetField::PostalCode => c.postal_code = text.to_string(),
            TargetField::Country => c.country = text.to_string(),
            TargetField::TaxId => c.tax_id = non_empty(text),
            TargetField::Currency => r.currency = non_empty(text),
            TargetField::InvoiceKey => r.invoice_key = text.to_string(),
            TargetField::IssueDate if !text.is_empty() => match parse_date(text, dates) {
                Ok(d) => r.issue_date = Some(d),
                Err(e) => {
                    bad(e.reason);
                    r.unread.push("issue_date");
                    ok = false;
                }
            },
            TargetField::IssueDate => {}
            TargetField::Terms if !text.is_empty() => match text.parse::<u32>() {
                Ok(t) if t <= 365 => r.terms_days = Some(t),
                _ => {
                    bad("must be a whole number of days between 0 and 365".into());
                    r.unread.push("terms");
                    ok = false;
                }
            },
            TargetField::Terms => {}
            TargetField::Description => r.item.description = text.to_string(),
            TargetField::Quantity | TargetField::UnitPrice | TargetField::Discount => {
                match number(text) {
                    Ok(v) => {
                        let v = v.unwrap_or_default();
                        match field {
                            TargetField::Quantity => r.item.quantity = v,
                            TargetField::UnitPrice => r.item.unit_price = v,
                            _ => r.item.discount_percent = v,
                        }
                    }
                    Err(reason) => {
                        bad(reason);
                        ok = false;
                    }
                }
            }
            TargetField::TaxRate => match number(text) {
                Ok(v) => r.tax_rate_percent = v.and_then(|v| v.parse().ok()),
                Err(reason) => {
                    bad(reason);
                    ok = false;
                }
            },
            TargetField::TaxExemption => r.tax_exemption = non_empty(text),
            TargetField::Template => r.template = non_empty(text),
            TargetField::ExternalReference => r.external_reference = non_empty(text),
            TargetField::PoNumber => r.po_number = non_empty(text),
        }
    }
    if !address2.is_empty() {
        r.customer.address = format!("{}\n{address2}", r.customer.address);
    }
    (r, ok)
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

/// A grouping problem with the column that holds its field, when one does.
pub(super) fn problem(p: &RowProblem, settled: &Settled) -> BulkProblem {
    let column = TargetField::parse(&p.field).and_then(|f| {
        settled
            .fields
            .iter()
            .position(|x| *x == Some(f))
            .map(|i| settled.columns[i].header.clone())
    });
    BulkProblem {
        line: p.line,
        column,
        field: p.field.clone(),
        value: p.value.clone(),
        reason: p.reason.clone(),
    }
}
