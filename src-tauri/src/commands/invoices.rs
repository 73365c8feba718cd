//! Invoice drafts, the list, issuing and voiding.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{
    DraftInput, DuePage, DueQuery, InvoiceDetail, InvoicePage, InvoiceQuery, InvoiceScreen,
    TotalsView, UpdateDraftInput, VoidInput,
};
use invoicer_app::AppResult;
use tauri::State;

/// Live totals of a draft, without saving it.
#[tauri::command]
pub async fn preview_totals(
    state: State<'_, AppState>,
    input: Arg<DraftInput>,
) -> AppResult<TotalsView> {
    as_user(&state, "preview_totals", move |inv, s| {
        inv.preview_totals(s, &input.0)
    })
    .await
}

/// Saves a new draft.
#[tauri::command]
pub async fn create_invoice(
    state: State<'_, AppState>,
    input: Arg<DraftInput>,
) -> AppResult<InvoiceDetail> {
    as_user(&state, "create_invoice", move |inv, s| {
        inv.create_invoice(s, &input.0)
    })
    .await
}

/// Replaces a draft's content.
#[tauri::command]
pub async fn update_invoice(
    state: State<'_, AppState>,
    input: Arg<UpdateDraftInput>,
) -> AppResult<InvoiceScreen> {
    as_user(&state, "update_invoice", move |inv, s| {
        inv.update_invoice(s, &input.0)
    })
    .await
}

/// One invoice.
#[tauri::command]
pub async fn get_invoice(state: State<'_, AppState>, id: Arg<i64>) -> AppResult<InvoiceScreen> {
    as_user(&state, "get_invoice", move |inv, s| {
        inv.invoice_screen(s, id.0)
    })
    .await
}

/// One page of invoices.
#[tauri::command]
pub async fn list_invoices(
    state: State<'_, AppState>,
    query: Arg<InvoiceQuery>,
) -> AppResult<InvoicePage> {
    as_user(&state, "list_invoices", move |inv, s| {
        inv.list_invoices(s, &query.0)
    })
    .await
}

/// One page of the "Due & overdue" view: open invoices, most overdue first.
#[tauri::command]
pub async fn due_invoices(state: State<'_, AppState>, query: Arg<DueQuery>) -> AppResult<DuePage> {
    as_user(&state, "due_invoices", move |inv, s| {
        inv.due_invoices(s, &query.0)
    })
    .await
}

/// Issues a draft: gapless number, frozen content.
#[tauri::command]
pub async fn issue_invoice(state: State<'_, AppState>, id: Arg<i64>) -> AppResult<InvoiceScreen> {
    as_user(&state, "issue_invoice", move |inv, s| {
        inv.issue_invoice(s, id.0)
    })
    .await
}

/// Voids an invoice, keeping its number, with the reason.
#[tauri::command]
pub async fn void_invoice(
    state: State<'_, AppState>,
    input: Arg<VoidInput>,
) -> AppResult<InvoiceScreen> {
    as_user(&state, "void_invoice", move |inv, s| {
        inv.void_invoice(s, &input.0)
    })
    .await
}
