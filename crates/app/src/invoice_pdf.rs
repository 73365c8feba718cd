//! Invoice PDFs: rendered and archived at issue, read back byte for byte
//! afterwards, rendered on the fly for drafts and template previews.

use crate::api::{PdfFile, SavePdfInput, SaveTemplateInput};
use crate::document_view::document_view;
use crate::drafts::load;
use crate::templates::bundle_from_input;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_documents as doc;
use invoicer_domain::authorization::Permission;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice::{Invoice, TemplateRef};
use invoicer_store::Tx;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The template an invoice is printed with: the one chosen for it, else the
/// customer's own, else the company default. Before issue its newest version
/// is used; issuing pins that version and the archived PDF keeps it.
fn template_name(tx: &Tx<'_>, inv: &Invoice) -> AppResult<String> {
    if let Some(t) = &inv.template {
        return Ok(t.name.clone());
    }
    if let Some(name) = tx.customer_template(inv.content.customer.id)? {
        return Ok(name);
    }
    tx.default_template()?.ok_or_else(|| {
        ApiError::new(
            ErrorCode::Document,
            "there is no default template; set one under Templates",
        )
    })
}

fn render_error(e: doc::DocumentError) -> ApiError {
    ApiError::new(
        ErrorCode::Document,
        format!("the PDF could not be rendered: {e}"),
    )
}

/// SHA-256 of bytes, as lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The file name a save dialog suggests: the invoice number with characters
/// that file systems reject replaced, or `draft-ID` before it has one.
fn file_name(number: Option<&str>, id: i64) -> String {
    let safe = number.map(|n| {
        let mut out = String::with_capacity(n.len());
        for c in n.chars() {
            let rejected = "/\\:*?\"<>|".contains(c) || c.is_control();
            // A run of rejected characters becomes one dash.
            if !rejected {
                out.push(c);
            } else if !out.ends_with('-') {
                out.push('-');
            }
        }
        out.trim_matches(|c: char| c == '.' || c == ' ' || c == '-')
            .to_string()
    });
    match safe.filter(|s| !s.is_empty()) {
        Some(n) => format!("{n}.pdf"),
        None => format!("draft-{id}.pdf"),
    }
}

impl Invoicer {
    /// Renders the PDF an invoice is issued with, inside the issuing
    /// transaction: the number is the one just taken, the template version the
    /// newest of the invoice's template, pinned from now on.
    pub(crate) fn render_for_issue(
        &self,
        tx: &Tx<'_>,
        inv: &Invoice,
        number: &str,
        settings: &CompanySettings,
    ) -> AppResult<(TemplateRef, Vec<u8>)> {
        let name = template_name(tx, inv)?;
        let (tref, bundle) = self.bundle(tx, &name, None)?;
        let view = document_view(inv, Some(number), settings);
        let pdf = self
            .renderer
            .render_pdf(&bundle, &view)
            .map_err(render_error)?;
        Ok((tref, pdf))
    }

    /// An invoice's PDF: the archived bytes once issued (identical forever, even
    /// after its template is edited), a fresh rendering while it is a draft.
    pub fn invoice_pdf(&self, session: &Session, id: i64) -> AppResult<PdfFile> {
        session.require(Permission::View)?;
        let settings = self.settings()?;
        self.store.read(|tx| {
            let inv = load(tx, id)?;
            if inv.was_issued() {
                let (bytes, sha256) = tx.archived_pdf(id)?.ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::Document,
                        format!("invoice {id} has no archived PDF"),
                    )
                })?;
                return Ok(PdfFile {
                    file_name: file_name(inv.number.as_deref(), inv.id),
                    bytes,
                    sha256,
                });
            }
            let name = template_name(tx, &inv)?;
            let (_, bundle) = self.bundle(tx, &name, None)?;
            let bytes = self
                .renderer
                .render_pdf(&bundle, &document_view(&inv, None, &settings))
                .map_err(render_error)?;
            Ok(PdfFile {
                file_name: file_name(inv.number.as_deref(), inv.id),
                sha256: sha256_hex(&bytes),
                bytes,
            })
        })
    }

    /// Writes an invoice's PDF to a file the user chose. The bytes go to a
    /// temporary file first, so a failure never leaves half a PDF behind.
    pub fn save_invoice_pdf(&self, session: &Session, input: &SavePdfInput) -> AppResult<PdfFile> {
        let pdf = self.invoice_pdf(session, input.invoice_id)?;
        pdf.write_to(Path::new(&input.path))?;
        Ok(pdf)
    }

    /// A sample invoice rendered with an unsaved template: the editor's live preview.
    pub fn preview_template_pdf(
        &self,
        session: &Session,
        input: &SaveTemplateInput,
    ) -> AppResult<Vec<u8>> {
        session.require(Permission::View)?;
        let bundle = bundle_from_input(input)?;
        self.renderer
            .render_pdf(&bundle, &doc::InvoiceView::sample())
            .map_err(render_error)
    }
}

impl PdfFile {
    /// Writes the PDF to `path` through a temporary file in the same folder,
    /// so a failure never leaves half a PDF under that name.
    pub fn write_to(&self, path: &Path) -> AppResult<()> {
        let io = |e: std::io::Error| {
            ApiError::new(
                ErrorCode::Internal,
                format!("cannot write {}: {e}", path.display()),
            )
        };
        let tmp = path.with_extension("partial");
        std::fs::write(&tmp, &self.bytes).map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::file_name;

    #[test]
    fn suggested_file_names_are_safe() {
        assert_eq!(file_name(Some("INV-2026-00001"), 1), "INV-2026-00001.pdf");
        assert_eq!(file_name(Some("2026/042"), 1), "2026-042.pdf");
        assert_eq!(
            file_name(Some("A:B*C?\"D<E>F|G\\H"), 1),
            "A-B-C-D-E-F-G-H.pdf"
        );
        assert_eq!(file_name(Some("../"), 3), "draft-3.pdf");
        assert_eq!(file_name(None, 7), "draft-7.pdf");
    }
}
