//! The company profile and users.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{CompanyView, NewUserInput, UserView};
use invoicer_app::AppResult;
use tauri::State;

/// The company profile.
#[tauri::command]
pub async fn get_company(state: State<'_, AppState>) -> AppResult<CompanyView> {
    as_user(&state, "get_company", |inv, s| inv.company(s)).await
}

/// Changes the company profile (admins only).
#[tauri::command]
pub async fn update_company(
    state: State<'_, AppState>,
    input: Arg<CompanyView>,
) -> AppResult<CompanyView> {
    as_user(&state, "update_company", move |inv, s| {
        inv.update_company(s, &input.0)
    })
    .await
}

/// All users (admins only).
#[tauri::command]
pub async fn list_users(state: State<'_, AppState>) -> AppResult<Vec<UserView>> {
    as_user(&state, "list_users", |inv, s| inv.users(s)).await
}

/// Adds a user (admins only).
#[tauri::command]
pub async fn add_user(state: State<'_, AppState>, input: Arg<NewUserInput>) -> AppResult<UserView> {
    as_user(&state, "add_user", move |inv, s| inv.add_user(s, &input.0)).await
}
