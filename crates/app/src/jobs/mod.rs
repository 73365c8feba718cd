//! Background jobs: named tasks that run on their own threads, act as the
//! system principal, report progress through the events port and stop when
//! cancelled after finishing their current unit of work.
//!
//! SKELETON: the public face the shell and the CLI use; the runner lands next.

use crate::{AppResult, Invoicer};
use std::sync::Arc;

/// The running background jobs of one app. Dropping it cancels every job and
/// waits for each to finish its current unit of work.
#[derive(Debug, Default)]
pub struct JobSet {}

impl JobSet {
    /// Wakes every job now instead of at its next scheduled time (e.g. after
    /// something was queued, or after a test moved the clock).
    pub fn nudge(&self) {}

    /// Cancels every job and waits for each to stop.
    pub fn stop(self) {}
}

/// What one pass of every job did, for `invoicer jobs run --once`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct JobsReport {
    /// Per job: its name, units done and units failed.
    pub jobs: Vec<JobPassReport>,
}

/// One job's pass.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct JobPassReport {
    /// The job's name.
    pub job: String,
    /// Units of work done.
    pub done: u32,
    /// Units that failed.
    pub failed: u32,
}

impl Invoicer {
    /// Starts every background job on its own thread.
    pub fn start_jobs(self: &Arc<Self>) -> AppResult<JobSet> {
        Ok(JobSet::default())
    }

    /// Runs one pass of every job on this thread and reports what it did.
    pub fn run_jobs_once(&self) -> AppResult<JobsReport> {
        // Lead's stand-in until the runner lands: the outbox sender only.
        let mut lock = None;
        let pass = self
            .outbox_pass(&mut lock, &|| false, &|_, _, _, _| {})?
            .unwrap_or_default();
        Ok(JobsReport {
            jobs: vec![JobPassReport {
                job: crate::outbox_sender::SENDER.into(),
                done: pass.done,
                failed: pass.failed,
            }],
        })
    }
}
