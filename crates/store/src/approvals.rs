//! Approval decisions and the approval facts of invoices (source, send on
//! approval), in domain types.

use crate::codec::{corrupt, instant, instant_text};
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use invoicer_domain::approval_record::{
    ApprovalRecord, InvoiceOrigin, NewApprovalDecision, Verdict,
};
use invoicer_domain::trigger_source::TriggerSource;
use rusqlite::{params, OptionalExtension};

impl Tx<'_> {
    /// Records a decision. A second approval in force at the same level, or
    /// by the same approver, of one invoice is refused by the database (a
    /// unique violation), so two approvers racing for one level cannot both
    /// succeed.
    pub fn record_approval_decision(&self, d: &NewApprovalDecision) -> Result<i64, StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO approval_decisions
                    (invoice_id, level, approver_id, decision, reason, decided_at, figures)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                d.invoice_id,
                d.level,
                d.approver_id,
                d.verdict.as_str(),
                d.reason,
                instant_text(d.decided_at),
                d.figures.to_string(),
            ])?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Every decision about an invoice, voided ones too, oldest first.
    pub fn approval_decisions(&self, invoice_id: i64) -> Result<Vec<ApprovalRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, level, approver_id, decision, reason, decided_at, figures, voided_at
               FROM approval_decisions WHERE invoice_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([invoice_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u8>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, level, approver_id, verdict, reason, at, figures, voided) = row?;
            let verdict = match verdict.as_str() {
                "approved" => Verdict::Approved,
                "rejected" => Verdict::Rejected,
                other => return Err(corrupt("approval decision", other)),
            };
            out.push(ApprovalRecord {
                id,
                decision: NewApprovalDecision {
                    invoice_id,
                    level,
                    approver_id,
                    verdict,
                    reason,
                    decided_at: instant(&at)?,
                    figures: serde_json::from_str(&figures)
                        .map_err(|_| corrupt("approval figures", &figures))?,
                },
                voided_at: voided.as_deref().map(instant).transpose()?,
            });
        }
        Ok(out)
    }

    /// Voids every decision in force about an invoice (an edit withdrew
    /// them). Returns how many were voided.
    pub fn void_approval_decisions(
        &self,
        invoice_id: i64,
        at: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "UPDATE approval_decisions SET voided_at = ?2
                  WHERE invoice_id = ?1 AND voided_at IS NULL",
            )?
            .execute(params![invoice_id, instant_text(at)])?)
    }

    /// Sets how an invoice was made and whether its final approval sends it.
    pub fn set_invoice_origin(&self, invoice_id: i64, o: InvoiceOrigin) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE invoices SET source = ?2, send_on_approval = ?3 WHERE id = ?1")?
            .execute(params![invoice_id, o.source.as_str(), o.send_on_approval])?;
        Ok(())
    }

    /// Sets only whether an invoice's final approval sends it.
    pub fn set_send_on_approval(&self, invoice_id: i64, send: bool) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE invoices SET send_on_approval = ?2 WHERE id = ?1")?
            .execute(params![invoice_id, send])?;
        Ok(())
    }

    /// How an invoice was made and whether its final approval sends it;
    /// `None` for an unknown invoice.
    pub fn invoice_origin(&self, invoice_id: i64) -> Result<Option<InvoiceOrigin>, StoreError> {
        let row: Option<(String, bool)> = self
            .conn
            .prepare_cached("SELECT source, send_on_approval FROM invoices WHERE id = ?1")?
            .query_row([invoice_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        row.map(|(source, send_on_approval)| {
            Ok(InvoiceOrigin {
                source: TriggerSource::parse(&source)
                    .map_err(|_| corrupt("invoice source", &source))?,
                send_on_approval,
            })
        })
        .transpose()
    }

    /// The ids of the invoices waiting for approval, oldest first.
    pub fn pending_approval_ids(&self) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM invoices WHERE status = 'pending_approval' ORDER BY created_at, id",
        )?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        Ok(ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;
    use chrono::TimeZone;

    fn decision(invoice_id: i64, level: u8, approver_id: i64) -> NewApprovalDecision {
        NewApprovalDecision {
            invoice_id,
            level,
            approver_id,
            verdict: Verdict::Approved,
            reason: None,
            decided_at: Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
            figures: serde_json::json!({"total": "150000.00"}),
        }
    }

    /// Raw rows for one user and one invoice, so the test needs no use case.
    fn seed(store: &Store) {
        store
            .write(|tx| {
                tx.conn.execute_batch(
                    "INSERT INTO users (id, email, name, role, password_hash, created_at)
                         VALUES (1, 'a@acme.test', 'A', 'approver', 'x', '2026-01-01T00:00:00Z'),
                                (2, 'b@acme.test', 'B', 'approver', 'x', '2026-01-01T00:00:00Z');
                     INSERT INTO customers (id, name, email, address, city, postal_code, country, created_at)
                         VALUES (1, 'C', 'c@acme.test', 'a', 'b', '1', 'US', '2026-01-01T00:00:00Z');
                     INSERT INTO invoices (id, status, customer_id, customer_name, customer, currency, issue_date,
                         terms_days, due_date, rounding_scope, rounding_mode, subtotal_minor, discount_minor,
                         tax_minor, total_minor, created_by, created_at)
                         VALUES (9, 'pending_approval', 1, 'C', '{}', 'USD', '2026-01-01', 30, '2026-01-31',
                         'per_line', 'half_up', 0, 0, 0, 0, 1, '2026-01-01T00:00:00Z');",
                )?;
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }

    #[test]
    fn one_approval_in_force_per_level_and_per_approver_until_voided() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("invoicer.db")).unwrap();
        seed(&store);
        let at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        store
            .write(|tx| {
                tx.record_approval_decision(&decision(9, 1, 1))?;
                // The same level again, by someone else: refused.
                let e = tx.record_approval_decision(&decision(9, 1, 2)).unwrap_err();
                assert!(e.is_unique_violation());
                // The same approver at the next level: refused.
                let e = tx.record_approval_decision(&decision(9, 2, 1)).unwrap_err();
                assert!(e.is_unique_violation());
                assert_eq!(tx.void_approval_decisions(9, at)?, 1);
                // Once voided, the level is free again.
                tx.record_approval_decision(&decision(9, 1, 1))?;
                Ok::<_, StoreError>(())
            })
            .unwrap();
        let all = store.read(|tx| tx.approval_decisions(9)).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].voided_at, Some(at));
        assert!(all[1].approval_in_force());
        assert_eq!(all[1].decision.figures["total"], "150000.00");
    }

    #[test]
    fn invoices_start_manual_and_not_sent_on_approval() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("invoicer.db")).unwrap();
        seed(&store);
        let origin = store.read(|tx| tx.invoice_origin(9)).unwrap().unwrap();
        assert_eq!(origin, InvoiceOrigin::default());
        let bulk = InvoiceOrigin {
            source: TriggerSource::Bulk,
            send_on_approval: true,
        };
        store.write(|tx| tx.set_invoice_origin(9, bulk)).unwrap();
        assert_eq!(store.read(|tx| tx.invoice_origin(9)).unwrap(), Some(bulk));
        assert_eq!(store.read(|tx| tx.pending_approval_ids()).unwrap(), vec![9]);
    }
}
