//! Waiting for a job's next run: until an instant of the injected clock, a
//! nudge or cancellation, whichever comes first.
//!
//! One [`Wake`] is shared by the jobs of a [`super::JobSet`] and the set
//! itself. A nudge and a cancellation notify its condition variable, and so
//! does every move of a clock moved by hand (through the watcher the set
//! registers with [`Clock::watch_moves`]). A waiter therefore never sleeps in
//! real time on a test's clock: it wakes when the test moves the clock and
//! looks whether its instant has come.

use crate::clock::Clock;
use chrono::{DateTime, Utc};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// The longest real-time wait before the system clock is read again. A wait
/// on the system clock is a timeout of the monotonic clock, which does not
/// follow the wall clock when it is set or the machine resumes from sleep;
/// looking again every minute keeps a job at most this late.
const LONGEST_REAL_WAIT: Duration = Duration::from_secs(60);

/// Why a wait ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Woken {
    /// The instant waited for has come.
    Due,
    /// Someone nudged the jobs.
    Nudged,
    /// The jobs are cancelled.
    Cancelled,
}

#[derive(Debug, Default)]
struct WakeState {
    /// Nudges so far; a waiter compares it with the count it last saw, so a
    /// nudge made while a job was busy is not lost.
    nudges: u64,
    cancelled: bool,
}

/// Cancellation, nudges and clock moves for the jobs of one set.
#[derive(Debug, Default)]
pub(crate) struct Wake {
    state: Mutex<WakeState>,
    changed: Condvar,
}

impl Wake {
    fn lock(&self) -> MutexGuard<'_, WakeState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Wakes every waiter and makes it end its wait.
    pub(crate) fn nudge(&self) {
        self.lock().nudges += 1;
        self.changed.notify_all();
    }

    /// Cancels every job: waits end, and passes stop after their current
    /// unit.
    pub(crate) fn cancel(&self) {
        self.lock().cancelled = true;
        self.changed.notify_all();
    }

    /// Whether the jobs are cancelled.
    pub(crate) fn is_cancelled(&self) -> bool {
        self.lock().cancelled
    }

    /// The nudges so far, to hand to [`Wake::wait_until`].
    pub(crate) fn nudges(&self) -> u64 {
        self.lock().nudges
    }

    /// Wakes every waiter so that it reads the clock again, without ending
    /// its wait unless its instant has come. Called when a test moves the
    /// clock.
    pub(crate) fn clock_moved(&self) {
        // Taking the lock orders this after any waiter's look at the clock:
        // a waiter either saw the new time or is waiting and gets notified.
        drop(self.lock());
        self.changed.notify_all();
    }

    /// Waits until `clock` reads `deadline` or later, a nudge beyond `seen`
    /// (which it then updates) or cancellation. `real_time` says whether the
    /// clock moves by itself; if not, only a move of the clock ends the wait
    /// for the deadline. `on_look` is called with the clock's time whenever
    /// the waiter looked and found the deadline not yet come.
    pub(crate) fn wait_until(
        &self,
        clock: &dyn Clock,
        real_time: bool,
        deadline: DateTime<Utc>,
        seen: &mut u64,
        mut on_look: impl FnMut(DateTime<Utc>),
    ) -> Woken {
        let mut state = self.lock();
        loop {
            if state.cancelled {
                return Woken::Cancelled;
            }
            if state.nudges != *seen {
                *seen = state.nudges;
                return Woken::Nudged;
            }
            let now = clock.now();
            if now >= deadline {
                return Woken::Due;
            }
            on_look(now);
            state = if real_time {
                let left = (deadline - now)
                    .to_std()
                    .unwrap_or(Duration::ZERO)
                    .min(LONGEST_REAL_WAIT);
                self.changed
                    .wait_timeout(state, left)
                    .unwrap_or_else(|p| p.into_inner())
                    .0
            } else {
                self.changed.wait(state).unwrap_or_else(|p| p.into_inner())
            };
        }
    }
}
