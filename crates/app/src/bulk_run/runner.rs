//! Running bulk jobs: one process at a time per data folder (the
//! `bulk-runner.lock`), each running job worked through invoice by invoice
//! from its cursor until every invoice has its outcome, cancelled or not.
//!
//! The process that takes the lock first recovers: a job left `running` or
//! `validating` was orphaned by a process that died (it no longer holds the
//! lock), so it becomes `interrupted`; then every interrupted job resumes
//! where its cursor points. That is "it continues on the next start".

use super::make::{RunContext, Throttle};
use super::start::input_for;
use super::{job_changed, principal_actor};
use crate::api::{AppEvent, NotificationView};
use crate::process_lock::ProcessLock;
use crate::{ApiError, AppResult, ErrorCode, Invoicer};
use chrono::{DateTime, Duration, Utc};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::bulk_job::{BulkJobEvent, BulkJobStatus, BulkOutcome, BulkRowStatus};
use serde_json::json;

/// The job's name: its thread's, its progress events', its audit actor's.
pub(crate) const BULK_SENDER: &str = "bulk_send";

/// How many pending invoices are read at a time.
const PAGE: u32 = 64;

/// What one pass over the running jobs did.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct BulkPass {
    /// Invoices handled.
    pub(crate) done: u32,
    /// Invoices that failed.
    pub(crate) failed: u32,
}

/// Tells progress: invoices handled of the job's total, what is in hand, and
/// failures so far.
pub(crate) type BulkProgress<'a> = &'a dyn Fn(u32, u32, Option<String>, u32);

impl Invoicer {
    /// Runs every running bulk job to its end (or until `cancelled`), after
    /// taking the runner lock into `lock` and recovering orphans the first
    /// time. `None` when another process holds the lock: it runs them.
    pub(crate) fn bulk_pass(
        &self,
        lock: &mut Option<ProcessLock>,
        cancelled: &dyn Fn() -> bool,
        progress: BulkProgress<'_>,
    ) -> AppResult<Option<BulkPass>> {
        if lock.is_none() {
            let Some(taken) = self.try_process_lock("bulk-runner.lock")? else {
                return Ok(None);
            };
            *lock = Some(taken);
            self.recover_bulk_jobs()?;
        }
        let mut pass = BulkPass::default();
        for id in self
            .store
            .read(|tx| tx.bulk_jobs_in(BulkJobStatus::Running))?
        {
            if cancelled() {
                break;
            }
            match self.run_bulk_job(id, cancelled, progress) {
                Ok(done) => {
                    pass.done += done.done;
                    pass.failed += done.failed;
                }
                Err(e) => self.interrupt_failed_job(id, &e)?,
            }
        }
        Ok(Some(pass))
    }

    /// Interrupts every orphaned job and resumes every interrupted one.
    fn recover_bulk_jobs(&self) -> AppResult<()> {
        let now = self.clock.now();
        let resumed = self.store.write(|tx| -> AppResult<Vec<i64>> {
            let orphans = tx.interrupt_bulk_jobs()?;
            for id in &orphans {
                tx.append_audit(
                    NewAuditEvent::new(
                        Some(principal_actor()),
                        "bulk.interrupted",
                        format!("bulk_job:{id}"),
                        json!({"reason": "the process running it stopped"}),
                    ),
                    now,
                )?;
            }
            let mut resumed = Vec::new();
            for id in tx.bulk_jobs_in(BulkJobStatus::Interrupted)? {
                if self.resume_in(tx, id, "restart", now)? {
                    resumed.push(id);
                }
            }
            Ok(resumed)
        })?;
        for id in resumed {
            job_changed(self, id, BulkJobStatus::Running);
        }
        Ok(())
    }

    /// Moves an interrupted job back to running, audited; whether it did (a
    /// job whose plan never completed cannot resume, and stays).
    pub(super) fn resume_in(
        &self,
        tx: &invoicer_store::Tx<'_>,
        id: i64,
        why: &str,
        now: DateTime<Utc>,
    ) -> AppResult<bool> {
        let Some(job) = tx.bulk_job(id)? else {
            return Ok(false);
        };
        if !job.validated {
            return Ok(false);
        }
        let to = job.status.apply(BulkJobEvent::Resume { validated: true })?;
        if !tx.change_bulk_job_status(id, job.status, to, now)? {
            return Ok(false);
        }
        tx.append_audit(
            NewAuditEvent::new(
                Some(principal_actor()),
                "bulk.resumed",
                format!("bulk_job:{id}"),
                json!({"reason": why, "from_position": job.cursor,
                       "pending": job.counts.pending}),
            ),
            now,
        )?;
        Ok(true)
    }

    /// Stops a job whose run failed as a whole (its file copy is gone, the
    /// database is unreadable): `interrupted`, audited, and a notification
    /// saying why. "Resume" tries again.
    fn interrupt_failed_job(&self, id: i64, e: &ApiError) -> AppResult<()> {
        let now = self.clock.now();
        let changed = self.store.write(|tx| -> AppResult<bool> {
            let to = BulkJobStatus::Running.apply(BulkJobEvent::Interrupt)?;
            if !tx.change_bulk_job_status(id, BulkJobStatus::Running, to, now)? {
                return Ok(false);
            }
            tx.append_audit(
                NewAuditEvent::new(
                    Some(principal_actor()),
                    "bulk.interrupted",
                    format!("bulk_job:{id}"),
                    json!({"reason": e.message}),
                ),
                now,
            )?;
            Ok(true)
        })?;
        if changed {
            job_changed(self, id, BulkJobStatus::Interrupted);
            self.publish(AppEvent::Notification(NotificationView {
                title: "Bulk send stopped".into(),
                body: format!("Bulk job {id} stopped: {}", e.message),
                topic: format!("bulk_job:{id}"),
            }));
        }
        Ok(())
    }

