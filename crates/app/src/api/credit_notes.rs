//! Credit notes and refunds as the invoice screen, its credit-note dialog and
//! the CLI exchange them. Amounts and quantities are decimal strings.
#![allow(missing_docs)]

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One invoice line to credit: its number as printed (from 1) and, to credit
/// part of it, how many units.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreditLineInput {
    pub line: u32,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub quantity: Option<String>,
}

/// The credit-note dialog: what to credit — chosen `lines`, or an `amount`
/// including tax, or (neither) everything left — and why. `send` queues its
/// email in the same transaction.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreditNoteInput {
    pub invoice_id: i64,
    #[serde(default)]
    pub lines: Vec<CreditLineInput>,
    #[serde(default)]
    #[ts(optional = nullable)]
    pub amount: Option<String>,
    pub reason: String,
    #[serde(default)]
    pub send: bool,
}

/// One credited line.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreditedLineView {
    /// The invoice line's number, `None` for an amount credit.
    pub line: Option<u32>,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub net: String,
    pub tax: String,
    pub total: String,
}

/// What a credit note would credit, shown before it is issued.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreditNotePreview {
    pub invoice_id: i64,
    pub currency: String,
    pub lines: Vec<CreditedLineView>,
    pub net: String,
    pub tax: String,
    pub total: String,
    /// What may still be credited after this one.
    pub creditable_after: String,
    /// The invoice's balance after this one (negative: owed to the customer).
    pub balance_after: String,
}

/// An issued credit note.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreditNoteView {
    pub id: i64,
    pub number: String,
    pub invoice_id: i64,
    /// The credited invoice's number.
    pub invoice_number: String,
    pub issue_date: NaiveDate,
    pub reason: String,
    pub currency: String,
    pub lines: Vec<CreditedLineView>,
    pub net: String,
    pub tax: String,
    pub total: String,
    /// The name its PDF is saved under, e.g. `CN-2026-00001.pdf`.
    pub pdf_file_name: String,
    pub issued_by: String,
    pub issued_at: String,
}

/// A credit note just issued, with the invoice screen as it is now.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CreditNoteIssued {
    pub credit_note: CreditNoteView,
    pub screen: super::InvoiceScreen,
}

/// Money paid back to the customer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RefundInput {
    pub invoice_id: i64,
    pub amount: String,
    pub date: NaiveDate,
    /// `bank_transfer` (the default when absent), `card`, `cash`, `cheque`
    /// or `other`.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub method: Option<String>,
    pub reference: Option<String>,
}

/// A recorded refund.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RefundView {
    pub id: i64,
    pub invoice_id: i64,
    pub amount: String,
    pub date: NaiveDate,
    pub method: String,
    pub reference: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// Saving a credit note's PDF to a path the user picked.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveCreditNotePdfInput {
    pub credit_note_id: i64,
    pub path: String,
}
