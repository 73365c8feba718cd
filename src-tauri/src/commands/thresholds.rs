//! Usage thresholds (Triggers → Thresholds): list, create, update, enable,
//! disable and the test run; and an hour or usage entry recorded by hand.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{
    ThresholdInput, ThresholdTestRun, ThresholdView, UpdateThresholdInput, UsageInput,
    UsageRecorded,
};
use invoicer_app::AppResult;
use tauri::State;

/// Every threshold rule with its progress, unbilled entries and recent invoices.
#[tauri::command]
pub async fn list_thresholds(state: State<'_, AppState>) -> AppResult<Vec<ThresholdView>> {
    as_user(&state, "list_thresholds", move |inv, s| inv.thresholds(s)).await
}

/// Creates a rule (admins); it stays disabled until a test run has passed.
#[tauri::command]
pub async fn create_threshold(
    state: State<'_, AppState>,
    input: Arg<ThresholdInput>,
) -> AppResult<ThresholdView> {
    let input = input.0;
    as_user(&state, "create_threshold", move |inv, s| {
        inv.create_threshold(s, &input)
    })
    .await
}

/// Changes a rule (admins); it is disabled until it passes a test again.
#[tauri::command]
pub async fn update_threshold(
    state: State<'_, AppState>,
    input: Arg<UpdateThresholdInput>,
) -> AppResult<ThresholdView> {
    let input = input.0;
    as_user(&state, "update_threshold", move |inv, s| {
        inv.update_threshold(s, &input)
    })
    .await
}

/// Enables a rule whose test run passed (admins).
#[tauri::command]
pub async fn enable_threshold(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<ThresholdView> {
    as_user(&state, "enable_threshold", move |inv, s| {
        inv.enable_threshold(s, id.0)
    })
    .await
}

/// Disables a rule (admins).
#[tauri::command]
pub async fn disable_threshold(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<ThresholdView> {
    as_user(&state, "disable_threshold", move |inv, s| {
        inv.disable_threshold(s, id.0)
    })
    .await
}

/// The invoice the rule would make now, with its PDF; writes and sends nothing.
#[tauri::command]
pub async fn test_threshold(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<ThresholdTestRun> {
    as_user(&state, "test_threshold", move |inv, s| {
        inv.test_threshold(s, id.0)
    })
    .await
}

/// Records logged hours or usage units for the customer's enabled rule.
#[tauri::command]
pub async fn record_usage(
    state: State<'_, AppState>,
    input: Arg<UsageInput>,
) -> AppResult<UsageRecorded> {
    let input = input.0;
    as_user(&state, "record_usage", move |inv, s| {
        inv.record_usage(s, &input)
    })
    .await
}
