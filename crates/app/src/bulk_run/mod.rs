//! Bulk send: a file the user picked becomes a persisted job that makes,
//! issues and queues one invoice after another, resumes after a crash and
//! never makes an invoice twice.
//!
//! `start.rs` checks the file and writes the job and its plan in one
//! transaction; `make.rs` makes one invoice per transaction; `runner.rs`
//! works through the running jobs on the `bulk_send` background job (or on
//! the command line's thread); `kept_files.rs` keeps the bytes each job runs
//! from. The job acts for the user who started it — they are the invoices'
//! maker, so four-eyes applies to them — and its audit actor is
//! `system:bulk_send`, with that user named in each event.

mod kept_files;
mod make;
mod runner;
mod start;

pub(crate) use runner::BULK_SENDER;

use crate::api::{
    AppEvent, BulkCheckInput, BulkCountsView, BulkInvoiceRow, BulkJobReport, BulkJobView,
    BulkProblem, BulkReportQuery, PdfFile,
};
use crate::bulk_check::read_picked_file;
use crate::invoice_pdf::{not_initialized, sha256_hex};
use crate::process_lock::ProcessLock;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::bulk_job::{BulkJob, BulkJobEvent, BulkJobStatus, BulkRowStatus};
use invoicer_domain::invoice::Invoice;
use invoicer_domain::lifecycle::InvoiceStatus;
use invoicer_domain::Decimal;
use invoicer_import::CsvWriter;
use serde_json::json;

/// The audit actor of everything a bulk job does.
pub(crate) fn principal_actor() -> &'static str {
    "system:bulk_send"
}

/// Tells the window a job's status changed.
fn job_changed(app: &Invoicer, job_id: i64, status: BulkJobStatus) {
    app.publish(AppEvent::BulkJobChanged {
        job_id,
        status: status.as_str().to_string(),
    });
}

/// The most invoices one report page holds.
const MAX_PAGE: u32 = 1_000;

/// The most problems a report carries (all are in the download).
const REPORT_PROBLEMS: u32 = 1_000;

/// What a run of the bulk jobs on the calling thread did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkRunSummary {
    /// Invoices handled.
    pub handled: u32,
    /// Of those, invoices that failed.
    pub failed: u32,
}

impl Invoicer {
    /// The bulk jobs, newest first (the latest 200).
    pub fn bulk_jobs(&self, session: &Session) -> AppResult<Vec<BulkJobView>> {
        session.require(Permission::View)?;
        let jobs = self.store.read(|tx| tx.list_bulk_jobs(200))?;
        jobs.into_iter().map(|j| self.job_view(j)).collect()
    }

