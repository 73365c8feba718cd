//! What a job sees during one pass: the app, its cancellation and a way to
//! report progress, which becomes [`AppEvent::JobProgress`] for the window.

use super::status::Board;
use super::wake::Wake;
use crate::api::{AppEvent, JobProgress};
use crate::Invoicer;
use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;
use std::sync::{Mutex, MutexGuard};

/// The least clock time between two progress events of a pass. A pass that
/// sends hundreds of emails a second would otherwise flood the window with
/// events nobody can read; the first, the last and any new failure are
/// always told at once.
const PROGRESS_EVERY: Duration = Duration::milliseconds(100);

/// What a pass has told so far.
#[derive(Debug, Default)]
struct Told {
    done: u32,
    total: u32,
    failed: u32,
    current: Option<String>,
    /// When the last event went out, by the injected clock.
    published_at: Option<DateTime<Utc>>,
    /// The failures the last event carried.
    published_failed: u32,
}

/// One pass of one job: the app it works on, whether it should stop, and its
/// progress. Shared by reference; a job that works on several threads may
/// report from any of them.
pub(crate) struct JobContext<'a> {
    app: &'a Invoicer,
    job: &'static str,
    wake: &'a Wake,
    board: Option<(&'a Board, usize)>,
    started: DateTime<Utc>,
    told: Mutex<Told>,
}

impl<'a> JobContext<'a> {
    /// A pass of `job` starting now. `board` is the job set's status board
    /// and the job's place on it, when the job runs in a set.
    pub(crate) fn new(
        app: &'a Invoicer,
        job: &'static str,
        wake: &'a Wake,
        board: Option<(&'a Board, usize)>,
    ) -> Self {
        JobContext {
            app,
            job,
            wake,
            board,
            started: app.clock().now(),
            told: Mutex::new(Told::default()),
        }
    }

    fn told(&self) -> MutexGuard<'_, Told> {
        self.told.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The app the job works on.
    pub(crate) fn app(&self) -> &'a Invoicer {
        self.app
    }

    /// The job's name.
    pub(crate) fn job(&self) -> &'static str {
        self.job
    }

    /// Whether the job should stop: checked between units, so that the unit
    /// in hand is always finished.
    pub(crate) fn is_cancelled(&self) -> bool {
        self.wake.is_cancelled()
    }

    /// Tells how far the pass is: `done` of `total` units, `failed` of them
    /// failed, working on `current` now. May be called from several threads. Becomes a [`JobProgress`] event,
    /// at most one per [`PROGRESS_EVERY`] of clock time except the first, the
    /// last (`done + failed == total`) and one with a new failure.
    pub(crate) fn progress(&self, done: u32, total: u32, current: Option<&str>, failed: u32) {
        let now = self.app.clock().now();
        let mut told = self.told();
        // Workers of one pass may tell their counts out of order; counts
        // within a pass only grow.
        told.done = told.done.max(done);
        told.failed = told.failed.max(failed);
        told.total = total;
        told.current = current.map(str::to_string);
        let (done, failed) = (told.done, told.failed);
        let due = match told.published_at {
            None => true,
            Some(at) => now - at >= PROGRESS_EVERY,
        };
        if due || failed != told.published_failed || done.saturating_add(failed) >= total {
            told.published_at = Some(now);
            told.published_failed = failed;
            let event = self.event(&told, now, false);
            drop(told);
            self.publish(event);
        }
    }

    /// Ends the pass with what it returned: the last event, `finished`. A
    /// pass that found nothing to do and told nothing stays silent, so an
    /// idle job polling its queue sends the window nothing.
    pub(crate) fn finish(&self, done: u32, failed: u32) -> JobProgress {
        let now = self.app.clock().now();
        let mut told = self.told();
        told.done = done;
        told.failed = failed;
        told.total = told.total.max(done.saturating_add(failed));
        told.current = None;
        let event = self.event(&told, now, true);
        let idle = told.published_at.is_none() && done == 0 && failed == 0;
        drop(told);
        if !idle {
            self.publish(event.clone());
        }
        event
    }

    /// Ends a pass that failed as a whole: the last event, with one more
    /// failure than the units told.
    pub(crate) fn fail(&self) -> JobProgress {
        let now = self.app.clock().now();
        let mut told = self.told();
        told.failed = told.failed.saturating_add(1);
        told.current = None;
        let event = self.event(&told, now, true);
        drop(told);
        self.publish(event.clone());
        event
    }

    fn event(&self, told: &Told, now: DateTime<Utc>, finished: bool) -> JobProgress {
        JobProgress {
            job: self.job.to_string(),
            done: told.done,
            total: told.total,
            rate_per_second: rate(told.done, now - self.started),
            current: told.current.clone(),
            failed: told.failed,
            finished,
        }
    }

    fn publish(&self, progress: JobProgress) {
        if let Some((board, index)) = self.board {
            board.update(index, |s| s.last_progress = Some(progress.clone()));
        }
        self.app.publish(AppEvent::JobProgress(progress));
    }
}

/// Units per second over `elapsed`, to one decimal place; "0" when no time
/// passed (a clock that stands still, or a pass that did nothing yet).
pub(crate) fn rate(done: u32, elapsed: Duration) -> String {
    let millis = elapsed.num_milliseconds();
    if millis <= 0 {
        return "0".to_string();
    }
    (Decimal::from(done) * Decimal::from(1000) / Decimal::from(millis))
        .round_dp(1)
        .normalize()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::rate;
    use chrono::Duration;

    #[test]
    fn rates_are_units_per_second_of_clock_time() {
        assert_eq!(rate(4, Duration::seconds(2)), "2");
        assert_eq!(rate(1, Duration::seconds(3)), "0.3");
        assert_eq!(rate(1000, Duration::milliseconds(2500)), "400");
        assert_eq!(rate(7, Duration::zero()), "0");
        assert_eq!(rate(7, Duration::seconds(-5)), "0");
        assert_eq!(rate(u32::MAX, Duration::milliseconds(1)), "4294967295000");
    }
}
