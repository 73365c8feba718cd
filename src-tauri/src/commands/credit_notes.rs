//! Credit notes and refunds: thin calls into `invoicer-app`. A credit note's
//! PDF is read by URL from the `invoicer-pdf` protocol (`credit-note/{id}`),
//! like an invoice's; saving one opens the native save dialog here, so the
//! page never names a path.

use super::{arg::Arg, as_user, blocking};
use crate::state::AppState;
use invoicer_app::api::{
    CreditNoteInput, CreditNoteIssued, CreditNotePreview, CreditNoteView, InvoiceScreen,
    RefundInput,
};
use invoicer_app::AppResult;
use std::path::Path;
use tauri::{AppHandle, Runtime, State};

/// What a credit note would credit (amount, tax, balance after), before it
/// is issued.
#[tauri::command]
pub async fn preview_credit_note(
    state: State<'_, AppState>,
    input: Arg<CreditNoteInput>,
) -> AppResult<CreditNotePreview> {
    as_user(&state, "preview_credit_note", move |inv, s| {
        inv.preview_credit_note(s, &input.0)
    })
    .await
}

/// Issues a credit note against an issued invoice.
#[tauri::command]
pub async fn create_credit_note(
    state: State<'_, AppState>,
    input: Arg<CreditNoteInput>,
) -> AppResult<CreditNoteIssued> {
    let issued = as_user(&state, "create_credit_note", move |inv, s| {
        inv.create_credit_note(s, &input.0)
    })
    .await?;
    Ok(issued)
}

/// Credit notes: invoice `id`'s, or all when `id` is null.
#[tauri::command]
pub async fn list_credit_notes(
    state: State<'_, AppState>,
    id: Arg<Option<i64>>,
) -> AppResult<Vec<CreditNoteView>> {
    as_user(&state, "list_credit_notes", move |inv, s| {
        inv.credit_notes(s, id.0)
    })
    .await
}

/// Queues the email of a credit note issued without sending.
#[tauri::command]
pub async fn send_credit_note(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<InvoiceScreen> {
    as_user(&state, "send_credit_note", move |inv, s| {
        inv.send_credit_note(s, id.0)
    })
    .await
}

/// Records money paid back to the customer.
#[tauri::command]
pub async fn record_refund(
    state: State<'_, AppState>,
    input: Arg<RefundInput>,
) -> AppResult<InvoiceScreen> {
    as_user(&state, "record_refund", move |inv, s| {
        inv.record_refund(s, &input.0)
    })
    .await
}

/// Asks where to save a credit note's PDF with the native save dialog, then
/// writes it there. Returns the path, or null when the person cancelled.
#[tauri::command]
pub async fn save_credit_note_pdf<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<Option<String>> {
    let id = id.0;
    let pdf = as_user(&state, "credit_note_pdf", move |inv, s| {
        inv.credit_note_pdf(s, id)
    })
    .await?;
    let Some(path) = super::documents::choose_save_path(app, pdf.file_name.clone()).await? else {
        return Ok(None);
    };
    let target = path.clone();
    blocking(&state, "save_credit_note_pdf", move |_| {
        pdf.write_to(Path::new(&target))
    })
    .await?;
    Ok(Some(path))
}
