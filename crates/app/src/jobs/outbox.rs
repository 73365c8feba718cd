//! The outbox sender as a job: each pass sends what is due
//! (`Invoicer::outbox_pass`), and the job keeps the sender lock between
//! passes, so while it runs no other process sends from the same data folder.

use super::{Job, JobContext, PassOutcome};
use crate::outbox_sender::SENDER;
use crate::process_lock::ProcessLock;
use crate::AppResult;

/// The outbox sender's job state: the sender lock, once taken.
#[derive(Debug, Default)]
pub(crate) struct OutboxSenderJob {
    lock: Option<ProcessLock>,
}

impl Job for OutboxSenderJob {
    fn name(&self) -> &'static str {
        SENDER
    }

    fn run_pass(&mut self, ctx: &JobContext<'_>) -> AppResult<PassOutcome> {
        let pass = ctx.app().outbox_pass(
            &mut self.lock,
            &|| ctx.is_cancelled(),
            &|done, total, current, failed| ctx.progress(done, total, current.as_deref(), failed),
        )?;
        Ok(match pass {
            Some(pass) => PassOutcome {
                done: pass.done,
                failed: pass.failed,
                next_due: pass.next_due,
            },
            // Another process holds the sender lock and sends; this job looks
            // again at its next poll, and takes over if that process is gone.
            None => PassOutcome::default(),
        })
    }
}
