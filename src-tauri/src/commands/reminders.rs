//! Payment reminders and disputes: the lists, Settings → Reminders, "Mark
//! disputed" and "Resolve dispute", a customer's reminders switch.

use super::{arg::Arg, as_user};
use crate::state::AppState;
use invoicer_app::api::{
    CustomerRemindersInput, CustomerRemindersView, DisputeDone, DisputeInput, DisputeView,
    InvoiceScreen, ReminderPolicyView, ReminderView, RemindersPanel, ResolveDisputeInput,
};
use invoicer_app::AppResult;
use tauri::State;

/// Reminders sent and skipped, newest first; with `due`, the steps due now
/// that the scheduler has not sent yet.
#[tauri::command]
pub async fn list_reminders(
    state: State<'_, AppState>,
    due: Arg<bool>,
) -> AppResult<Vec<ReminderView>> {
    as_user(&state, "list_reminders", move |inv, s| {
        inv.reminders(s, due.0)
    })
    .await
}

/// Invoice `id`'s reminders: sent and skipped with dates, then the next
/// scheduled step.
#[tauri::command]
pub async fn invoice_reminders(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<Vec<ReminderView>> {
    as_user(&state, "invoice_reminders", move |inv, s| {
        inv.invoice_reminders(s, id.0)
    })
    .await
}

/// The company's reminder policy (Settings → Reminders).
#[tauri::command]
pub async fn reminder_policy(state: State<'_, AppState>) -> AppResult<ReminderPolicyView> {
    as_user(&state, "reminder_policy", move |inv, s| {
        inv.reminder_policy(s)
    })
    .await
}

/// Saves the reminder policy (admins).
#[tauri::command]
pub async fn set_reminder_policy(
    state: State<'_, AppState>,
    input: Arg<ReminderPolicyView>,
) -> AppResult<ReminderPolicyView> {
    as_user(&state, "set_reminder_policy", move |inv, s| {
        inv.set_reminder_policy(s, &input.0)
    })
    .await
}

/// Marks an invoice disputed: its reminders pause.
#[tauri::command]
pub async fn dispute_invoice(
    state: State<'_, AppState>,
    input: Arg<DisputeInput>,
) -> AppResult<DisputeDone> {
    as_user(&state, "dispute_invoice", move |inv, s| {
        inv.dispute_from_screen(s, &input.0)
    })
    .await
}

/// Records how an invoice's dispute ended.
#[tauri::command]
pub async fn resolve_dispute(
    state: State<'_, AppState>,
    input: Arg<ResolveDisputeInput>,
) -> AppResult<DisputeDone> {
    as_user(&state, "resolve_dispute", move |inv, s| {
        inv.resolve_dispute_from_screen(s, &input.0)
    })
    .await
}

/// Invoice `id`'s latest dispute, if it ever had one.
#[tauri::command]
pub async fn invoice_dispute(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<Option<DisputeView>> {
    as_user(&state, "invoice_dispute", move |inv, s| {
        inv.invoice_dispute(s, id.0)
    })
    .await
}

/// Disputes still open after their window (the exceptions view).
#[tauri::command]
pub async fn disputes_past_window(state: State<'_, AppState>) -> AppResult<Vec<DisputeView>> {
    as_user(&state, "disputes_past_window", move |inv, s| {
        inv.disputes_past_window(s)
    })
    .await
}

/// Whether a customer opted out of payment reminders, and whether the
/// signed-in person may change it.
#[tauri::command]
pub async fn customer_reminders(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<CustomerRemindersView> {
    as_user(&state, "customer_reminders", move |inv, s| {
        inv.customer_reminders(s, id.0)
    })
    .await
}

/// Turns a customer's payment reminders on or off.
#[tauri::command]
pub async fn set_customer_reminders(
    state: State<'_, AppState>,
    input: Arg<CustomerRemindersInput>,
) -> AppResult<bool> {
    let input = input.0;
    as_user(&state, "set_customer_reminders", move |inv, s| {
        inv.set_customer_reminders(s, input.customer_id, input.opt_out)
    })
    .await
}

/// The invoice screen's Reminders section with the actions allowed now.
#[tauri::command]
pub async fn reminders_panel(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<RemindersPanel> {
    as_user(&state, "reminders_panel", move |inv, s| {
        inv.reminders_panel(s, id.0)
    })
    .await
}

/// Sends the invoice's next reminder step now.
#[tauri::command]
pub async fn send_reminder_now(
    state: State<'_, AppState>,
    id: Arg<i64>,
) -> AppResult<InvoiceScreen> {
    as_user(&state, "send_reminder_now", move |inv, s| {
        inv.send_reminder_from_screen(s, id.0)
    })
    .await
}
