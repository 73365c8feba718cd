//! The tamper-evident audit chain.
//!
//! Each event's hash is SHA-256 over the previous event's hash and the event's
//! canonical text, so editing, deleting or reordering any stored event breaks
//! every hash after it. Verification walks the chain and names the first
//! sequence number whose stored hash no longer matches.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

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

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainReport {
    /// Whether every event checked out.
    pub intact: bool,
    /// How many events were read.
    pub events_checked: u64,
    /// The first sequence number that is missing, out of place or altered.
    pub first_broken_seq: Option<i64>,
    /// A sentence for the user.
    pub message: String,
}

/// Incremental verifier, so the store can stream events instead of loading all
/// of them.
#[derive(Debug)]
pub struct ChainVerifier {
    prev_hash: String,
    expected_seq: i64,
    checked: u64,
    broken: Option<(i64, String)>,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            prev_hash: GENESIS_HASH.to_string(),
            expected_seq: 1,
            checked: 0,
            broken: None,
        }
    }
}

impl ChainVerifier {
    /// Checks the next event in sequence order. Returns false once the chain is
    /// broken, so the caller can stop reading.
    pub fn push(&mut self, e: &AuditEvent) -> bool {
        if self.broken.is_some() {
            return false;
        }
        self.checked += 1;
        if e.seq != self.expected_seq {
            self.broken = Some((
                self.expected_seq,
                format!(
                    "event {} is missing (the next stored event is {})",
                    self.expected_seq, e.seq
                ),
            ));
            return false;
        }
        if e.prev_hash != self.prev_hash {
            self.broken = Some((
                e.seq,
                format!("event {} does not link to the event before it", e.seq),
            ));
            return false;
        }
        if e.expected_hash(&self.prev_hash) != e.hash {
            self.broken = Some((
                e.seq,
                format!("event {} was altered after it was written", e.seq),
            ));
            return false;
        }
        self.prev_hash = e.hash.clone();
        self.expected_seq += 1;
        true
    }

    /// The verdict. `last_seq` is the highest sequence number the store holds,
    /// so a deleted tail is caught too.
    pub fn finish(self, last_seq: Option<i64>) -> ChainReport {
        let mut broken = self.broken;
        if broken.is_none() {
            if let Some(last) = last_seq {
                if last >= self.expected_seq {
                    broken = Some((self.expected_seq, "events are missing".into()));
                }
            }
        }
        match broken {
            Some((seq, message)) => ChainReport {
                intact: false,
                events_checked: self.checked,
                first_broken_seq: Some(seq),
                message: format!("audit chain broken at seq {seq}: {message}"),
            },
            None => ChainReport {
                intact: true,
                events_checked: self.checked,
                first_broken_seq: None,
                message: format!("audit chain intact: {} events verified", self.checked),
            },
        }
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
        v.finish(events.last().map(|e| e.seq))
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
        assert_eq!(v.finish(Some(5)).first_broken_seq, Some(4));
    }
}
