//! The runner: each job on its own named thread, a pass at a time, waiting
//! between passes on the app's clock; and the [`JobSet`] that owns the
//! threads and stops them when dropped.

use super::context::JobContext;
use super::status::{Board, JobState, JobStatus};
use super::wake::{Wake, Woken};
use super::{Job, PassOutcome, DEFAULT_POLL, FIRST_BACKOFF, LONGEST_BACKOFF};
use crate::api::{AppEvent, NotificationView};
use crate::clock::MoveWatcher;
use crate::{ApiError, AppResult, ErrorCode, Invoicer};
use chrono::{DateTime, Duration, Utc};
use std::any::Any;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::thread::JoinHandle;

/// The running background jobs of one app. Dropping it cancels every job and
/// waits for each to finish its current unit of work.
pub struct JobSet {
    wake: Arc<Wake>,
    board: Arc<Board>,
    threads: Vec<JoinHandle<()>>,
    /// Registered with a clock moved by hand, which holds it weakly: it lives
    /// as long as the set.
    _watcher: Option<Arc<MoveWatcher>>,
}

impl fmt::Debug for JobSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobSet")
            .field("jobs", &self.board.snapshot())
            .finish_non_exhaustive()
    }
}

impl Default for JobSet {
    /// A set with no jobs.
    fn default() -> Self {
        JobSet {
            wake: Arc::default(),
            board: Arc::default(),
            threads: Vec::new(),
            _watcher: None,
        }
    }
}

impl JobSet {
    /// Starts each of `jobs` on its own thread, `invoicer-job-<name>`, each
    /// running its first pass at once. If a thread cannot be started, those
    /// already started are stopped again and the error is returned.
    pub(crate) fn start(app: Arc<Invoicer>, jobs: Vec<Box<dyn Job>>) -> AppResult<JobSet> {
        let names: Vec<&'static str> = jobs.iter().map(|j| j.name()).collect();
        let wake = Arc::new(Wake::default());
        let board = Arc::new(Board::new(&names));
        let watcher: Arc<MoveWatcher> = {
            let wake = Arc::clone(&wake);
            Arc::new(move || wake.clock_moved())
        };
        let real_time = !app.clock().watch_moves(&watcher);
        app.job_wakes.add(&wake);
        let mut set = JobSet {
            wake: Arc::clone(&wake),
            board: Arc::clone(&board),
            threads: Vec::with_capacity(jobs.len()),
            _watcher: (!real_time).then_some(watcher),
        };
        for (index, job) in jobs.into_iter().enumerate() {
            let name = job.name();
            let runner = Runner {
                app: Arc::clone(&app),
                wake: Arc::clone(&wake),
                board: Arc::clone(&board),
                index,
                real_time,
            };
            let thread = std::thread::Builder::new()
                .name(format!("invoicer-job-{name}"))
                .spawn(move || runner.run(job))
                .map_err(|e| {
                    ApiError::new(
                        ErrorCode::Internal,
                        format!("cannot start the background job {name}: {e}"),
                    )
                })?;
            // On the error above, dropping `set` stops the threads started.
            set.threads.push(thread);
        }
        Ok(set)
    }

    /// Wakes every job now instead of at its next scheduled time (e.g. after
    /// something was queued, or after a test moved the clock). A job in the
    /// middle of a pass runs another one right after it.
    pub fn nudge(&self) {
        self.wake.nudge();
    }

    /// Asks every job to stop after its current unit of work, without
    /// waiting for them; [`JobSet::stop`] or dropping the set waits.
    pub fn cancel(&self) {
        self.wake.cancel();
    }

    /// Cancels every job and waits for each to stop.
    pub fn stop(self) {
        drop(self);
    }

    /// Where each job stands now, in the order they were started.
    pub fn status(&self) -> Vec<JobStatus> {
        self.board.snapshot()
    }

    /// The status board, which outlives the set for a test that drops it.
    #[cfg(test)]
    pub(crate) fn board(&self) -> Arc<Board> {
        Arc::clone(&self.board)
    }
}

