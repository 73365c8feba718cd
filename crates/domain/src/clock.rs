//! The clock abstraction: domain and app code never read the system clock.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

/// A source of the current instant. The app uses the system clock; tests move a
/// manual one, so due dates and reminders can be tested without waiting.
pub trait Clock: Send + Sync {
    /// The current instant in UTC.
    fn now(&self) -> DateTime<Utc>;

    /// The calendar day it is in `tz` right now.
    fn today(&self, tz: Tz) -> NaiveDate {
        self.now().with_timezone(&tz).date_naive()
    }
}
