//! Reconciliation: picking a bank statement CSV (the open dialog is opened
//! here, as for bulk send), the mapping step's preview, the import, and the
//! decisions on the lines that wait for a person.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{
    StatementDecisionInput, StatementImportInput, StatementImportReport, StatementLineView,
    StatementPreview,
};
use invoicer_app::{ApiError, AppResult, ErrorCode};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

/// Opens the native open-file dialog for a statement CSV and previews the
/// file picked (auto-mapped; the dry run when complete), in one round trip.
/// Null when the person cancelled.
#[tauri::command]
pub async fn pick_statement_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> AppResult<Option<StatementPreview>> {
    // Refused before the dialog opens, so a signed-out window never shows it.
    state.session()?;
    let chosen = tauri::async_runtime::spawn_blocking(move || {
        app.dialog()
            .file()
            .add_filter("CSV", &["csv", "CSV", "txt"])
            .add_filter("All files", &["*"])
            .blocking_pick_file()
    })
    .await
    .map_err(|e| ApiError::new(ErrorCode::Internal, format!("the open dialog failed: {e}")))?;
    let Some(path) = chosen.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    let input = StatementImportInput {
        path: path.display().to_string(),
        ..StatementImportInput::default()
    };
    as_user(&state, "pick_statement_file", move |inv, s| {
        inv.preview_statement(s, &input)
    })
    .await
    .map(Some)
}

/// The mapping step again, with the columns, styles or profile the person chose.
#[tauri::command]
pub async fn preview_statement(
    state: State<'_, AppState>,
    input: Arg<StatementImportInput>,
) -> AppResult<StatementPreview> {
    as_user(&state, "preview_statement", move |inv, s| {
        inv.preview_statement(s, &input.0)
    })
    .await
}

/// Imports the statement: exact matches are recorded as payments.
#[tauri::command]
pub async fn import_statement(
    state: State<'_, AppState>,
    input: Arg<StatementImportInput>,
) -> AppResult<StatementImportReport> {
    as_user(&state, "import_statement", move |inv, s| {
        inv.import_statement(s, &input.0)
    })
    .await
}

/// The statement lines waiting for a decision.
#[tauri::command]
pub async fn statement_matches(state: State<'_, AppState>) -> AppResult<Vec<StatementLineView>> {
    as_user(&state, "statement_matches", move |inv, s| {
        inv.statement_matches(s)
    })
    .await
}

/// Confirms a line: records it as a payment of the proposed or picked invoice.
#[tauri::command]
pub async fn confirm_statement_line(
    state: State<'_, AppState>,
    input: Arg<StatementDecisionInput>,
) -> AppResult<StatementLineView> {
    as_user(&state, "confirm_statement_line", move |inv, s| {
        inv.confirm_statement_line(s, input.0.line_id, input.0.invoice_id)
    })
    .await
}

/// Dismisses a line: it pays no invoice.
#[tauri::command]
pub async fn dismiss_statement_line(
    state: State<'_, AppState>,
    input: Arg<StatementDecisionInput>,
) -> AppResult<StatementLineView> {
    as_user(&state, "dismiss_statement_line", move |inv, s| {
        inv.dismiss_statement_line(s, input.0.line_id)
    })
    .await
}
