//! From the rows of a bulk file to the invoices they describe: rows sharing
//! an invoice key become one invoice with several lines, and every row
//! problem is named with its file line, field, value and reason.
//!
//! An invoice is made whole or not at all: if any of its rows is wrong (a bad
//! line, a customer that disagrees with the invoice's first row), none of its
//! rows becomes an invoice, and each problem is reported. Other invoices of
//! the file are not affected.

use crate::customer::CustomerInput;
use crate::line::{LineItem, LineText};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// One data row of a bulk file, after its numbers and dates were read in
/// the profile's styles (numbers given here in plain `1234.5` form).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BulkRecord {
    /// The file line where the row starts (the header is line 1).
    pub line: u64,
    /// Rows with the same key are one invoice.
    pub invoice_key: String,
    /// The customer as the row gives it.
    pub customer: CustomerInput,
    /// The customer's id in the source system, if the file has one.
    pub external_reference: Option<String>,
    /// The invoice currency, if the file gives one.
    pub currency: Option<String>,
    /// The issue date, if the file gives one.
    pub issue_date: Option<NaiveDate>,
    /// Payment terms in days, if the file gives them.
    pub terms_days: Option<u32>,
    /// The template, if the file names one.
    pub template: Option<String>,
    /// The customer's purchase-order number.
    pub po_number: Option<String>,
    /// The row's invoice line, as text.
    pub item: LineText,
    /// The line's tax rate in percent, if the file gives one.
    pub tax_rate_percent: Option<Decimal>,
    /// The line's tax exemption reason, if any.
    pub tax_exemption: Option<String>,
    /// The invoice-level fields (`issue_date`, `terms`) whose cell could not
    /// be read in the profile's style: already reported, so the other rows
    /// of the invoice are not also told they disagree with an empty value.
    pub unread: Vec<&'static str>,
}

/// One line of a grouped invoice and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkLine {
    /// The file line of its row.
    pub line: u64,
    /// The checked line (taxes are attached by the caller).
    pub item: LineItem,
    /// The tax rate the row asked for, in percent.
    pub tax_rate_percent: Option<Decimal>,
}

/// The invoice some rows of the file describe, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkInvoice {
    /// The invoice key the rows share.
    pub key: String,
    /// The file line of its first row.
    pub first_line: u64,
    /// Its customer, from the first row (every row agrees).
    pub customer: CustomerInput,
    /// The customer's id in the source system.
    pub external_reference: Option<String>,
    /// The invoice currency, if given.
    pub currency: Option<String>,
    /// The issue date, if given.
    pub issue_date: Option<NaiveDate>,
    /// Payment terms in days, if given.
    pub terms_days: Option<u32>,
    /// The template, if given.
    pub template: Option<String>,
    /// The purchase-order number, if given.
    pub po_number: Option<String>,
    /// Its lines, in file order.
    pub lines: Vec<BulkLine>,
}

/// Something wrong with one row: what the report lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The file line of the row.
    pub line: u64,
    /// The field, e.g. `email` or `quantity`.
    pub field: String,
    /// The value the row gives.
    pub value: String,
    /// Why it is refused.
    pub reason: String,
}

/// The rows grouped into invoices, and every problem found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grouping {
    /// The invoices that can be made, in the order of their first rows.
    pub invoices: Vec<BulkInvoice>,
    /// Every problem, in file order.
    pub problems: Vec<RowProblem>,
    /// How many invoices are not made because of a problem.
    pub refused_invoices: usize,
    /// The invoices not made, in the order of their first rows, so a run
    /// can list each one in its report.
    pub refused: Vec<RefusedInvoice>,
}

/// An invoice of the file that is not made because one of its rows is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedInvoice {
    /// The invoice key its rows share.
    pub key: String,
    /// The file line of its first row.
    pub first_line: u64,
    /// The customer's id in the source system, from its first row.
    pub external_reference: Option<String>,
}

