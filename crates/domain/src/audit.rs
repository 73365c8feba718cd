//! The tamper-evident audit chain.
//!
//! Each event's hash is SHA-256 over the previous event's hash and the event's
//! canonical text, so editing, deleting or reordering any stored event breaks
//! every hash after it. Verification walks the chain and names the first
//! sequence number whose stored hash no longer matches.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

mod verifier;
pub use verifier::{AuditAnchor, ChainReport, ChainVerifier, StoredFacts};

/// The hash that precedes the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An event about to be appended: what happened, to what, by whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEvent {
    /// Who did it (user email), `None` for the system (e.g. a scheduled job).
    pub actor: Option<String>,
    /// What happened, e.g. `invoice.issued`.
    pub action: String,
    /// What it happened to, e.g. `invoice:42`.
    pub entity: String,
    /// Details as JSON.
    pub data: serde_json::Value,
}

impl NewAuditEvent {
    /// A new event.
    pub fn new(
        actor: Option<&str>,
        action: &str,
        entity: impl Into<String>,
        data: serde_json::Value,
    ) -> Self {
        NewAuditEvent {
            actor: actor.map(str::to_string),
            action: action.to_string(),
            entity: entity.into(),
            data,
        }
    }
}

/// A stored event with its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When it happened (UTC).
    pub at: DateTime<Utc>,
    /// Who did it.
    pub actor: Option<String>,
    /// What happened.
    pub action: String,
    /// What it happened to.
    pub entity: String,
    /// Canonical JSON text of the details (keys sorted, no spaces).
    pub data: String,
    /// Hash of the previous event.
    pub prev_hash: String,
    /// This event's hash.
    pub hash: String,
    /// HMAC-SHA256 of `hash` under the data folder's audit key, `None` for
    /// events written without a key (before keying, or with no keychain).
    pub mac: Option<String>,
}

/// Canonical JSON: `serde_json::Value` keeps object keys sorted (the
/// `preserve_order` feature is not enabled), and compact output has no spaces.
pub fn canonical_json(v: &serde_json::Value) -> String {
    v.to_string()
}

/// Formats an instant the one way the chain hashes it (RFC 3339, microseconds, `Z`).
pub fn canonical_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The hash of an event given the previous hash.
pub fn chain_hash(
    prev_hash: &str,
    seq: i64,
    at: DateTime<Utc>,
    actor: Option<&str>,
    action: &str,
    entity: &str,
    data: &str,
) -> String {
    // The fields are length-prefixed so that moving text between two fields
    // cannot produce the same input.
    let at = canonical_time(at);
    let seq = seq.to_string();
    let mut h = Sha256::new();
    for part in [
        prev_hash,
        &seq,
        &at,
        actor.unwrap_or("\u{0}"),
        action,
        entity,
        data,
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

impl AuditEvent {
    /// Recomputes this event's hash from its fields and the given previous hash.
    pub fn expected_hash(&self, prev_hash: &str) -> String {
        chain_hash(
            prev_hash,
            self.seq,
            self.at,
            self.actor.as_deref(),
            &self.action,
            &self.entity,
            &self.data,
        )
    }
}

/// The secret that keys the chain, kept in the OS keychain, never in the
/// database: whoever rewrites the file can recompute plain SHA-256 hashes but
/// not these MACs.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditKey {
    secret: [u8; 32],
    /// The first seq written under this key; events before it predate it.
    pub keyed_from: i64,
}

impl fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The secret never appears in logs.
        write!(f, "AuditKey {{ keyed_from: {} }}", self.keyed_from)
    }
}

impl AuditKey {
    /// A key from its 32 secret bytes, used from seq `keyed_from` on.
    pub fn new(secret: [u8; 32], keyed_from: i64) -> Self {
        AuditKey { secret, keyed_from }
    }

