//! Command arguments whose malformed JSON is refused as an [`ApiError`].
//!
//! Tauri refuses an argument it cannot deserialize with a bare string
//! (`invalid args ...`). The UI matches on `ApiError.code`, so every argument
//! of every command is wrapped in [`Arg`], which refuses with
//! `{code: "validation", details: [{field: <key>, ...}]}` instead.

use invoicer_app::api::ErrorDetail;
use invoicer_app::{ApiError, ErrorCode};
use serde::Deserialize;
use tauri::ipc::{CommandArg, CommandItem, InvokeError};
use tauri::Runtime;

/// One command argument, deserialized from the key of the same name.
#[derive(Debug, Clone)]
pub struct Arg<T>(pub T);

impl<'de, T: Deserialize<'de>, R: Runtime> CommandArg<'de, R> for Arg<T> {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        let (name, key) = (command.name, command.key);
        T::deserialize(command).map(Arg).map_err(|e| {
            tracing::info!(command = name, key, error = %e, "malformed arguments");
            InvokeError::from(ApiError {
                code: ErrorCode::Validation,
                message: format!("the request to {name} is malformed: {e}"),
                details: Some(vec![ErrorDetail {
                    reason: Some(e.to_string()),
                    ..ErrorDetail::new(key, e.to_string())
                }]),
            })
        })
    }
}
