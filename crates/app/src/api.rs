//! The IPC types: what the desktop UI and the CLI's `--json` output exchange
//! with the use cases. They derive `ts_rs::TS`, and the generated TypeScript
//! under `ui/src/lib/bindings/` is committed; CI fails when it drifts.
//!
//! Amounts, rates and quantities cross as decimal strings, never as floats.
//! Field names are the documentation here: each struct mirrors a form or a
//! view of the UI, and the doc comment on the struct says which.
#![allow(missing_docs)]

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use crate::error::{ApiError, ErrorCode, FieldErrorView};
pub use invoicer_domain::authorization::Role;
pub use invoicer_domain::lifecycle::{DisplayStatus, InvoiceStatus};
pub use invoicer_domain::money::RoundingScope;

/// A user as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UserView {
    #[ts(type = "number")]
    pub id: i64,
    pub email: String,
    pub name: String,
    #[ts(as = "RoleTs")]
    pub role: Role,
    pub active: bool,
}

/// `Role` as TypeScript sees it (the domain crate does not know ts-rs).
#[derive(TS)]
#[ts(export, rename = "Role")]
#[allow(dead_code)]
#[ts(rename_all = "snake_case")]
enum RoleTs {
    Specialist,
    Approver,
    Admin,
}

/// Whether first-run setup is done and who is signed in.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetupStatus {
    pub initialized: bool,
    pub signed_in: Option<UserView>,
}

/// First-run setup: the company and its first admin.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetupInput {
    pub company_name: String,
    pub country: String,
    pub region: Option<String>,
    pub currency: String,
    pub admin_email: String,
    pub admin_name: String,
    pub admin_password: String,
}

/// Sign-in credentials.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SignInInput {
    pub email: String,
    pub password: String,
}

/// A new user.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NewUserInput {
    pub email: String,
    pub name: String,
    #[ts(as = "RoleTs")]
    pub role: Role,
    pub password: String,
}

/// `RoundingScope` as TypeScript sees it.
#[derive(TS)]
#[ts(export, rename = "RoundingScope")]
#[allow(dead_code)]
#[ts(rename_all = "snake_case")]
enum RoundingScopeTs {
    PerLine,
    PerDocument,
}

/// The company profile and house rules.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CompanyView {
    pub name: String,
    pub country: String,
    pub region: Option<String>,
    pub currency: String,
    pub address: Option<String>,
    pub email: Option<String>,
    pub tax_id: Option<String>,
    pub payment_terms_days: u32,
    pub number_format: String,
    #[ts(as = "RoundingScopeTs")]
    pub rounding: RoundingScope,
    pub require_customer_tax_id: bool,
    pub approval_threshold: String,
    /// IANA time zone that decides which calendar day it is, e.g. `America/Los_Angeles`.
    pub timezone: String,
    /// Payment page address with `{number}` for the invoice number.
    pub payment_link_format: Option<String>,
}

/// A customer as entered.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerInput {
    pub name: String,
    pub company: Option<String>,
    pub email: String,
    pub address: String,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: String,
    pub tax_id: Option<String>,
    pub currency: Option<String>,
}

/// A stored customer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerView {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub company: Option<String>,
    pub email: String,
    pub address: String,
    pub city: String,
    pub region: Option<String>,
    pub postal_code: String,
    pub country: String,
    pub tax_id: Option<String>,
    pub currency: Option<String>,
}

/// A tax rate as entered.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TaxRateInput {
    pub country: String,
    pub region: Option<String>,
    pub name: String,
    pub rate: String,
    pub inclusive: bool,
}

/// A stored tax rate.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TaxRateView {
    #[ts(type = "number")]
    pub id: i64,
    pub country: String,
    pub region: Option<String>,
    pub name: String,
    pub rate: String,
    pub inclusive: bool,
}

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
    #[ts(type = "number | null")]
    pub tax_rate_id: Option<i64>,
    pub proration: Option<Proration>,
}

/// A draft as entered.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftInput {
    #[ts(type = "number")]
    pub customer_id: i64,
    pub issue_date: Option<NaiveDate>,
    pub terms_days: Option<u32>,
    pub notes: Option<String>,
    pub lines: Vec<LineInput>,
}

