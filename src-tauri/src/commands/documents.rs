//! Saving invoice PDFs and previewing templates. A preview's bytes cross as a
//! raw IPC response, so the UI receives an `ArrayBuffer`, not a JSON array of
//! numbers. An invoice's PDF itself is not a command: the page loads it by URL
//! from the `invoicer-pdf` protocol (see `crate::pdf_protocol`).

use super::{arg::Arg, as_user, blocking};
use crate::state::AppState;
use invoicer_app::api::SaveTemplateInput;
use invoicer_app::{ApiError, AppResult, ErrorCode};
use std::path::Path;
use tauri::ipc::Response;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

/// Asks where to save an invoice's PDF with the native save dialog, then
/// writes it there. Returns the path, or null when the person cancelled.
///
/// The dialog is opened here rather than by the page so that the page never
/// names a path: a compromised page cannot write files, and the window needs
/// no dialog permission.
#[tauri::command]
pub async fn save_invoice_pdf<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<Option<String>> {
    let id = id.0;
    let pdf = as_user(&state, "invoice_pdf", move |inv, s| inv.invoice_pdf(s, id)).await?;
    let Some(path) = choose_save_path(app, pdf.file_name.clone()).await? else {
        return Ok(None);
    };
    let sha256 = pdf.sha256.clone();
    let target = path.clone();
    blocking(&state, "save_invoice_pdf", move |_| {
        pdf.write_to(Path::new(&target))
    })
    .await?;
    tracing::info!(%sha256, "invoice PDF saved");
    Ok(Some(path))
}

/// Shows the native save dialog for a PDF on a blocking thread; `None` when
/// the person cancelled.
pub(crate) async fn choose_save_path<R: Runtime>(
    app: AppHandle<R>,
    file_name: String,
) -> AppResult<Option<String>> {
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .set_file_name(&file_name)
            .add_filter("PDF", &["pdf"])
            .blocking_save_file()
    })
    .await
    .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the save dialog failed: {e}")))?;
    Ok(chosen
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

/// A sample invoice rendered with an unsaved template.
#[tauri::command]
pub async fn preview_template_pdf(
    state: State<'_, AppState>,
    input: Arg<SaveTemplateInput>,
) -> AppResult<Response> {
    let bytes = as_user(&state, "preview_template_pdf", move |inv, s| {
        inv.preview_template_pdf(s, &input.0)
    })
    .await?;
    Ok(Response::new(bytes))
}
