//! Issuing credit notes: numbering in their own gapless series, the archived
//! PDF from the invoice's pinned template version, the invoice's balance and
//! status, the audit event and, on request, the email — all in one write
//! transaction, so a failure anywhere leaves no credit note and returns its
//! number to the series.

use crate::api::{
    CreditLineInput, CreditNoteInput, CreditNoteIssued, CreditNotePreview, CreditNoteView,
    CreditedLineView, PdfFile, SaveCreditNotePdfInput,
};
use crate::drafts::load;
use crate::invoice_pdf::{file_name, not_initialized, sha256_hex, template_name, PdfInputs};
use crate::invoice_screen::require_action;
use crate::printed_invoice::printed_invoice;
use crate::views::{amount, price};
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use chrono::NaiveDate;
use invoicer_documents as doc;
use invoicer_domain::audit::{canonical_time, NewAuditEvent};
use invoicer_domain::authorization::Permission;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::credit_note::{
    credit_amounts, settlement_status, CreditAmounts, CreditNote, CreditScope, LineCredit,
    MAX_REASON,
};
use invoicer_domain::invoice::Invoice;
use invoicer_domain::invoice_actions::InvoiceAction;
use invoicer_domain::money::parse_decimal;
use invoicer_domain::numbering::NumberFormat;
use invoicer_domain::validation::ValidationErrors;
use invoicer_domain::{Currency, Decimal};
use invoicer_store::{NewCreditNote, Tx};
use serde_json::json;

/// The series key credit notes draw from: prefixed, so that a credit-note
/// format equal to the invoice format still never shares the invoices' series.
fn series_key(format: &NumberFormat, date: NaiveDate) -> String {
    format!("credit-note:{}", format.series_key(date))
}

/// The scope the dialog or CLI asked for, with every unreadable number named.
fn scope_of(input: &CreditNoteInput) -> AppResult<CreditScope> {
    let amount = input
        .amount
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    match (amount, input.lines.is_empty()) {
        (Some(a), false) => Err(ApiError::field(
            "amount",
            a,
            "give either lines or an amount to credit, not both",
        )),
        (Some(a), true) => {
            let d = parse_decimal(a).map_err(|m| ApiError::field("amount", a, &m))?;
            Ok(CreditScope::Amount(d))
        }
        (None, true) => Ok(CreditScope::Full),
        (None, false) => {
            let mut errs = ValidationErrors::new();
            let mut lines = Vec::new();
            for (i, CreditLineInput { line, quantity }) in input.lines.iter().enumerate() {
                let quantity = match quantity.as_deref().map(str::trim) {
                    None | Some("") => None,
                    Some(q) => match parse_decimal(q) {
                        Ok(q) => Some(q),
                        Err(m) => {
                            errs.push(format!("lines[{i}].quantity"), q, m);
                            continue;
                        }
                    },
                };
                lines.push(LineCredit {
                    line: *line as usize,
                    quantity,
                });
            }
            errs.into_result()?;
            Ok(CreditScope::Lines(lines))
        }
    }
}

fn checked_reason(reason: &str) -> AppResult<&str> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ApiError::field(
            "reason",
            "",
            "is required: say why the invoice is corrected",
        ));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(ApiError::field(
            "reason",
            reason,
            &format!("is longer than {MAX_REASON} characters"),
        ));
    }
    Ok(reason)
}

fn line_views(c: Currency, a: &CreditAmounts) -> Vec<CreditedLineView> {
    a.lines
        .iter()
        .map(|l| CreditedLineView {
            line: l.line.and_then(|n| u32::try_from(n).ok()),
            description: l.description.clone(),
            quantity: l.quantity.normalize().to_string(),
            unit_price: price(c, l.unit_price),
            net: amount(c, l.net),
            tax: amount(c, l.tax),
            total: amount(c, l.total),
        })
        .collect()
}

/// A stored credit note as the screens show it.
pub(crate) fn credit_note_view(
    tx: &Tx<'_>,
    cn: &CreditNote,
    inv: &Invoice,
) -> AppResult<CreditNoteView> {
    let c = inv.content.currency;
    let by = tx.user(cn.issued_by)?.map(|u| u.email).unwrap_or_default();
    Ok(CreditNoteView {
        id: cn.id,
        number: cn.number.clone(),
        invoice_id: cn.invoice_id,
        invoice_number: inv.number.clone().unwrap_or_default(),
        issue_date: cn.issue_date,
        reason: cn.reason.clone(),
        currency: c.code().to_string(),
        lines: line_views(c, &cn.amounts),
        net: amount(c, cn.amounts.net),
        tax: amount(c, cn.amounts.tax),
        total: amount(c, cn.amounts.total),
        pdf_file_name: file_name(Some(&cn.number), cn.id),
        issued_by: by,
        issued_at: canonical_time(cn.issued_at),
    })
}

