//! Approval: maker submits, a different approver approves or rejects.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{InvoiceScreen, RejectInput};
use invoicer_app::AppResult;
use tauri::State;

/// Sends a draft to an approver.
#[tauri::command]
pub async fn submit_for_approval(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<InvoiceScreen> {
    as_user(&state, "submit_for_approval", move |inv, s| {
        inv.submit_for_approval(s, id.0)
    })
    .await
}

/// Approves an invoice someone else made.
#[tauri::command]
pub async fn approve_invoice(state: State<'_, AppState>, id: Arg<i64>) -> AppResult<InvoiceScreen> {
    as_user(&state, "approve_invoice", move |inv, s| {
        inv.approve_invoice(s, id.0)
    })
    .await
}

/// Sends an invoice back to its maker with a reason.
#[tauri::command]
pub async fn reject_invoice(
    state: State<'_, AppState>,
    input: Arg<RejectInput>,
) -> AppResult<InvoiceScreen> {
    let input = input.0;
    as_user(&state, "reject_invoice", move |inv, s| {
        inv.reject_invoice(s, input.invoice_id, &input.reason)
    })
    .await
}

/// Withdraws an approval request or an approval; the invoice becomes a draft
/// again. This is what an approved, never-issued invoice gets instead of a void.
#[tauri::command]
pub async fn send_back_to_draft(
    state: State<'_, AppState>,
    input: Arg<RejectInput>,
) -> AppResult<InvoiceScreen> {
    let input = input.0;
    as_user(&state, "send_back_to_draft", move |inv, s| {
        inv.send_back_to_draft(s, input.invoice_id, &input.reason)
    })
    .await
}