/// The invoice-level values of a row that every row of one invoice must
/// repeat, by field name, for comparing rows and naming a disagreement.
fn invoice_values(r: &BulkRecord) -> [(&'static str, String); 16] {
    let c = &r.customer;
    let opt = |o: &Option<String>| o.as_deref().unwrap_or("").trim().to_string();
    [
        ("customer_name", c.name.trim().to_string()),
        ("company", opt(&c.company)),
        ("email", c.email.trim().to_lowercase()),
        ("address", c.address.trim().to_string()),
        ("city", c.city.trim().to_string()),
        ("region", opt(&c.region)),
        ("postal_code", c.postal_code.trim().to_string()),
        ("country", c.country.trim().to_uppercase()),
        ("tax_id", opt(&c.tax_id)),
        ("external_reference", opt(&r.external_reference)),
        ("currency", opt(&r.currency).to_uppercase()),
        (
            "issue_date",
            r.issue_date.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            "terms",
            r.terms_days.map(|t| t.to_string()).unwrap_or_default(),
        ),
        ("template", opt(&r.template)),
        ("po_number", opt(&r.po_number)),
        ("customer_currency", opt(&c.currency).to_uppercase()),
    ]
}

/// Groups `records` into invoices by key, checking each row's line and that
/// the rows of one invoice agree.
pub fn group_records(records: impl IntoIterator<Item = BulkRecord>) -> Grouping {
    // Invoices in first-seen order; a key's rows keep file order.
    let mut order: Vec<String> = Vec::new();
    let mut rows: HashMap<String, Vec<BulkRecord>> = HashMap::new();
    let mut problems = Vec::new();
    for r in records {
        let key = r.invoice_key.trim().to_string();
        if key.is_empty() {
            problems.push(RowProblem {
                line: r.line,
                field: "invoice_key".into(),
                value: String::new(),
                reason: "is required: it says which invoice the row belongs to".into(),
            });
            continue;
        }
        if !rows.contains_key(&key) {
            order.push(key.clone());
        }
        rows.entry(key).or_default().push(r);
    }
    let mut grouping = Grouping::default();
    for key in order {
        let group = rows.remove(&key).unwrap_or_default();
        let before = problems.len();
        let invoice = check_invoice(&key, &group, &mut problems);
        match invoice {
            Some(inv) if problems.len() == before => grouping.invoices.push(inv),
            _ => {
                grouping.refused_invoices += 1;
                if let Some(first) = group.first() {
                    grouping.refused.push(RefusedInvoice {
                        key: key.clone(),
                        first_line: first.line,
                        external_reference: first.external_reference.clone(),
                    });
                }
            }
        }
    }
    problems.sort_by_key(|p| p.line);
    grouping.problems = problems;
    grouping
}

fn check_invoice(
    key: &str,
    group: &[BulkRecord],
    problems: &mut Vec<RowProblem>,
) -> Option<BulkInvoice> {
    let first = group.first()?;
    let expected = invoice_values(first);
    for r in &group[1..] {
        for ((field, theirs), (_, ours)) in invoice_values(r).iter().zip(expected.iter()) {
            let unread = first.unread.contains(field) || r.unread.contains(field);
            if theirs != ours && !unread {
                problems.push(RowProblem {
                    line: r.line,
                    field: (*field).to_string(),
                    value: theirs.clone(),
                    reason: format!(
                        "line {} of the same invoice ({key}) says {ours:?}; the rows of one invoice must agree on its customer and invoice data",
                        first.line
                    ),
                });
            }
        }
    }
    // The customer's own fields are checked by the caller, and only for a
    // customer it will create: a row that names a customer on record by its
    // reference or email need not repeat the address.
    let mut lines = Vec::with_capacity(group.len());
    for r in group {
        match r.item.parse() {
            Ok(mut item) => {
                item.tax_exemption = r
                    .tax_exemption
                    .as_deref()
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string);
                lines.push(BulkLine {
                    line: r.line,
                    item,
                    tax_rate_percent: r.tax_rate_percent,
                });
            }
            Err(errs) => {
                for e in errs.errors {
                    problems.push(RowProblem {
                        line: r.line,
                        field: e.field,
                        value: e.value,
                        reason: e.message,
                    });
                }
            }
        }
    }
    Some(BulkInvoice {
        key: key.to_string(),
        first_line: first.line,
        customer: first.customer.clone(),
        external_reference: first.external_reference.clone(),
        currency: first.currency.clone(),
        issue_date: first.issue_date,
        terms_days: first.terms_days,
        template: first.template.clone(),
        po_number: first.po_number.clone(),
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(line: u64, key: &str, email: &str, qty: &str) -> BulkRecord {
        BulkRecord {
            line,
            invoice_key: key.into(),
            customer: CustomerInput {
                name: "Jürgen Weiß".into(),
                email: email.into(),
                address: "Königstraße 1".into(),
                city: "Stuttgart".into(),
                postal_code: "70173".into(),
                country: "DE".into(),
                ..CustomerInput::default()
            },
            item: LineText {
                description: "Beratung".into(),
                quantity: qty.into(),
                unit_price: "0.0125".into(),
                discount_percent: String::new(),
            },
            ..BulkRecord::default()
        }
    }

    #[test]
    fn rows_sharing_a_key_are_one_invoice_with_their_lines_in_file_order() {
        let g = group_records([
            record(2, "D-1", "j@example.de", "2"),
            record(3, "D-2", "k@example.de", "1"),
            record(4, "D-1", "j@example.de", "3"),
        ]);
        assert!(g.problems.is_empty(), "{:?}", g.problems);
        assert_eq!(g.invoices.len(), 2);
        assert_eq!(g.invoices[0].key, "D-1");
        let lines: Vec<u64> = g.invoices[0].lines.iter().map(|l| l.line).collect();
        assert_eq!(lines, [2, 4]);
        // Sub-cent unit prices are kept exactly.
        assert_eq!(g.invoices[0].lines[0].item.unit_price.to_string(), "0.0125");
    }

    #[test]
    fn a_row_that_disagrees_on_the_customer_names_both_rows_and_stops_only_its_invoice() {
        let g = group_records([
            record(2, "D-1", "j@example.de", "2"),
            record(3, "D-2", "k@example.de", "1"),
            record(4, "D-1", "other@example.de", "3"),
        ]);
        assert_eq!(g.invoices.len(), 1);
        assert_eq!(g.invoices[0].key, "D-2");
        assert_eq!(g.refused_invoices, 1);
        // The refused invoice is named by its key and first line, so a run's
        // report lists it as invalid.
        assert_eq!(
            (g.refused[0].key.as_str(), g.refused[0].first_line),
            ("D-1", 2)
        );
        let p = &g.problems[0];
        assert_eq!((p.line, p.field.as_str()), (4, "email"));
        assert!(
            p.reason.starts_with("line 2 of the same invoice (D-1)"),
            "{}",
            p.reason
        );
    }

    #[test]
    fn a_cell_that_could_not_be_read_is_not_also_a_disagreement() {
        let mut unread = record(3, "D-1", "j@example.de", "1");
        unread.issue_date = None;
        unread.unread = vec!["issue_date"];
        let mut first = record(2, "D-1", "j@example.de", "2");
        first.issue_date = NaiveDate::from_ymd_opt(2026, 11, 14);
        let g = group_records([first, unread]);
        // The unreadable date was reported where it was read; grouping adds
        // nothing about it.
        assert!(g.problems.is_empty(), "{:?}", g.problems);
    }

    #[test]
    fn bad_lines_and_missing_keys_are_reported_and_no_partial_invoice_is_made() {
        let mut no_key = record(5, " ", "x@example.de", "1");
        no_key.invoice_key = " ".into();
        let g = group_records([
            record(2, "D-1", "j@example.de", "0"),
            record(3, "D-1", "j@example.de", "1"),
            record(4, "D-3", "x@example.de", "-1"),
            no_key,
        ]);
        assert!(g.invoices.is_empty());
        assert_eq!(g.refused_invoices, 2);
        let found: Vec<(u64, &str)> = g
            .problems
            .iter()
            .map(|p| (p.line, p.field.as_str()))
            .collect();
        assert_eq!(
            found,
            [(2, "quantity"), (4, "quantity"), (5, "invoice_key")]
        );
    }
}