/// An invoice's credit notes as the invoice screen lists them.
pub(crate) fn invoice_credit_notes(tx: &Tx<'_>, inv: &Invoice) -> AppResult<Vec<CreditNoteView>> {
    tx.credit_notes(Some(inv.id))?
        .iter()
        .map(|cn| credit_note_view(tx, cn, inv))
        .collect()
}

/// What the credit note prints: the invoice's parties and currency, the
/// credited lines and amounts, its own number and date, and the invoice it
/// credits.
fn printed_credit_note(
    inv: &Invoice,
    settings: &CompanySettings,
    number: &str,
    issue_date: NaiveDate,
    reason: &str,
    a: &CreditAmounts,
) -> doc::PrintedInvoice {
    let mut view = printed_invoice(inv, Some(number), settings);
    let invoiced = |line: Option<usize>| line.and_then(|n| view.lines.get(n - 1));
    let tax_label = |line| {
        invoiced(line)
            .map(|l| l.tax_label.clone())
            .unwrap_or_default()
    };
    // A credited line prints the invoice line's discount, so that quantity ×
    // price less the discount reads as the credited net, as on the invoice.
    let discount = |line| invoiced(line).map_or(Decimal::ZERO, |l| l.discount_percent);
    let lines = a
        .lines
        .iter()
        .map(|l| doc::PrintedLine {
            description: l.description.clone(),
            quantity: l.quantity.normalize(),
            unit_price: if l.line.is_some() {
                l.unit_price
            } else {
                l.net
            },
            discount_percent: discount(l.line),
            tax_label: tax_label(l.line),
            net_amount: l.net,
        })
        .collect();
    // The tax summary per rate is exact only when the invoice has one rate;
    // with several, the credited tax shows in the totals alone.
    let taxes = match view.taxes.as_slice() {
        [one] => vec![doc::PrintedTax {
            name: one.name.clone(),
            rate_percent: one.rate_percent,
            base: a.net,
            tax: a.tax,
        }],
        _ => Vec::new(),
    };
    view.lines = lines;
    view.taxes = taxes;
    view.issue_date = issue_date;
    view.due_date = issue_date;
    view.payment_link = None;
    view.notes = None;
    view.totals = doc::PrintedTotals {
        subtotal: a.net,
        discount_total: Decimal::ZERO,
        tax_total: a.tax,
        total: a.total,
        amount_paid: Decimal::ZERO,
        balance_due: a.total,
    };
    view.credit_note = Some(doc::PrintedCreditNote {
        invoice_number: inv.number.clone().unwrap_or_default(),
        invoice_date: inv.content.issue_date,
        reason: reason.to_string(),
    });
    view
}

