//! `invoicer approval list | approve ID [--send|--no-send] | reject ID
//! --reason R`: the approvers' queue and their decisions, checked by the
//! same rules as the desktop app (four eyes across levels).

use crate::output::Output;
use clap::Subcommand;
use invoicer_app::api::*;
use invoicer_app::{AppResult, Invoicer, Session};

/// `invoicer approval …`.
#[derive(Debug, Subcommand)]
pub enum ApprovalCommand {
    /// The invoices waiting for approval, oldest first, with whether you may
    /// decide each (and why not).
    List,
    /// Approves an invoice at its next level; the last level issues it.
    Approve {
        /// Invoice id.
        id: i64,
        /// Queue its email when the approval issues it.
        #[arg(long, conflicts_with = "no_send")]
        send: bool,
        /// Do not email it, even if it was made to be sent on approval.
        #[arg(long)]
        no_send: bool,
    },
    /// Rejects an invoice back to its maker, who sees the reason.
    Reject {
        /// Invoice id.
        id: i64,
        /// Why (required).
        #[arg(long)]
        reason: String,
    },
}

/// Runs an `approval` command.
pub fn run(app: &Invoicer, s: &Session, cmd: ApprovalCommand) -> AppResult<Output> {
    Ok(match cmd {
        ApprovalCommand::List => Output::ApprovalQueue(app.approval_queue(s)?),
        ApprovalCommand::Approve { id, send, no_send } => {
            let send = match (send, no_send) {
                (true, _) => Some(true),
                (_, true) => Some(false),
                _ => None,
            };
            let screen = app.approve_invoice_with(
                s,
                &ApproveInput {
                    invoice_id: id,
                    send,
                },
            )?;
            Output::Invoice(Box::new(screen.invoice))
        }
        ApprovalCommand::Reject { id, reason } => {
            Output::Invoice(Box::new(app.reject_invoice(s, id, &reason)?.invoice))
        }
    })
}

/// The queue as text: one line per invoice, then how many wait for you.
pub fn queue_text(q: &ApprovalQueue) -> String {
    let mut out: Vec<String> = q
        .rows
        .iter()
        .map(|r| {
            format!(
                "{:>6}  {:<28} {:>14} {} ({} {})  by {}  {}d  level {}/{}  {}{}",
                r.invoice_id,
                r.customer_name,
                r.total,
                r.currency,
                r.converted_total,
                r.company_currency,
                r.maker,
                r.age_days,
                r.level,
                r.approvers_required,
                r.rule,
                match &r.refusal {
                    None => String::new(),
                    Some(why) => format!("  — not yours: {why}"),
                }
            )
        })
        .collect();
    out.push(format!(
        "{} waiting, {} for you",
        q.rows.len(),
        q.waiting_for_you
    ));
    out.join("\n")
}

/// What an invoice's screen says about its approval: the rule, the level
/// waiting and who may decide it, the approvals given, the latest rejection.
pub fn status_lines(a: &ApprovalStatusView) -> Vec<String> {
    let mut out = vec![format!(
        "Approval: {} ({} {}{})",
        a.rule,
        a.converted_total,
        a.company_currency,
        a.exchange_rate
            .as_deref()
            .map(|r| format!(" at {r}"))
            .unwrap_or_default()
    )];
    if let Some(level) = a.next_level {
        out.push(format!(
            "  waiting for level {level} of {}: {} may decide",
            a.approvers_required, a.who_may_decide
        ));
    }
    for d in &a.approvals {
        out.push(format!(
            "  level {} approved by {} at {}",
            d.level, d.approver, d.decided_at
        ));
    }
    if let Some(r) = &a.rejection {
        out.push(format!(
            "  rejected by {} at {}: {}",
            r.approver,
            r.decided_at,
            r.reason.as_deref().unwrap_or("")
        ));
    }
    out
}
