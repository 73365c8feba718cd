//! Invoicer's secrets in the OS keychain (the Secret Service on Linux,
//! Keychain Services on macOS, the Credential Manager on Windows), through
//! the `keyring` crate. It depends on no other workspace crate; the app
//! composes it.
//!
//! It holds four secrets per data folder: the key that MACs the audit
//! chain, the SMTP password, the payment-link signing key and the local
//! integration API's bearer token. They live
//! outside the database on purpose: whoever can read or rewrite the file must
//! not learn the password, nor recompute MACs under a key they do not have.
//! Nothing here falls back to a file when the keychain is unavailable: the
//! caller says so and goes without the secret.

use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// The keychain service name every Invoicer entry is filed under.
pub const SERVICE: &str = "invoicer";

/// How long opening the keychain may take before the app goes on without
/// it. A session bus whose Secret Service never answers must not keep the
/// desktop app or the CLI from starting.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The audit chain's key for one data folder, and the first seq it covers.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditSecret {
    /// 32 random bytes.
    pub key: [u8; 32],
    /// The first audit seq written under this key; earlier events predate it.
    pub keyed_from: i64,
}

impl std::fmt::Debug for AuditSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key itself never reaches a log.
        write!(f, "AuditSecret {{ keyed_from: {} }}", self.keyed_from)
    }
}

/// Why the keychain could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KeychainError {
    /// There is no keychain (e.g. no Secret Service on the session bus), it
    /// is locked, or it did not answer in time.
    #[error("the OS keychain is not available: {0}")]
    Unavailable(String),
    /// The stored entry is not an Invoicer audit key.
    #[error("the keychain entry {0} is not an Invoicer audit key")]
    Corrupt(String),
}

/// The keychain account name of a data folder's audit key: a hash of the
/// folder's canonical path, so two data folders never share a key.
pub fn audit_key_account(data_dir: &Path) -> String {
    let canonical = data_dir
        .canonicalize()
        .unwrap_or_else(|_| data_dir.to_path_buf());
    let digest = Sha256::digest(canonical.to_string_lossy().as_bytes());
    format!("audit-key:{}", &hex::encode(digest)[..32])
}

/// The data folder's audit key, created on first use. `next_seq` is asked
/// only when a new key is created: the key covers events from that seq on.
pub fn audit_secret(
    data_dir: &Path,
    next_seq: impl FnOnce() -> i64,
) -> Result<AuditSecret, KeychainError> {
    let account = audit_key_account(data_dir);
    let existing = with_timeout({
        let account = account.clone();
        move || read(&account)
    })?;
    if let Some(s) = existing {
        return Ok(s);
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| KeychainError::Unavailable(e.to_string()))?;
    let secret = AuditSecret {
        key,
        keyed_from: next_seq(),
    };
    let written = secret.clone();
    with_timeout(move || {
        let entry = entry(&account)?;
        entry.set_secret(&encode(&written)).map_err(unavailable)?;
        // Read back what the keychain now holds: if another process created
        // a key at the same moment, both use the one that was stored.
        read(&account)?.ok_or_else(|| KeychainError::Unavailable("the new key was not kept".into()))
    })
}

/// Removes a data folder's audit key (tests and a deliberate reset only: the
/// events it keyed can no longer be checked afterwards).
pub fn forget_audit_secret(data_dir: &Path) -> Result<(), KeychainError> {
    let account = audit_key_account(data_dir);
    with_timeout(move || match entry(&account)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(unavailable(e)),
    })
}

/// A secret kept for one data folder besides the audit key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// The password of the configured SMTP user.
    SmtpPassword,
    /// The key that signs payment links (HMAC-SHA256).
    PaymentLinkKey,
    /// The bearer token of the local integration API.
    ApiToken,
}

impl SecretKind {
    fn prefix(self) -> &'static str {
        match self {
            SecretKind::SmtpPassword => "smtp-password",
            SecretKind::PaymentLinkKey => "payment-link-key",
            SecretKind::ApiToken => "api-token",
        }
    }
}

/// The keychain account name of a data folder's secret of `kind`.
pub fn secret_account(data_dir: &Path, kind: SecretKind) -> String {
    let audit = audit_key_account(data_dir);
    let folder = audit.trim_start_matches("audit-key:");
    format!("{}:{folder}", kind.prefix())
}

/// The data folder's secret of `kind`, `None` when none is stored.
pub fn secret(data_dir: &Path, kind: SecretKind) -> Result<Option<Vec<u8>>, KeychainError> {
    let account = secret_account(data_dir, kind);
    with_timeout(move || match entry(&account)?.get_secret() {
        Ok(bytes) => Ok(Some(bytes)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(unavailable(e)),
    })
}

/// Stores (or replaces) the data folder's secret of `kind`.
pub fn store_secret(data_dir: &Path, kind: SecretKind, value: &[u8]) -> Result<(), KeychainError> {
    let account = secret_account(data_dir, kind);
    let value = value.to_vec();
    with_timeout(move || entry(&account)?.set_secret(&value).map_err(unavailable))
}

/// Removes the data folder's secret of `kind`; fine if there was none.
pub fn forget_secret(data_dir: &Path, kind: SecretKind) -> Result<(), KeychainError> {
    let account = secret_account(data_dir, kind);
    with_timeout(move || match entry(&account)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(unavailable(e)),
    })
}

