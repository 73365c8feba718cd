//! Settings → Integration API: whether the app's local API is listening,
//! its token (hidden until an admin asks to see it) and rotating it.

use super::as_user;
use crate::state::AppState;
use invoicer_app::api::IntegrationApiView;
use invoicer_app::AppResult;
use tauri::State;

/// The API's state and URL, without the token.
#[tauri::command]
pub async fn integration_api(state: State<'_, AppState>) -> AppResult<IntegrationApiView> {
    let serving = state.api_serving();
    as_user(&state, "integration_api", move |inv, s| {
        inv.integration_api(s, &serving, false)
    })
    .await
}

/// The same with the token shown (audited).
#[tauri::command]
pub async fn show_api_token(state: State<'_, AppState>) -> AppResult<IntegrationApiView> {
    let serving = state.api_serving();
    as_user(&state, "show_api_token", move |inv, s| {
        inv.integration_api(s, &serving, true)
    })
    .await
}

/// Replaces the token with a new random one and shows it.
#[tauri::command]
pub async fn rotate_api_token(state: State<'_, AppState>) -> AppResult<IntegrationApiView> {
    let serving = state.api_serving();
    as_user(&state, "rotate_api_token", move |inv, s| {
        inv.rotate_integration_token(s, &serving)
    })
    .await
}
