//! Disputes: a customer contests an issued invoice. While the dispute is
//! open reminders pause; it is resolved as upheld (the customer is owed a
//! credit note, reminders stay stopped) or rejected (reminders resume where
//! they were). A dispute still open after its window (30–90 days) is an
//! exception a person must act on; it keeps reminders paused until resolved.

use crate::validation::ValidationErrors;
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The shortest and longest dispute window, in days.
pub const WINDOW_DAYS: std::ops::RangeInclusive<u32> = 30..=90;

/// The longest reason a dispute may give.
pub const MAX_REASON: usize = 500;

/// How a dispute ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeOutcome {
    /// The customer was right: a credit note is owed; no more reminders.
    Upheld,
    /// The invoice stands: reminders resume with the next due step.
    Rejected,
}

impl DisputeOutcome {
    /// The snake_case name used in storage, JSON and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            DisputeOutcome::Upheld => "upheld",
            DisputeOutcome::Rejected => "rejected",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<DisputeOutcome> {
        [DisputeOutcome::Upheld, DisputeOutcome::Rejected]
            .into_iter()
            .find(|o| o.as_str() == s)
    }
}

/// A recorded dispute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispute {
    /// Stored id.
    pub id: i64,
    /// The disputed invoice.
    pub invoice_id: i64,
    /// What the customer contests.
    pub reason: String,
    /// The day it was opened (company calendar).
    pub opened_on: NaiveDate,
    /// Its window in days (30–90).
    pub window_days: u32,
    /// Who opened it.
    pub opened_by: String,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// How and when it was resolved, once it was.
    pub resolution: Option<(DisputeOutcome, NaiveDate)>,
}

impl Dispute {
    /// The last day of its window.
    pub fn window_ends_on(&self) -> NaiveDate {
        self.opened_on
            .checked_add_days(Days::new(u64::from(self.window_days)))
            .unwrap_or(NaiveDate::MAX)
    }

    /// Days left in its window on `today` (negative once past it).
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.window_ends_on() - today).num_days()
    }

    /// Whether it is still open past its window on `today`.
    pub fn past_window(&self, today: NaiveDate) -> bool {
        self.resolution.is_none() && today > self.window_ends_on()
    }
}

/// Checks a new dispute's reason and window, naming the field at fault.
pub fn check_new_dispute(reason: &str, window_days: u32) -> Result<(), ValidationErrors> {
    let mut errs = ValidationErrors::new();
    if reason.trim().is_empty() {
        errs.push(
            "reason",
            reason,
            "is required: say what the customer contests",
        );
    } else {
        crate::validation::check_printed(&mut errs, "reason", reason, MAX_REASON, true);
    }
    if !WINDOW_DAYS.contains(&window_days) {
        errs.push(
            "days",
            window_days.to_string(),
            "must be between 30 and 90 days",
        );
    }
    errs.into_result()
}

/// Whether `today` falls within the window (30–90 days) of a dispute opened
/// on `opened_on`. Past the window an unresolved dispute is an exception for a
/// person (see [`Dispute::past_window`]); it keeps reminders paused until it is
/// resolved.
pub fn dispute_active(opened_on: NaiveDate, window_days: u32, today: NaiveDate) -> bool {
    let until = opened_on
        .checked_add_days(Days::new(u64::from(window_days)))
        .unwrap_or(NaiveDate::MAX);
    today >= opened_on && today <= until
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_is_inclusive_of_its_last_day() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        assert!(dispute_active(d, 30, d));
        assert!(dispute_active(
            d,
            30,
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
        ));
        assert!(!dispute_active(
            d,
            30,
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        ));
    }

    #[test]
    fn days_left_count_down_to_the_window_end_and_past_it() {
        let opened_on = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let mut d = Dispute {
            id: 1,
            invoice_id: 1,
            reason: "wrong quantity".into(),
            opened_on,
            window_days: 30,
            opened_by: "a@b.test".into(),
            opened_at: opened_on.and_hms_opt(9, 0, 0).unwrap().and_utc(),
            resolution: None,
        };
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(d.days_left(day(11, 1)), 30);
        assert_eq!(d.days_left(day(12, 1)), 0);
        assert!(!d.past_window(day(12, 1)));
        assert!(d.past_window(day(12, 2)));
        d.resolution = Some((DisputeOutcome::Rejected, day(12, 1)));
        assert!(!d.past_window(day(12, 9)));
    }

    #[test]
    fn a_dispute_needs_a_reason_and_a_window_of_30_to_90_days() {
        assert!(check_new_dispute("wrong quantity", 30).is_ok());
        assert!(check_new_dispute("wrong quantity", 90).is_ok());
        let e = check_new_dispute("  ", 29).unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["reason", "days"]);
        assert!(check_new_dispute("x", 91).is_err());
        assert!(check_new_dispute("bad\u{7}bell", 30).is_err());
    }
}
