//! Approval: maker submits, a different approver approves or rejects.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{
    ApprovalOutcome, ApprovalQueue, ApproveInput, ApproveManyInput, InvoiceScreen, RejectInput,
};
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

/// The approvers' queue: every invoice waiting, oldest first, with whether
/// the signed-in person may decide each.
#[tauri::command]
pub async fn approval_queue(state: State<'_, AppState>) -> AppResult<ApprovalQueue> {
    as_user(&state, "approval_queue", move |inv, s| {
        inv.approval_queue(s)
    })
    .await
}

/// How many waiting invoices the signed-in person may decide (the badge).
#[tauri::command]
pub async fn approvals_waiting(state: State<'_, AppState>) -> AppResult<u32> {
    as_user(&state, "approvals_waiting", move |inv, s| {
        inv.approvals_waiting(s)
    })
    .await
}

/// Approves an invoice at its next level, choosing whether the final
/// approval sends it.
#[tauri::command]
pub async fn approve_invoice_with(
    state: State<'_, AppState>,
    input: Arg<ApproveInput>,
) -> AppResult<InvoiceScreen> {
    let input = input.0;
    as_user(&state, "approve_invoice_with", move |inv, s| {
        inv.approve_invoice_with(s, &input)
    })
    .await
}

/// Approves several invoices, each checked and recorded on its own.
#[tauri::command]
pub async fn approve_invoices(
    state: State<'_, AppState>,
    input: Arg<ApproveManyInput>,
) -> AppResult<Vec<ApprovalOutcome>> {
    let input = input.0;
    as_user(&state, "approve_invoices", move |inv, s| {
        inv.approve_invoices(s, &input)
    })
    .await
}
