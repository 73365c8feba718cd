//! The audit chain's key: 32 random bytes per data folder, kept in the OS
//! keychain. Every event appended while the key is known carries an
//! HMAC-SHA256 of its hash, so a chain recomputed with plain SHA-256 by
//! someone holding the database file fails verification.
//!
//! Without a keychain (no Secret Service on the session bus, a locked
//! keychain, a headless server) the app still opens and works: it logs the
//! reason once per process (at info level: a cron job or CI without a
//! keychain should not print a warning on every command), appends events
//! without a MAC, and `audit verify` says the chain
//! is not keyed. Events appended that way after the key's first seq are
//! reported as broken later, when the key is back: from the file alone they
//! cannot be told apart from MACs an attacker stripped.
//!
//! The keychain entry is named after the data folder's canonical path. A
//! folder moved or restored elsewhere gets a new key from its next event on;
//! the events before that are then protected by the hash chain and by anchors
//! (`audit head` / `--expect-head`), not by MACs.

use crate::AppResult;
use invoicer_domain::audit::AuditKey;
use invoicer_keychain::KeychainError;
use invoicer_store::Store;
use std::path::Path;

/// The data folder's key from the keychain, created on first use to cover
/// events from the next seq on; `None` (with a warning) when there is no
/// keychain to keep it in.
pub(crate) fn from_keychain(store: &Store, data_dir: &Path) -> AppResult<Option<AuditKey>> {
    // Read first, so a new key never claims events that already exist.
    let next_seq = store.read(|tx| tx.audit_head())?.map_or(0, |a| a.seq) + 1;
    match invoicer_keychain::audit_secret(data_dir, || next_seq) {
        Ok(s) => Ok(Some(AuditKey::new(s.key, s.keyed_from))),
        Err(e @ KeychainError::Unavailable(_)) => {
            tracing::info!(
                error = %e,
                "audit events are written without a MAC: {e}; `audit verify` will report the chain as not keyed"
            );
            Ok(None)
        }
        Err(e @ KeychainError::Corrupt(_)) => {
            tracing::error!(error = %e, "the audit key in the keychain is unreadable");
            Ok(None)
        }
    }
}
