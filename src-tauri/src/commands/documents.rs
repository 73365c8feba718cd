//! Invoice PDFs. The bytes cross as a raw IPC response, so the UI receives an
//! `ArrayBuffer`, not a JSON array of numbers.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{SavePdfInput, SaveTemplateInput};
use invoicer_app::AppResult;
use tauri::ipc::Response;
use tauri::State;

/// An invoice's PDF: the archived bytes once issued, a fresh rendering of a draft.
#[tauri::command]
pub async fn invoice_pdf(state: State<'_, AppState>, id: Arg<i64>) -> AppResult<Response> {
    let pdf = as_user(&state, "invoice_pdf", move |inv, s| {
        inv.invoice_pdf(s, id.0)
    })
    .await?;
    Ok(Response::new(pdf.bytes))
}

/// Writes an invoice's PDF to the path the person chose in the save dialog.
#[tauri::command]
pub async fn save_invoice_pdf(
    state: State<'_, AppState>,
    input: Arg<SavePdfInput>,
) -> AppResult<()> {
    let pdf = as_user(&state, "save_invoice_pdf", move |inv, s| {
        inv.save_invoice_pdf(s, &input.0)
    })
    .await?;
    tracing::info!(file = %pdf.file_name, sha256 = %pdf.sha256, "invoice PDF saved");
    Ok(())
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
