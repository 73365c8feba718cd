//! Bank statement reconciliation: importing a statement (read with bulk
//! send's machinery, each line stored once by its fingerprint, matched by
//! the domain's `match_line`), and the lines a person confirms or dismisses.
//!
//! Each line is stored, matched and (for an exact match) recorded as a
//! payment in its own write transaction, through the same
//! `record_payment_in` as a payment typed by hand: a crash leaves every line
//! either wholly imported (and applied) or not at all, and importing the
//! file again stores and applies only what is missing.

mod decisions;
mod reading;

use crate::api::{
    AppEvent, MatchCandidateView, NotificationView, StatementCounts, StatementImportInput,
    StatementImportReport, StatementLineView, StatementPreview, StatementRowError,
};
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::bulk_mapping::DateStyle;
use invoicer_domain::payment::PaymentMethod;
use invoicer_domain::reconciliation::{
    fingerprint, match_line, MatchOutcome, OpenInvoice, StatementLine,
};
use invoicer_domain::statement_mapping::StatementProfile;
use invoicer_store::{NewStatementLine, StoredStatementLine, Tx};
use serde_json::json;
use std::collections::HashMap;

impl Invoicer {
    /// Imports a bank statement CSV (or, with `dry_run`, says what importing
    /// it would do and writes nothing). Lines imported before are reported
    /// as `already_imported` and nothing is applied twice.
    pub fn import_statement(
        &self,
        session: &Session,
        input: &StatementImportInput,
    ) -> AppResult<StatementImportReport> {
        session.require(Permission::ManageInvoices)?;
        let bytes = std::fs::read(&input.path)
            .map_err(|e| ApiError::field("path", &input.path, &format!("cannot be read: {e}")))?;
        let saved = self.saved_profile(input)?;
        let settled = reading::settle_profile(input, &bytes, saved)?;
        let profile = settled.profile;
        if settled.encoding_guessed && !input.dry_run {
            return Err(ApiError::field(
                "encoding",
                &profile.encoding,
                "was guessed from the file's bytes (it has no byte-order mark and is not UTF-8); confirm it, or name the right one, before importing",
            ));
        }
        let rows = reading::read_rows(&input.path, &bytes, &profile)?;
        if !input.dry_run {
            if let Some(name) = input
                .save_profile
                .as_deref()
                .filter(|n| !n.trim().is_empty())
            {
                let mut p = profile.clone();
                p.name = name.trim().to_string();
                let now = self.clock.now();
                self.store.write(|tx| tx.save_statement_profile(&p, now))?;
            }
        }
        let mut open = self.store.read(|tx| tx.open_invoices_for_matching())?;
        let mut report = StatementImportReport {
            dry_run: input.dry_run,
            columns: reading::column_views(&profile),
            lines: Vec::new(),
            counts: StatementCounts::default(),
        };
        let mut seen: HashMap<String, u32> = HashMap::new();
        for (file_line, row) in rows {
            let view = match row {
                Err(error) => error_view(file_line, error),
                Ok(line) => {
                    // The n-th identical line of a file is its own line.
                    let first = fingerprint(&line, 0);
                    let n = seen.entry(first).or_insert(0);
                    let print = fingerprint(&line, *n);
                    *n += 1;
                    if input.dry_run {
                        self.preview_line(&line, file_line, &print, &mut open)?
                    } else {
                        self.import_line(session, &line, file_line, &print, &mut open)?
                    }
                }
            };
            count(&mut report.counts, &view.status);
            report.lines.push(view);
        }
        if report.counts.applied > 0 && !input.dry_run {
            self.publish(AppEvent::Notification(NotificationView {
                title: match report.counts.applied {
                    1 => "1 payment reconciled".to_string(),
                    n => format!("{n} payments reconciled"),
                },
                body: format!(
                    "{} payments from the bank statement were recorded; {} lines wait for a decision.",
                    report.counts.applied,
                    report.counts.proposed + report.counts.ambiguous + report.counts.unmatched
                ),
                topic: "reconciliation".into(),
            }));
        }
        Ok(report)
    }

    /// The mapping step of the Reconciliation screen: the columns as mapped
    /// (auto-mapped, from the named profile, or as the person set them),
    /// what is still missing, and the dry run once nothing is.
    pub fn preview_statement(
        &self,
        session: &Session,
        input: &StatementImportInput,
    ) -> AppResult<StatementPreview> {
        session.require(Permission::ManageInvoices)?;
        let bytes = std::fs::read(&input.path)
            .map_err(|e| ApiError::field("path", &input.path, &format!("cannot be read: {e}")))?;
        let saved = self.saved_profile(input)?;
        let settled = reading::settle_unchecked(input, &bytes, saved)?;
        let profile = settled.profile;
        let missing: Vec<String> = profile
            .missing_fields()
            .iter()
            .map(|f| f.as_str().to_string())
            .collect();
        let report = if missing.is_empty() {
            let mut dry = input.clone();
            dry.dry_run = true;
            dry.profile = None;
            dry.columns = Some(reading::column_views(&profile));
            dry.decimal = Some(profile.numbers.decimal.to_string());
            dry.dates = Some(date_style_name(profile.dates).into());
            dry.encoding = Some(profile.encoding.clone());
            Some(self.import_statement(session, &dry)?)
        } else {
            None
        };
        Ok(StatementPreview {
            path: input.path.clone(),
            columns: reading::column_views(&profile),
            missing,
            encoding: profile.encoding.clone(),
            encoding_guessed: settled.encoding_guessed,
            decimal: profile.numbers.decimal.to_string(),
            dates: date_style_name(profile.dates).into(),
            report,
            profiles: self.statement_profiles(session)?,
        })
    }

