//! Customers.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{CustomerInput, CustomerView};
use invoicer_app::AppResult;
use tauri::State;

/// Customers matching `search` (name, company or email).
#[tauri::command]
pub async fn list_customers(
    state: State<'_, AppState>,
    search: Arg<Option<String>>,
) -> AppResult<Vec<CustomerView>> {
    as_user(&state, "list_customers", move |inv, s| {
        inv.customers(s, search.0.as_deref().filter(|q| !q.trim().is_empty()))
    })
    .await
}

/// One customer.
#[tauri::command]
pub async fn get_customer(state: State<'_, AppState>, id: Arg<i64>) -> AppResult<CustomerView> {
    as_user(&state, "get_customer", move |inv, s| inv.customer(s, id.0)).await
}

/// Adds a customer.
#[tauri::command]
pub async fn create_customer(
    state: State<'_, AppState>,
    input: Arg<CustomerInput>,
) -> AppResult<CustomerView> {
    as_user(&state, "create_customer", move |inv, s| {
        inv.create_customer(s, &input.0)
    })
    .await
}

/// Changes a customer.
#[tauri::command]
pub async fn update_customer(
    state: State<'_, AppState>,
    id: Arg<i64>,
    input: Arg<CustomerInput>,
) -> AppResult<CustomerView> {
    as_user(&state, "update_customer", move |inv, s| {
        inv.update_customer(s, id.0, &input.0)
    })
    .await
}
