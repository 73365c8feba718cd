//! The audit trail: append in the caller's transaction, verify, export.

use crate::codec::{instant, instant_text};
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use invoicer_domain::audit::{
    canonical_json, chain_hash, AuditAnchor, AuditEvent, ChainReport, ChainVerifier, NewAuditEvent,
    StoredFacts, GENESIS_HASH,
};
use rusqlite::{OptionalExtension, Row};

const COLUMNS: &str = "seq, at, actor, action, entity, data, prev_hash, hash, mac";

fn row_to_event(r: &Row<'_>) -> rusqlite::Result<(AuditEvent, String)> {
    let at: String = r.get(1)?;
    Ok((
        AuditEvent {
            seq: r.get(0)?,
            at: DateTime::<Utc>::MIN_UTC,
            actor: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            data: r.get(5)?,
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
            mac: r.get(8)?,
        },
        at,
    ))
}

fn finish((mut e, at): (AuditEvent, String)) -> Result<AuditEvent, StoreError> {
    e.at = instant(&at)?;
    Ok(e)
}

impl Tx<'_> {
    /// Appends an event to the chain. Call it in the same transaction as the
    /// change it records, so the two are committed or rolled back together.
    pub fn append_audit(
        &self,
        event: NewAuditEvent,
        at: DateTime<Utc>,
    ) -> Result<AuditEvent, StoreError> {
        let head: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT last_seq, last_hash FROM audit_head WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (prev_seq, prev_hash) = head.unwrap_or((0, GENESIS_HASH.to_string()));
        let seq = prev_seq + 1;
        // The instant is stored at the precision the hash covers, so the row
        // read back hashes to the same value.
        let at = instant(&instant_text(at))?;
        let data = canonical_json(&event.data);
        let hash = chain_hash(
            &prev_hash,
            seq,
            at,
            event.actor.as_deref(),
            &event.action,
            &event.entity,
            &data,
        );
        // The MAC is written with the event, in the same transaction.
        let mac = self
            .audit_key
            .as_ref()
            .filter(|k| k.covers(seq))
            .map(|k| k.mac(&hash));
        self.conn.execute(
            &format!(
                "INSERT INTO audit_events ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
            ),
            rusqlite::params![
                seq,
                instant_text(at),
                event.actor,
                event.action,
                event.entity,
                data,
                prev_hash,
                hash,
                mac
            ],
        )?;
        self.conn.execute(
            "INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET last_seq = excluded.last_seq, last_hash = excluded.last_hash",
            rusqlite::params![seq, hash],
        )?;
        Ok(AuditEvent {
            seq,
            at,
            actor: event.actor,
            action: event.action,
            entity: event.entity,
            data,
            prev_hash,
            hash,
            mac,
        })
    }

    /// Events about one entity (e.g. `invoice:42`), oldest first.
    pub fn audit_for_entity(&self, entity: &str) -> Result<Vec<AuditEvent>, StoreError> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM audit_events WHERE entity = ?1 ORDER BY seq"
        ))?;
        let rows = st.query_map([entity], row_to_event)?;
        rows.map(|r| r.map_err(StoreError::from).and_then(finish))
            .collect()
    }

    /// Streams every event in order to `f`, without loading the trail into memory.
    pub fn each_audit_event(
        &self,
        mut f: impl FnMut(&AuditEvent) -> Result<bool, StoreError>,
    ) -> Result<(), StoreError> {
        let mut st = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM audit_events ORDER BY seq"))?;
        let mut rows = st.query([])?;
        while let Some(row) = rows.next()? {
            let e = finish(row_to_event(row)?)?;
            if !f(&e)? {
                break;
            }
        }
        Ok(())
    }

    /// The chain's head as `audit_head` records it: the last event's seq and
    /// hash, `None` before anything was recorded.
    pub fn audit_head(&self) -> Result<Option<AuditAnchor>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT last_seq, last_hash FROM audit_head WHERE id = 1",
                [],
                |r| {
                    Ok(AuditAnchor {
                        seq: r.get(0)?,
                        hash: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Walks the whole chain and reports the first broken sequence number.
    /// The head row must match the last event in seq and hash; users or
    /// invoices beside an empty trail mean the trail was deleted; and, given
    /// an `anchor` kept outside the database, the chain must still hold it.
    pub fn verify_audit(&self, anchor: Option<&AuditAnchor>) -> Result<ChainReport, StoreError> {
        let mut v = match anchor {
            Some(a) => ChainVerifier::remembering(a.seq),
            None => ChainVerifier::default(),
        }
        .with_key(self.audit_key.clone());
        self.each_audit_event(|e| Ok(v.push(e)))?;
        let records_exist: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM invoices)",
            [],
            |r| r.get(0),
        )?;
        let facts = StoredFacts {
            head: self.audit_head()?,
            head_hash_known: true,
            records_exist,
        };
        Ok(v.finish_with(&facts, anchor))
    }

    /// The ids of every invoice that was issued (it has a number), oldest
    /// first: the ones verification cross-checks against their events.
    pub fn issued_invoice_ids(&self) -> Result<Vec<i64>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT id FROM invoices WHERE number IS NOT NULL ORDER BY id")?;
        let rows = st.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
