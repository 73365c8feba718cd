//! The IPC commands: one per use case, each a thin call into `invoicer-app`.
//!
//! Every command is `async` and runs its database work on a blocking thread,
//! so the window's event loop never waits on SQLite or argon2. Errors cross as
//! the serialized [`ApiError`] (`{code, message, details}`).

pub mod approval_rules;
pub mod approvals;
pub mod arg;
pub mod audit;
pub mod bulk;
pub mod company;
pub mod credit_notes;
pub mod customers;
pub mod deliveries;
pub mod documents;
pub mod integration;
pub mod invoices;
pub mod payments;
pub mod reconciliation;
pub mod reminders;
pub mod reports;
pub mod schedules;
pub mod session;
pub mod tax_rates;
pub mod templates;

use crate::state::AppState;
use invoicer_app::{ApiError, AppResult, ErrorCode, Invoicer, Session};

/// Runs `work` on a blocking thread with the application.
pub(crate) async fn blocking<T, F>(state: &AppState, command: &'static str, work: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&Invoicer) -> AppResult<T> + Send + 'static,
{
    let invoicer = state.invoicer();
    let result = tauri::async_runtime::spawn_blocking(move || work(&invoicer))
        .await
        .unwrap_or_else(|e| {
            Err(ApiError::new(
                ErrorCode::Internal,
                format!("the {command} task failed: {e}"),
            ))
        });
    log_outcome(command, &result);
    result
}

/// Runs `work` for the signed-in user, or refuses with `unauthenticated`.
pub(crate) async fn as_user<T, F>(state: &AppState, command: &'static str, work: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&Invoicer, &Session) -> AppResult<T> + Send + 'static,
{
    let session = match state.session() {
        Ok(s) => s,
        Err(e) => {
            log_outcome::<T>(command, &Err(e.clone()));
            return Err(e);
        }
    };
    blocking(state, command, move |inv| work(inv, &session)).await
}

/// Logs the command's outcome: never its arguments (they may hold passwords).
pub(crate) fn log_outcome<T>(command: &str, result: &AppResult<T>) {
    match result {
        Ok(_) => tracing::debug!(command, "ok"),
        // A storage failure's cause was logged where it happened, once; the
        // message here is only "storage error (see the log)".
        Err(e) if e.code == ErrorCode::Storage => {
            tracing::warn!(command, code = ?e.code, "failed")
        }
        Err(e) if e.code == ErrorCode::Internal => {
            tracing::error!(command, code = ?e.code, message = %e.message, "failed")
        }
        Err(e) => tracing::info!(command, code = ?e.code, message = %e.message, "refused"),
    }
}
