//! Bulk jobs: a file sent as invoices, persisted so that it resumes after a
//! crash and never makes an invoice twice.
//!
//! A job's plan is one `bulk_invoices` row per invoice of its file, in the
//! file's order (`position`). Its counts are derived from those rows when
//! read (`COUNT(*) … GROUP BY status`), never kept as counters, so they
//! cannot drift from them. "At most once" is the primary key of
//! `bulk_invoice_keys`: the transaction that makes an invoice first claims
//! its key there (`INSERT … ON CONFLICT DO NOTHING RETURNING`); a key
//! already claimed says which invoice an earlier job made.
//!
//! The running protocol, each step one write transaction:
//! 1. [`Tx::claim_bulk_invoice_key`]; when [`KeyClaim::Owned`], make (and
//!    issue, and queue) the invoice;
//! 2. [`Tx::record_bulk_outcome`] in the same transaction, which moves the
//!    job's cursor past it. A failure rolls the claim back with everything
//!    else; recording [`BulkOutcome::Failed`] (in a new transaction) leaves
//!    the key free for a later run.

use crate::codec::{corrupt, instant_text};
use crate::records::enum_names::{bulk_job_status_text, bulk_row_status_text};
use crate::records::{bulk_failure_v1, mapping_profile_v1};
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use invoicer_domain::bulk_job::{
    BulkInvoice, BulkJobStatus, BulkOutcome, BulkRowError, BulkRowKey, BulkRowStatus, KeySource,
    NewBulkJob,
};
use rusqlite::OptionalExtension;

/// One invoice of a job's plan, written when validation finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedBulkInvoice {
    /// Its place among the file's invoices, from 0.
    pub position: u32,
    /// Its idempotency key.
    pub key: BulkRowKey,
    /// The line of its first row (the header is line 1).
    pub first_line: u32,
    /// Whether a row of it is invalid (it will not be made).
    pub invalid: bool,
}

/// The answer to claiming an invoice key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyClaim {
    /// This job owns the key now: make the invoice.
    Owned,
    /// The key was claimed before, by `job_id`, which made `invoice_id`.
    AlreadyInvoiced {
        /// The job that claimed it (may be this one, before a restart).
        job_id: i64,
        /// The invoice it made; `None` only while that job's transaction is
        /// still making it.
        invoice_id: Option<i64>,
    },
}

