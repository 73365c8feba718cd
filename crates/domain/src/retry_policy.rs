//! What to do after a delivery attempt fails: try again later, give up, or
//! hand it to a person because the message may already have arrived.
//!
//! A pure function of the attempt's outcome, the attempts made, the time and
//! a jitter value the caller draws, so every branch is tested without a
//! server or a clock.

use chrono::{DateTime, Duration, Utc};

/// How a failed attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptFailure {
    /// The server answered with this SMTP reply code (and text).
    Reply {
        /// The three-digit reply code, e.g. 451 or 550.
        code: u16,
        /// The server's text.
        text: String,
    },
    /// No connection: refused, reset before the data was sent, or timed out.
    Connection(String),
    /// The connection broke after the message data was sent, before the
    /// server's final reply: it may have been accepted.
    AfterData(String),
}

/// When to try again and how often.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included (3 by default).
    pub max_attempts: u32,
    /// The wait after the first failure; each later wait doubles it.
    pub base_delay: Duration,
    /// The longest wait between two attempts.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::minutes(1),
            max_delay: Duration::hours(1),
        }
    }
}

/// What the outbox does next with a delivery whose attempt failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextStep {
    /// Try again at this time.
    RetryAt(DateTime<Utc>),
    /// Stop: the failure is permanent, or no attempts are left.
    GiveUp,
    /// Stop and ask a person: the message may have been delivered.
    AskAPerson,
}

impl RetryPolicy {
    /// The next step after attempt number `attempts_made` (1 for the first)
    /// failed with `failure` at `now`. `jitter_permille` (0..=1000, drawn by
    /// the caller) spreads retries of many deliveries that failed together:
    /// the wait is half the backoff plus that share of the other half.
    pub fn after_failure(
        &self,
        failure: &AttemptFailure,
        attempts_made: u32,
        now: DateTime<Utc>,
        jitter_permille: u16,
    ) -> NextStep {
        match failure {
            AttemptFailure::AfterData(_) => return NextStep::AskAPerson,
            AttemptFailure::Reply { code, .. } if !is_temporary(*code) => return NextStep::GiveUp,
            _ => {}
        }
        if attempts_made >= self.max_attempts {
            return NextStep::GiveUp;
        }
        NextStep::RetryAt(now + self.wait(attempts_made, jitter_permille))
    }

    /// The wait after attempt `attempts_made` failed, jitter included.
    fn wait(&self, attempts_made: u32, jitter_permille: u16) -> Duration {
        let doublings = attempts_made.saturating_sub(1).min(30);
        let backoff = self
            .base_delay
            .checked_mul(1 << doublings)
            .map_or(self.max_delay, |d| d.min(self.max_delay));
        let half = backoff / 2;
        let share = i32::from(jitter_permille.min(1000));
        half + half * share / 1000
    }
}

/// Whether an SMTP reply code asks the client to try again later (4xx), as
/// opposed to a permanent refusal (5xx). A code outside both classes is a
/// broken server, worth another try.
pub fn is_temporary(code: u16) -> bool {
    !(500..600).contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
    }

    fn reply(code: u16) -> AttemptFailure {
        AttemptFailure::Reply {
            code,
            text: "x".into(),
        }
    }

    #[test]
    fn a_soft_reject_retries_with_a_doubling_wait_then_gives_up() {
        let p = RetryPolicy::default();
        // Full jitter share: the whole backoff, 1 then 2 minutes.
        assert_eq!(
            p.after_failure(&reply(451), 1, now(), 1000),
            NextStep::RetryAt(now() + Duration::minutes(1))
        );
        assert_eq!(
            p.after_failure(&reply(451), 2, now(), 1000),
            NextStep::RetryAt(now() + Duration::minutes(2))
        );
        assert_eq!(
            p.after_failure(&reply(451), 3, now(), 1000),
            NextStep::GiveUp
        );
    }

    #[test]
    fn a_hard_reject_gives_up_at_once() {
        let p = RetryPolicy::default();
        assert_eq!(p.after_failure(&reply(550), 1, now(), 0), NextStep::GiveUp);
        assert_eq!(p.after_failure(&reply(554), 1, now(), 0), NextStep::GiveUp);
    }

    #[test]
    fn a_server_that_is_down_is_tried_three_times() {
        let p = RetryPolicy::default();
        let down = AttemptFailure::Connection("connection refused".into());
        assert!(matches!(
            p.after_failure(&down, 1, now(), 500),
            NextStep::RetryAt(_)
        ));
        assert!(matches!(
            p.after_failure(&down, 2, now(), 500),
            NextStep::RetryAt(_)
        ));
        assert_eq!(p.after_failure(&down, 3, now(), 500), NextStep::GiveUp);
    }

    #[test]
    fn a_connection_lost_after_the_data_goes_to_a_person_never_to_a_retry() {
        let p = RetryPolicy::default();
        let lost = AttemptFailure::AfterData("connection reset".into());
        assert_eq!(p.after_failure(&lost, 1, now(), 0), NextStep::AskAPerson);
    }

    #[test]
    fn jitter_spreads_the_wait_over_the_second_half_of_the_backoff() {
        let p = RetryPolicy {
            max_attempts: 10,
            ..RetryPolicy::default()
        };
        let at = |attempt, jitter| match p.after_failure(&reply(421), attempt, now(), jitter) {
            NextStep::RetryAt(t) => t - now(),
            other => panic!("{other:?}"),
        };
        assert_eq!(at(1, 0), Duration::seconds(30));
        assert_eq!(at(1, 500), Duration::seconds(45));
        // Out-of-range jitter counts as the whole share.
        assert_eq!(at(1, 9999), Duration::minutes(1));
        // The wait never exceeds the cap, however many attempts were made.
        assert_eq!(at(9, 1000), Duration::hours(1));
        assert!(at(9, 0) >= Duration::minutes(30));
    }
}
