//! Bulk send as a job: each pass runs the running bulk jobs to their end
//! (`Invoicer::bulk_pass`), and the job keeps the bulk runner lock between
//! passes, so while it runs no other process makes the same job's invoices.

use super::{Job, JobContext, PassOutcome};
use crate::bulk_run::BULK_SENDER;
use crate::process_lock::ProcessLock;
use crate::AppResult;

/// The bulk runner's job state: the runner lock, once taken.
#[derive(Debug, Default)]
pub(crate) struct BulkSendJob {
    lock: Option<ProcessLock>,
}

impl Job for BulkSendJob {
    fn name(&self) -> &'static str {
        BULK_SENDER
    }

    fn run_pass(&mut self, ctx: &JobContext<'_>) -> AppResult<PassOutcome> {
        let pass = ctx.app().bulk_pass(
            &mut self.lock,
            &|| ctx.is_cancelled(),
            &|done, total, current, failed| ctx.progress(done, total, current.as_deref(), failed),
        )?;
        Ok(match pass {
            // A job started from now on nudges this one.
            Some(pass) => PassOutcome {
                done: pass.done,
                failed: pass.failed,
                next_due: None,
            },
            // Another process holds the runner lock and runs the jobs; this
            // one looks again at its next poll, and takes over (resuming
            // what that process left) if it is gone.
            None => PassOutcome::default(),
        })
    }
}
