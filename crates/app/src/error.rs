//! Errors as they cross to the UI and the CLI: a stable code the UI can match,
//! a sentence a person can read, and details the UI can use without reading
//! the sentence: the field, value and reason of a refused input, the block,
//! line and column of a template error, the figures of an approval refusal.

use crate::api::ApprovalFiguresView;
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
    /// Issuing was refused because the total reaches the approval threshold;
    /// the one detail's `approval` holds the threshold and the converted total.
    ApprovalRequired,
    /// Conflicts with existing data (e.g. a duplicate email); the detail's
    /// `field` names the field whose value is taken.
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
    /// The OS keychain is not available, so a secret (the SMTP password, a
    /// signing key) can be neither stored nor read; Invoicer never keeps one
    /// anywhere else.
    KeychainUnavailable,
    /// An event arrived whose type's rule is disabled (never tested, or
    /// changed since its last test): an admin must test and enable it in
    /// Triggers → Event rules.
    TriggerDisabled,
    /// Anything else.
    Internal,
}

/// One part of what went wrong. `field` and `message` are always there; the
/// optional parts say more for the kinds of failure that have them, so the UI
/// branches on them and never on the message text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ErrorDetail {
    /// The field's path (`lines[1].quantity`), the template block
    /// (`blocks.line_description`) or the figure (`retry_after_seconds`).
    pub field: String,
    /// A sentence for a person, including the value where it helps.
    pub message: String,
    /// The refused value as it was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub value: Option<String>,
    /// Why the value was refused, without the value or the position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reason: Option<String>,
    /// The 1-based line in a template block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub line: Option<u32>,
    /// The 1-based column in a template block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub column: Option<u32>,
    /// The figures of an `approval_required` refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub approval: Option<ApprovalFiguresView>,
    /// How long to wait, for `throttled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub retry_after_seconds: Option<u64>,
}

impl ErrorDetail {
    /// A detail with only a field and a sentence.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorDetail {
            field: field.into(),
            message: message.into(),
            ..ErrorDetail::default()
        }
    }
}

/// The error every use case returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[ts(export)]
pub struct ApiError {
    /// The kind of failure.
    pub code: ErrorCode,
    /// A sentence for a person.
    pub message: String,
    /// What the UI can act on: field errors, template positions, approval
    /// figures, the conflicting field.
    pub details: Option<Vec<ErrorDetail>>,
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

    /// The same error, with a detail naming the form field it is about.
    pub fn with_field(mut self, field: &str) -> Self {
        let detail = ErrorDetail::new(field, self.message.clone());
        self.details.get_or_insert_with(Vec::new).push(detail);
        self
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(v: ValidationErrors) -> Self {
        let details: Vec<ErrorDetail> = v
            .errors
            .iter()
            .map(|e| ErrorDetail {
                field: e.field.clone(),
                message: if e.value.is_empty() {
                    e.message.clone()
                } else {
                    format!("{:?} {}", e.value, e.message)
                },
                value: Some(e.value.clone()),
                reason: Some(e.message.clone()),
                ..ErrorDetail::default()
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
            DomainError::InvalidTransition { message, .. }
            | DomainError::InvalidDeliveryTransition { message, .. }
            | DomainError::InvalidBulkJobTransition { message, .. } => {
                ApiError::new(ErrorCode::InvalidState, message)
            }
            DomainError::Amount(m) => ApiError::new(ErrorCode::Validation, m),
        }
    }
}

/// What a person reads when the database failed; the cause is in the log only,
/// because it names tables and files that mean nothing to them.
pub const STORAGE_MESSAGE: &str = "storage error (see the log)";

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        if let Some(column) = e.unique_violation_column() {
            let field = column.rsplit('.').next().unwrap_or_default().to_string();
            if field.is_empty() {
                return ApiError::new(ErrorCode::Conflict, "this record already exists");
            }
            let mut out = ApiError::new(
                ErrorCode::Conflict,
                format!("another record already has this {field}"),
            );
            out.details = Some(vec![ErrorDetail {
                reason: Some("is already taken".into()),
                ..ErrorDetail::new(field.clone(), format!("{field} is already taken"))
            }]);
            return out;
        }
        // The one place a storage failure is logged with its cause; the shell
        // logs only the command and the code.
        tracing::error!(error = %e, "storage error");
        ApiError::new(ErrorCode::Storage, STORAGE_MESSAGE)
    }
}