    /// One job's report: the job, a page of its invoices (optionally of one
    /// status) and its first problems.
    pub fn bulk_job_report(
        &self,
        session: &Session,
        q: &BulkReportQuery,
    ) -> AppResult<BulkJobReport> {
        session.require(Permission::View)?;
        let status =
            match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => None,
                Some(name) => Some(parse_row_status(name).ok_or_else(|| {
                    ApiError::field("status", name, "is not a bulk invoice status")
                })?),
            };
        let limit = q.limit.unwrap_or(100).clamp(1, MAX_PAGE);
        let (job, rows, problems) = self.store.read(|tx| -> AppResult<_> {
            let job = tx
                .bulk_job(q.job_id)?
                .ok_or_else(|| ApiError::not_found("bulk job", q.job_id))?;
            let rows = tx.bulk_invoices(q.job_id, status, q.after_position, limit)?;
            let problems = tx.bulk_row_errors(q.job_id, None, REPORT_PROBLEMS)?;
            Ok((job, rows, problems))
        })?;
        let next_after = (rows.len() == limit as usize)
            .then(|| rows.last().map(|r| r.position))
            .flatten();
        Ok(BulkJobReport {
            job: self.job_view(job)?,
            invoices: rows
                .into_iter()
                .map(|r| BulkInvoiceRow {
                    position: r.position,
                    first_line: r.first_line,
                    invoice_key: r.key.invoice_key,
                    status: r.status.as_str().to_string(),
                    invoice_id: r.invoice_id,
                    invoice_number: r.invoice_number,
                    error: r.failure.map(|f| f.message),
                })
                .collect(),
            next_after,
            problems: problems
                .into_iter()
                .map(|p| stored_problem(p.error))
                .collect(),
        })
    }

    /// The job with `id` as the screens show it.
    pub(crate) fn bulk_job_view(&self, id: i64) -> AppResult<BulkJobView> {
        let job = self
            .store
            .read(|tx| tx.bulk_job(id))?
            .ok_or_else(|| ApiError::not_found("bulk job", id))?;
        self.job_view(job)
    }

    fn job_view(&self, job: BulkJob) -> AppResult<BulkJobView> {
        let started_by = self
            .store
            .read(|tx| tx.user(job.started_by))?
            .map(|u| u.email)
            .unwrap_or_else(|| format!("user {}", job.started_by));
        let c = job.counts;
        let handled = c.invoices.saturating_sub(c.pending);
        // Invoices this job actually worked on (the invalid ones were
        // settled when it started), over the time since it started.
        let worked = handled.saturating_sub(c.invalid);
        let end = job.finished_at.unwrap_or_else(|| self.clock.now());
        let elapsed_ms = (end - job.started_at).num_milliseconds();
        let rate_per_minute = (worked > 0 && elapsed_ms > 0)
            .then(|| u32::try_from(i64::from(worked) * 60_000 / elapsed_ms).unwrap_or(u32::MAX));
        let eta_seconds = (job.status == BulkJobStatus::Running && worked > 0 && elapsed_ms > 0)
            .then(|| {
                u64::from(c.pending) * u64::try_from(elapsed_ms).unwrap_or(0)
                    / u64::from(worked)
                    / 1_000
            });
        Ok(BulkJobView {
            id: job.id,
            file_name: job.file_name,
            file_sha256: job.file_sha256,
            status: job.status.as_str().to_string(),
            dry_run: job.dry_run,
            throttle_per_minute: job.throttle_per_minute,
            started_by,
            started_at: job.started_at.to_rfc3339(),
            finished_at: job.finished_at.map(|t| t.to_rfc3339()),
            counts: BulkCountsView {
                rows: c.rows,
                invoices: c.invoices,
                created: c.created,
                issued: c.issued,
                awaiting_approval: c.awaiting_approval,
                queued_for_sending: c.queued_for_sending,
                sent: c.sent,
                invalid: c.invalid,
                already_invoiced: c.already_invoiced,
                failed: c.failed,
                pending: c.pending,
                row_errors: c.row_errors,
            },
            handled,
            rate_per_minute,
            eta_seconds,
            can_resume: job.status == BulkJobStatus::Interrupted,
            can_cancel: !job.status.is_final(),
        })
    }

    /// Resumes an interrupted job from its cursor; the `bulk_send` job (or
    /// the caller, from the command line) continues it.
    pub fn resume_bulk_job(&self, session: &Session, job_id: i64) -> AppResult<BulkJobView> {
        session.require(Permission::ManageInvoices)?;
        let now = self.clock.now();
        self.store.write(|tx| -> AppResult<()> {
            let job = tx
                .bulk_job(job_id)?
                .ok_or_else(|| ApiError::not_found("bulk job", job_id))?;
            job.status.apply(BulkJobEvent::Resume {
                validated: job.validated,
            })?;
            if !self.resume_in(tx, job_id, &format!("resumed by {}", session.actor()), now)? {
                return Err(ApiError::new(
                    ErrorCode::InvalidState,
                    "this job's plan was never completed; send the file again",
                ));
            }
            Ok(())
        })?;
        job_changed(self, job_id, BulkJobStatus::Running);
        self.nudge_jobs();
        self.bulk_job_view(job_id)
    }

    /// Cancels a job: the invoice in hand is finished, nothing after it is
    /// made. What was made stays made (issued invoices are voided or
    /// credited one by one, as any other).
    pub fn cancel_bulk_job(&self, session: &Session, job_id: i64) -> AppResult<BulkJobView> {
        session.require(Permission::ManageInvoices)?;
        let now = self.clock.now();
        self.store.write(|tx| -> AppResult<()> {
            let job = tx
                .bulk_job(job_id)?
                .ok_or_else(|| ApiError::not_found("bulk job", job_id))?;
            let to = job.status.apply(BulkJobEvent::Cancel)?;
            if !tx.change_bulk_job_status(job_id, job.status, to, now)? {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "the job changed while cancelling it; look at it again",
                ));
            }
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "bulk.cancelled",
                    format!("bulk_job:{job_id}"),
                    json!({"status_before": job.status.as_str(),
                           "pending": job.counts.pending}),
                ),
                now,
            )?;
            Ok(())
        })?;
        job_changed(self, job_id, BulkJobStatus::Cancelled);
        self.bulk_job_view(job_id)
    }

    /// Runs the running bulk jobs to their end on the calling thread (the
    /// command line's `bulk send` and `bulk resume`); `None` when another
    /// process runs them.
    pub fn run_bulk_jobs(&self) -> AppResult<Option<BulkRunSummary>> {
        let mut lock: Option<ProcessLock> = None;
        let pass = self.bulk_pass(&mut lock, &|| false, &|_, _, _, _| {})?;
        Ok(pass.map(|p| BulkRunSummary {
            handled: p.done,
            failed: p.failed,
        }))
    }

    /// The problems of a check (the dry run) as a CSV file, every cell a
    /// spreadsheet would run neutralised.
    pub fn bulk_check_problems_csv(
        &self,
        session: &Session,
        input: &BulkCheckInput,
    ) -> AppResult<Vec<u8>> {
        let report = self.check_bulk_file(session, input)?;
        problems_csv(report.problems.iter().map(|p| {
            (
                p.line,
                p.column.clone().unwrap_or_else(|| p.field.clone()),
                p.value.clone(),
                p.reason.clone(),
            )
        }))
    }

    /// Every problem of a job's file, and every invoice that failed, as a
    /// CSV file, every cell a spreadsheet would run neutralised.
    pub fn bulk_job_problems_csv(&self, session: &Session, job_id: i64) -> AppResult<Vec<u8>> {
        session.require(Permission::View)?;
        let mut all = Vec::new();
        self.store.read(|tx| -> AppResult<()> {
            tx.bulk_job(job_id)?
                .ok_or_else(|| ApiError::not_found("bulk job", job_id))?;
            let mut after = None;
            loop {
                let page = tx.bulk_row_errors(job_id, after, 1_000)?;
                let Some(last) = page.last() else { break };
                after = Some(last.id);
                all.extend(page.into_iter().map(|p| {
                    (
                        u64::from(p.error.line),
                        p.error.column.unwrap_or_default(),
                        p.error.value,
                        p.error.reason,
                    )
                }));
            }
            let mut after = None;
            loop {
                let page = tx.bulk_invoices(job_id, Some(BulkRowStatus::Failed), after, 1_000)?;
                let Some(last) = page.last() else { break };
                after = Some(last.position);
                all.extend(page.into_iter().map(|i| {
                    (
                        u64::from(i.first_line),
                        "invoice".to_string(),
                        i.key.invoice_key,
                        i.failure.map(|f| f.message).unwrap_or_default(),
                    )
                }));
            }
            Ok(())
        })?;
        all.sort_by_key(|p| p.0);
        problems_csv(all.into_iter())
    }

    /// The `index`-th invoice the file would make (from 0), as a draft PDF
    /// without a number: the preview before sending.
    pub fn bulk_preview_pdf(
        &self,
        session: &Session,
        input: &BulkCheckInput,
        index: u32,
    ) -> AppResult<PdfFile> {
        session.require(Permission::ManageInvoices)?;
        let (bytes, file_name) = read_picked_file(&input.path)?;
        let input = self.with_profile(input)?;
        let read = self
            .read_bulk_bytes(&input, &bytes, file_name, |_| Ok(false))?
            .map_err(|r| {
                ApiError::new(
                    ErrorCode::Validation,
                    format!(
                        "confirm the file's {} first",
                        r.needs_confirmation.join(", ")
                    ),
                )
            })?;
        let settings = self.settings()?;
        let today = self.clock.today(settings.timezone);
        let now = self.clock.now();
        let inputs = self.store.read(|tx| -> AppResult<_> {
            let rates = tx.tax_rates()?;
            // The index counts the invoices that would be made.
            let mut left = index;
            for inv in &read.invoices {
                let Ok(ready) = self.prepare_bulk_invoice(tx, &settings, &rates, inv, today) else {
                    continue;
                };
                if left > 0 {
                    left -= 1;
                    continue;
                }
                let totals = ready
                    .content
                    .totals(settings.rounding_scope, settings.rounding_mode);
                let draft = Invoice {
                    id: 0,
                    number: None,
                    status: InvoiceStatus::Draft,
                    rounding_scope: settings.rounding_scope,
                    rounding_mode: settings.rounding_mode,
                    totals,
                    content: ready.content,
                    amount_paid: Decimal::ZERO,
                    amount_credited: Decimal::ZERO,
                    created_by: session.user().id,
                    last_edited_by: session.user().id,
                    created_at: now,
                    issued_at: None,
                    void_reason: None,
                    disputed_on: None,
                    template: ready.template,
                    pdf_sha256: None,
                };
                let settings = tx.company()?.ok_or_else(not_initialized)?;
                return Ok(Some((
                    inv.key.clone(),
                    self.pdf_inputs(tx, &draft, None, &settings)?,
                )));
            }
            Ok(None)
        })?;
        let (key, inputs) = inputs.ok_or_else(|| {
            ApiError::field(
                "index",
                &index.to_string(),
                "is past the last invoice the file would make",
            )
        })?;
        let pdf = self.render_within_budget(&inputs)?;
        Ok(PdfFile {
            file_name: sanitize_filename::sanitize(format!("preview {key}.pdf")),
            sha256: sha256_hex(&pdf),
            bytes: pdf,
        })
    }
}

