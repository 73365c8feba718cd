//! Drafts, totals, the invoice list, payments and the audit trail.
#![allow(missing_docs)]

use super::customers::CustomerView;
use super::{DisplayStatus, InvoiceStatus};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A prorated line's periods.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Proration {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub billed_from: NaiveDate,
    pub billed_to: NaiveDate,
}
/// A line as entered.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LineInput {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount_percent: Option<String>,
    /// `None`: the rate that applies to the customer's country and region.
    pub tax_rate_id: Option<i64>,
    pub proration: Option<Proration>,
    /// When set, the line is exempt: it carries no tax and this reason is
    /// printed with it (e.g. "Reverse charge — Article 196 VAT Directive").
    #[serde(default)]
    #[ts(optional = nullable)]
    pub tax_exempt_reason: Option<String>,
}
/// A draft as entered.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftInput {
    pub customer_id: i64,
    pub issue_date: Option<NaiveDate>,
    pub terms_days: Option<u32>,
    pub notes: Option<String>,
    pub lines: Vec<LineInput>,
    /// The template this invoice is printed with; the customer's, else the
    /// company default, when absent. Issuing pins its newest version.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub template: Option<String>,
}
/// A computed line.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LineView {
    pub position: u32,
    /// The stored rate this line was taxed with, so an editor can keep it.
    pub tax_rate_id: Option<i64>,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount_percent: Option<String>,
    /// The line's rates' names, joined with " + " when several apply.
    pub tax_name: Option<String>,
    /// The line's rates, joined with " + " when several apply.
    pub tax_rate: Option<String>,
    /// Why the line carries no tax, when it is exempt.
    pub tax_exempt_reason: Option<String>,
    pub net: String,
    pub tax: String,
    pub total: String,
}
/// Tax at one rate.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TaxLineView {
    pub name: String,
    pub rate: String,
    pub inclusive: bool,
    pub compound: bool,
    pub base: String,
    pub tax: String,
}
/// Live totals for the invoice editor.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TotalsView {
    pub currency: String,
    pub subtotal: String,
    pub discount_total: String,
    pub tax_total: String,
    pub total: String,
    pub tax_breakdown: Vec<TaxLineView>,
    pub lines: Vec<LineView>,
}
/// `InvoiceStatus` as TypeScript sees it.
#[derive(TS)]
#[ts(export, rename = "InvoiceStatus")]
#[allow(dead_code)]
#[ts(rename_all = "snake_case")]
pub(crate) enum InvoiceStatusTs {
    Draft,
    PendingApproval,
    Approved,
    Rejected,
    Issued,
    PartiallyPaid,
    Paid,
    Void,
}
/// `DisplayStatus` as TypeScript sees it.
#[derive(TS)]
#[ts(export, rename = "DisplayStatus")]
#[allow(dead_code)]
#[ts(rename_all = "snake_case")]
pub(crate) enum DisplayStatusTs {
    Draft,
    PendingApproval,
    Approved,
    Rejected,
    Issued,
    Overdue,
    PartiallyPaid,
    Paid,
    Void,
}
/// A whole invoice as the invoice screen shows it, with what the signed-in
/// person may do with it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceDetail {
    pub id: i64,
    pub number: Option<String>,
    #[ts(as = "InvoiceStatusTs")]
    pub status: InvoiceStatus,
    #[ts(as = "DisplayStatusTs")]
    pub display_status: DisplayStatus,
    pub disputed: bool,
    pub customer: CustomerView,
    pub currency: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub terms_days: u32,
    pub notes: Option<String>,
    pub subtotal: String,
    pub discount_total: String,
    pub tax_total: String,
    pub total: String,
    pub amount_paid: String,
    /// The sum of its credit notes.
    pub amount_credited: String,
    /// Total less payments (net of refunds) and credit notes; negative when
    /// the customer is owed money back.
    pub balance: String,
    pub tax_breakdown: Vec<TaxLineView>,
    pub lines: Vec<LineView>,
    pub created_by: String,
    pub created_at: String,
    pub issued_at: Option<String>,
    pub void_reason: Option<String>,
    pub template: Option<String>,
    pub pdf_sha256: Option<String>,
    /// Where the customer pays the balance now (signed when a signing key is
    /// stored): the link the next email carries. None before issue, when
    /// nothing is owed, or when no payment-link format is set.
    pub payment_link: Option<String>,
    /// Every action and whether the signed-in person may take it now; the
    /// screen offers exactly these.
    pub allowed_actions: Vec<super::AllowedAction>,
    /// Where the invoice stands in the approval workflow: the rule, the
    /// approvals in force, the level waiting, the latest rejection. `None`
    /// when it needs no approval and none was ever asked.
    #[ts(optional = nullable)]
    pub approval: Option<super::ApprovalStatusView>,
}
/// One row of the invoice list.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceSummary {
    pub id: i64,
    pub number: Option<String>,
    #[ts(as = "InvoiceStatusTs")]
    pub status: InvoiceStatus,
    #[ts(as = "DisplayStatusTs")]
    pub display_status: DisplayStatus,
    pub customer_id: i64,
    pub customer_name: String,
    pub currency: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub total: String,
    pub balance: String,
    /// "Disputed · 12 days left" while a dispute is open (the backend's
    /// words, so the list and the "Due & overdue" view say the same).
    pub dispute_label: Option<String>,
}
/// Sortable columns of the invoice list.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceSort {
    Number,
    #[default]
    IssueDate,
    DueDate,
    Customer,
    Total,
    Balance,
    Status,
}
/// An invoice list query; `page` is 1-based.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceQuery {
    #[ts(as = "Option<DisplayStatusTs>")]
    pub status: Option<DisplayStatus>,
    pub customer_id: Option<i64>,
    /// Only invoices in this currency (an ISO 4217 code, any case): the
    /// dashboard's overdue total of one currency opens the list with it.
    #[serde(default)]
    pub currency: Option<String>,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    pub search: Option<String>,
    pub sort: InvoiceSort,
    pub descending: bool,
    pub page: u32,
    pub page_size: u32,
}
impl Default for InvoiceQuery {
    fn default() -> Self {
        InvoiceQuery {
            status: None,
            customer_id: None,
            currency: None,
            date_from: None,
            date_to: None,
            search: None,
            sort: InvoiceSort::IssueDate,
            descending: true,
            page: 1,
            page_size: 50,
        }
    }
}

