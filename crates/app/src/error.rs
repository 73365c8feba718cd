//! Errors as they cross to the UI and the CLI: a stable code the UI can match,
//! a sentence a person can read, and the field errors behind a validation failure.

use invoicer_domain::{DomainError, ValidationErrors};
use invoicer_store::StoreError;
use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

/// What kind of failure this is; the UI branches on it, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Input was refused; `details` names the fields.
    Validation,
    /// The id names nothing.
    NotFound,
    /// Email or password is wrong.
    AuthFailed,
    /// Too many failed sign-ins for this email; `details` holds
    /// `retry_after_seconds` (its message is the number of seconds).
    Throttled,
    /// Nobody is signed in.
    Unauthenticated,
    /// The signed-in role may not do this.
    Forbidden,
    /// The invoice's state does not allow this.
    InvalidState,
    /// Conflicts with existing data (e.g. a duplicate email).
    Conflict,
    /// First-run setup has not been done.
    NotInitialized,
    /// First-run setup was already done.
    AlreadyInitialized,
    /// The database failed.
    Storage,
    /// A document could not be rendered.
    Document,
    /// Stored data no longer matches what was recorded (e.g. an archived PDF
    /// whose bytes do not hash to its recorded SHA-256).
    Integrity,
    /// Anything else.
    Internal,
}

/// One refused field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export, rename = "FieldError")]
pub struct FieldErrorView {
    /// The field's path, e.g. `lines[1].quantity`.
    pub field: String,
    /// Why it was refused, including the value where it helps.
    pub message: String,
}

/// The error every use case returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[ts(export)]
pub struct ApiError {
    /// The kind of failure.
    pub code: ErrorCode,
    /// A sentence for a person.
    pub message: String,
    /// Field errors, for validation failures.
    pub details: Option<Vec<FieldErrorView>>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        // A single field error is already spelled out in the message.
        if let Some(d) = self.details.as_ref().filter(|d| d.len() > 1) {
            for e in d {
                write!(f, "\n  {}: {}", e.field, e.message)?;
            }
        }
        Ok(())
    }
}

impl ApiError {
    /// An error with no field details.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            code,
            message: message.into(),
            details: None,
        }
    }

    /// `what` with `id` does not exist.
    pub fn not_found(what: &str, id: impl fmt::Display) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what} {id} does not exist"))
    }

    /// A single refused field.
    pub fn field(field: &str, value: &str, message: &str) -> Self {
        ValidationErrors::single(field, value, message).into()
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(v: ValidationErrors) -> Self {
        let details: Vec<FieldErrorView> = v
            .errors
            .iter()
            .map(|e| FieldErrorView {
                field: e.field.clone(),
                message: if e.value.is_empty() {
                    e.message.clone()
                } else {
                    format!("{:?} {}", e.value, e.message)
                },
            })
            .collect();
        let message = match details.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            many => format!("{} fields need attention", many.len()),
        };
        ApiError {
            code: ErrorCode::Validation,
            message,
            details: Some(details),
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::Validation(v) => v.into(),
            DomainError::InvalidTransition { message, .. } => {
                ApiError::new(ErrorCode::InvalidState, message)
            }
            DomainError::Amount(m) => ApiError::new(ErrorCode::Validation, m),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "storage error");
        if e.is_unique_violation() {
            return ApiError::new(ErrorCode::Conflict, "this record already exists");
        }
        ApiError::new(ErrorCode::Storage, e.to_string())
    }
}
