//! The template library and invoice PDFs.
#![allow(missing_docs)]

use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
    pub invoice_id: i64,
    pub path: String,
}
