//! Invoice PDFs: rendered and archived at issue, read back byte for byte
//! afterwards, rendered on the fly for drafts and template previews.

use crate::api::{PdfFile, SavePdfInput, SaveTemplateInput};
use crate::drafts::load;
use crate::printed_invoice::printed_invoice;
use crate::render_budget::within_budget;
use crate::templates::bundle_from_input;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_documents as doc;
use invoicer_domain::authorization::Permission;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice::{Invoice, TemplateRef};
use invoicer_store::Tx;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// The template an invoice is printed with: the one chosen for it, else the
/// customer's own, else the company default. Before issue its newest version
/// is used; issuing pins that version and the archived PDF keeps it.
pub(crate) fn template_name(tx: &Tx<'_>, inv: &Invoice) -> AppResult<String> {
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
    if let doc::DocumentError::Unprintable(_) = e {
        // Text that slipped past the input checks (e.g. a template's literal
        // text): the issue fails cleanly instead of archiving a broken PDF.
        return ApiError::new(
            ErrorCode::Validation,
            format!("the invoice cannot be printed: {e}"),
        );
    }
    ApiError::new(
        ErrorCode::Document,
        format!("the PDF could not be rendered: {e}"),
    )
}

/// SHA-256 of bytes, as lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The file name a save dialog suggests: the invoice number made safe for
/// every file system the PDF may be copied to (no path separators or
/// characters Windows rejects, no reserved device names such as `COM1`, no
/// leading dots that would hide it), or `draft-ID` before it has a number and
/// `invoice-ID` when nothing of the number is left.
pub(crate) fn file_name(number: Option<&str>, id: i64) -> String {
    let Some(number) = number else {
        return format!("draft-{id}.pdf");
    };
    let options = sanitize_filename::Options {
        // Windows' rules apply everywhere: the file may be mailed or copied there.
        windows: true,
        // Room for the ".pdf" within the usual 255-byte name limit.
        truncate: false,
        replacement: "-",
    };
    let safe = sanitize_filename::sanitize_with_options(number, options);
    let safe = safe.trim_matches(|c: char| c == '.' || c == ' ' || c == '-');
    let mut end = safe.len().min(MAX_NAME_BYTES);
    while !safe.is_char_boundary(end) {
        end -= 1;
    }
    match safe[..end].trim_end_matches(['.', ' ', '-']) {
        "" => format!("invoice-{id}.pdf"),
        name => format!("{name}.pdf"),
    }
}

/// The longest suggested name before its `.pdf`, in bytes: file systems allow
/// 255 bytes per name.
const MAX_NAME_BYTES: usize = 251;

/// Everything a PDF is rendered from, fixed before rendering starts so that the
/// rendering itself needs no database: the template version and what it prints.
pub(crate) struct PdfInputs {
    /// The template version used (pinned at issue).
    pub(crate) template: TemplateRef,
    bundle: Arc<doc::TemplateBundle>,
    view: doc::PrintedInvoice,
}

impl PdfInputs {
    /// Inputs for `view` printed with `bundle` (template version `template`):
    /// a document that is not the invoice itself, such as its credit note.
    pub(crate) fn with_view(
        template: TemplateRef,
        bundle: Arc<doc::TemplateBundle>,
        view: doc::PrintedInvoice,
    ) -> PdfInputs {
        PdfInputs {
            template,
            bundle,
            view,
        }
    }

    /// The same template version printing `inv` numbered `number`: the
    /// template is chosen before the number is known (an API event's
    /// rehearsal takes its number last).
    pub(crate) fn numbered(
        &self,
        inv: &Invoice,
        number: &str,
        settings: &CompanySettings,
    ) -> PdfInputs {
        PdfInputs {
            template: self.template.clone(),
            bundle: Arc::clone(&self.bundle),
            view: printed_invoice(inv, Some(number), settings),
        }
    }

    /// The number printed, if any.
    #[cfg(test)]
    pub(crate) fn number(&self) -> Option<&str> {
        self.view.number.as_deref()
    }

    /// Whether rendering `other` gives the same bytes as rendering `self`
    /// (rendering is deterministic: same template version and view, same PDF).
    pub(crate) fn same_as(&self, other: &PdfInputs) -> bool {
        self.template == other.template && self.view == other.view
    }
}

/// What reading an invoice's PDF needs: the archive's bytes, or a rendering.
enum PdfSource {
    Archived(PdfFile),
    Draft(String, Box<PdfInputs>),
}

impl Invoicer {
    /// What an invoice's PDF is rendered from: the newest version of its
    /// template and the view with `number` (none for a draft) and `settings`.
    pub(crate) fn pdf_inputs(
        &self,
        tx: &Tx<'_>,
        inv: &Invoice,
        number: Option<&str>,
        settings: &CompanySettings,
    ) -> AppResult<PdfInputs> {
        let name = template_name(tx, inv)?;
        let (template, bundle) = self.bundle(tx, &name, None)?;
        Ok(PdfInputs {
            template,
            bundle,
            view: printed_invoice(inv, number, settings),
        })
    }