    /// The names of the saved statement profiles.
    pub fn statement_profiles(&self, session: &Session) -> AppResult<Vec<String>> {
        session.require(Permission::View)?;
        Ok(self
            .store
            .read(|tx| tx.statement_profiles())?
            .into_iter()
            .map(|p| p.name)
            .collect())
    }

    fn saved_profile(&self, input: &StatementImportInput) -> AppResult<Option<StatementProfile>> {
        match input.profile.as_deref().filter(|n| !n.trim().is_empty()) {
            None => Ok(None),
            Some(name) => Ok(Some(
                self.store
                    .read(|tx| tx.statement_profile(name))?
                    .ok_or_else(|| {
                        ApiError::field("profile", name, "is not a saved statement profile")
                    })?,
            )),
        }
    }

    /// What importing one line would do, read only.
    fn preview_line(
        &self,
        line: &StatementLine,
        file_line: u64,
        print: &str,
        open: &mut Vec<OpenInvoice>,
    ) -> AppResult<StatementLineView> {
        if let Some(stored) = self
            .store
            .read(|tx| tx.statement_line_by_fingerprint(print))?
        {
            return self
                .store
                .read(|tx| already_imported(tx, &stored, file_line));
        }
        let outcome = match_line(line, open);
        let mut view = outcome_view(line, file_line, None, &outcome, open);
        if let MatchOutcome::Exact { invoice_id } = outcome {
            view.status = "applied".into();
            settle(open, invoice_id, line.amount);
        }
        Ok(view)
    }

    /// Stores one line, and applies it when it is an exact match, in one
    /// write transaction.
    fn import_line(
        &self,
        session: &Session,
        line: &StatementLine,
        file_line: u64,
        print: &str,
        open: &mut Vec<OpenInvoice>,
    ) -> AppResult<StatementLineView> {
        let outcome = match_line(line, open);
        let now = self.clock.now();
        let by = session.user().id;
        let view = self.store.write(|tx| {
            let basis = match &outcome {
                MatchOutcome::Proposed { basis, .. } => Some(*basis),
                _ => None,
            };
            let invoice_id = match &outcome {
                MatchOutcome::Exact { invoice_id } | MatchOutcome::Proposed { invoice_id, .. } => {
                    Some(*invoice_id)
                }
                _ => None,
            };
            let candidates = match &outcome {
                MatchOutcome::Ambiguous { candidates } => candidates.clone(),
                _ => Vec::new(),
            };
            let new = NewStatementLine {
                fingerprint: print,
                line,
                file_line,
                status: outcome.status(),
                basis,
                invoice_id,
                candidates: &candidates,
                imported_by: by,
            };
            let Some(id) = tx.insert_statement_line(&new, now)? else {
                let stored = tx
                    .statement_line_by_fingerprint(print)?
                    .ok_or_else(|| ApiError::new(ErrorCode::Storage, "statement line vanished"))?;
                return already_imported(tx, &stored, file_line);
            };
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "reconciliation.imported",
                    format!("statement_line:{id}"),
                    json!({"file_line": file_line, "date": line.date.to_string(),
                           "amount": line.amount.to_string(), "reference": line.reference,
                           "outcome": outcome, "fingerprint": print}),
                ),
                now,
            )?;
            let mut view = outcome_view(line, file_line, Some(id), &outcome, open);
            if let MatchOutcome::Exact { invoice_id } = outcome {
                crate::fault_points::reached("reconcile_applying");
                match self.apply_in(tx, session, id, invoice_id, line) {
                    Ok(payment_id) => {
                        view.status = "applied".into();
                        view.payment_id = Some(payment_id);
                    }
                    // Refused by the payment rules (the balance changed since
                    // it was read): nothing was written for the payment, and
                    // the line stays proposed for a person.
                    Err(e)
                        if e.code == ErrorCode::Validation || e.code == ErrorCode::InvalidState =>
                    {
                        view.note = Some(e.message);
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok(view)
        })?;
        if view.status == "applied" {
            if let Some(id) = view.invoice_id {
                settle(open, id, line.amount);
                self.publish(AppEvent::InvoiceChanged { invoice_id: id });
            }
        }
        Ok(view)
    }

    /// Records `line` as a payment of `invoice_id` and marks the stored line
    /// applied, in `tx`: the payment's id. A line already applied is refused
    /// (the compare-and-set finds nothing to change) and the error rolls the
    /// payment back with the transaction.
    pub(crate) fn apply_in(
        &self,
        tx: &Tx<'_>,
        session: &Session,
        line_id: i64,
        invoice_id: i64,
        line: &StatementLine,
    ) -> AppResult<i64> {
        let reference = Some(line.reference.as_str()).filter(|r| !r.trim().is_empty());
        let payment = self.record_payment_in(
            tx,
            session,
            invoice_id,
            line.amount,
            line.date,
            PaymentMethod::BankTransfer,
            reference,
        )?;
        let now = self.clock.now();
        if !tx.mark_statement_line_applied(
            line_id,
            invoice_id,
            payment.id,
            session.user().id,
            now,
        )? {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("statement line {line_id} is already applied or is money going out"),
            ));
        }
        tx.append_audit(
            NewAuditEvent::new(
                Some(session.actor()),
                "reconciliation.applied",
                // On the invoice, so its activity shows where the payment came from.
                format!("invoice:{invoice_id}"),
                json!({"statement_line": line_id, "payment_id": payment.id,
                       "amount": line.amount.to_string(), "date": line.date.to_string()}),
            ),
            now,
        )?;
        Ok(payment.id)
    }
}

