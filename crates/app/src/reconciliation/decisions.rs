//! The lines waiting for a person, and their decisions: confirm a proposal
//! (or pick the invoice of an ambiguous or unmatched line), or dismiss it.

use crate::api::{MatchCandidateView, StatementLineView};
use crate::drafts::load;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::reconciliation::LineStatus;
use invoicer_store::{StoredStatementLine, Tx};
use serde_json::json;

impl Invoicer {
    /// The statement lines waiting for a decision (proposed, ambiguous,
    /// unmatched), oldest first, each with the invoices it could pay.
    pub fn statement_matches(&self, session: &Session) -> AppResult<Vec<StatementLineView>> {
        session.require(Permission::View)?;
        self.store.read(|tx| {
            tx.open_statement_lines()?
                .iter()
                .map(|l| stored_view(tx, l))
                .collect()
        })
    }

    /// Applies a line as a bank-transfer payment: of the invoice it proposes,
    /// or of `invoice_id` (required for an ambiguous or unmatched line). The
    /// payment and the line's `applied` mark are one transaction, so a line
    /// is applied at most once.
    pub fn confirm_statement_line(
        &self,
        session: &Session,
        line_id: i64,
        invoice_id: Option<i64>,
    ) -> AppResult<StatementLineView> {
        session.require(Permission::ManageInvoices)?;
        let view = self.store.write(|tx| {
            let stored = line(tx, line_id)?;
            if !stored.status.is_open() {
                return Err(not_open(&stored));
            }
            let target = match (invoice_id, stored.status, stored.invoice_id) {
                (Some(id), _, _) => id,
                (None, LineStatus::Proposed, Some(id)) => id,
                _ => {
                    let ids: Vec<String> = stored.candidates.iter().map(i64::to_string).collect();
                    return Err(ApiError::field(
                        "invoice",
                        "",
                        &if ids.is_empty() {
                            format!("must be given: statement line {line_id} is unmatched")
                        } else {
                            format!(
                                "must be given: statement line {line_id} is ambiguous (candidates {})",
                                ids.join(", ")
                            )
                        },
                    ));
                }
            };
            load(tx, target)?;
            self.apply_in(tx, session, line_id, target, &stored.line)?;
            stored_view(tx, &line(tx, line_id)?)
        })?;
        if let Some(id) = view.invoice_id {
            self.publish(crate::api::AppEvent::InvoiceChanged { invoice_id: id });
        }
        Ok(view)
    }

    /// Marks a waiting line as paying no invoice.
    pub fn dismiss_statement_line(
        &self,
        session: &Session,
        line_id: i64,
    ) -> AppResult<StatementLineView> {
        session.require(Permission::ManageInvoices)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            let stored = line(tx, line_id)?;
            if !tx.dismiss_statement_line(line_id, session.user().id, now)? {
                return Err(not_open(&stored));
            }
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "reconciliation.dismissed",
                    format!("statement_line:{line_id}"),
                    json!({"was": stored.status.as_str(), "amount": stored.line.amount.to_string()}),
                ),
                now,
            )?;
            stored_view(tx, &line(tx, line_id)?)
        })
    }
}

fn line(tx: &Tx<'_>, id: i64) -> AppResult<StoredStatementLine> {
    tx.statement_line(id)?.ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            format!("statement line {id} does not exist"),
        )
    })
}

fn not_open(l: &StoredStatementLine) -> ApiError {
    ApiError::new(
        ErrorCode::Conflict,
        match l.payment_id {
            Some(p) => format!("statement line {} is already applied (payment {p})", l.id),
            None => format!(
                "statement line {} is {} and waits for no decision",
                l.id,
                l.status.as_str()
            ),
        },
    )
}

/// A stored line as the API shows it, its invoice and candidates by number.
pub(crate) fn stored_view(tx: &Tx<'_>, l: &StoredStatementLine) -> AppResult<StatementLineView> {
    let describe = |id: i64| -> AppResult<MatchCandidateView> {
        let inv = load(tx, id)?;
        Ok(MatchCandidateView {
            invoice_id: id,
            number: inv.number.clone().unwrap_or_default(),
            customer: inv.content.customer.name.clone(),
            balance: inv.balance().to_string(),
        })
    };
    let mut candidates = Vec::new();
    let ids = if l.candidates.is_empty() {
        l.invoice_id.into_iter().collect::<Vec<_>>()
    } else {
        l.candidates.clone()
    };
    for id in ids {
        candidates.push(describe(id)?);
    }
    let invoice_number = match l.invoice_id {
        Some(id) => Some(describe(id)?.number),
        None => None,
    };
    Ok(StatementLineView {
        line_id: Some(l.id),
        file_line: l.file_line,
        status: l.status.as_str().into(),
        basis: l.basis.map(|b| b.as_str().into()),
        date: Some(l.line.date.to_string()),
        amount: Some(l.line.amount.to_string()),
        reference: Some(l.line.reference.clone()),
        counterparty: l.line.counterparty.clone(),
        invoice_id: l.invoice_id,
        invoice_number,
        payment_id: l.payment_id,
        candidates,
        error: None,
        note: None,
    })
}
