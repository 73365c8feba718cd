//! Walking the chain: the verifier that names the first broken event, the
//! facts stored beside the events (the head row), and anchors kept outside
//! the database.

use super::{AuditEvent, AuditKey, GENESIS_HASH};
use crate::ValidationErrors;
use serde::{Deserialize, Serialize};
use std::fmt;

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
