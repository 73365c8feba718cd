//! Clocks: the system clock for the app, a manual one for tests and replays.

use chrono::{DateTime, Duration, Utc};
pub use invoicer_domain::clock::{Clock, MoveWatcher};
use std::fmt;
use std::sync::{Arc, Mutex, Weak};

/// The real clock. This is the only place in the workspace above the shell
/// that reads the system time.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)]
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until moved: tests set it to a date, then advance
/// it by days to see invoices become overdue.
///
/// Whoever waits for an instant on it (the job runner) is woken after every
/// move, so a test that advances it past a job's next run sees that run at
/// once, without any real waiting.
pub struct ManualClock {
    now: Mutex<DateTime<Utc>>,
    watchers: Mutex<Vec<Weak<MoveWatcher>>>,
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManualClock")
            .field("now", &self.now())
            .finish_non_exhaustive()
    }
}

impl ManualClock {
    /// A clock fixed at `at`.
    pub fn new(at: DateTime<Utc>) -> Self {
        ManualClock {
            now: Mutex::new(at),
            watchers: Mutex::new(Vec::new()),
        }
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        {
            let mut now = self.now.lock().unwrap_or_else(|p| p.into_inner());
            *now += by;
        }
        self.tell_watchers();
    }

    /// Sets the clock.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(|p| p.into_inner()) = at;
        self.tell_watchers();
    }

    /// Calls every live watcher. They are called with no lock of the clock
    /// held, because a watcher wakes threads that read the clock at once.
    fn tell_watchers(&self) {
        let live: Vec<Arc<MoveWatcher>> = {
            let mut watchers = self.watchers.lock().unwrap_or_else(|p| p.into_inner());
            watchers.retain(|w| w.strong_count() > 0);
            watchers.iter().filter_map(Weak::upgrade).collect()
        };
        for watcher in live {
            watcher();
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn watch_moves(&self, watcher: &Arc<MoveWatcher>) -> bool {
        self.watchers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Arc::downgrade(watcher));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn counter() -> (Arc<AtomicU32>, Arc<MoveWatcher>) {
        let calls = Arc::new(AtomicU32::new(0));
        let seen = Arc::clone(&calls);
        let watcher: Arc<MoveWatcher> = Arc::new(move || {
            seen.fetch_add(1, Ordering::SeqCst);
        });
        (calls, watcher)
    }

    #[test]
    fn a_manual_clock_tells_its_watchers_of_every_move_until_they_are_dropped() {
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap());
        let (calls, watcher) = counter();
        assert!(
            clock.watch_moves(&watcher),
            "a manual clock is moved by hand"
        );
        clock.advance(Duration::hours(1));
        clock.set(Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap());
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        drop(watcher);
        clock.advance(Duration::hours(1));
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert!(
            clock.watchers.lock().unwrap().is_empty(),
            "dead watchers are let go"
        );
    }

    #[test]
    fn the_system_clock_is_waited_for_in_real_time() {
        let (calls, watcher) = counter();
        assert!(!SystemClock.watch_moves(&watcher));
        assert_eq!(calls.load(Ordering::SeqCst), 0);
    }
}
