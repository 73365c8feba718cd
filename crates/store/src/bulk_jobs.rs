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

use crate::codec::{corrupt, instant, instant_text};
use crate::records::enum_names::{
    bulk_job_status_text, bulk_row_status_text, parse_bulk_job_status, parse_bulk_row_status,
};
use crate::records::mapping_profile_v1;
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use invoicer_domain::bulk_job::{
    BulkCounts, BulkInvoice, BulkInvoiceFailure, BulkJob, BulkJobStatus, BulkOutcome, BulkRowError,
    BulkRowKey, BulkRowStatus, KeySource, NewBulkJob,
};
use rusqlite::{OptionalExtension, Row};

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

/// A row error as stored, with the id to page after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRowError {
    /// The stored id (rising in the order the errors were recorded).
    pub id: i64,
    /// The error.
    pub error: BulkRowError,
}

const JOB_COLUMNS: &str = "id, file_name, file_sha256, profile, started_by, dry_run, \
     throttle_per_minute, status, started_at, finished_at, validated, next_position, row_count";

impl Tx<'_> {
    /// Creates a job, `validating`; returns its id.
    pub fn create_bulk_job(&self, job: &NewBulkJob, at: DateTime<Utc>) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "INSERT INTO bulk_jobs (file_name, file_sha256, profile, status, dry_run,
                 throttle_per_minute, started_by, started_at)
             VALUES (?1, ?2, ?3, 'validating', ?4, ?5, ?6, ?7)
             RETURNING id",
            (
                &job.file_name,
                &job.file_sha256,
                mapping_profile_v1::to_json(&job.profile)?,
                job.dry_run,
                job.throttle_per_minute,
                job.started_by,
                instant_text(at),
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
                (None, Some(failure_json(f)?))
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
    /// the file's order: what a resumed job does next.
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

    /// One page of a job's invoices and their outcomes, in the file's order:
    /// those after `after_position` (all from the start when `None`), only
    /// those in `status` when given.
    pub fn bulk_invoices(
        &self,
        job_id: i64,
        status: Option<BulkRowStatus>,
        after_position: Option<u32>,
        limit: u32,
    ) -> Result<Vec<BulkInvoice>, StoreError> {
        let from = after_position.map_or(0, |p| i64::from(p) + 1);
        match status {
            None => self
                .bulk_invoices_where("b.job_id = ?1 AND b.position >= ?2", (job_id, from, limit)),
            Some(s) => self.bulk_invoices_where(
                "b.job_id = ?1 AND b.position >= ?2 AND b.status = ?4",
                (job_id, from, limit, bulk_row_status_text(s)),
            ),
        }
    }

    /// One page of a job's row errors, in the order recorded: those after
    /// the error with id `after` (from the first when `None`).
    pub fn bulk_row_errors(
        &self,
        job_id: i64,
        after: Option<i64>,
        limit: u32,
    ) -> Result<Vec<StoredRowError>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, line, column_name, value, reason FROM bulk_row_errors
              WHERE job_id = ?1 AND id > ?2
              ORDER BY id LIMIT ?3",
        )?;
        let rows = stmt
            .query_map((job_id, after.unwrap_or(0), limit), |r| {
                Ok(StoredRowError {
                    id: r.get(0)?,
                    error: BulkRowError {
                        line: r.get(1)?,
                        column: r.get(2)?,
                        value: r.get(3)?,
                        reason: r.get(4)?,
                    },
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The job with `id`, with its counts. The counts are derived on each
    /// read, in time proportional to the job's invoices (~10 ms at 100,000,
    /// `benches/bulk.rs`), so a running job tells its progress from its own
    /// tallies and reads them back at most a few times a second.
    pub fn bulk_job(&self, id: i64) -> Result<Option<BulkJob>, StoreError> {
        let raw = self
            .conn
            .query_row(
                &format!("SELECT {JOB_COLUMNS} FROM bulk_jobs WHERE id = ?1"),
                [id],
                raw_job,
            )
            .optional()?;
        raw.map(|r| self.job_with_counts(r)).transpose()
    }

    /// Up to `limit` jobs, newest first, with their counts.
    pub fn list_bulk_jobs(&self, limit: u32) -> Result<Vec<BulkJob>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {JOB_COLUMNS} FROM bulk_jobs ORDER BY id DESC LIMIT ?1"
        ))?;
        let raws = stmt
            .query_map([limit], raw_job)?
            .collect::<Result<Vec<_>, _>>()?;
        raws.into_iter().map(|r| self.job_with_counts(r)).collect()
    }

    /// A job's counts, derived from its rows.
    fn bulk_counts(&self, job_id: i64, rows: u32) -> Result<BulkCounts, StoreError> {
        let mut counts = BulkCounts {
            rows,
            ..BulkCounts::default()
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT status, COUNT(*) FROM bulk_invoices WHERE job_id = ?1 GROUP BY status",
        )?;
        let by_status = stmt
            .query_map([job_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        for (status, n) in by_status {
            counts.invoices += n;
            let slot = match parse_bulk_row_status(&status)? {
                BulkRowStatus::Pending => &mut counts.pending,
                BulkRowStatus::Invalid => &mut counts.invalid,
                BulkRowStatus::Created => &mut counts.created,
                BulkRowStatus::Issued => &mut counts.issued,
                BulkRowStatus::AwaitingApproval => &mut counts.awaiting_approval,
                BulkRowStatus::QueuedForSending => &mut counts.queued_for_sending,
                BulkRowStatus::SkippedAlreadyInvoiced => &mut counts.already_invoiced,
                BulkRowStatus::Failed => &mut counts.failed,
            };
            *slot = n;
        }
        // The first email of each invoice the job made and queued, once the
        // server accepted it (an approved one is queued after approval).
        counts.sent = self
            .conn
            .prepare_cached(
                "SELECT COUNT(*) FROM bulk_invoices b
                   JOIN deliveries d ON d.invoice_id = b.invoice_id
                                    AND d.kind = 'invoice' AND d.step = 0
                  WHERE b.job_id = ?1
                    AND b.status IN ('queued_for_sending', 'awaiting_approval')
                    AND d.status = 'sent'",
            )?
            .query_row([job_id], |r| r.get(0))?;
        counts.row_errors = self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM bulk_row_errors WHERE job_id = ?1")?
            .query_row([job_id], |r| r.get(0))?;
        Ok(counts)
    }

    fn job_with_counts(&self, r: RawJob) -> Result<BulkJob, StoreError> {
        Ok(BulkJob {
            counts: self.bulk_counts(r.id, r.row_count)?,
            id: r.id,
            file_name: r.file_name,
            file_sha256: r.file_sha256,
            profile: mapping_profile_v1::from_json(&r.profile)?,
            started_by: r.started_by,
            dry_run: r.dry_run,
            throttle_per_minute: r.throttle_per_minute,
            status: parse_bulk_job_status(&r.status)?,
            started_at: instant(&r.started_at)?,
            finished_at: r.finished_at.as_deref().map(instant).transpose()?,
            validated: r.validated,
            cursor: r.next_position,
        })
    }

    fn bulk_invoices_where(
        &self,
        condition: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<BulkInvoice>, StoreError> {
        // `condition` is this module's constant; values are always bound,
        // the lower position is ?2 and the limit ?3.
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT b.job_id, b.position, b.key_source, b.invoice_key, b.first_line, b.status,
                    b.invoice_id, i.number, b.error
               FROM bulk_invoices b LEFT JOIN invoices i ON i.id = b.invoice_id
              WHERE {condition}
              ORDER BY b.position LIMIT ?3"
        ))?;
        let rows = stmt
            .query_map(params, raw_invoice)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(RawInvoice::into_invoice).collect()
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

fn parse_key_source(s: &str) -> Result<KeySource, StoreError> {
    match s.split_once(':') {
        Some(("sha256", h)) => Ok(KeySource::FileSha256(h.to_string())),
        Some(("ref", r)) => Ok(KeySource::ExternalReference(r.to_string())),
        _ => Err(corrupt("bulk key source", s)),
    }
}

/// The stored failure: a versioned record of its own, like the others.
fn failure_json(f: &BulkInvoiceFailure) -> Result<String, StoreError> {
    Ok(serde_json::json!({
        "record_version": 1,
        "code": f.code,
        "message": f.message,
    })
    .to_string())
}

fn parse_failure(text: &str) -> Result<BulkInvoiceFailure, StoreError> {
    let value = crate::records::parse_versioned("bulk invoice failure", text, 1)?;
    let field = |name: &str| {
        value
            .get(name)
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| corrupt("bulk invoice failure", text))
    };
    Ok(BulkInvoiceFailure {
        code: field("code")?,
        message: field("message")?,
    })
}

struct RawJob {
    id: i64,
    file_name: String,
    file_sha256: String,
    profile: String,
    started_by: i64,
    dry_run: bool,
    throttle_per_minute: Option<u32>,
    status: String,
    started_at: String,
    finished_at: Option<String>,
    validated: bool,
    next_position: u32,
    row_count: u32,
}

fn raw_job(r: &Row<'_>) -> rusqlite::Result<RawJob> {
    Ok(RawJob {
        id: r.get(0)?,
        file_name: r.get(1)?,
        file_sha256: r.get(2)?,
        profile: r.get(3)?,
        started_by: r.get(4)?,
        dry_run: r.get(5)?,
        throttle_per_minute: r.get(6)?,
        status: r.get(7)?,
        started_at: r.get(8)?,
        finished_at: r.get(9)?,
        validated: r.get(10)?,
        next_position: r.get(11)?,
        row_count: r.get(12)?,
    })
}

struct RawInvoice {
    job_id: i64,
    position: u32,
    key_source: String,
    invoice_key: String,
    first_line: u32,
    status: String,
    invoice_id: Option<i64>,
    invoice_number: Option<String>,
    error: Option<String>,
}

fn raw_invoice(r: &Row<'_>) -> rusqlite::Result<RawInvoice> {
    Ok(RawInvoice {
        job_id: r.get(0)?,
        position: r.get(1)?,
        key_source: r.get(2)?,
        invoice_key: r.get(3)?,
        first_line: r.get(4)?,
        status: r.get(5)?,
        invoice_id: r.get(6)?,
        invoice_number: r.get(7)?,
        error: r.get(8)?,
    })
}

impl RawInvoice {
    fn into_invoice(self) -> Result<BulkInvoice, StoreError> {
        Ok(BulkInvoice {
            job_id: self.job_id,
            position: self.position,
            key: BulkRowKey {
                source: parse_key_source(&self.key_source)?,
                invoice_key: self.invoice_key,
            },
            first_line: self.first_line,
            status: parse_bulk_row_status(&self.status)?,
            invoice_id: self.invoice_id,
            invoice_number: self.invoice_number,
            failure: self.error.as_deref().map(parse_failure).transpose()?,
        })
    }
}
