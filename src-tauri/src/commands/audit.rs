//! The audit trail.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{AuditEventView, AuditReport};
use invoicer_app::AppResult;
use tauri::State;

/// The events of invoice `id`, oldest first.
#[tauri::command]
pub async fn invoice_audit(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<Vec<AuditEventView>> {
    as_user(&state, "invoice_audit", move |inv, s| {
        inv.invoice_audit(s, id.0)
    })
    .await
}

/// Verifies the whole hash chain (admins only).
#[tauri::command]
pub async fn verify_audit(state: State<'_, AppState>) -> AppResult<AuditReport> {
    as_user(&state, "verify_audit", |inv, s| inv.verify_audit(s)).await
}
