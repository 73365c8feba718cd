//! The idempotency key of one invoice of a bulk file, and why it has two
//! kinds of source. The store keeps each key unique across all jobs, so a
//! file's invoice is made at most once.

use crate::validation::ValidationErrors;
use serde::{Deserialize, Serialize};

/// The longest invoice key or external reference kept, in characters: far
/// beyond any CRM's deal or contact id, short enough to index.
pub const MAX_KEY_CHARS: usize = 200;

/// What identifies the source of an invoice key.
///
/// Both exist because neither alone is right for every file. The file's
/// SHA-256 makes re-running the very same file a no-op, whatever its rows
/// say. But a CRM export downloaded again a day later (one deal added, rows
/// in another order) has a different hash; when the mapping has an external
/// reference column (the record's id in the source system), that reference
/// stays the same in every export, so keying by it keeps yesterday's
/// invoices from being made again out of today's file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum KeySource {
    /// The file's SHA-256, 64 lowercase hex digits.
    FileSha256(String),
    /// The invoice's external reference in the source system.
    ExternalReference(String),
}

/// The idempotency key of one invoice of a file: (source, invoice key). At
/// most one invoice is ever made per key, across all jobs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BulkRowKey {
    /// Where the invoice key comes from.
    pub source: KeySource,
    /// The invoice key (rows sharing it are one invoice), trimmed.
    pub invoice_key: String,
}

impl BulkRowKey {
    /// The key of an invoice of the file with hash `file_sha256`: by its
    /// external reference when the mapping has one and the row gives it,
    /// else by the file's hash. Keys and references are trimmed (a CSV's
    /// padding is not part of an id); an empty or over-long one is refused.
    pub fn for_invoice(
        file_sha256: &str,
        external_reference: Option<&str>,
        invoice_key: &str,
    ) -> Result<BulkRowKey, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let key = invoice_key.trim();
        check_key_text(&mut errors, "invoice_key", invoice_key, key);
        let source = match external_reference.map(str::trim) {
            Some(r) if !r.is_empty() => {
                check_key_text(&mut errors, "external_reference", r, r);
                KeySource::ExternalReference(r.to_string())
            }
            _ => {
                if !is_sha256_hex(file_sha256) {
                    errors.push(
                        "file_sha256",
                        file_sha256,
                        "must be a SHA-256 written as 64 lowercase hexadecimal digits",
                    );
                }
                KeySource::FileSha256(file_sha256.to_string())
            }
        };
        errors.into_result()?;
        Ok(BulkRowKey {
            source,
            invoice_key: key.to_string(),
        })
    }
}

fn check_key_text(errors: &mut ValidationErrors, field: &str, given: &str, trimmed: &str) {
    if trimmed.is_empty() {
        errors.push(field, given, "is required to tell invoices apart");
    } else if trimmed.chars().count() > MAX_KEY_CHARS {
        errors.push(
            field,
            given,
            format!("is longer than {MAX_KEY_CHARS} characters"),
        );
    } else if trimmed.chars().any(char::is_control) {
        errors.push(field, given, "contains a control character");
    }
}

/// Whether `s` is a SHA-256 as the store keeps it: 64 lowercase hex digits.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_comes_from_the_external_reference_when_there_is_one() {
        let sha = "ab".repeat(32);
        let by_file = BulkRowKey::for_invoice(&sha, None, " D-1 ").unwrap();
        assert_eq!(by_file.source, KeySource::FileSha256(sha.clone()));
        assert_eq!(by_file.invoice_key, "D-1");
        let blank_ref = BulkRowKey::for_invoice(&sha, Some("  "), "D-1").unwrap();
        assert_eq!(blank_ref, by_file);
        let by_ref = BulkRowKey::for_invoice("not a hash", Some(" CRM-7 "), "D-1").unwrap();
        assert_eq!(by_ref.source, KeySource::ExternalReference("CRM-7".into()));
    }

    #[test]
    fn a_bad_key_names_its_field_value_and_reason() {
        let err = BulkRowKey::for_invoice("ABC", None, "   ").unwrap_err();
        let fields: Vec<(&str, &str)> = err
            .errors
            .iter()
            .map(|e| (e.field.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(fields, [("invoice_key", "   "), ("file_sha256", "ABC")]);
        let long = "x".repeat(MAX_KEY_CHARS + 1);
        let err = BulkRowKey::for_invoice(&"0".repeat(64), Some(&long), "k\u{7}").unwrap_err();
        assert_eq!(err.errors.len(), 2);
        assert!(err.errors[0].message.contains("control character"));
        assert!(err.errors[1].message.contains("longer than 200"));
        // Upper-case hex is not how the store spells a hash.
        assert!(!is_sha256_hex(&"AB".repeat(32)));
    }
}
