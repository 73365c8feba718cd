//! Reading, verifying and exporting the audit trail.

use crate::api::{AuditEventView, AuditReport};
use crate::views::audit_view;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_domain::audit::canonical_time;
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

    /// Walks the whole chain and reports the first broken event.
    pub fn verify_audit(&self, session: &Session) -> AppResult<AuditReport> {
        session.require(Permission::Audit)?;
        let r = self.store.read(|tx| tx.verify_audit())?;
        Ok(AuditReport {
            intact: r.intact,
            events_checked: r.events_checked,
            first_broken_seq: r.first_broken_seq,
            message: r.message,
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
        let tmp = out.with_extension("csv.partial");
        let mut w = csv::Writer::from_path(&tmp).map_err(|e| io(e.into()))?;
        w.write_record([
            "seq",
            "at",
            "actor",
            "action",
            "entity",
            "data",
            "prev_hash",
            "hash",
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
                ])
                .map_err(|err| StoreError::Corrupt(format!("csv: {err}")))?;
                n += 1;
                Ok(true)
            })
        });
        written.map_err(ApiError::from)?;
        w.flush().map_err(io)?;
        drop(w);
        std::fs::rename(&tmp, out).map_err(io)?;
        Ok(n)
    }
}
