//! The reminder scheduler as a job: each pass queues the reminder steps due
//! today (`Invoicer::reminder_pass`). Registered before the outbox sender, so
//! one `invoicer jobs run --once` queues the reminders and then sends them.

use super::{Job, JobContext, PassOutcome};
use crate::reminders::SCHEDULER;
use crate::AppResult;
use chrono::Duration;

/// How often the scheduler looks again while the app runs: reminders are
/// decided per calendar day, so a few minutes late is never noticed, and a
/// day that starts while the app is open is picked up soon after.
const EVERY: Duration = Duration::minutes(5);

/// The reminder scheduler's job; it keeps nothing between passes.
#[derive(Debug, Default)]
pub(crate) struct ReminderSchedulerJob;

impl Job for ReminderSchedulerJob {
    fn name(&self) -> &'static str {
        SCHEDULER
    }

    fn run_pass(&mut self, ctx: &JobContext<'_>) -> AppResult<PassOutcome> {
        let pass = ctx
            .app()
            .reminder_pass(&|| ctx.is_cancelled(), &|done, total, current, failed| {
                ctx.progress(done, total, current.as_deref(), failed)
            })?;
        Ok(PassOutcome {
            done: pass.queued + pass.skipped,
            failed: pass.failed,
            next_due: Some(ctx.app().clock().now() + EVERY),
        })
    }
}
