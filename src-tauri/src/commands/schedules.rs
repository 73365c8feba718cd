//! Recurring schedules: list, create, update, pause, resume (enable),
//! skip the next period, preview the next occurrences and the test run.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{
    InvoiceTriggerView, OccurrencePreview, ScheduleInput, ScheduleTestRun, ScheduleView,
    UpdateScheduleInput,
};
use invoicer_app::AppResult;
use tauri::State;

/// Every schedule, oldest first.
#[tauri::command]
pub async fn list_schedules(state: State<'_, AppState>) -> AppResult<Vec<ScheduleView>> {
    as_user(&state, "list_schedules", move |inv, s| inv.schedules(s)).await
}

/// Creates a schedule; it stays disabled until a test run has passed.
#[tauri::command]
pub async fn create_schedule(
    state: State<'_, AppState>,
    input: Arg<ScheduleInput>,
) -> AppResult<ScheduleView> {
    let input = input.0;
    as_user(&state, "create_schedule", move |inv, s| {
        inv.create_schedule(s, &input)
    })
    .await
}

/// Changes what a schedule bills and when.
#[tauri::command]
pub async fn update_schedule(
    state: State<'_, AppState>,
    input: Arg<UpdateScheduleInput>,
) -> AppResult<ScheduleView> {
    let input = input.0;
    as_user(&state, "update_schedule", move |inv, s| {
        inv.update_schedule(s, &input)
    })
    .await
}

/// Pauses a schedule from today; periods billed while paused are skipped.
#[tauri::command]
pub async fn pause_schedule(state: State<'_, AppState>, id: Arg<i64>) -> AppResult<ScheduleView> {
    as_user(&state, "pause_schedule", move |inv, s| {
        inv.pause_schedule(s, id.0)
    })
    .await
}

/// Enables a tested schedule, or resumes a paused one.
#[tauri::command]
pub async fn resume_schedule(state: State<'_, AppState>, id: Arg<i64>) -> AppResult<ScheduleView> {
    as_user(&state, "resume_schedule", move |inv, s| {
        inv.resume_schedule(s, id.0)
    })
    .await
}

/// Skips a schedule's next period: it is never invoiced.
#[tauri::command]
pub async fn skip_schedule_occurrence(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<ScheduleView> {
    as_user(&state, "skip_schedule_occurrence", move |inv, s| {
        inv.skip_next_occurrence(s, id.0)
    })
    .await
}

/// The next 12 periods with their dates and totals; writes nothing.
#[tauri::command]
pub async fn preview_schedule(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<Vec<OccurrencePreview>> {
    as_user(&state, "preview_schedule", move |inv, s| {
        inv.preview_schedule(s, id.0)
    })
    .await
}

/// A dry run: the invoice the next period would make; writes and sends nothing.
#[tauri::command]
pub async fn test_schedule(state: State<'_, AppState>, id: Arg<i64>) -> AppResult<ScheduleTestRun> {
    as_user(&state, "test_schedule", move |inv, s| {
        inv.test_schedule(s, id.0)
    })
    .await
}

/// What made an invoice: its trigger source, and its schedule when a schedule did.
#[tauri::command]
pub async fn invoice_trigger(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<InvoiceTriggerView> {
    as_user(&state, "invoice_trigger", move |inv, s| {
        inv.invoice_trigger(s, id.0)
    })
    .await
}