/// A stored problem as the report shows it.
fn stored_problem(e: invoicer_domain::bulk_job::BulkRowError) -> BulkProblem {
    BulkProblem {
        line: u64::from(e.line),
        field: e.column.clone().unwrap_or_else(|| "row".into()),
        column: e.column,
        value: e.value,
        reason: e.reason,
    }
}

fn parse_row_status(name: &str) -> Option<BulkRowStatus> {
    use BulkRowStatus as S;
    [
        S::Pending,
        S::Invalid,
        S::Created,
        S::Issued,
        S::AwaitingApproval,
        S::QueuedForSending,
        S::SkippedAlreadyInvoiced,
        S::Failed,
    ]
    .into_iter()
    .find(|s| s.as_str() == name)
}

/// Problems as CSV: line, column, value, reason.
fn problems_csv(rows: impl Iterator<Item = (u64, String, String, String)>) -> AppResult<Vec<u8>> {
    let csv_error = |e: csv::Error| ApiError::new(ErrorCode::Internal, format!("CSV: {e}"));
    let mut w = CsvWriter::new(Vec::new());
    w.write_record(["line", "column", "value", "reason"])
        .map_err(csv_error)?;
    for (line, column, value, reason) in rows {
        w.write_record([line.to_string(), column, value, reason])
            .map_err(csv_error)?;
    }
    w.into_inner().map_err(csv_error)
}
