//! Sending invoices by email through the outbox, the deliveries a person
//! looks after, and Settings → Email.
//!
//! The use cases that queue an email wake the sender themselves
//! (`Invoicer::nudge_jobs`), so these commands stay one call each.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{
    DeliveryFilter, DeliveryList, DeliveryView, EmailSettingsView, InvoiceScreen,
    SmtpSettingsInput, TestEmailResult,
};
use invoicer_app::AppResult;
use tauri::State;

/// Queues an issued invoice's email (its PDF and payment link) for the sender.
#[tauri::command]
pub async fn send_invoice(state: State<'_, AppState>, id: Arg<i64>) -> AppResult<InvoiceScreen> {
    as_user(&state, "send_invoice", move |inv, s| {
        inv.send_invoice(s, id.0)
    })
    .await
}

/// Issues a draft and queues its email in one transaction.
#[tauri::command]
pub async fn issue_and_send_invoice(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<InvoiceScreen> {
    as_user(&state, "issue_and_send_invoice", move |inv, s| {
        inv.issue_and_send_invoice(s, id.0)
    })
    .await
}

/// The deliveries asked for, newest first, with the counts the sidebar shows.
#[tauri::command]
pub async fn deliveries(
    state: State<'_, AppState>,
    filter: Arg<DeliveryFilter>,
) -> AppResult<DeliveryList> {
    as_user(&state, "deliveries", move |inv, s| {
        inv.deliveries(s, &filter.0)
    })
    .await
}

/// Queues a failed delivery ("Retry") or one of unknown outcome ("Resend")
/// again.
#[tauri::command]
pub async fn resend_delivery(state: State<'_, AppState>, id: Arg<i64>) -> AppResult<DeliveryView> {
    as_user(&state, "resend_delivery", move |inv, s| {
        inv.resend_delivery(s, id.0)
    })
    .await
}

/// Confirms that a delivery of unknown outcome arrived.
#[tauri::command]
pub async fn mark_delivery_sent(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<DeliveryView> {
    as_user(&state, "mark_delivery_sent", move |inv, s| {
        inv.mark_delivery_sent(s, id.0)
    })
    .await
}

/// Settings → Email: the transport, the keychain's state, the signing secret.
#[tauri::command]
pub async fn email_settings(state: State<'_, AppState>) -> AppResult<EmailSettingsView> {
    as_user(&state, "email_settings", move |inv, s| {
        inv.email_settings(s)
    })
    .await
}

/// Saves the SMTP server; a password given goes to the OS keychain.
#[tauri::command]
pub async fn save_smtp_settings(
    state: State<'_, AppState>,
    input: Arg<SmtpSettingsInput>,
) -> AppResult<EmailSettingsView> {
    as_user(&state, "save_smtp_settings", move |inv, s| {
        inv.save_smtp_settings(s, &input.0)
    })
    .await
}

/// Forgets the SMTP server: mail goes to the outbox folder again.
#[tauri::command]
pub async fn clear_smtp_settings(state: State<'_, AppState>) -> AppResult<EmailSettingsView> {
    as_user(&state, "clear_smtp_settings", move |inv, s| {
        inv.clear_smtp_settings(s)
    })
    .await
}

/// Makes a new payment-link signing secret in the OS keychain.
#[tauri::command]
pub async fn rotate_payment_link_secret(
    state: State<'_, AppState>,
) -> AppResult<EmailSettingsView> {
    as_user(&state, "rotate_payment_link_secret", move |inv, s| {
        inv.rotate_payment_link_secret(s)
    })
    .await
}

/// Sends a test email now through the configured transport. It may wait on a
/// mail server for seconds, so like every command it runs on a blocking
/// thread, never on the window's event loop.
#[tauri::command]
pub async fn send_test_email(
    state: State<'_, AppState>,
    to: Arg<String>,
) -> AppResult<TestEmailResult> {
    as_user(&state, "send_test_email", move |inv, s| {
        inv.send_test_email(s, &to.0)
    })
    .await
}