impl Tx<'_> {
    /// Creates a job, `validating`; returns its id.
    pub fn create_bulk_job(&self, job: &NewBulkJob, at: DateTime<Utc>) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "INSERT INTO bulk_jobs (file_name, file_sha256, profile, status, dry_run,
                 throttle_per_minute, started_by, started_at, send_emails)
             VALUES (?1, ?2, ?3, 'validating', ?4, ?5, ?6, ?7, ?8)
             RETURNING id",
            (
                &job.file_name,
                &job.file_sha256,
                mapping_profile_v1::to_json(&job.profile)?,
                job.dry_run,
                job.throttle_per_minute,
                job.started_by,
                instant_text(at),
                job.send,
            ),
            |r| r.get(0),
        )?)
    }

    /// Records a batch of row errors of a job, in order.
    pub fn record_bulk_row_errors(
        &self,
        job_id: i64,
        errors: &[BulkRowError],
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO bulk_row_errors (job_id, line, column_name, value, reason)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for e in errors {
            stmt.execute((job_id, e.line, &e.column, &e.value, &e.reason))?;
        }
        Ok(())
    }

    /// Adds a batch of invoices to a job's plan (`pending`, or `invalid`).
    /// A key twice in one job is refused (the file's rows of one invoice are
    /// grouped before planning).
    pub fn plan_bulk_invoices(
        &self,
        job_id: i64,
        invoices: &[PlannedBulkInvoice],
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO bulk_invoices (job_id, position, key_source, invoice_key, first_line, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for p in invoices {
            let status = if p.invalid {
                BulkRowStatus::Invalid
            } else {
                BulkRowStatus::Pending
            };
            stmt.execute((
                job_id,
                p.position,
                key_source_text(&p.key.source),
                &p.key.invoice_key,
                p.first_line,
                bulk_row_status_text(status),
            ))?;
        }
        Ok(())
    }

    /// Marks a `validating` job's plan whole and the job `ready`, with the
    /// number of data rows its file had; whether it was `validating`.
    pub fn complete_bulk_validation(
        &self,
        job_id: i64,
        row_count: u32,
    ) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "UPDATE bulk_jobs SET validated = 1, row_count = ?2, status = 'ready'
              WHERE id = ?1 AND status = 'validating'",
            (job_id, row_count),
        )? == 1)
    }

    /// Forgets the report and plan of a job whose validation never
    /// completed, so it can validate again; whether it did (a validated
    /// job's plan is never thrown away).
    pub fn restart_bulk_validation(&self, job_id: i64) -> Result<bool, StoreError> {
        let unvalidated: bool = self
            .conn
            .query_row(
                "SELECT validated = 0 FROM bulk_jobs WHERE id = ?1",
                [job_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(false);
        if !unvalidated {
            return Ok(false);
        }
        self.conn
            .execute("DELETE FROM bulk_row_errors WHERE job_id = ?1", [job_id])?;
        self.conn
            .execute("DELETE FROM bulk_invoices WHERE job_id = ?1", [job_id])?;
        Ok(true)
    }

    /// Moves a job from `from` to `to` if it is still in `from` (the caller
    /// took `to` from [`BulkJobStatus::apply`]); whether it was. A final
    /// status records `at` as the job's end.
    pub fn change_bulk_job_status(
        &self,
        job_id: i64,
        from: BulkJobStatus,
        to: BulkJobStatus,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "UPDATE bulk_jobs SET status = ?3,
                    finished_at = CASE WHEN ?4 THEN ?5 ELSE finished_at END
              WHERE id = ?1 AND status = ?2",
            (
                job_id,
                bulk_job_status_text(from),
                bulk_job_status_text(to),
                to.is_final(),
                instant_text(at),
            ),
        )? == 1)
    }

    /// The ids of the jobs in `status`, oldest first.
    pub fn bulk_jobs_in(&self, status: BulkJobStatus) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM bulk_jobs WHERE status = ?1 ORDER BY id")?;
        let ids = stmt
            .query_map([bulk_job_status_text(status)], |r| r.get(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        Ok(ids)
    }

    /// Where the job stands, without its counts: what a runner checks
    /// between two invoices (a cancel is a status change).
    pub fn bulk_job_status(&self, job_id: i64) -> Result<Option<BulkJobStatus>, StoreError> {
        let text: Option<String> = self
            .conn
            .prepare_cached("SELECT status FROM bulk_jobs WHERE id = ?1")?
            .query_row([job_id], |r| r.get(0))
            .optional()?;
        text.as_deref()
            .map(crate::records::enum_names::parse_bulk_job_status)
            .transpose()
    }

    /// At start-up (by the process that runs bulk jobs): every job left
    /// `running` or `validating` by a process that died becomes
    /// `interrupted`, to resume. Returns their ids.
    pub fn interrupt_bulk_jobs(&self) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare(
            "UPDATE bulk_jobs SET status = 'interrupted'
              WHERE status IN ('running', 'validating')
              RETURNING id",
        )?;
        let mut ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        ids.sort_unstable();
        Ok(ids)
    }

    /// Claims `key` for `job_id`: [`KeyClaim::Owned`] if no job had it,
    /// else who has it and the invoice made. Call it in the transaction that
    /// makes the invoice, and record the outcome in the same transaction.
    pub fn claim_bulk_invoice_key(
        &self,
        job_id: i64,
        key: &BulkRowKey,
    ) -> Result<KeyClaim, StoreError> {
        let source = key_source_text(&key.source);
        let owned: Option<i64> = self
            .conn
            .prepare_cached(
                "INSERT INTO bulk_invoice_keys (key_source, invoice_key, job_id)
                 VALUES (?1, ?2, ?3)
                 ON CONFLICT (key_source, invoice_key) DO NOTHING
                 RETURNING job_id",
            )?
            .query_row((&source, &key.invoice_key, job_id), |r| r.get(0))
            .optional()?;
        if owned.is_some() {
            return Ok(KeyClaim::Owned);
        }
        let (job_id, invoice_id) = self.conn.query_row(
            "SELECT job_id, invoice_id FROM bulk_invoice_keys
              WHERE key_source = ?1 AND invoice_key = ?2",
            (&source, &key.invoice_key),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(KeyClaim::AlreadyInvoiced { job_id, invoice_id })
    }

    /// Records what became of the job's `pending` invoice at `position` and
    /// moves the job's cursor past it; whether it was still pending (an
    /// outcome is recorded once). [`BulkOutcome::Made`] needs this job's
    /// claim of the key (else the store refuses, as corrupt use);
    /// [`BulkOutcome::Failed`] gives an unused claim back.
    pub fn record_bulk_outcome(
        &self,
        job_id: i64,
        position: u32,
        outcome: &BulkOutcome,
    ) -> Result<bool, StoreError> {
        let pending: Option<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT key_source, invoice_key FROM bulk_invoices
                  WHERE job_id = ?1 AND position = ?2 AND status = 'pending'",
            )?
            .query_row((job_id, position), |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((source, invoice_key)) = pending else {
            return Ok(false);
        };
        let (invoice_id, failure) = match outcome {
            BulkOutcome::Made { status, invoice_id } => {
                if !status.made_an_invoice() {
                    return Err(corrupt("outcome of a made invoice", status.as_str()));
                }
                let claimed = self
                    .conn
                    .prepare_cached(
                        "UPDATE bulk_invoice_keys SET invoice_id = ?4
                          WHERE key_source = ?1 AND invoice_key = ?2 AND job_id = ?3",
                    )?
                    .execute((&source, &invoice_key, job_id, invoice_id))?;
                if claimed != 1 {
                    return Err(StoreError::Corrupt(format!(
                        "bulk job {job_id} recorded invoice {invoice_key:?} as made without claiming its key"
                    )));
                }
                (Some(*invoice_id), None)
            }
            BulkOutcome::AlreadyInvoiced { invoice_id } => (*invoice_id, None),
            BulkOutcome::Failed(f) => {
                self.conn
                    .prepare_cached(
                        "DELETE FROM bulk_invoice_keys
                          WHERE key_source = ?1 AND invoice_key = ?2 AND job_id = ?3
                            AND invoice_id IS NULL",
                    )?
                    .execute((&source, &invoice_key, job_id))?;
                (None, Some(bulk_failure_v1::to_json(f)?))
            }
        };
        self.conn
            .prepare_cached(
                "UPDATE bulk_invoices SET status = ?3, invoice_id = ?4, error = ?5
                  WHERE job_id = ?1 AND position = ?2",
            )?
            .execute((
                job_id,
                position,
                bulk_row_status_text(outcome.status()),
                invoice_id,
                failure,
            ))?;
        self.conn
            .prepare_cached(
                "UPDATE bulk_jobs
                    SET next_position = CASE WHEN next_position > ?2 THEN next_position ELSE ?2 END
                  WHERE id = ?1",
            )?
            .execute((job_id, position + 1))?;
        Ok(true)
    }

    /// Up to `limit` of the job's pending invoices from its cursor on, in
    /// the file's order: what a resumed job does next. They are listed
    /// whatever the job's status; the runner checks between invoices that
    /// its job is still `running` (a cancel is a status change it sees).
    pub fn pending_bulk_invoices(
        &self,
        job_id: i64,
        limit: u32,
    ) -> Result<Vec<BulkInvoice>, StoreError> {
        // The cursor is read first and bound: as a subquery in the range,
        // SQLite walked every handled invoice before it (2 ms a page at
        // 60,000 handled, against 0.1 ms bound).
        let cursor: Option<u32> = self
            .conn
            .prepare_cached("SELECT next_position FROM bulk_jobs WHERE id = ?1")?
            .query_row([job_id], |r| r.get(0))
            .optional()?;
        let Some(cursor) = cursor else {
            return Ok(Vec::new());
        };
        self.bulk_invoices_where(
            "b.job_id = ?1 AND b.status = 'pending' AND b.position >= ?2",
            (job_id, cursor, limit),
        )
    }
}

