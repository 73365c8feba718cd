//! Credit notes and refunds: stored apart from invoices, each moving the
//! invoice's settled amount (`paid_minor`) in the same statement batch, so the
//! balance every query reads is right as soon as the transaction commits.

use crate::codec::{currency, date, decimal, instant, instant_text, minor};
use crate::payments::Ledger;
use crate::{StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use invoicer_domain::credit_note::{CreditAmounts, CreditNote, CreditedLine, Refund};
use invoicer_domain::invoice::TemplateRef;
use invoicer_domain::payment::PaymentMethod;
use invoicer_domain::{Currency, Decimal};
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

/// A credit note to store, its number and PDF already made.
pub struct NewCreditNote<'a> {
    /// The invoice credited.
    pub invoice_id: i64,
    /// The invoice's currency, which the credit note is in.
    pub currency: Currency,
    /// Its number.
    pub number: &'a str,
    /// The day it is issued.
    pub issue_date: NaiveDate,
    /// Why.
    pub reason: &'a str,
    /// What it credits.
    pub amounts: &'a CreditAmounts,
    /// The template version it was printed with.
    pub template: Option<&'a TemplateRef>,
    /// The archived PDF.
    pub pdf: &'a [u8],
    /// The PDF's SHA-256.
    pub pdf_sha256: &'a str,
    /// Who issues it (user id).
    pub issued_by: i64,
}

/// A credited line as stored in the `lines` JSON: decimals as text, so that
/// no float ever touches an amount.
#[derive(Serialize, Deserialize)]
struct StoredLine {
    line: Option<usize>,
    description: String,
    quantity: String,
    unit_price: String,
    net: String,
    tax: String,
    total: String,
}

const COLUMNS: &str =
    "c.id, c.invoice_id, c.number, c.issue_date, c.reason, c.net_minor, c.tax_minor,
     c.total_minor, c.lines, c.template_name, c.template_version, c.pdf_sha256, c.issued_by,
     c.issued_at, i.currency";

fn read_credit_note(r: &Row<'_>) -> Result<CreditNote, StoreError> {
    let cur = currency(&r.get::<_, String>(14)?)?;
    let stored: Vec<StoredLine> = serde_json::from_str(&r.get::<_, String>(8)?)
        .map_err(|e| StoreError::Corrupt(format!("credit note lines: {e}")))?;
    let mut lines = Vec::new();
    for l in stored {
        lines.push(CreditedLine {
            line: l.line,
            description: l.description,
            quantity: decimal(&l.quantity)?,
            unit_price: decimal(&l.unit_price)?,
            net: decimal(&l.net)?,
            tax: decimal(&l.tax)?,
            total: decimal(&l.total)?,
        });
    }
    let name: Option<String> = r.get(9)?;
    let version: Option<u32> = r.get(10)?;
    Ok(CreditNote {
        id: r.get(0)?,
        invoice_id: r.get(1)?,
        number: r.get(2)?,
        issue_date: date(&r.get::<_, String>(3)?)?,
        reason: r.get(4)?,
        amounts: CreditAmounts {
            lines,
            net: cur.from_minor(r.get(5)?),
            tax: cur.from_minor(r.get(6)?),
            total: cur.from_minor(r.get(7)?),
        },
        template: name
            .zip(version)
            .map(|(name, version)| TemplateRef { name, version }),
        pdf_sha256: r.get(11)?,
        issued_by: r.get(12)?,
        issued_at: instant(&r.get::<_, String>(13)?)?,
    })
}

impl Tx<'_> {
    /// Stores a credit note and takes its total off the invoice's balance.
    pub fn insert_credit_note(
        &self,
        new: &NewCreditNote<'_>,
        at: DateTime<Utc>,
    ) -> Result<CreditNote, StoreError> {
        let c = new.currency;
        let a = new.amounts;
        let lines: Vec<StoredLine> = a
            .lines
            .iter()
            .map(|l| StoredLine {
                line: l.line,
                description: l.description.clone(),
                quantity: l.quantity.to_string(),
                unit_price: l.unit_price.to_string(),
                net: l.net.to_string(),
                tax: l.tax.to_string(),
                total: l.total.to_string(),
            })
            .collect();
        let lines = serde_json::to_string(&lines)
            .map_err(|e| StoreError::Corrupt(format!("credit note lines: {e}")))?;
        let total = minor(c, a.total)?;
        self.conn.execute(
            "INSERT INTO credit_notes (invoice_id, number, issue_date, reason, net_minor, tax_minor,
                 total_minor, lines, template_name, template_version, pdf, pdf_sha256, issued_by, issued_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                new.invoice_id,
                new.number,
                new.issue_date.to_string(),
                new.reason,
                minor(c, a.net)?,
                minor(c, a.tax)?,
                total,
                lines,
                new.template.map(|t| t.name.as_str()),
                new.template.map(|t| t.version),
                new.pdf,
                new.pdf_sha256,
                new.issued_by,
                instant_text(at),
            ],
        )?;
        let id = self.conn.last_insert_rowid();
        self.conn.execute(
            "UPDATE invoices SET paid_minor = paid_minor + ?2, credited_minor = credited_minor + ?2
             WHERE id = ?1",
            params![new.invoice_id, total],
        )?;
        self.credit_note(id)?
            .ok_or_else(|| StoreError::Corrupt(format!("credit note {id} vanished")))
    }

    /// One credit note (without its PDF).
    pub fn credit_note(&self, id: i64) -> Result<Option<CreditNote>, StoreError> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM credit_notes c JOIN invoices i ON i.id = c.invoice_id WHERE c.id = ?1"
        ))?;
        let mut rows = st.query([id])?;
        match rows.next()? {
            Some(r) => Ok(Some(read_credit_note(r)?)),
            None => Ok(None),
        }
    }

    /// Credit notes, oldest first: those of one invoice, or all of them.
    pub fn credit_notes(&self, invoice_id: Option<i64>) -> Result<Vec<CreditNote>, StoreError> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM credit_notes c JOIN invoices i ON i.id = c.invoice_id
             WHERE ?1 IS NULL OR c.invoice_id = ?1 ORDER BY c.id"
        ))?;
        let mut rows = st.query([invoice_id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(read_credit_note(r)?);
        }
        Ok(out)
    }

    /// A credit note's archived PDF and its recorded SHA-256.
    pub fn credit_note_pdf(&self, id: i64) -> Result<Option<(Vec<u8>, String)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT pdf, pdf_sha256 FROM credit_notes WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Records money paid back for an invoice; its balance rises by it.
    #[allow(clippy::too_many_arguments)]
    pub fn insert_refund(
        &self,
        invoice_id: i64,
        currency: Currency,
        amount: Decimal,
        on: NaiveDate,
        method: PaymentMethod,
        reference: Option<&str>,
        recorded_by: i64,
        at: DateTime<Utc>,
    ) -> Result<Refund, StoreError> {
        let r = Refund {
            id: 0,
            invoice_id,
            amount,
            date: on,
            method,
            reference: reference.map(str::to_string),
            recorded_by,
            recorded_at: at,
        };
        self.insert_movement(Ledger::Refunds, currency, r)
    }

    /// An invoice's refunds, oldest first.
    pub fn refunds(&self, invoice_id: i64, currency: Currency) -> Result<Vec<Refund>, StoreError> {
        self.movements(Ledger::Refunds, invoice_id, currency)
    }
}
