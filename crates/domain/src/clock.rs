//! The clock abstraction: domain and app code never read the system clock.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use std::sync::Arc;

/// What a clock moved by hand calls after each move (see
/// [`Clock::watch_moves`]).
pub type MoveWatcher = dyn Fn() + Send + Sync;

/// A source of the current instant. The app uses the system clock; tests move a
/// manual one, so due dates and reminders can be tested without waiting.
pub trait Clock: Send + Sync {
    /// The current instant in UTC.
    fn now(&self) -> DateTime<Utc>;

    /// The calendar day it is in `tz` right now.
    fn today(&self, tz: Tz) -> NaiveDate {
        self.now().with_timezone(&tz).date_naive()
    }

    /// Asks to be told whenever the clock is moved by hand, so that whoever
    /// waits for an instant (a background job's next run) wakes when a test
    /// reaches it rather than after that much real time.
    ///
    /// A clock moved by hand keeps a weak reference to `watcher` (dropping the
    /// last `Arc` ends the watch), calls it after every move and returns
    /// `true`. A clock that moves by itself, like the system clock, never
    /// calls it and returns `false`: its instants are waited for in real time.
    fn watch_moves(&self, watcher: &Arc<MoveWatcher>) -> bool {
        let _ = watcher;
        false
    }
}
