//! How a trigger's test run (a schedule's, a threshold rule's or an event
//! rule's) is printed: every kind's JSON gives its PDF by size and path
//! rather than by its bytes, and the schedule and threshold texts end in the
//! same summary of the would-be invoice. One place, so the kinds cannot
//! drift apart.

use invoicer_app::api::TotalsView;
use serde::Serialize;
use std::path::Path;

/// A test run as JSON: its fields, with `pdf_bytes` replaced by `pdf_size`
/// (how many bytes) and `pdf_path` (where `--pdf` wrote it, or null), since
/// a script wants the file, not a list of numbers.
pub fn json<T: Serialize>(run: &T, pdf: Option<&Path>) -> serde_json::Value {
    let mut value = serde_json::to_value(run).unwrap_or(serde_json::Value::Null);
    if let Some(map) = value.as_object_mut() {
        let size = map
            .remove("pdf_bytes")
            .and_then(|bytes| bytes.as_array().map(Vec::len))
            .unwrap_or(0);
        map.insert("pdf_size".into(), size.into());
        map.insert(
            "pdf_path".into(),
            pdf.map(|p| p.display().to_string()).into(),
        );
    }
    value
}

/// What a schedule's or threshold rule's test run would make, as the text
/// lines that follow the kind's own ones.
pub struct Summary<'a> {
    /// The customer's name.
    pub customer_name: &'a str,
    /// The customer's email address.
    pub customer_email: &'a str,
    /// The template and version it would be printed with.
    pub template: &'a str,
    /// What would happen, e.g. `draft` or `issue_and_send`.
    pub outcome: &'a str,
    /// The number it would get now, when it would be issued.
    pub number: Option<&'a str>,
    /// Its totals.
    pub totals: &'a TotalsView,
}

/// The text of a test run: a heading, the kind's own `lines`, the summary
/// and, when `--pdf` was given, where the PDF was written.
pub fn text(lines: Vec<String>, summary: &Summary<'_>, pdf: Option<&Path>) -> String {
    let mut t = vec!["test run — nothing was written or sent".to_string()];
    t.extend(lines);
    t.extend([
        format!(
            "customer:    {} <{}>",
            summary.customer_name, summary.customer_email
        ),
        format!("template:    {}", summary.template),
        format!(
            "would be:    {}{}",
            summary.outcome.replace('_', " "),
            summary
                .number
                .map(|n| format!(" as {n}"))
                .unwrap_or_default()
        ),
        format!(
            "total:       {} {} (tax {})",
            summary.totals.total, summary.totals.currency, summary.totals.tax_total
        ),
    ]);
    if let Some(p) = pdf {
        t.push(format!("PDF written to {}", p.display()));
    }
    t.join("\n")
}
