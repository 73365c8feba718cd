//! The tamper-evident audit chain.
//!
//! Each event's hash is SHA-256 over the previous event's hash and the event's
//! canonical text, so editing, deleting or reordering any stored event breaks
//! every hash after it. Verification walks the chain and names the first
//! sequence number whose stored hash no longer matches.

use crate::ValidationErrors;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

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
    anchor_seq: Option<i64>,
    anchor_hash: Option<String>,
    key: Option<AuditKey>,
    unkeyed: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            prev_hash: GENESIS_HASH.to_string(),
            expected_seq: 1,
            checked: 0,
            broken: None,
            anchor_seq: None,
            anchor_hash: None,
            key: None,
            unkeyed: 0,
        }
    }
}

impl ChainVerifier {
    /// Checks every event's MAC under `key` as well: an event the key covers
    /// must carry a MAC that matches, so a chain recomputed with plain
    /// SHA-256 (or with its MACs stripped) is caught.
    pub fn with_key(mut self, key: Option<AuditKey>) -> Self {
        self.key = key;
        self
    }

    /// A verifier that remembers the hash of event `seq`, so
    /// [`ChainVerifier::finish_with`] can compare it with an anchor.
    pub fn remembering(seq: i64) -> Self {
        ChainVerifier {
            anchor_seq: Some(seq),
            ..ChainVerifier::default()
        }
    }

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
        match (&self.key, &e.mac) {
            // Events before the key's first seq predate it (or were keyed in
            // another data folder before the file was moved); the key, and
            // so the seq it starts at, live outside the file.
            (Some(k), _) if !k.covers(e.seq) => self.unkeyed += 1,
            (Some(_), Some(mac)) if *mac != self.key_mac(&e.hash) => {
                self.broken = Some((
                    e.seq,
                    format!(
                        "event {}'s MAC does not match under this data folder's audit key: the chain was rewritten",
                        e.seq
                    ),
                ));
                return false;
            }
            (Some(k), None) => {
                self.broken = Some((
                    e.seq,
                    format!(
                        "event {} has no MAC although the audit key covers every event from seq {}",
                        e.seq, k.keyed_from
                    ),
                ));
                return false;
            }
            _ => {}
        }
        if self.anchor_seq == Some(e.seq) {
            self.anchor_hash = Some(e.hash.clone());
        }
        self.prev_hash = e.hash.clone();
        self.expected_seq += 1;
        true
    }

    /// The verdict against what the store says about the chain: its head row
    /// (seq *and* hash, so a tail cut off with a lowered `last_seq` is caught
    /// by the hash), whether records exist that must have written events, and
    /// optionally an anchor kept outside the database that the chain must
    /// still extend.
    pub fn finish_with(self, facts: &StoredFacts, anchor: Option<&AuditAnchor>) -> ChainReport {
        let checked = self.checked;
        let last_seq = self.expected_seq - 1;
        let broken = self
            .broken
            .clone()
            .or_else(|| self.head_problem(facts, last_seq))
            .or_else(|| {
                anchor.and_then(|a| match self.anchor_hash.as_ref() {
                    _ if a.seq < 1 || a.seq > last_seq => Some((
                        a.seq,
                        format!(
                            "the expected head {a} is beyond the chain, which ends at seq {last_seq}"
                        ),
                    )),
                    Some(h) if *h != a.hash => Some((
                        a.seq,
                        format!(
                            "event {} no longer has the expected hash {} (it has {h}); the chain was rewritten",
                            a.seq, a.hash
                        ),
                    )),
                    _ => None,
                })
            });
        match broken {
            Some((seq, message)) => ChainReport {
                intact: false,
                events_checked: checked,
                first_broken_seq: Some(seq),
                message: format!("audit chain broken at seq {seq}: {message}"),
            },
            None => ChainReport {
                intact: true,
                events_checked: checked,
                first_broken_seq: None,
                message: format!(
                    "audit chain intact: {checked} events verified{}{}",
                    match anchor {
                        Some(a) => format!("; it extends the expected head {a}"),
                        None => String::new(),
                    },
                    self.keying()
                ),
            },
        }
    }

    fn key_mac(&self, hash: &str) -> String {
        self.key.as_ref().map(|k| k.mac(hash)).unwrap_or_default()
    }

    /// How the chain is keyed, for the report.
    fn keying(&self) -> String {
        match (&self.key, self.unkeyed) {
            (None, _) => "; the chain is not keyed (no audit key in the keychain), so a chain \
                 recomputed from scratch is caught only by an anchor (--expect-head)"
                .into(),
            (Some(_), 0) => "; every event's MAC matches the audit key".into(),
            (Some(k), n) => format!(
                "; MACs match from seq {} on ({n} earlier events predate the audit key)",
                k.keyed_from
            ),
        }
    }

    /// What is wrong with the head row, given an intact chain of `last_seq` events.
    fn head_problem(&self, facts: &StoredFacts, last_seq: i64) -> Option<(i64, String)> {
        match &facts.head {
            None if last_seq > 0 || facts.records_exist => Some((
                last_seq + 1,
                "the audit head is missing (it must exist once anything was recorded)".into(),
            )),
            None => None,
            Some(h) if h.seq > last_seq => Some((
                last_seq + 1,
                format!(
                    "events are missing: the audit head says seq {} but the chain ends at seq {last_seq}",
                    h.seq
                ),
            )),
            Some(h) if h.seq < last_seq => Some((
                h.seq + 1,
                format!(
                    "the audit head says seq {} but the chain goes on to seq {last_seq}",
                    h.seq
                ),
            )),
            Some(h) if facts.head_hash_known && h.hash != self.prev_hash => Some((
                last_seq,
                format!(
                    "the audit head's hash does not match event {last_seq}: events after it were cut off and the head lowered"
                ),
            )),
            Some(_) if last_seq == 0 && facts.records_exist => Some((
                1,
                "there are no audit events, yet users or invoices exist: the trail was deleted".into(),
            )),
            Some(_) => None,
        }
    }
}

