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

/// Starting a bulk job from a file the user checked.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkStartInput {
    /// The file and everything confirmed for it, as the last check had it.
    pub check: BulkCheckInput,
    /// The SHA-256 the check reported: a file changed since it was checked
    /// is refused, so what runs is what the user saw.
    pub sha256: String,
    /// Whether issued invoices are emailed (queued in the outbox) or only
    /// issued.
    pub send: bool,
    /// At most this many emails a minute, for providers with limits; `None`
    /// for no limit.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub throttle_per_minute: Option<u32>,
}

/// How many of a job's invoices are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkCountsView {
    /// Data rows in the file.
    pub rows: u32,
    /// Invoices the rows describe (rows sharing an invoice key are one).
    pub invoices: u32,
    /// Made as drafts only.
    pub created: u32,
    /// Issued, not emailed.
    pub issued: u32,
    /// Waiting for an approver; emailed when approved.
    pub awaiting_approval: u32,
    /// Issued and queued in the outbox.
    pub queued_for_sending: u32,
    /// Of those, emails the mail server accepted.
    pub sent: u32,
    /// Not made because a row is wrong.
    pub invalid: u32,
    /// Made by an earlier run of the same file or references.
    pub already_invoiced: u32,
    /// Making them failed; nothing of them was kept.
    pub failed: u32,
    /// Not handled yet.
    pub pending: u32,
    /// Problems the report lists.
    pub row_errors: u32,
}

/// A bulk job as the list and the progress screen show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkJobView {
    /// The job's id.
    pub id: i64,
    /// The file's name.
    pub file_name: String,
    /// The file's SHA-256.
    pub file_sha256: String,
    /// `validating`, `ready`, `running`, `interrupted`, `cancelled` or
    /// `finished`.
    pub status: String,
    /// Whether it only checked the file.
    pub dry_run: bool,
    /// The emails-per-minute limit, if any.
    pub throttle_per_minute: Option<u32>,
    /// Who started it (their email).
    pub started_by: String,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// When it finished or was cancelled (RFC 3339).
    pub finished_at: Option<String>,
    /// Its counts, read from its rows.
    pub counts: BulkCountsView,
    /// Invoices handled so far (made, skipped, failed or invalid): the
    /// progress bar's position out of `counts.invoices`.
    pub handled: u32,
    /// Invoices handled per minute since it started, once it has handled
    /// some.
    pub rate_per_minute: Option<u32>,
    /// Seconds left at that rate, while it runs.
    pub eta_seconds: Option<u64>,
    /// Whether "Resume" applies (it was interrupted).
    pub can_resume: bool,
    /// Whether "Cancel" applies (it is not over).
    pub can_cancel: bool,
}

/// One invoice of a job and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkInvoiceRow {
    /// Its place among the file's invoices, from 0.
    pub position: u32,
    /// The line of its first row in the file (header = line 1).
    pub first_line: u32,
    /// The invoice key its rows share.
    pub invoice_key: String,
    /// `pending`, `invalid`, `created`, `issued`, `awaiting_approval`,
    /// `queued_for_sending`, `skipped_already_invoiced` or `failed`.
    pub status: String,
    /// The invoice made (or made before, when skipped).
    pub invoice_id: Option<i64>,
    /// Its number, once issued.
    pub invoice_number: Option<String>,
    /// Why it failed, for `failed`.
    pub error: Option<String>,
}

/// Which part of a job's report to read.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkReportQuery {
    /// The job.
    pub job_id: i64,
    /// Only invoices in this state (a `BulkInvoiceRow::status` name).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub status: Option<String>,
    /// Invoices after this position (the previous page's `next_after`).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub after_position: Option<u32>,
    /// At most this many invoices (default 100, at most 1,000).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub limit: Option<u32>,
}

/// A job's report: the job, one page of its invoices, and its first
/// problems (all of them are in the errors download).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkJobReport {
    /// The job with its counts.
    pub job: BulkJobView,
    /// One page of its invoices, in file order.
    pub invoices: Vec<BulkInvoiceRow>,
    /// The position to ask for the next page after; `None` on the last.
    pub next_after: Option<u32>,
    /// Its first problems, in file order (at most 1,000).
    pub problems: Vec<BulkProblem>,
}

/// The file the person picked in the native open dialog and its first check,
/// in one answer: the page keeps the path to check the file again as the
/// person confirms its mapping, without any file-system permission of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BulkPickedFile {
    /// The file's path, as the dialog gave it.
    pub path: String,
    /// The check of the file with nothing confirmed yet.
    pub report: BulkCheckReport,
}
