//! Bank statement reconciliation: importing a statement CSV, the lines that
//! wait for a person, and confirming or dismissing them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What to import, and how to read it. Everything left out is taken from
/// the file (headers mapped by name, styles as sniffed) or the named profile.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementImportInput {
    /// The file's path, as the file picker or the command line gives it.
    pub path: String,
    /// A saved statement profile to read the file with.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub profile: Option<String>,
    /// The file's encoding (a WHATWG label such as `windows-1252`), once a
    /// person confirmed it; required when the file's encoding is a guess.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub encoding: Option<String>,
    /// The columns and the fields they fill (`date`, `amount`, `reference`,
    /// `counterparty`, `iban`), overriding the auto-mapping; headers not
    /// listed are left out.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub columns: Option<Vec<StatementColumnView>>,
    /// The decimal separator of the amounts: `.` or `,`.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub decimal: Option<String>,
    /// The date order: `iso`, `day_month_year` or `month_day_year`.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub dates: Option<String>,
    /// Saves the mapping used under this name (not on a dry run).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub save_profile: Option<String>,
    /// Reads and matches, writes nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// One column of a statement and the field it fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementColumnView {
    /// The column's header as the file spells it.
    pub header: String,
    /// The field it fills, or none.
    pub field: Option<String>,
}

/// An invoice a line could pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MatchCandidateView {
    /// The invoice's id.
    pub invoice_id: i64,
    /// Its number.
    pub number: String,
    /// Its customer.
    pub customer: String,
    /// Its balance now, as a decimal string.
    pub balance: String,
}

/// One statement line and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementLineView {
    /// The stored line's id (none for a row that could not be read, or on a
    /// dry run).
    pub line_id: Option<i64>,
    /// The line of the file (header = 1).
    pub file_line: u64,
    /// `applied`, `proposed`, `ambiguous`, `unmatched`, `money_out`,
    /// `dismissed`, `error` or `already_imported`.
    pub status: String,
    /// Why it was proposed: `reference_above_balance`, `amount_and_customer`
    /// or `amount_only`.
    pub basis: Option<String>,
    /// The booking day (YYYY-MM-DD).
    pub date: Option<String>,
    /// The amount as a decimal string.
    pub amount: Option<String>,
    /// The reference or description.
    pub reference: Option<String>,
    /// The counterparty.
    pub counterparty: Option<String>,
    /// The invoice paid or proposed.
    pub invoice_id: Option<i64>,
    /// Its number.
    pub invoice_number: Option<String>,
    /// The payment recorded, once applied.
    pub payment_id: Option<i64>,
    /// The invoices a person can pick from.
    pub candidates: Vec<MatchCandidateView>,
    /// For `error`: the field, the value and why.
    pub error: Option<StatementRowError>,
    /// For a line applied earlier or refused now, a sentence saying why.
    pub note: Option<String>,
}

/// Why a row of the statement could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementRowError {
    /// The field (`date`, `amount`, … or `row`).
    pub field: String,
    /// The value as the file has it.
    pub value: String,
    /// Why it was refused.
    pub reason: String,
}

/// How many lines ended how.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementCounts {
    /// Recorded as payments by this import.
    pub applied: u32,
    /// One invoice proposed.
    pub proposed: u32,
    /// Several candidates.
    pub ambiguous: u32,
    /// No invoice found.
    pub unmatched: u32,
    /// Money going out (listed, not matched).
    pub money_out: u32,
    /// Rows that could not be read.
    pub errors: u32,
    /// Lines imported before (nothing applied again).
    pub already_imported: u32,
}

/// The outcome of an import (or its dry run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementImportReport {
    /// Whether nothing was written.
    pub dry_run: bool,
    /// The mapping the file was read with.
    pub columns: Vec<StatementColumnView>,
    /// Every line, in file order.
    pub lines: Vec<StatementLineView>,
    /// The counts.
    pub counts: StatementCounts,
}

/// The mapping step: how the file would be read, and (once date, amount and
/// reference are mapped) what importing it would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementPreview {
    /// The file's path, to send back with the import.
    pub path: String,
    /// Each column of the file and the field it fills now.
    pub columns: Vec<StatementColumnView>,
    /// The required fields no column fills yet.
    pub missing: Vec<String>,
    /// The encoding the file is read with (a WHATWG label).
    pub encoding: String,
    /// Whether that encoding is only a guess a person must confirm (by
    /// sending it back as `encoding`) before the file is imported.
    pub encoding_guessed: bool,
    /// The decimal separator the amounts are read with.
    pub decimal: String,
    /// The date order the days are read with.
    pub dates: String,
    /// The dry run, when the mapping is complete.
    pub report: Option<StatementImportReport>,
    /// The saved statement profiles.
    pub profiles: Vec<String>,
}

/// A person's decision on a statement line.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatementDecisionInput {
    /// The statement line.
    pub line_id: i64,
    /// The invoice it pays (required for ambiguous and unmatched lines).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub invoice_id: Option<i64>,
}
