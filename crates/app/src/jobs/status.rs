//! Where each job of a set stands: running, waiting for its next run, or
//! stopped, with its last progress. The shell may show it; tests wait on it
//! instead of on time.

use crate::api::JobProgress;
use chrono::{DateTime, Utc};
use std::sync::{Condvar, Mutex, MutexGuard};

/// What one job is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobState {
    /// Its thread has not begun yet.
    Starting,
    /// A pass is under way.
    Running,
    /// Between passes, until `until` (by the app's clock), a nudge or
    /// cancellation.
    Waiting {
        /// When it runs next unless nudged.
        until: DateTime<Utc>,
        /// The clock's time when it last looked whether `until` had come.
        looked_at: DateTime<Utc>,
    },
    /// Cancelled and finished.
    Stopped,
    /// A pass panicked; the job stopped and runs again only when the app
    /// starts again. The rest of the app goes on.
    Crashed {
        /// What the panic said.
        message: String,
    },
}

/// One job's entry in [`super::JobSet::status`].
#[derive(Debug, Clone, PartialEq)]
pub struct JobStatus {
    /// The job's name.
    pub job: &'static str,
    /// What it is doing.
    pub state: JobState,
    /// Passes begun since the set started.
    pub passes: u64,
    /// Passes that ended in an error (not counting failed units).
    pub failed_passes: u64,
    /// The last progress it told.
    pub last_progress: Option<JobProgress>,
}

/// The statuses of a set's jobs, with a condition variable notified on
/// every change.
#[derive(Debug, Default)]
pub(crate) struct Board {
    jobs: Mutex<Vec<JobStatus>>,
    changed: Condvar,
}

impl Board {
    /// A board with one `Starting` entry per name.
    pub(crate) fn new(names: &[&'static str]) -> Self {
        Board {
            jobs: Mutex::new(
                names
                    .iter()
                    .map(|&job| JobStatus {
                        job,
                        state: JobState::Starting,
                        passes: 0,
                        failed_passes: 0,
                        last_progress: None,
                    })
                    .collect(),
            ),
            changed: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<JobStatus>> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Changes job `index`'s entry.
    pub(crate) fn update(&self, index: usize, change: impl FnOnce(&mut JobStatus)) {
        if let Some(status) = self.lock().get_mut(index) {
            change(status);
        }
        self.changed.notify_all();
    }

    /// Every job's entry now.
    pub(crate) fn snapshot(&self) -> Vec<JobStatus> {
        self.lock().clone()
    }

    /// Waits until `holds` is true of the entries and returns them. A test's
    /// guard against hanging, not a measurement: after a minute it panics
    /// with what it waited for.
    #[cfg(test)]
    pub(crate) fn wait_for(
        &self,
        what: &str,
        holds: impl Fn(&[JobStatus]) -> bool,
    ) -> Vec<JobStatus> {
        let guard = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let mut jobs = self.lock();
        while !holds(&jobs) {
            let left = guard.saturating_duration_since(std::time::Instant::now());
            assert!(
                !left.is_zero(),
                "the jobs never reached: {what}; they are {jobs:?}"
            );
            jobs = self
                .changed
                .wait_timeout(jobs, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        jobs.clone()
    }
}