/// Lowers the in-memory balance after a payment, so a second line of the
/// same file paying the same invoice is matched against what is left.
fn settle(open: &mut Vec<OpenInvoice>, invoice_id: i64, amount: invoicer_domain::Decimal) {
    if let Some(inv) = open.iter_mut().find(|i| i.id == invoice_id) {
        inv.balance -= amount;
    }
    open.retain(|i| i.balance > invoicer_domain::Decimal::ZERO);
}

fn date_style_name(d: DateStyle) -> &'static str {
    match d {
        DateStyle::Iso => "iso",
        DateStyle::DayMonthYear => "day_month_year",
        DateStyle::MonthDayYear => "month_day_year",
    }
}

fn count(c: &mut StatementCounts, status: &str) {
    match status {
        "applied" => c.applied += 1,
        "proposed" => c.proposed += 1,
        "ambiguous" => c.ambiguous += 1,
        "unmatched" => c.unmatched += 1,
        "money_out" => c.money_out += 1,
        "error" => c.errors += 1,
        _ => c.already_imported += 1,
    }
}

fn error_view(file_line: u64, error: StatementRowError) -> StatementLineView {
    StatementLineView {
        line_id: None,
        file_line,
        status: "error".into(),
        basis: None,
        date: None,
        amount: None,
        reference: None,
        counterparty: None,
        invoice_id: None,
        invoice_number: None,
        payment_id: None,
        candidates: Vec::new(),
        error: Some(error),
        note: None,
    }
}

fn base_view(line: &StatementLine, file_line: u64, line_id: Option<i64>) -> StatementLineView {
    StatementLineView {
        line_id,
        file_line,
        status: String::new(),
        basis: None,
        date: Some(line.date.to_string()),
        amount: Some(line.amount.to_string()),
        reference: Some(line.reference.clone()),
        counterparty: line.counterparty.clone(),
        invoice_id: None,
        invoice_number: None,
        payment_id: None,
        candidates: Vec::new(),
        error: None,
        note: None,
    }
}

fn candidate(inv: &OpenInvoice) -> MatchCandidateView {
    MatchCandidateView {
        invoice_id: inv.id,
        number: inv.number.clone(),
        customer: inv.customer_names.first().cloned().unwrap_or_default(),
        balance: inv.balance.to_string(),
    }
}

fn outcome_view(
    line: &StatementLine,
    file_line: u64,
    line_id: Option<i64>,
    outcome: &MatchOutcome,
    open: &[OpenInvoice],
) -> StatementLineView {
    let mut v = base_view(line, file_line, line_id);
    v.status = outcome.status().as_str().into();
    if let MatchOutcome::Proposed { basis, .. } = outcome {
        v.basis = Some(basis.as_str().into());
    }
    v.candidates = outcome
        .candidates()
        .iter()
        .filter_map(|id| open.iter().find(|i| i.id == *id))
        .map(candidate)
        .collect();
    if let MatchOutcome::Exact { invoice_id } | MatchOutcome::Proposed { invoice_id, .. } = outcome
    {
        v.invoice_id = Some(*invoice_id);
        v.invoice_number = v.candidates.first().map(|c| c.number.clone());
    }
    v
}

/// A line found under its fingerprint: imported before, not applied again.
fn already_imported(
    tx: &Tx<'_>,
    stored: &StoredStatementLine,
    file_line: u64,
) -> AppResult<StatementLineView> {
    let mut v = decisions::stored_view(tx, stored)?;
    v.file_line = file_line;
    v.note = Some(format!(
        "imported before as line {} ({})",
        stored.id,
        stored.status.as_str()
    ));
    v.status = "already_imported".into();
    Ok(v)
}
