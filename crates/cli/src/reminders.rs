//! `invoicer reminders list [--due]`, `invoicer invoice dispute|resolve-dispute`
//! and `invoicer customer reminders ID on|off`: payment reminders and
//! disputes, through the same use cases as the desktop app.

use crate::output::Output;
use clap::{Subcommand, ValueEnum};
use invoicer_app::api::*;
use invoicer_app::{AppResult, Invoicer, Session};

/// `invoicer reminders …`.
#[derive(Debug, Subcommand)]
pub enum RemindersCommand {
    /// Reminders sent and skipped (newest first) with their dates; with
    /// `--due`, the steps due today that the scheduler has not sent yet.
    List {
        /// Only the steps due now, not yet sent.
        #[arg(long)]
        due: bool,
    },
}

/// How a dispute ended, as typed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutcomeArg {
    /// The customer was right: reminders stay stopped; a credit note is owed.
    Upheld,
    /// The invoice stands: reminders resume with the next due step.
    Rejected,
}

impl From<OutcomeArg> for DisputeOutcome {
    fn from(o: OutcomeArg) -> Self {
        match o {
            OutcomeArg::Upheld => DisputeOutcome::Upheld,
            OutcomeArg::Rejected => DisputeOutcome::Rejected,
        }
    }
}

/// Whether a customer receives reminders, as typed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OnOff {
    /// Reminders go out (the default).
    On,
    /// The customer opted out.
    Off,
}

/// Runs a `reminders` command.
pub fn run(app: &Invoicer, s: &Session, cmd: RemindersCommand) -> AppResult<Output> {
    Ok(match cmd {
        RemindersCommand::List { due } => Output::Reminders(app.reminders(s, due)?),
    })
}

/// `invoicer customer reminders ID on|off`.
pub fn set_customer(app: &Invoicer, s: &Session, id: i64, state: OnOff) -> AppResult<Output> {
    let opt_out = app.set_customer_reminders(s, id, matches!(state, OnOff::Off))?;
    Ok(Output::CustomerReminders {
        customer_id: id,
        opt_out,
    })
}

/// The reminders as lines of text.
pub fn list_text(rows: &[ReminderView]) -> String {
    if rows.is_empty() {
        return "no reminders".into();
    }
    rows.iter()
        .map(|r| {
            let when = match r.recorded_on {
                Some(on) => format!("on {on} (due {})", r.due_on),
                None => format!("due {}", r.due_on),
            };
            let fee = r
                .late_fee
                .as_ref()
                .map(|f| format!(", late fee {f} {}", r.currency))
                .unwrap_or_default();
            format!(
                "{} ({}) step {} {} {} {when}, balance {} {}{fee}",
                r.invoice_number.as_deref().unwrap_or("-"),
                r.customer_name,
                r.step,
                r.tone,
                r.state,
                r.balance,
                r.currency
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A dispute as text: its state and what happens next.
pub fn dispute_text(d: &DisputeView) -> String {
    format!(
        "invoice {} dispute {} (opened {}, {}-day window until {}): {}\n{}",
        d.invoice_number.as_deref().unwrap_or("-"),
        d.state,
        d.opened_on,
        d.window_days,
        d.window_ends_on,
        d.reason,
        d.next
    )
}