/// One page of invoices.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoicePage {
    pub items: Vec<InvoiceSummary>,
    pub total_count: u64,
    pub page: u32,
    pub page_size: u32,
}
/// A payment to record.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaymentInput {
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
/// A recorded payment.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaymentView {
    pub id: i64,
    pub invoice_id: i64,
    pub amount: String,
    pub date: NaiveDate,
    /// `bank_transfer`, `card`, `cash`, `cheque` or `other`.
    pub method: String,
    pub reference: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}
/// Voiding an invoice.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VoidInput {
    pub invoice_id: i64,
    pub reason: String,
}
/// Sending an invoice back to its maker.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RejectInput {
    pub invoice_id: i64,
    pub reason: String,
}
/// Editing a draft.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdateDraftInput {
    pub invoice_id: i64,
    pub draft: DraftInput,
}
/// An audit event.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEventView {
    pub seq: i64,
    pub at: String,
    pub actor: Option<String>,
    pub action: String,
    pub entity: String,
    pub data: String,
    pub hash: String,
}
/// The result of verifying the audit chain.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditReport {
    pub intact: bool,
    pub events_checked: u64,
    pub first_broken_seq: Option<i64>,
    pub message: String,
}

/// The audit chain's head, to keep outside the database: `anchor` is the
/// `SEQ:HASH` text that `audit verify --expect-head` takes.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditHeadView {
    pub seq: i64,
    pub hash: String,
    pub anchor: String,
}