impl Invoicer {
    /// What a credit note would credit, without issuing it: the dialog's
    /// preview of the amount and tax.
    pub fn preview_credit_note(
        &self,
        session: &Session,
        input: &CreditNoteInput,
    ) -> AppResult<CreditNotePreview> {
        session.require(Permission::View)?;
        let scope = scope_of(input)?;
        self.store.read(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let inv = load(tx, input.invoice_id)?;
            require_action(session, &settings, &inv, InvoiceAction::CreditNote)?;
            let earlier: Vec<_> = tx
                .credit_notes(Some(inv.id))?
                .into_iter()
                .map(|cn| cn.amounts)
                .collect();
            let a = credit_amounts(&inv, &scope, &earlier)?;
            let c = inv.content.currency;
            Ok(CreditNotePreview {
                invoice_id: inv.id,
                currency: c.code().to_string(),
                lines: line_views(c, &a),
                net: amount(c, a.net),
                tax: amount(c, a.tax),
                total: amount(c, a.total),
                creditable_after: amount(c, inv.creditable() - a.total),
                balance_after: amount(c, inv.balance() - a.total),
            })
        })
    }

    /// Issues a credit note against an issued invoice: its own number
    /// (`CN-{YYYY}-{SEQ:5}`), its archived PDF, the invoice's balance reduced
    /// (credited to zero: settled) and `credit_note.issued` audited; with
    /// `send`, its email is queued in the same transaction.
    pub fn create_credit_note(
        &self,
        session: &Session,
        input: &CreditNoteInput,
    ) -> AppResult<CreditNoteIssued> {
        session.require(Permission::ManageInvoices)?;
        let reason = checked_reason(&input.reason)?;
        let scope = scope_of(input)?;
        let now = self.clock.now();
        let id = input.invoice_id;
        let (issued, delivery) = self.store.write(|tx| -> AppResult<_> {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let inv = load(tx, id)?;
            require_action(session, &settings, &inv, InvoiceAction::CreditNote)?;
            if input.send {
                crate::email_message::sender(&settings)?;
            }
            let earlier: Vec<_> = tx
                .credit_notes(Some(inv.id))?
                .into_iter()
                .map(|cn| cn.amounts)
                .collect();
            let a = credit_amounts(&inv, &scope, &earlier)?;
            let today = self.clock.today(settings.timezone);
            let format = &settings.credit_note_number_format;
            let seq = tx.next_in_series(&series_key(format, today))?;
            let number = format.render(today, seq);
            // A crash test freezes here: the number is taken, nothing else.
            crate::fault_points::reached("credit_note_numbered");
            let view = printed_credit_note(&inv, &settings, &number, today, reason, &a);
            // The invoice's pinned version, so the credit note looks like
            // the invoice it corrects; rendered inside the transaction (the
            // budget bounds how long the lock is held) because the PDF
            // carries the number, and a failure gives the number back.
            let pinned = inv.template.clone();
            let (template, bundle) = match &pinned {
                Some(t) => self.bundle(tx, &t.name, Some(t.version))?,
                None => self.bundle(tx, &template_name(tx, &inv)?, None)?,
            };
            let pdf =
                self.render_within_budget(&PdfInputs::with_view(template.clone(), bundle, view))?;
            let sha256 = sha256_hex(&pdf);
            let cn = tx.insert_credit_note(
                &NewCreditNote {
                    invoice_id: id,
                    currency: inv.content.currency,
                    number: &number,
                    issue_date: today,
                    reason,
                    amounts: &a,
                    template: Some(&template),
                    pdf: &pdf,
                    pdf_sha256: &sha256,
                    issued_by: session.user().id,
                },
                now,
            )?;
            let after = load(tx, id)?;
            let status = settlement_status(&after);
            if status != after.status {
                tx.set_invoice_status(id, status)?;
            }
            let c = inv.content.currency;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "credit_note.issued",
                    format!("invoice:{id}"),
                    json!({"credit_note_id": cn.id, "number": number,
                           "invoice_number": inv.number, "reason": reason,
                           "net": amount(c, a.net), "tax": amount(c, a.tax),
                           "total": amount(c, a.total),
                           "lines": a.lines.iter().map(|l| json!({
                               "line": l.line, "quantity": l.quantity.to_string(),
                               "total": amount(c, l.total)})).collect::<Vec<_>>(),
                           "template": format!("{} v{}", template.name, template.version),
                           "pdf_sha256": sha256,
                           "balance": amount(c, after.balance()),
                           "status": status.as_str()}),
                ),
                now,
            )?;
            let delivery = if input.send {
                Some(self.enqueue_credit_note_email(
                    tx,
                    session.actor(),
                    &settings,
                    &after,
                    &cn,
                    now,
                )?)
            } else {
                None
            };
            let issued = CreditNoteIssued {
                credit_note: credit_note_view(tx, &cn, &after)?,
                screen: self.screen_in(tx, session, id)?,
            };
            Ok((issued, delivery))
        })?;
        if let Some(d) = delivery {
            self.publish_delivery(d);
            self.nudge_jobs();
        }
        Ok(issued)
    }

    /// Credit notes, oldest first: one invoice's, or all.
    pub fn credit_notes(
        &self,
        session: &Session,
        invoice_id: Option<i64>,
    ) -> AppResult<Vec<CreditNoteView>> {
        session.require(Permission::View)?;
        self.store.read(|tx| {
            if let Some(id) = invoice_id {
                // An unknown invoice says so rather than listing nothing.
                load(tx, id)?;
            }
            let mut out = Vec::new();
            for cn in tx.credit_notes(invoice_id)? {
                let inv = load(tx, cn.invoice_id)?;
                out.push(credit_note_view(tx, &cn, &inv)?);
            }
            Ok(out)
        })
    }

    /// A credit note's archived PDF, byte for byte as issued.
    pub fn credit_note_pdf(&self, session: &Session, id: i64) -> AppResult<PdfFile> {
        session.require(Permission::View)?;
        self.store.read(|tx| {
            let cn = tx
                .credit_note(id)?
                .ok_or_else(|| ApiError::not_found("credit note", id))?;
            let (bytes, recorded) = tx.credit_note_pdf(id)?.ok_or_else(|| {
                ApiError::new(
                    ErrorCode::Integrity,
                    format!("credit note {} has no archived PDF", cn.number),
                )
            })?;
            let sha256 = sha256_hex(&bytes);
            if sha256 != recorded {
                return Err(ApiError::new(
                    ErrorCode::Integrity,
                    format!(
                        "the archived PDF of credit note {} does not match its recorded checksum",
                        cn.number
                    ),
                ));
            }
            Ok(PdfFile {
                file_name: file_name(Some(&cn.number), cn.id),
                bytes,
                sha256,
            })
        })
    }

    /// Writes a credit note's PDF to a file the user chose (safely, see
    /// [`crate::write_document`]).
    pub fn save_credit_note_pdf(
        &self,
        session: &Session,
        input: &SaveCreditNotePdfInput,
    ) -> AppResult<PdfFile> {
        let pdf = self.credit_note_pdf(session, input.credit_note_id)?;
        pdf.write_to(std::path::Path::new(&input.path))?;
        Ok(pdf)
    }
}
