//! Background jobs: named tasks that run on their own threads, act as the
//! system principal, report progress through the events port and stop when
//! cancelled after finishing their current unit of work.
//!
//! A `Job` knows how to do one *pass*: everything that is due now, one unit
//! at a time (one email, one reminder), checking
//! `JobContext::is_cancelled` between units. The runner (`runner.rs`)
//! gives each job its own thread and, between passes, waits on the app's
//! [`Clock`](crate::Clock) until the time the pass asked for, a nudge or
//! cancellation (`wake.rs`); on a clock moved by hand that wait ends when the
//! clock is moved, so tests never sleep. `invoicer jobs run --once` runs one
//! pass of each job on the calling thread instead (`once.rs`).
//!
//! Architecture invariant: jobs never borrow a person's [`crate::Session`].
//! They act as the system principal, whose actor in the audit trail is
//! `system:<job name>` (`system_actor`); a person's actor is their email,
//! which always holds an `@`, so the two never mix.

mod bulk;
mod context;
mod once;
mod outbox;
mod reminders;
mod runner;
mod schedules;
mod status;
mod thresholds;
mod wake;

#[cfg(test)]
mod tests;

pub(crate) use context::JobContext;
pub use once::{JobPassReport, JobsReport};
pub use runner::JobSet;
pub use status::{JobState, JobStatus};

use crate::{AppResult, Invoicer};
use chrono::{DateTime, Duration, Utc};
use std::sync::{Arc, Mutex, Weak};
use wake::Wake;

/// How long a job waits after a pass that named no next time, unless nudged:
/// it looks again for work that arrived without a nudge (e.g. queued by the
/// CLI in another process).
pub(crate) const DEFAULT_POLL: Duration = Duration::seconds(30);

/// The wait after a pass that failed as a whole (e.g. the database was
/// busy); it doubles with each failure in a row up to [`LONGEST_BACKOFF`].
pub(crate) const FIRST_BACKOFF: Duration = Duration::seconds(5);

/// The longest wait after failed passes.
pub(crate) const LONGEST_BACKOFF: Duration = Duration::minutes(5);

/// A background task. The runner calls [`Job::run_pass`] again and again on
/// the job's own thread; the job keeps whatever it needs between passes
/// (e.g. an open SMTP connection).
pub(crate) trait Job: Send {
    /// A short snake_case name: the thread's, the events', the audit actor's
    /// (`system:<name>`).
    fn name(&self) -> &'static str;

    /// Does what is due now, one unit at a time, checking
    /// `ctx.is_cancelled()` between units and telling `ctx.progress(..)`.
    /// An error means the pass as a whole failed (nothing could be done);
    /// a unit that fails is counted in [`PassOutcome::failed`] instead.
    fn run_pass(&mut self, ctx: &JobContext<'_>) -> AppResult<PassOutcome>;
}

/// What one pass did and when the job wants to run again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PassOutcome {
    /// Units done.
    pub done: u32,
    /// Units that failed.
    pub failed: u32,
    /// When the next pass is due; `None` waits for a nudge, or
    /// [`DEFAULT_POLL`] of clock time at most. A time already past runs the
    /// next pass at once.
    pub next_due: Option<DateTime<Utc>>,
}

/// The audit actor of a job: `system:<job>`.
// The outbox sender still spells its actor itself
// (`outbox_sender::sender_actor`); jobs written against `JobContext::actor`
// use this.
pub(crate) fn system_actor(job: &str) -> String {
    format!("system:{job}")
}

/// The wakes of the job sets started from one app, held weakly: a set that
/// is dropped is forgotten at the next nudge.
#[derive(Debug, Default)]
pub(crate) struct JobWakes(Mutex<Vec<Weak<Wake>>>);

impl JobWakes {
    fn add(&self, wake: &Arc<Wake>) {
        let mut wakes = self.0.lock().unwrap_or_else(|p| p.into_inner());
        wakes.retain(|w| w.strong_count() > 0);
        wakes.push(Arc::downgrade(wake));
    }

    fn nudge(&self) {
        let live: Vec<Arc<Wake>> = self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .filter_map(Weak::upgrade)
            .collect();
        for wake in live {
            wake.nudge();
        }
    }
}

impl Invoicer {
    /// Wakes the background jobs started from this app now rather than at
    /// their next scheduled time. A use case that queues work (an email to
    /// send) calls it after its transaction commits, so the work starts at
    /// once. Without running jobs it does nothing.
    pub fn nudge_jobs(&self) {
        self.job_wakes.nudge();
    }

    /// The jobs this app runs, in the order they start. The desktop shell
    /// starts them all through [`Invoicer::start_jobs`]; `invoicer jobs run
    /// --once` runs one pass of each.
    pub(crate) fn registered_jobs(&self) -> Vec<Box<dyn Job>> {
        // Schedules, usage thresholds, bulk send and the reminder scheduler first: in a single
        // pass (`jobs run --once`) the invoices and reminders they queue are
        // then sent by the outbox sender's pass.
        vec![
            Box::new(schedules::RecurringSchedulesJob),
            Box::new(thresholds::UsageThresholdsJob),
            Box::new(bulk::BulkSendJob::default()),
            Box::new(reminders::ReminderSchedulerJob),
            Box::new(outbox::OutboxSenderJob::default()),
        ]
    }

    /// Starts every background job on its own thread. Drop the returned set
    /// (or call [`JobSet::stop`]) to stop them.
    pub fn start_jobs(self: &Arc<Self>) -> AppResult<JobSet> {
        JobSet::start(Arc::clone(self), self.registered_jobs())
    }

    /// Runs one pass of every job on this thread and reports what it did.
    /// A job whose pass fails or panics is reported as such; the others
    /// still run.
    pub fn run_jobs_once(&self) -> AppResult<JobsReport> {
        Ok(once::run_once(self, self.registered_jobs()))
    }
}
