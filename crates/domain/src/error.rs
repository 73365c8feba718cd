//! The domain's error type.

use crate::bulk_job::BulkJobStatus;
use crate::delivery::DeliveryStatus;
use crate::lifecycle::InvoiceStatus;
use crate::validation::ValidationErrors;
use thiserror::Error;

/// Why a domain rule refused an operation.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DomainError {
    /// One or more fields were invalid.
    #[error("invalid input: {0}")]
    Validation(ValidationErrors),
    /// The invoice's current state does not allow the operation.
    #[error("{message}")]
    InvalidTransition {
        /// The state the invoice was in.
        from: InvoiceStatus,
        /// What was attempted, e.g. `issue`.
        action: &'static str,
        /// A sentence for the user.
        message: String,
    },
    /// The delivery's current state does not allow the operation.
    #[error("{message}")]
    InvalidDeliveryTransition {
        /// The state the delivery was in.
        from: DeliveryStatus,
        /// A sentence for the user.
        message: String,
    },
    /// The bulk job's current state does not allow the operation.
    #[error("{message}")]
    InvalidBulkJobTransition {
        /// The state the job was in.
        from: BulkJobStatus,
        /// A sentence for the user.
        message: String,
    },
    /// A payment or amount does not fit the invoice.
    #[error("{0}")]
    Amount(String),
}

impl From<ValidationErrors> for DomainError {
    fn from(v: ValidationErrors) -> Self {
        DomainError::Validation(v)
    }
}
