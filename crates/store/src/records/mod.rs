//! The store's own record types: the shapes written to the database, kept
//! apart from the domain types so that renaming a domain field or variant
//! cannot silently change (or stop reading) what existing databases hold.
//!
//! JSON columns carry a `record_version` tag; rows written before the tag
//! existed (schema 8 and earlier) have none and are read as version 1. Enums
//! stored as text go through the explicit `match` tables in [`enum_names`],
//! never through serde. A new stored shape is a new `…_v2` module with a
//! conversion from v1, not an edit of v1.

pub(crate) mod approval_rules_v1;
pub(crate) mod bulk_failure_v1;
pub(crate) mod company_settings_v1;
pub(crate) mod customer_snapshot_v1;
pub(crate) mod enum_names;
pub(crate) mod event_mapping_v1;
pub(crate) mod mapping_profile_v1;
pub(crate) mod reminder_policy_v1;
pub(crate) mod statement_profile_v1;

use crate::codec::corrupt;
use crate::StoreError;

/// Reads the `record_version` of a stored JSON object: absent means 1, the
/// untagged format written before versioning.
pub(crate) fn record_version(what: &str, json: &serde_json::Value) -> Result<u64, StoreError> {
    match json.get("record_version") {
        None => Ok(1),
        Some(v) => v
            .as_u64()
            .ok_or_else(|| corrupt(&format!("{what} record_version"), &v.to_string())),
    }
}

/// Parses a stored JSON document and checks it is a version this store reads.
pub(crate) fn parse_versioned(
    what: &str,
    text: &str,
    known: u64,
) -> Result<serde_json::Value, StoreError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| corrupt(what, text))?;
    let version = record_version(what, &value)?;
    if version != known {
        return Err(StoreError::Corrupt(format!(
            "{what} has record_version {version}, which this version of Invoicer cannot read"
        )));
    }
    Ok(value)
}
