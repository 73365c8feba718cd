//! Payments.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{InvoiceScreen, PaymentInput, PaymentView};
use invoicer_app::AppResult;
use tauri::State;

/// Records a payment against an issued invoice.
#[tauri::command]
pub async fn record_payment(
    state: State<'_, AppState>,
    input: Arg<PaymentInput>,
) -> AppResult<InvoiceScreen> {
    as_user(&state, "record_payment", move |inv, s| {
        inv.record_payment(s, &input.0)
    })
    .await
}

/// The payments of invoice `id`.
#[tauri::command]
pub async fn list_payments(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<Vec<PaymentView>> {
    as_user(&state, "list_payments", move |inv, s| inv.payments(s, id.0)).await
}
