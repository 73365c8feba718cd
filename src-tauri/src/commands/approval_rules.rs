//! The approval rules of Settings → Approvals (admins only, enforced by the
//! use case).

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::ApprovalRulesView;
use invoicer_app::AppResult;
use tauri::State;

/// The company's approval rules.
#[tauri::command]
pub async fn approval_rules(state: State<'_, AppState>) -> AppResult<ApprovalRulesView> {
    as_user(&state, "approval_rules", |inv, s| inv.approval_rules(s)).await
}

/// Replaces the company's approval rules as a whole.
#[tauri::command]
pub async fn update_approval_rules(
    state: State<'_, AppState>,
    input: Arg<ApprovalRulesView>,
) -> AppResult<ApprovalRulesView> {
    as_user(&state, "update_approval_rules", move |inv, s| {
        inv.update_approval_rules(s, &input.0)
    })
    .await
}