impl Tx<'_> {
    /// Records what became of a bulk invoice that waited for approval once
    /// someone decided: `to` is what it is now (issued and queued, or a
    /// draft again). Whether it was waiting.
    pub fn settle_bulk_approval(
        &self,
        invoice_id: i64,
        to: BulkRowStatus,
    ) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "UPDATE bulk_invoices SET status = ?2
                  WHERE invoice_id = ?1 AND status = 'awaiting_approval'",
            )?
            .execute((invoice_id, bulk_row_status_text(to)))?
            > 0)
    }

    /// The latest time a still-queued email of the job's invoices is held
    /// until: where a resumed throttle picks up, so a restart never sends
    /// faster than the limit.
    pub fn latest_bulk_hold(&self, job_id: i64) -> Result<Option<DateTime<Utc>>, StoreError> {
        let at: Option<String> = self.conn.query_row(
            "SELECT MAX(d.next_attempt_at)
               FROM bulk_invoices b JOIN deliveries d ON d.invoice_id = b.invoice_id
              WHERE b.job_id = ?1 AND d.status = 'queued'",
            [job_id],
            |r| r.get(0),
        )?;
        at.as_deref().map(crate::codec::instant).transpose()
    }
}

/// The stored text of a key's source: `sha256:<hex>` or `ref:<reference>`,
/// one column so one constraint covers both kinds.
fn key_source_text(s: &KeySource) -> String {
    match s {
        KeySource::FileSha256(h) => format!("sha256:{h}"),
        KeySource::ExternalReference(r) => format!("ref:{r}"),
    }
}
