//! Recurring schedules as a job: each pass makes every due period of every
//! active schedule (`Invoicer::schedule_pass`), one transaction per
//! occurrence. No process lock is needed: the (schedule, period start) row
//! is claimed in the making transaction, so two runners never make one
//! period twice.

use super::{Job, JobContext, PassOutcome};
use crate::schedule_run::SCHEDULER;
use crate::AppResult;

/// The schedule job; it keeps nothing between passes.
#[derive(Debug, Default)]
pub(crate) struct RecurringSchedulesJob;

impl Job for RecurringSchedulesJob {
    fn name(&self) -> &'static str {
        SCHEDULER
    }

    fn run_pass(&mut self, ctx: &JobContext<'_>) -> AppResult<PassOutcome> {
        let pass = ctx
            .app()
            .schedule_pass(&|| ctx.is_cancelled(), &|done, total, current, failed| {
                ctx.progress(done, total, current.as_deref(), failed)
            })?;
        Ok(PassOutcome {
            done: pass.done,
            failed: pass.failed,
            next_due: pass.next_due,
        })
    }
}