    /// Makes the job's pending invoices in file order until none is left
    /// (then finishes it), it is no longer running (cancelled), or
    /// `cancelled` says the process is stopping.
    fn run_bulk_job(
        &self,
        id: i64,
        cancelled: &dyn Fn() -> bool,
        progress: BulkProgress<'_>,
    ) -> AppResult<BulkPass> {
        let job = self
            .store
            .read(|tx| tx.bulk_job(id))?
            .ok_or_else(|| ApiError::not_found("bulk job", id))?;
        let user = self
            .store
            .read(|tx| tx.user(job.started_by))?
            .ok_or_else(|| ApiError::not_found("user", job.started_by))?;
        let bytes = self.kept_bulk_file(&job.file_sha256)?;
        let input = input_for(&job.file_name, &job.profile);
        let read = self
            .read_bulk_bytes(&input, &bytes, job.file_name.clone(), |_| Ok(false))?
            .map_err(|r| {
                ApiError::new(
                    ErrorCode::InvalidState,
                    format!(
                        "the job's mapping no longer reads its file ({} to confirm)",
                        r.needs_confirmation.join(", ")
                    ),
                )
            })?;
        drop(bytes);
        let now = self.clock.now();
        let throttle = match job.throttle_per_minute {
            Some(n) if n > 0 => {
                let interval = Duration::milliseconds(60_000 / i64::from(n));
                let held = self.store.read(|tx| tx.latest_bulk_hold(id))?;
                Some(Throttle {
                    interval,
                    next_slot: held.map_or(now, |h| h + interval),
                })
            }
            _ => None,
        };
        let mut ctx = RunContext {
            job_id: id,
            user,
            send: job.send,
            invoices: read
                .invoices
                .into_iter()
                .map(|i| (i.key.clone(), i))
                .collect(),
            throttle,
        };
        let total = job.counts.invoices.saturating_sub(job.counts.invalid);
        let mut handled = total.saturating_sub(job.counts.pending);
        let mut failed = job.counts.failed;
        let mut pass = BulkPass::default();
        loop {
            let page = self.store.read(|tx| tx.pending_bulk_invoices(id, PAGE))?;
            if page.is_empty() {
                self.finish_bulk_job(id)?;
                progress(handled, total, None, failed);
                return Ok(pass);
            }
            for p in page {
                // "Cancel stops after the current invoice": the status is
                // read before each one.
                if cancelled()
                    || self.store.read(|tx| tx.bulk_job_status(id))? != Some(BulkJobStatus::Running)
                {
                    return Ok(pass);
                }
                progress(
                    handled,
                    total,
                    Some(format!("line {}: {}", p.first_line, p.key.invoice_key)),
                    failed,
                );
                let outcome = self.make_bulk_invoice(&mut ctx, &p)?;
                handled += 1;
                pass.done += 1;
                match outcome {
                    BulkOutcome::Failed(_) => {
                        failed += 1;
                        pass.failed += 1;
                    }
                    BulkOutcome::Made {
                        status: BulkRowStatus::QueuedForSending,
                        ..
                    } => self.nudge_jobs(),
                    // Committed: approvers' queues and badges learn of it.
                    BulkOutcome::Made {
                        status: BulkRowStatus::AwaitingApproval,
                        invoice_id,
                    } => self.publish(AppEvent::ApprovalRequested {
                        invoice_id,
                        label: self.invoice_label_of(invoice_id),
                    }),
                    _ => {}
                }
                crate::fault_points::reached("bulk_after_commit");
            }
        }
    }

    /// Marks a job whose every invoice has its outcome finished, audited,
    /// with a notification of what it did.
    fn finish_bulk_job(&self, id: i64) -> AppResult<()> {
        let now = self.clock.now();
        let job = self.store.write(|tx| -> AppResult<Option<_>> {
            let to = BulkJobStatus::Running.apply(BulkJobEvent::Finish)?;
            if !tx.change_bulk_job_status(id, BulkJobStatus::Running, to, now)? {
                return Ok(None);
            }
            let job = tx
                .bulk_job(id)?
                .ok_or_else(|| ApiError::not_found("bulk job", id))?;
            let c = job.counts;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(principal_actor()),
                    "bulk.finished",
                    format!("bulk_job:{id}"),
                    json!({"invoices": c.invoices, "queued_for_sending": c.queued_for_sending,
                           "issued": c.issued, "awaiting_approval": c.awaiting_approval,
                           "already_invoiced": c.already_invoiced, "invalid": c.invalid,
                           "failed": c.failed}),
                ),
                now,
            )?;
            Ok(Some(job))
        })?;
        if let Some(job) = job {
            let c = job.counts;
            job_changed(self, id, BulkJobStatus::Finished);
            self.publish(AppEvent::Notification(NotificationView {
                title: "Bulk send finished".into(),
                body: format!(
                    "{}: {} invoices issued, {} waiting for approval, {} already invoiced, {} failed, {} invalid.",
                    job.file_name,
                    c.queued_for_sending + c.issued,
                    c.awaiting_approval,
                    c.already_invoiced,
                    c.failed,
                    c.invalid
                ),
                topic: format!("bulk_job:{id}"),
            }));
        }
        Ok(())
    }
}