    /// The MAC of an event's hash, as lowercase hex.
    pub fn mac(&self, hash: &str) -> String {
        use hmac::{Hmac, Mac};
        // HMAC accepts keys of any length, so this cannot fail.
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&self.secret)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        m.update(hash.as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    /// Whether event `seq` must carry a MAC under this key.
    pub fn covers(&self, seq: i64) -> bool {
        seq >= self.keyed_from
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn chain(n: i64) -> Vec<AuditEvent> {
        let mut prev = GENESIS_HASH.to_string();
        (1..=n)
            .map(|seq| {
                let at = Utc
                    .with_ymd_and_hms(2026, 11, 21, 12, 0, seq as u32)
                    .unwrap();
                let data = canonical_json(&serde_json::json!({"b": 2, "a": seq}));
                let hash = chain_hash(
                    &prev,
                    seq,
                    at,
                    Some("a@x.io"),
                    "invoice.created",
                    "invoice:1",
                    &data,
                );
                let e = AuditEvent {
                    seq,
                    at,
                    actor: Some("a@x.io".into()),
                    action: "invoice.created".into(),
                    entity: "invoice:1".into(),
                    data,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                    mac: None,
                };
                prev = hash;
                e
            })
            .collect()
    }

    fn verify(events: &[AuditEvent]) -> ChainReport {
        let mut v = ChainVerifier::default();
        for e in events {
            if !v.push(e) {
                break;
            }
        }
        v.finish_with(&facts(events.last()), None)
    }

    fn facts(last: Option<&AuditEvent>) -> StoredFacts {
        StoredFacts {
            head: last.map(|e| AuditAnchor {
                seq: e.seq,
                hash: e.hash.clone(),
            }),
            head_hash_known: true,
            records_exist: true,
        }
    }

    #[test]
    fn canonical_json_sorts_keys() {
        assert_eq!(
            canonical_json(&serde_json::json!({"b": 1, "a": {"d": 1, "c": 2}})),
            r#"{"a":{"c":2,"d":1},"b":1}"#
        );
    }

    #[test]
    fn intact_chain_verifies() {
        let r = verify(&chain(5));
        assert!(r.intact);
        assert_eq!(r.events_checked, 5);
    }

    #[test]
    fn edited_event_is_named() {
        let mut c = chain(5);
        c[2].data = r#"{"a":999}"#.into();
        assert_eq!(verify(&c).first_broken_seq, Some(3));
    }

    #[test]
    fn deleted_event_is_named() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify(&c).first_broken_seq, Some(2));
    }

    #[test]
    fn deleted_tail_is_caught_with_the_stored_last_seq() {
        let c = chain(5);
        let mut v = ChainVerifier::default();
        for e in &c[..3] {
            v.push(e);
        }
        assert_eq!(
            v.finish_with(&facts(c.last()), None).first_broken_seq,
            Some(4)
        );
    }

    #[test]
    fn a_cut_tail_with_a_lowered_head_seq_is_caught_by_the_head_hash() {
        let c = chain(5);
        let mut v = ChainVerifier::default();
        for e in &c[..3] {
            v.push(e);
        }
        let lowered = StoredFacts {
            head: Some(AuditAnchor {
                seq: 3,
                hash: c[4].hash.clone(),
            }),
            ..facts(None)
        };
        let r = v.finish_with(&lowered, None);
        assert!(!r.intact);
        assert_eq!(r.first_broken_seq, Some(3));
        assert!(r.message.contains("cut off"), "{}", r.message);
    }

    #[test]
    fn a_missing_head_or_an_empty_trail_beside_records_is_broken() {
        let c = chain(2);
        let mut v = ChainVerifier::default();
        for e in &c {
            v.push(e);
        }
        let r = v.finish_with(&StoredFacts::default(), None);
        assert!(r.message.contains("audit head is missing"), "{}", r.message);
        let empty = ChainVerifier::default().finish_with(
            &StoredFacts {
                records_exist: true,
                ..StoredFacts::default()
            },
            None,
        );
        assert!(!empty.intact);
        assert!(
            ChainVerifier::default()
                .finish_with(&StoredFacts::default(), None)
                .intact
        );
    }