    /// Renders a PDF on its own thread within the rendering budget. Call it
    /// with no transaction open, or inside the issuing transaction only when
    /// the number is needed (the budget then bounds how long the lock is held).
    pub(crate) fn render_within_budget(&self, inputs: &PdfInputs) -> AppResult<Vec<u8>> {
        let renderer = Arc::clone(&self.renderer);
        let bundle = Arc::clone(&inputs.bundle);
        let view = inputs.view.clone();
        let template = format!("{} v{}", inputs.template.name, inputs.template.version);
        within_budget(self.render_budget, &template, move || {
            renderer.render_pdf(&bundle, &view).map_err(render_error)
        })
    }

    /// An invoice's PDF: the archived bytes once issued (identical forever, even
    /// after its template is edited), a fresh rendering while it is a draft.
    pub fn invoice_pdf(&self, session: &Session, id: i64) -> AppResult<PdfFile> {
        session.require(Permission::View)?;
        let source = self.store.read(|tx| {
            let inv = load(tx, id)?;
            let file_name = file_name(inv.number.as_deref(), inv.id);
            if inv.was_issued() {
                let (bytes, sha256) = tx.archived_pdf(id)?.ok_or_else(|| {
                    ApiError::new(
                        ErrorCode::Document,
                        format!("invoice {id} has no archived PDF"),
                    )
                })?;
                // Recomputed on every read, so a replaced blob is refused
                // instead of being returned under the original's checksum.
                let sha256 = crate::integrity::check_archived(&inv, &bytes, &sha256)?;
                return Ok(PdfSource::Archived(PdfFile {
                    file_name,
                    bytes,
                    sha256,
                }));
            }
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let inputs = self.pdf_inputs(tx, &inv, None, &settings)?;
            Ok::<_, ApiError>(PdfSource::Draft(file_name, Box::new(inputs)))
        })?;
        match source {
            PdfSource::Archived(file) => Ok(file),
            // Rendered after the read transaction ends: a slow template must
            // not keep the reader connection busy.
            PdfSource::Draft(file_name, inputs) => {
                let bytes = self.render_within_budget(&inputs)?;
                Ok(PdfFile {
                    file_name,
                    sha256: sha256_hex(&bytes),
                    bytes,
                })
            }
        }
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
        let bundle = Arc::new(bundle_from_input(input, self.render_budget)?);
        let renderer = Arc::clone(&self.renderer);
        within_budget(self.render_budget, input.name.trim(), move || {
            renderer
                .render_pdf(&bundle, &doc::PrintedInvoice::sample())
                .map_err(render_error)
        })
    }
}

/// The error for use before first-run setup.
pub(crate) fn not_initialized() -> ApiError {
    ApiError::new(
        ErrorCode::NotInitialized,
        "Invoicer is not set up yet; run first-time setup",
    )
}

impl PdfFile {
    /// Writes the PDF to `path` safely (see [`write_document`]).
    pub fn write_to(&self, path: &Path) -> AppResult<()> {
        write_document(path, &self.bytes)
    }
}

/// Writes a document the user saves (a PDF, an errors CSV) to `path`
/// safely: into a new temporary file with a random name created exclusively
/// in the same folder (so nothing planted there, a symlink included, is ever
/// opened or followed), flushed to disk, then renamed over `path` and the
/// folder flushed too. A failure leaves `path` as it was; a symlink at
/// `path` itself is replaced, not followed.
pub fn write_document(path: &Path, bytes: &[u8]) -> AppResult<()> {
    let io = |e: std::io::Error| {
        ApiError::new(
            ErrorCode::Internal,
            format!("cannot write {}: {e}", path.display()),
        )
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".invoicer-").suffix(".partial");
    // The saved PDF is an ordinary document: the usual 0644, less what the
    // umask removes, not the 0600 a temporary file gets by default.
    #[cfg(unix)]
    let perms = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(0o644)
    };
    #[cfg(unix)]
    builder.permissions(perms);
    let mut tmp = builder.tempfile_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    // The rename is durable only once the folder's entry is on disk.
    #[cfg(unix)]
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io)?;
    Ok(())
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
            "A-B-C--D-E-F-G-H.pdf"
        );
        assert_eq!(file_name(Some("../"), 3), "invoice-3.pdf");
        assert_eq!(file_name(Some("COM1"), 4), "invoice-4.pdf");
        assert_eq!(file_name(Some(".hidden"), 5), "hidden.pdf");
        assert_eq!(file_name(None, 7), "draft-7.pdf");
        let long = file_name(Some(&"é".repeat(300)), 8);
        assert!(long.len() <= 255 && long.ends_with("é.pdf"), "{long}");
    }
}
