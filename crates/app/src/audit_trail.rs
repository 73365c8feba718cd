//! Reading, verifying and exporting the audit trail.

use crate::api::{AuditEventView, AuditHeadView, AuditReport};
use crate::drafts::load;
use crate::integrity::invoice_mismatch;
use crate::views::audit_view;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_domain::audit::{canonical_time, AuditAnchor};
use invoicer_domain::authorization::Permission;
use invoicer_store::StoreError;
use std::path::Path;

impl Invoicer {
    /// An invoice's events, oldest first.
    pub fn invoice_audit(&self, session: &Session, id: i64) -> AppResult<Vec<AuditEventView>> {
        session.require(Permission::View)?;
        Ok(self
            .store
            .read(|tx| tx.audit_for_entity(&format!("invoice:{id}")))?
            .iter()
            .map(audit_view)
            .collect())
    }

    /// Walks the whole chain and reports the first broken event, then
    /// cross-checks every issued invoice against its lines, its archived PDF,
    /// its payments and its events.
    pub fn verify_audit(&self, session: &Session) -> AppResult<AuditReport> {
        self.verify_audit_against(session, None)
    }

    /// [`Invoicer::verify_audit`], and, given an `expect_head` anchor
    /// (`SEQ:HASH` as [`Invoicer::audit_head`] printed it earlier and kept
    /// outside the database), also proves the chain still extends it: a
    /// chain recomputed from scratch with plain SHA-256 links up perfectly
    /// but no longer holds the anchored hash.
    pub fn verify_audit_against(
        &self,
        session: &Session,
        expect_head: Option<&str>,
    ) -> AppResult<AuditReport> {
        session.require(Permission::Audit)?;
        let anchor = expect_head
            .map(|t| AuditAnchor::parse("expect_head", t))
            .transpose()?;
        self.store.read(|tx| {
            let r = tx.verify_audit(anchor.as_ref())?;
            if !r.intact {
                return Ok(AuditReport {
                    intact: false,
                    events_checked: r.events_checked,
                    first_broken_seq: r.first_broken_seq,
                    message: r.message,
                });
            }
            let ids = tx.issued_invoice_ids()?;
            for id in &ids {
                let inv = load(tx, *id)?;
                if let Some(m) = invoice_mismatch(tx, &inv)? {
                    return Ok(AuditReport {
                        intact: false,
                        events_checked: r.events_checked,
                        first_broken_seq: None,
                        message: format!("stored facts do not match: {m}"),
                    });
                }
            }
            Ok(AuditReport {
                intact: true,
                events_checked: r.events_checked,
                first_broken_seq: None,
                message: format!(
                    "{}; {} issued {} their lines, PDFs, payments and events",
                    r.message,
                    ids.len(),
                    if ids.len() == 1 {
                        "invoice matches"
                    } else {
                        "invoices match"
                    }
                ),
            })
        })
    }

    /// The chain's head (`SEQ:HASH`), to keep somewhere the database's owner
    /// cannot rewrite (printed, mailed to the accountant) and to give to
    /// `verify_audit_against` later.
    pub fn audit_head(&self, session: &Session) -> AppResult<AuditHeadView> {
        session.require(Permission::Audit)?;
        let head = self.store.read(|tx| tx.audit_head())?.ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidState,
                "the audit trail is empty; there is no head yet",
            )
        })?;
        Ok(AuditHeadView {
            anchor: head.to_string(),
            seq: head.seq,
            hash: head.hash,
        })
    }

    /// Writes the whole trail to a CSV file and returns how many events it holds.
    /// The file is written beside its final name and renamed, so a failed
    /// export never leaves half a file under that name.
    pub fn export_audit(&self, session: &Session, out: &Path) -> AppResult<u64> {
        session.require(Permission::Audit)?;
        let io = |e: std::io::Error| {
            ApiError::new(
                ErrorCode::Internal,
                format!("cannot write {}: {e}", out.display()),
            )
        };
        // The export goes to an exclusively created, randomly named file beside
        // its final name (so the rename stays on one file system), which is
        // deleted if anything fails before it is persisted under that name.
        let dir = match out.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(".invoicer-audit-")
            .suffix(".partial")
            .tempfile_in(dir)
            .map_err(io)?;
        let mut w = csv::Writer::from_writer(&mut tmp);
        w.write_record([
            "seq",
            "at",
            "actor",
            "action",
            "entity",
            "data",
            "prev_hash",
            "hash",
            "mac",
        ])
        .map_err(|e| io(e.into()))?;
        let mut n = 0u64;
        let written = self.store.read(|tx| {
            tx.each_audit_event(|e| {
                w.write_record([
                    e.seq.to_string().as_str(),
                    &canonical_time(e.at),
                    e.actor.as_deref().unwrap_or(""),
                    &e.action,
                    &e.entity,
                    &e.data,
                    &e.prev_hash,
                    &e.hash,
                    e.mac.as_deref().unwrap_or(""),
                ])
                .map_err(|err| StoreError::Corrupt(format!("csv: {err}")))?;
                n += 1;
                Ok(true)
            })
        });
        written.map_err(ApiError::from)?;
        w.flush().map_err(io)?;
        drop(w);
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist(out).map_err(|e| io(e.error))?;
        Ok(n)
    }
}
