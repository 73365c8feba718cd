//! Version 1 of a stored bulk invoice failure: the JSON in
//! `bulk_invoices.error`, why making one invoice of a bulk job failed.

use super::parse_versioned;
use crate::codec::corrupt;
use crate::StoreError;
use invoicer_domain::bulk_job::BulkInvoiceFailure;
use serde::{Deserialize, Serialize};

/// What `record_version` says for this shape.
pub(crate) const VERSION: u64 = 1;

/// The stored failure, version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct BulkFailureV1 {
    record_version: u64,
    code: String,
    message: String,
}

/// The JSON stored for `failure`.
pub(crate) fn to_json(failure: &BulkInvoiceFailure) -> Result<String, StoreError> {
    serde_json::to_string(&BulkFailureV1 {
        record_version: VERSION,
        code: failure.code.clone(),
        message: failure.message.clone(),
    })
    .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The failure a stored JSON document holds.
pub(crate) fn from_json(json: &str) -> Result<BulkInvoiceFailure, StoreError> {
    let value = parse_versioned("bulk invoice failure", json, VERSION)?;
    let r: BulkFailureV1 =
        serde_json::from_value(value).map_err(|_| corrupt("bulk invoice failure", json))?;
    Ok(BulkInvoiceFailure {
        code: r.code,
        message: r.message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_json_is_the_golden_v1_text() {
        let f = BulkInvoiceFailure {
            code: "validation".into(),
            message: "email: \"ann@\" is not an email address".into(),
        };
        let json = to_json(&f).unwrap();
        assert_eq!(
            json,
            r#"{"record_version":1,"code":"validation","message":"email: \"ann@\" is not an email address"}"#
        );
        assert_eq!(from_json(&json).unwrap(), f);
        assert!(matches!(
            from_json(r#"{"record_version":1,"code":"x"}"#),
            Err(StoreError::Corrupt(_))
        ));
    }
}