    #[test]
    fn an_anchor_must_still_be_in_the_chain() {
        let c = chain(5);
        let anchor = AuditAnchor {
            seq: 3,
            hash: c[2].hash.clone(),
        };
        let run = |events: &[AuditEvent]| {
            let mut v = ChainVerifier::remembering(3);
            for e in events {
                v.push(e);
            }
            v.finish_with(&facts(events.last()), Some(&anchor))
        };
        assert!(run(&c).intact);
        // A chain recomputed from seq 1 with different content links up
        // perfectly but no longer has the anchored hash at seq 3.
        let mut forged = chain(5);
        let mut prev = GENESIS_HASH.to_string();
        for e in forged.iter_mut() {
            e.actor = Some("mallory@evil.test".into());
            e.prev_hash = prev.clone();
            e.hash = e.expected_hash(&prev);
            prev = e.hash.clone();
        }
        let r = run(&forged);
        assert!(!r.intact);
        assert_eq!(r.first_broken_seq, Some(3));
        assert!(!run(&c[..2]).intact);
    }

    fn keyed(events: &mut [AuditEvent], key: &AuditKey) {
        for e in events.iter_mut().filter(|e| key.covers(e.seq)) {
            e.mac = Some(key.mac(&e.hash));
        }
    }

    fn verify_keyed(events: &[AuditEvent], key: &AuditKey) -> ChainReport {
        let mut v = ChainVerifier::default().with_key(Some(key.clone()));
        for e in events {
            if !v.push(e) {
                break;
            }
        }
        v.finish_with(&facts(events.last()), None)
    }

    #[test]
    fn a_keyed_chain_verifies_and_a_recomputed_one_does_not() {
        let key = AuditKey::new([7; 32], 3);
        let mut c = chain(5);
        keyed(&mut c, &key);
        let r = verify_keyed(&c, &key);
        assert!(r.intact, "{}", r.message);
        assert!(r.message.contains("from seq 3"), "{}", r.message);
        // Recomputed with plain SHA-256: the hashes link, the MACs do not.
        let mut forged = c.clone();
        forged[3].actor = Some("mallory@evil.test".into());
        let mut prev = forged[2].hash.clone();
        for e in forged[3..].iter_mut() {
            e.prev_hash = prev.clone();
            e.hash = e.expected_hash(&prev);
            prev = e.hash.clone();
        }
        let r = verify_keyed(&forged, &key);
        assert_eq!(r.first_broken_seq, Some(4), "{}", r.message);
        assert!(r.message.contains("MAC does not match"), "{}", r.message);
        // Stripping the MACs does not help either.
        for e in forged.iter_mut() {
            e.mac = None;
        }
        let r = verify_keyed(&forged, &key);
        assert_eq!(r.first_broken_seq, Some(3));
        assert!(r.message.contains("no MAC"), "{}", r.message);
        // Another key (another data folder) does not verify this chain.
        let other = AuditKey::new([8; 32], 3);
        assert!(!verify_keyed(&c, &other).intact);
        // A folder moved to a new path gets a new key from the next seq on;
        // MACs under the old key before that are not held against it.
        let moved = AuditKey::new([8; 32], 6);
        let mut longer = chain(6);
        keyed(&mut longer, &key);
        longer[5].mac = Some(moved.mac(&longer[5].hash));
        let r = verify_keyed(&longer, &moved);
        assert!(r.intact, "{}", r.message);
        assert!(r.message.contains("5 earlier events"), "{}", r.message);
        assert!(!format!("{key:?}").contains("7, 7"));
    }

    #[test]
    fn anchors_parse_and_refuse_with_the_field() {
        let h = "AB".repeat(32);
        let a = AuditAnchor::parse("expect_head", &format!("7:{h}")).unwrap();
        assert_eq!(a.to_string(), format!("7:{}", h.to_lowercase()));
        for bad in ["", "7", "x:ab", "0:ab", &format!("7:{}", "g".repeat(64))] {
            let e = AuditAnchor::parse("expect_head", bad).unwrap_err();
            assert_eq!(e.errors[0].field, "expect_head");
        }
    }
}