/// Makes 32 random bytes, e.g. a new payment-link signing key.
pub fn random_key() -> Result<[u8; 32], KeychainError> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| KeychainError::Unavailable(e.to_string()))?;
    Ok(key)
}

/// Whether the keychain answers at all (a read of an entry nobody writes).
pub fn check_available() -> Result<(), KeychainError> {
    with_timeout(|| match entry("availability-check")?.get_secret() {
        Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(unavailable(e)),
    })
}

fn entry(account: &str) -> Result<keyring_core::Entry, KeychainError> {
    // The facade installs the platform's store on first use (the Secret
    // Service on Linux); entries are then made through the store API, so a
    // test can put the in-memory mock store in its place.
    let _ = keyring::Entry::store_status();
    keyring_core::Entry::new(SERVICE, account).map_err(unavailable)
}

fn read(account: &str) -> Result<Option<AuditSecret>, KeychainError> {
    match entry(account)?.get_secret() {
        Ok(bytes) => decode(&bytes)
            .map(Some)
            .ok_or_else(|| KeychainError::Corrupt(format!("{SERVICE}/{account}"))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(unavailable(e)),
    }
}

fn unavailable(e: keyring::Error) -> KeychainError {
    KeychainError::Unavailable(e.to_string())
}

/// 32 key bytes followed by `keyed_from` as 8 big-endian bytes.
fn encode(s: &AuditSecret) -> Vec<u8> {
    let mut out = s.key.to_vec();
    out.extend_from_slice(&s.keyed_from.to_be_bytes());
    out
}

fn decode(bytes: &[u8]) -> Option<AuditSecret> {
    let key: [u8; 32] = bytes.get(..32)?.try_into().ok()?;
    let from: [u8; 8] = bytes.get(32..40)?.try_into().ok()?;
    (bytes.len() == 40).then_some(AuditSecret {
        key,
        keyed_from: i64::from_be_bytes(from),
    })
}

/// Runs a keychain call on its own thread and gives up after [`TIMEOUT`].
fn with_timeout<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, KeychainError> + Send + 'static,
) -> Result<T, KeychainError> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // The receiver may have given up already; nothing to do then.
        let _ = tx.send(f());
    });
    rx.recv_timeout(TIMEOUT).unwrap_or_else(|_| {
        Err(KeychainError::Unavailable(format!(
            "no answer within {} s",
            TIMEOUT.as_secs()
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_round_trips_and_odd_bytes_are_refused() {
        let s = AuditSecret {
            key: [9; 32],
            keyed_from: 42,
        };
        assert_eq!(decode(&encode(&s)), Some(s.clone()));
        assert_eq!(decode(&[1; 39]), None);
        assert_eq!(decode(&[1; 41]), None);
        assert!(!format!("{s:?}").contains('9'));
    }

    /// The keyring's in-memory mock store, installed once for this test
    /// binary (after the facade picked its native default, which it would
    /// otherwise install over the mock on first use).
    fn use_mock_keychain() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let _ = keyring::Entry::store_status();
            keyring_core::set_default_store(keyring_core::mock::Store::new().unwrap());
        });
    }

    #[test]
    fn secrets_are_kept_per_folder_and_kind_and_can_be_forgotten() {
        use_mock_keychain();
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        assert!(check_available().is_ok());
        assert_eq!(secret(a.path(), SecretKind::SmtpPassword).unwrap(), None);
        store_secret(a.path(), SecretKind::SmtpPassword, b"hunter2").unwrap();
        store_secret(a.path(), SecretKind::PaymentLinkKey, &[7; 32]).unwrap();
        assert_eq!(
            secret(a.path(), SecretKind::SmtpPassword)
                .unwrap()
                .as_deref(),
            Some(&b"hunter2"[..])
        );
        assert_eq!(secret(b.path(), SecretKind::SmtpPassword).unwrap(), None);
        store_secret(a.path(), SecretKind::SmtpPassword, b"new").unwrap();
        assert_eq!(
            secret(a.path(), SecretKind::SmtpPassword)
                .unwrap()
                .as_deref(),
            Some(&b"new"[..])
        );
        forget_secret(a.path(), SecretKind::SmtpPassword).unwrap();
        forget_secret(a.path(), SecretKind::SmtpPassword).unwrap();
        assert_eq!(secret(a.path(), SecretKind::SmtpPassword).unwrap(), None);
        assert_eq!(
            secret(a.path(), SecretKind::PaymentLinkKey).unwrap(),
            Some(vec![7; 32])
        );
        assert_ne!(
            secret_account(a.path(), SecretKind::SmtpPassword),
            secret_account(a.path(), SecretKind::PaymentLinkKey)
        );
    }

    #[test]
    fn two_data_folders_have_two_accounts() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        assert_ne!(audit_key_account(a.path()), audit_key_account(b.path()));
        assert_eq!(
            audit_key_account(a.path()),
            audit_key_account(&a.path().join("."))
        );
    }
}