/// What the store holds besides the events, for [`ChainVerifier::finish_with`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredFacts {
    /// The `audit_head` row, if there is one.
    pub head: Option<AuditAnchor>,
    /// Whether `head.hash` is the stored hash (false only for callers that
    /// know just a sequence number).
    pub head_hash_known: bool,
    /// Whether users or invoices exist; each of them was recorded with an
    /// event, so an empty trail beside them means the trail was deleted.
    pub records_exist: bool,
}

/// A point in the chain, `SEQ:HASH`, kept outside the database so that a
/// chain rewritten from scratch with plain SHA-256 no longer extends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditAnchor {
    /// The event's sequence number.
    pub seq: i64,
    /// The event's hash (64 lowercase hex digits).
    pub hash: String,
}

impl fmt::Display for AuditAnchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.seq, self.hash)
    }
}

impl AuditAnchor {
    /// Parses `SEQ:HASH` as `invoicer audit head` prints it. `field` names the
    /// input in the error.
    pub fn parse(field: &str, text: &str) -> Result<AuditAnchor, ValidationErrors> {
        let refuse = |why: &str| ValidationErrors::single(field, text, why);
        let (seq, hash) = text
            .trim()
            .split_once(':')
            .ok_or_else(|| refuse("expected SEQ:HASH, e.g. 42:3f5a… as `audit head` prints it"))?;
        let seq: i64 = seq
            .parse()
            .ok()
            .filter(|s| *s >= 1)
            .ok_or_else(|| refuse("the sequence number must be a whole number from 1"))?;
        let hash = hash.to_ascii_lowercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(refuse("the hash must be 64 hexadecimal digits"));
        }
        Ok(AuditAnchor { seq, hash })
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
