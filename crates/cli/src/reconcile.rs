//! `invoicer payment import FILE.csv [--dry-run]`, `payment matches`,
//! `payment confirm LINE_ID [--invoice ID]` and `payment dismiss LINE_ID`:
//! bank statement reconciliation, the same use cases the Reconciliation
//! screen calls. A line's number is its line in the file (header = 1).

use crate::output::Output;
use clap::Subcommand;
use invoicer_app::api::*;
use invoicer_app::{ApiError, AppResult, Invoicer, Session};
use serde::Serialize;
use std::path::PathBuf;

/// The reconciliation subcommands of `invoicer payment`.
#[derive(Debug, Subcommand)]
pub enum ReconcileCommand {
    /// Imports a bank statement CSV: applies payments whose reference names
    /// an open invoice, proposes the rest for confirmation. Lines imported
    /// before are reported as already imported and never applied twice.
    Import {
        /// The statement (CSV with date, amount, reference; optionally
        /// counterparty name and IBAN).
        file: PathBuf,
        /// Read and match only: write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Reads the file with a saved statement profile.
        #[arg(long)]
        profile: Option<String>,
        /// Saves the mapping used as a profile of this name.
        #[arg(long)]
        save_profile: Option<String>,
        /// The file's encoding when it is not UTF-8 (e.g. windows-1252); a
        /// guessed encoding must be confirmed with it before importing.
        #[arg(long)]
        encoding: Option<String>,
        /// Maps a column: "HEADER=field" (date, amount, reference,
        /// counterparty, iban; empty to leave it out); repeat. Unmapped
        /// headers are left out.
        #[arg(long = "map")]
        map: Vec<String>,
        /// The amounts' decimal separator: . or ,
        #[arg(long)]
        decimal: Option<String>,
        /// How dates are written: iso, day_month_year or month_day_year.
        #[arg(long)]
        dates: Option<String>,
    },
    /// Lists the statement lines waiting for a decision (proposed,
    /// ambiguous, unmatched) with the invoices they could pay.
    Matches,
    /// Applies a statement line as a bank-transfer payment: of the proposed
    /// invoice, or of --invoice (required for ambiguous and unmatched lines).
    Confirm {
        /// The statement line's id (from `payment import` or `payment matches`).
        line_id: i64,
        /// The invoice it pays.
        #[arg(long)]
        invoice: Option<i64>,
    },
    /// Marks a statement line as paying no invoice.
    Dismiss {
        /// The statement line's id.
        line_id: i64,
    },
}

/// What a reconciliation command printed.
pub enum ReconcileOutput {
    /// An import's report.
    Import(Box<StatementImportReport>),
    /// Lines waiting for a decision.
    Lines(Vec<StatementLineView>),
    /// One line after a decision.
    Line(Box<StatementLineView>),
}

/// Runs a reconciliation command.
pub fn run(app: &Invoicer, s: &Session, cmd: ReconcileCommand) -> AppResult<Output> {
    Ok(Output::Reconciliation(match cmd {
        ReconcileCommand::Import {
            file,
            dry_run,
            profile,
            save_profile,
            encoding,
            map,
            decimal,
            dates,
        } => {
            let columns = if map.is_empty() {
                None
            } else {
                Some(
                    map.iter()
                        .map(|m| {
                            let (h, f) = m
                                .split_once('=')
                                .ok_or_else(|| ApiError::field("map", m, "must be HEADER=field"))?;
                            Ok(StatementColumnView {
                                header: h.to_string(),
                                field: Some(f.trim().to_string()).filter(|f| !f.is_empty()),
                            })
                        })
                        .collect::<AppResult<Vec<_>>>()?,
                )
            };
            ReconcileOutput::Import(Box::new(app.import_statement(
                s,
                &StatementImportInput {
                    path: file.to_string_lossy().into_owned(),
                    profile,
                    encoding,
                    columns,
                    decimal,
                    dates,
                    save_profile,
                    dry_run,
                },
            )?))
        }
        ReconcileCommand::Matches => ReconcileOutput::Lines(app.statement_matches(s)?),
        ReconcileCommand::Confirm { line_id, invoice } => {
            ReconcileOutput::Line(Box::new(app.confirm_statement_line(s, line_id, invoice)?))
        }
        ReconcileCommand::Dismiss { line_id } => {
            ReconcileOutput::Line(Box::new(app.dismiss_statement_line(s, line_id)?))
        }
    }))
}

impl ReconcileOutput {
    /// The JSON printed with `--json`.
    pub fn json(&self) -> serde_json::Value {
        fn v<T: Serialize>(t: &T) -> serde_json::Value {
            serde_json::to_value(t).unwrap_or(serde_json::Value::Null)
        }
        match self {
            ReconcileOutput::Import(r) => v(r),
            ReconcileOutput::Lines(l) => v(l),
            ReconcileOutput::Line(l) => v(l),
        }
    }

    /// The text printed for people.
    pub fn text(&self) -> String {
        match self {
            ReconcileOutput::Import(r) => {
                let c = &r.counts;
                let mut out: Vec<String> = r.lines.iter().map(line_text).collect();
                out.push(format!(
                    "{}{} applied, {} proposed, {} ambiguous, {} unmatched, {} money out, {} errors, {} already imported",
                    if r.dry_run { "dry run (nothing written): " } else { "" },
                    c.applied, c.proposed, c.ambiguous, c.unmatched, c.money_out, c.errors, c.already_imported
                ));
                out.join("\n")
            }
            ReconcileOutput::Lines(ls) if ls.is_empty() => {
                "no statement lines wait for a decision".into()
            }
            ReconcileOutput::Lines(ls) => ls.iter().map(line_text).collect::<Vec<_>>().join("\n"),
            ReconcileOutput::Line(l) => line_text(l),
        }
    }
}

fn line_text(l: &StatementLineView) -> String {
    let id = l
        .line_id
        .map(|i| format!("#{i}"))
        .unwrap_or_else(|| "-".into());
    if let Some(e) = &l.error {
        return format!(
            "line {:>4} {:<6} error: {} {:?} {}",
            l.file_line, id, e.field, e.value, e.reason
        );
    }
    let what = match (l.invoice_number.as_deref(), l.candidates.len()) {
        (Some(n), _) => n.to_string(),
        (None, 0) => String::new(),
        (None, _) => format!(
            "candidates {}",
            l.candidates
                .iter()
                .map(|c| format!("{} (id {})", c.number, c.invoice_id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!(
        "line {:>4} {:<6} {:<16} {} {:>12} {:<30} {}{}",
        l.file_line,
        id,
        l.status,
        l.date.as_deref().unwrap_or(""),
        l.amount.as_deref().unwrap_or(""),
        l.reference.as_deref().unwrap_or(""),
        what,
        l.note
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default()
    )
}
