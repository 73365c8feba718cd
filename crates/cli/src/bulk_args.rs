//! The `invoicer bulk …` commands as clap parses them.

use clap::Subcommand;
use std::path::PathBuf;

/// `invoicer bulk …`.
#[derive(Debug, Subcommand)]
pub enum BulkCommand {
    /// Reads FILE.csv, checks every row and sends every valid invoice:
    /// creates, issues and emails them (through the outbox), or routes them
    /// to an approver. With `--dry-run` it only reports every invoice it
    /// would create and every row problem (line, column, value, reason),
    /// writing and sending nothing. Exits 1 when the encoding, the mapping,
    /// the number or the date style must be confirmed first (and prints what
    /// to confirm).
    Send {
        /// The CSV file.
        file: PathBuf,
        /// Check only: write nothing, send nothing.
        #[arg(long)]
        dry_run: bool,
        /// The file's encoding when it is not UTF-8 (e.g. windows-1252).
        #[arg(long)]
        encoding: Option<String>,
        /// The delimiter: , ; | or tab.
        #[arg(long)]
        delimiter: Option<String>,
        /// Maps a column: "HEADER=field" (a field name, or empty to leave it out); repeat.
        #[arg(long = "map")]
        map: Vec<String>,
        /// The numbers' decimal separator: . or ,
        #[arg(long)]
        decimal: Option<String>,
        /// The numbers' thousands separator, if any.
        #[arg(long)]
        thousands: Option<String>,
        /// How dates are written: iso, dmy (day.month.year) or mdy (month/day/year).
        #[arg(long)]
        dates: Option<String>,
        /// Starts from a saved mapping profile.
        #[arg(long)]
        profile: Option<String>,
        /// Saves the settled encoding, mapping and styles as a profile of this name.
        #[arg(long)]
        save_profile: Option<String>,
        /// Issue the invoices without emailing them.
        #[arg(long)]
        no_email: bool,
        /// At most this many emails a minute (for providers with limits).
        #[arg(long, value_name = "PER_MINUTE")]
        throttle: Option<u32>,
    },
    /// Lists the bulk jobs, newest first.
    List,
    /// Resumes an interrupted job where it stopped and runs it to its end.
    Resume {
        /// The job's id.
        job_id: i64,
    },
    /// Cancels a job: nothing after the invoice in hand is made.
    Cancel {
        /// The job's id.
        job_id: i64,
    },
    /// A job's report: its counts, failed invoices and row problems.
    Report {
        /// The job's id.
        job_id: i64,
        /// Also writes every problem to this CSV file (formula-neutralised).
        #[arg(long, value_name = "ERRORS.csv")]
        out: Option<PathBuf>,
    },
}