impl Drop for JobSet {
    fn drop(&mut self) {
        self.wake.cancel();
        for thread in self.threads.drain(..) {
            // A job's panics are caught inside its thread, so joining fails
            // only if reporting one panicked too; there is nothing left to do
            // for it but go on stopping the others.
            if thread.join().is_err() {
                tracing::error!("a background job's thread ended in a panic");
            }
        }
    }
}

/// What one job's thread holds.
struct Runner {
    app: Arc<Invoicer>,
    wake: Arc<Wake>,
    board: Arc<Board>,
    index: usize,
    real_time: bool,
}

impl Runner {
    fn run(self, mut job: Box<dyn Job>) {
        let name = job.name();
        let mut backoff = FIRST_BACKOFF;
        let mut failing = false;
        while !self.wake.is_cancelled() {
            // Nudges so far are answered by this pass; a nudge during it
            // brings the next one at once.
            let mut seen = self.wake.nudges();
            self.board.update(self.index, |s| {
                s.state = JobState::Running;
                s.passes += 1;
            });
            let ctx = JobContext::new(&self.app, name, &self.wake, Some((&self.board, self.index)));
            let outcome = catch_unwind(AssertUnwindSafe(|| job.run_pass(&ctx)));
            let now = self.app.clock().now();
            let next = match outcome {
                Ok(Ok(PassOutcome {
                    done,
                    failed,
                    next_due,
                })) => {
                    ctx.finish(done, failed);
                    backoff = FIRST_BACKOFF;
                    failing = false;
                    next_due.unwrap_or(now + DEFAULT_POLL)
                }
                Ok(Err(error)) => {
                    self.pass_failed(&ctx, &error, backoff, !failing);
                    failing = true;
                    let next = now + backoff;
                    backoff = (backoff * 2).min(LONGEST_BACKOFF);
                    next
                }
                Err(panic) => {
                    self.crashed(&ctx, panic.as_ref());
                    return;
                }
            };
            drop(ctx);
            if self.wait(next, &mut seen) == Woken::Cancelled {
                break;
            }
        }
        self.board
            .update(self.index, |s| s.state = JobState::Stopped);
    }

    fn wait(&self, until: DateTime<Utc>, seen: &mut u64) -> Woken {
        let clock = self.app.clock();
        self.wake
            .wait_until(clock, self.real_time, until, seen, |looked_at| {
                self.board.update(self.index, |s| {
                    s.state = JobState::Waiting { until, looked_at }
                });
            })
    }

    /// A pass returned an error: logged, told as a failure, and the first of
    /// a run of failures also as a notification; the job tries again later.
    fn pass_failed(&self, ctx: &JobContext<'_>, error: &ApiError, backoff: Duration, first: bool) {
        let job = ctx.job();
        tracing::warn!(job, error = %error, retry_in_seconds = backoff.num_seconds(), "a background job's pass failed");
        ctx.fail();
        self.board.update(self.index, |s| s.failed_passes += 1);
        if first {
            self.app.publish(AppEvent::Notification(NotificationView {
                title: "A background job failed".to_string(),
                body: format!(
                    "{job}: {}. It tries again in {} seconds.",
                    error.message,
                    backoff.num_seconds()
                ),
                topic: "jobs".to_string(),
            }));
        }
    }

    /// A pass panicked: the job stops (its state may be broken) and says so
    /// in the log, in a progress event and in a notification.
    fn crashed(&self, ctx: &JobContext<'_>, panic: &(dyn Any + Send)) {
        let job = ctx.job();
        let message = panic_message(panic);
        tracing::error!(job, panic = %message, "a background job panicked and stopped");
        ctx.fail();
        self.app.publish(AppEvent::Notification(NotificationView {
            title: "A background job stopped".to_string(),
            body: format!(
                "{job} stopped after an internal error ({message}). Work it finished is kept; it runs again when Invoicer is restarted."
            ),
            topic: "jobs".to_string(),
        }));
        self.board.update(self.index, |s| {
            s.failed_passes += 1;
            s.state = JobState::Crashed {
                message: message.clone(),
            };
        });
    }
}

/// The text of a panic's payload.
pub(crate) fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}
