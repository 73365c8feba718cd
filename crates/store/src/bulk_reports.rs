//! A bulk job's report: the job with its counts, the jobs newest first, its
//! invoices and their outcomes, and its row errors, each one page at a time
//! (pages are read by key, never by skipping rows, so the 1,000th page
//! costs what the first does).

use crate::codec::{corrupt, instant};
use crate::records::enum_names::{
    bulk_row_status_text, parse_bulk_job_status, parse_bulk_row_status,
};
use crate::records::{bulk_failure_v1, mapping_profile_v1};
use crate::{StoreError, Tx};
use invoicer_domain::bulk_job::{
    BulkCounts, BulkInvoice, BulkJob, BulkRowError, BulkRowKey, BulkRowStatus, KeySource,
};
use rusqlite::{OptionalExtension, Row};

/// A row error as stored, with the id to page after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRowError {
    /// The stored id (rising in the order the errors were recorded).
    pub id: i64,
    /// The error.
    pub error: BulkRowError,
}

const JOB_COLUMNS: &str = "id, file_name, file_sha256, profile, started_by, dry_run, \
     throttle_per_minute, status, started_at, finished_at, validated, next_position, row_count, \
     send_emails";

impl Tx<'_> {
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
            send: r.send_emails,
            throttle_per_minute: r.throttle_per_minute,
            status: parse_bulk_job_status(&r.status)?,
            started_at: instant(&r.started_at)?,
            finished_at: r.finished_at.as_deref().map(instant).transpose()?,
            validated: r.validated,
            cursor: r.next_position,
        })
    }

    pub(crate) fn bulk_invoices_where(
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

fn parse_key_source(s: &str) -> Result<KeySource, StoreError> {
    match s.split_once(':') {
        Some(("sha256", h)) => Ok(KeySource::FileSha256(h.to_string())),
        Some(("ref", r)) => Ok(KeySource::ExternalReference(r.to_string())),
        _ => Err(corrupt("bulk key source", s)),
    }
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
    send_emails: bool,
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
        send_emails: r.get(13)?,
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
            failure: self
                .error
                .as_deref()
                .map(bulk_failure_v1::from_json)
                .transpose()?,
        })
    }
}
