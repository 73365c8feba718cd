//! Tax rates.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{TaxRateInput, TaxRateView};
use invoicer_app::AppResult;
use tauri::State;

/// Every tax rate.
#[tauri::command]
pub async fn list_tax_rates(state: State<'_, AppState>) -> AppResult<Vec<TaxRateView>> {
    as_user(&state, "list_tax_rates", |inv, s| inv.tax_rates(s)).await
}

/// Adds or replaces a rate (admins only).
#[tauri::command]
pub async fn set_tax_rate(
    state: State<'_, AppState>,
    input: Arg<TaxRateInput>,
) -> AppResult<TaxRateView> {
    as_user(&state, "set_tax_rate", move |inv, s| {
        inv.set_tax_rate(s, &input.0)
    })
    .await
}

/// Deletes a rate (admins only).
#[tauri::command]
pub async fn delete_tax_rate(state: State<'_, AppState>, id: Arg<i64>) -> AppResult<()> {
    as_user(&state, "delete_tax_rate", move |inv, s| {
        inv.delete_tax_rate(s, id.0)
    })
    .await
}