/// A computed line.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LineView {
    pub position: u32,
    /// The stored rate this line was taxed with, so an editor can keep it.
    #[ts(type = "number | null")]
    pub tax_rate_id: Option<i64>,
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub discount_percent: Option<String>,
    pub tax_name: Option<String>,
    pub tax_rate: Option<String>,
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
enum InvoiceStatusTs {
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
enum DisplayStatusTs {
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

/// A whole invoice.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceView {
    #[ts(type = "number")]
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
    pub balance: String,
    pub tax_breakdown: Vec<TaxLineView>,
    pub lines: Vec<LineView>,
    pub created_by: String,
    pub created_at: String,
    pub issued_at: Option<String>,
    pub void_reason: Option<String>,
    pub template: Option<String>,
    pub pdf_sha256: Option<String>,
}

/// One row of the invoice list.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub number: Option<String>,
    #[ts(as = "InvoiceStatusTs")]
    pub status: InvoiceStatus,
    #[ts(as = "DisplayStatusTs")]
    pub display_status: DisplayStatus,
    #[ts(type = "number")]
    pub customer_id: i64,
    pub customer_name: String,
    pub currency: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub total: String,
    pub balance: String,
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
    #[ts(type = "number | null")]
    pub customer_id: Option<i64>,
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
    #[ts(type = "number")]
    pub total_count: u64,
    pub page: u32,
    pub page_size: u32,
}

/// A payment to record.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaymentInput {
    #[ts(type = "number")]
    pub invoice_id: i64,
    pub amount: String,
    pub date: NaiveDate,
    pub reference: Option<String>,
}

/// A recorded payment.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PaymentView {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub invoice_id: i64,
    pub amount: String,
    pub date: NaiveDate,
    pub reference: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// Voiding an invoice.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VoidInput {
    #[ts(type = "number")]
    pub invoice_id: i64,
    pub reason: String,
}

/// Sending an invoice back to its maker.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RejectInput {
    #[ts(type = "number")]
    pub invoice_id: i64,
    pub reason: String,
}

/// Editing a draft.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UpdateDraftInput {
    #[ts(type = "number")]
    pub invoice_id: i64,
    pub draft: DraftInput,
}

/// An audit event.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditEventView {
    #[ts(type = "number")]
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
    #[ts(type = "number")]
    pub events_checked: u64,
    #[ts(type = "number | null")]
    pub first_broken_seq: Option<i64>,
    pub message: String,
}

/// A template in the library with its newest version.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateSummaryView {
    pub name: String,
    pub current_version: u32,
    pub is_default: bool,
    pub updated_by: String,
    pub updated_at: String,
}

/// The tera source of every text block of a template.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateBlocksView {
    pub title: String,
    pub intro: String,
    pub notes: String,
    pub payment_instructions: String,
    pub legal_footer: String,
    pub region_statement: String,
    pub email_subject: String,
    pub email_body: String,
    pub reminder_1_subject: String,
    pub reminder_1_body: String,
    pub reminder_2_subject: String,
    pub reminder_2_body: String,
    pub reminder_3_subject: String,
    pub reminder_3_body: String,
}

/// Paper sizes a template can print on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum PaperView {
    A4,
    Letter,
}

/// How a template looks apart from its texts.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateLayoutView {
    /// `#RRGGBB`.
    pub accent_color: String,
    pub paper: PaperView,
    /// `en-US` or `de-DE`.
    pub locale: String,
    pub show_quantity: bool,
    pub show_unit_price: bool,
    pub show_discount: bool,
    pub show_tax_rate: bool,
    /// The logo as a base64 PNG, if any.
    pub logo_png_base64: Option<String>,
}

/// One version of a template, whole.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateVersionView {
    pub name: String,
    pub version: u32,
    pub checksum: String,
    pub author: String,
    pub created_at: String,
    pub is_default: bool,
    pub blocks: TemplateBlocksView,
    pub layout: TemplateLayoutView,
}

/// One line of a template's version history.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateHistoryEntry {
    pub version: u32,
    pub checksum: String,
    pub author: String,
    pub created_at: String,
}

/// A template to save as a new version (or to preview unsaved).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SaveTemplateInput {
    pub name: String,
    pub blocks: TemplateBlocksView,
    pub layout: TemplateLayoutView,
}

/// Which template version to read; the newest when `version` is null.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TemplateRefInput {
    pub name: String,
    pub version: Option<u32>,
}

/// A rendered or archived PDF.
#[derive(Debug, Clone)]
pub struct PdfFile {
    /// A file name to suggest, e.g. `INV-2026-00001.pdf`.
    pub file_name: String,
    /// The PDF bytes.
    pub bytes: Vec<u8>,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
}

/// Saving an invoice's PDF to a path the user picked.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavePdfInput {
    #[ts(type = "number")]
    pub invoice_id: i64,
    pub path: String,
}

/// A catalogue product as entered.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProductInput {
    pub name: String,
    pub description: String,
    pub unit_price: String,
    /// The company currency when null.
    pub currency: Option<String>,
    #[ts(type = "number | null")]
    pub tax_rate_id: Option<i64>,
}

/// A catalogue product.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ProductView {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub description: String,
    pub unit_price: String,
    pub currency: String,
    #[ts(type = "number | null")]
    pub tax_rate_id: Option<i64>,
}
