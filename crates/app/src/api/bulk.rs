//! Bulk send: checking a CSV file the user picked (the dry run) and what it
//! would do.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One column of the file and the field it fills (a `TargetField` name such
/// as `email` or `unit_price`; `None` leaves the column out).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkColumn {
    /// The column's header as the file spells it.
    pub header: String,
    /// The field it fills.
    pub field: Option<String>,
}

/// What the user picked and confirmed. Everything left out is taken from
/// the file when it is certain, and asked for when it is not.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkCheckInput {
    /// The file's path, as the file picker or the command line gives it.
    pub path: String,
    /// The encoding's label (e.g. `windows-1252`), once confirmed.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub encoding: Option<String>,
    /// The delimiter: `,` `;` `|` or `\t`.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub delimiter: Option<String>,
    /// The mapping of every column, once confirmed.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub columns: Option<Vec<BulkColumn>>,
    /// The decimal separator of the file's numbers: `.` or `,`.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub decimal_separator: Option<String>,
    /// The thousands separator, if any (empty: none).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub thousands_separator: Option<String>,
    /// How dates are written besides ISO: `iso`, `day_month_year` or
    /// `month_day_year`.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub date_style: Option<String>,
    /// A saved mapping profile to start from; the fields above, when given,
    /// still win.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub profile: Option<String>,
    /// Saves what this check settled (encoding, delimiter, mapping, styles)
    /// as a profile of this name, once nothing is left to confirm.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub save_profile_as: Option<String>,
}

/// A problem with one row: what the report lists and the error download
/// holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkProblem {
    /// The file line of the row (the header is line 1).
    pub line: u64,
    /// The column's header, when the problem is one cell's.
    pub column: Option<String>,
    /// The field, e.g. `email` or `quantity`.
    pub field: String,
    /// The value the row gives.
    pub value: String,
    /// Why it is refused.
    pub reason: String,
}

/// What the valid invoices of one currency add up to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkCurrencyTotal {
    /// The ISO 4217 code.
    pub currency: String,
    /// How many invoices.
    pub invoices: u32,
    /// Their total, as decimal text.
    pub total: String,
}

/// The dry run: what the file holds and what sending it would do. It
/// writes nothing and sends nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkCheckReport {
    /// The file's name.
    pub file_name: String,
    /// The profile the check started from, or saved to.
    pub profile: Option<String>,
    /// The file's SHA-256: with the invoice key, what makes re-running it
    /// safe.
    pub sha256: String,
    /// The encoding read with.
    pub encoding: String,
    /// Whether the encoding is certain (BOM, valid UTF-8) or was confirmed.
    pub encoding_certain: bool,
    /// The delimiter.
    pub delimiter: String,
    /// The columns and the fields they fill.
    pub columns: Vec<BulkColumn>,
    /// The decimal separator the numbers are read with, if known.
    pub decimal_separator: Option<String>,
    /// The thousands separator, if any.
    pub thousands_separator: Option<String>,
    /// The date style, if known.
    pub date_style: Option<String>,
    /// What the user must decide before the rows can be read: `encoding`,
    /// `mapping`, `numbers`, `dates`. Empty once everything is known.
    pub needs_confirmation: Vec<String>,
    /// Fields two columns claim, or that no column fills but must.
    pub mapping_problems: Vec<String>,
    /// The first rows as parsed, for the mapping screen.
    pub preview: Vec<Vec<String>>,
    /// Data rows read (0 until everything is confirmed).
    pub rows: u64,
    /// Invoices that would be created.
    pub invoices: u32,
    /// Invoices that would not, because one of their rows is wrong.
    pub refused_invoices: u32,
    /// Of the invoices, how many would wait for an approver.
    pub needs_approval: u32,
    /// Customers that would be created (the others exist already).
    pub new_customers: u32,
    /// Totals per currency of the invoices that would be created.
    pub totals: Vec<BulkCurrencyTotal>,
    /// Every problem, in file order.
    pub problems: Vec<BulkProblem>,
}
