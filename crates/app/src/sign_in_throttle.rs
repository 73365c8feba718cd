//! How long an email must wait after failed sign-ins.

use chrono::{DateTime, Duration, Utc};
use invoicer_store::SignInFailures;

/// Failed sign-ins allowed in a row before waiting is required: enough for
/// typos and a forgotten caps lock.
pub(crate) const FREE_FAILURES: u32 = 4;

/// The wait after the first failure beyond the free ones; each further
/// failure doubles it.
const FIRST_DELAY_SECONDS: i64 = 30;

/// The longest wait: an owner locked out by someone guessing can still sign
/// in the same hour, while guessing is held to a few attempts an hour.
const MAX_DELAY_SECONDS: i64 = 15 * 60;

/// Until when `failures` bar further attempts, if they do: nothing after
/// [`FREE_FAILURES`] failures, then 30 s, 1 min, 2 min, … up to 15 min after
/// the latest failure.
pub(crate) fn blocked_until(failures: &SignInFailures) -> Option<DateTime<Utc>> {
    let beyond = failures.count.checked_sub(FREE_FAILURES + 1)?;
    let delay = FIRST_DELAY_SECONDS
        .checked_shl(beyond.min(30))
        .unwrap_or(MAX_DELAY_SECONDS)
        .min(MAX_DELAY_SECONDS);
    Some(failures.last_at + Duration::seconds(delay))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn after(count: u32) -> Option<i64> {
        let last_at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        blocked_until(&SignInFailures { count, last_at }).map(|t| (t - last_at).num_seconds())
    }

    #[test]
    fn delays_start_after_the_free_failures_double_and_are_capped() {
        assert_eq!(after(1), None);
        assert_eq!(after(FREE_FAILURES), None);
        assert_eq!(after(FREE_FAILURES + 1), Some(30));
        assert_eq!(after(FREE_FAILURES + 2), Some(60));
        assert_eq!(after(FREE_FAILURES + 3), Some(120));
        assert_eq!(after(FREE_FAILURES + 10), Some(900));
        assert_eq!(after(u32::MAX), Some(900));
    }
}
