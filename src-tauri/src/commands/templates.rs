//! The template library: versioned, immutable template bundles.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{
    SaveTemplateInput, TemplateHistoryEntry, TemplateRefInput, TemplateSummaryView,
    TemplateVersionView,
};
use invoicer_app::AppResult;
use tauri::State;

/// Every template with its newest version.
#[tauri::command]
pub async fn list_templates(state: State<'_, AppState>) -> AppResult<Vec<TemplateSummaryView>> {
    as_user(&state, "list_templates", |inv, s| inv.list_templates(s)).await
}

/// One version of a template (the newest when `version` is null).
#[tauri::command]
pub async fn get_template(
    state: State<'_, AppState>,
    input: Arg<TemplateRefInput>,
) -> AppResult<TemplateVersionView> {
    as_user(&state, "get_template", move |inv, s| {
        inv.template(s, &input.0)
    })
    .await
}

/// A template's versions.
#[tauri::command]
pub async fn template_history(
    state: State<'_, AppState>,
    name: Arg<String>,
) -> AppResult<Vec<TemplateHistoryEntry>> {
    as_user(&state, "template_history", move |inv, s| {
        inv.template_history(s, &name.0)
    })
    .await
}

/// Saves a template as its next version (admins only).
#[tauri::command]
pub async fn save_template(
    state: State<'_, AppState>,
    input: Arg<SaveTemplateInput>,
) -> AppResult<TemplateVersionView> {
    as_user(&state, "save_template", move |inv, s| {
        inv.save_template(s, &input.0)
    })
    .await
}

/// Makes `name` the template new invoices use (admins only).
#[tauri::command]
pub async fn set_default_template(state: State<'_, AppState>, name: Arg<String>) -> AppResult<()> {
    as_user(&state, "set_default_template", move |inv, s| {
        inv.set_default_template(s, &name.0)
    })
    .await
}
