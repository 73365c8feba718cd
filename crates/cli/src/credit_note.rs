//! `invoicer credit-note create|list|pdf|send` and `invoicer payment refund`:
//! correcting issued invoices and paying money back, by the same rules as the
//! desktop app.

use crate::output::Output;
use chrono::NaiveDate;
use clap::Subcommand;
use invoicer_app::api::*;
use invoicer_app::{ApiError, AppResult, Invoicer, Session};
use std::path::PathBuf;

/// `invoicer credit-note …`.
#[derive(Debug, Subcommand)]
pub enum CreditNoteCommand {
    /// Issues a credit note against an issued invoice and prints its number:
    /// everything left (no --line or --amount), chosen lines, or an amount
    /// including tax (the tax is split off in proportion).
    Create {
        /// Invoice id.
        invoice_id: i64,
        /// A line to credit, by its number (from 1), wholly or `N:QTY` units
        /// of it; repeat for more lines.
        #[arg(long = "line", value_name = "N[:QTY]", conflicts_with = "amount")]
        lines: Vec<String>,
        /// An amount to credit, tax included.
        #[arg(long)]
        amount: Option<String>,
        /// Why the invoice is corrected (required).
        #[arg(long)]
        reason: String,
        /// Queue its email to the customer as well.
        #[arg(long)]
        send: bool,
    },
    /// Lists credit notes, oldest first: one invoice's, or all.
    List {
        /// Invoice id.
        invoice_id: Option<i64>,
    },
    /// Writes a credit note's archived PDF to a file.
    Pdf {
        /// Credit note id.
        id: i64,
        /// Output file.
        #[arg(long)]
        out: PathBuf,
    },
    /// Queues the email of a credit note issued without --send.
    Send {
        /// Credit note id.
        id: i64,
    },
}

/// `invoicer payment refund …`: the arguments.
#[derive(Debug, clap::Args)]
pub struct RefundArgs {
    /// Invoice id.
    pub invoice_id: i64,
    /// Amount paid back, in the invoice currency.
    #[arg(long)]
    pub amount: String,
    /// Day the money was paid back (YYYY-MM-DD).
    #[arg(long)]
    pub date: NaiveDate,
    /// bank_transfer (default), card, cash, cheque or other.
    #[arg(long)]
    pub method: Option<String>,
    /// Bank or processor reference.
    #[arg(long)]
    pub reference: Option<String>,
}

/// Reads `N` or `N:QTY`.
fn line_arg(i: usize, text: &str) -> AppResult<CreditLineInput> {
    let (n, q) = match text.split_once(':') {
        Some((n, q)) => (n, Some(q.trim().to_string())),
        None => (text, None),
    };
    let line = n.trim().parse::<u32>().map_err(|_| {
        ApiError::field(
            &format!("lines[{i}]"),
            text,
            "must be a line number (from 1), optionally followed by :QUANTITY",
        )
    })?;
    Ok(CreditLineInput { line, quantity: q })
}

/// Runs a `credit-note` command.
pub fn run(app: &Invoicer, s: &Session, cmd: CreditNoteCommand) -> AppResult<Output> {
    Ok(match cmd {
        CreditNoteCommand::Create {
            invoice_id,
            lines,
            amount,
            reason,
            send,
        } => {
            let lines = lines
                .iter()
                .enumerate()
                .map(|(i, t)| line_arg(i, t))
                .collect::<AppResult<Vec<_>>>()?;
            let issued = app.create_credit_note(
                s,
                &CreditNoteInput {
                    invoice_id,
                    lines,
                    amount,
                    reason,
                    send,
                },
            )?;
            Output::CreditNote(Box::new(issued.credit_note))
        }
        CreditNoteCommand::List { invoice_id } => {
            Output::CreditNotes(app.credit_notes(s, invoice_id)?)
        }
        CreditNoteCommand::Pdf { id, out } => {
            let pdf = app.save_credit_note_pdf(
                s,
                &SaveCreditNotePdfInput {
                    credit_note_id: id,
                    path: out.display().to_string(),
                },
            )?;
            Output::Written {
                path: out,
                bytes: pdf.bytes.len() as u64,
                sha256: pdf.sha256,
            }
        }
        CreditNoteCommand::Send { id } => crate::mail::queued(app.send_credit_note(s, id)?)?,
    })
}

/// Runs `payment refund`.
pub fn refund(app: &Invoicer, s: &Session, a: RefundArgs) -> AppResult<Output> {
    let screen = app.record_refund(
        s,
        &RefundInput {
            invoice_id: a.invoice_id,
            amount: a.amount,
            date: a.date,
            method: a.method,
            reference: a.reference,
        },
    )?;
    Ok(Output::Invoice(Box::new(screen.invoice)))
}

/// A credit note in one line, its number first (scripts read the number).
pub fn note_line(c: &CreditNoteView) -> String {
    format!(
        "{}  {}  credits {} (invoice {})  {} {} (tax {})  {}",
        c.number,
        c.issue_date,
        c.invoice_number,
        c.invoice_id,
        c.total,
        c.currency,
        c.tax,
        c.reason
    )
}

/// Credit notes, one per line.
pub fn notes_text(cs: &[CreditNoteView]) -> String {
    if cs.is_empty() {
        return "No credit notes.".to_string();
    }
    cs.iter().map(note_line).collect::<Vec<_>>().join("\n")
}
