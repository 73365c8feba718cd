//! When payment reminders are due: three steps after the due date, by default
//! 7, 14 and 30 days. This is a rule of the business, not of the documents
//! that word the reminders, so it lives here; the documents crate only
//! chooses which text blocks a step is written with.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// Which payment reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderStep {
    /// Friendly reminder, 7 days after the due date.
    First,
    /// Second reminder, 14 days after the due date.
    Second,
    /// Final notice, 30 days after the due date.
    Third,
}

impl ReminderStep {
    /// All steps in the order they are sent.
    pub const ALL: [ReminderStep; 3] = [
        ReminderStep::First,
        ReminderStep::Second,
        ReminderStep::Third,
    ];

    /// Days after the due date this step is scheduled for by default (7, 14, 30).
    pub fn default_days_after_due(self) -> u32 {
        match self {
            ReminderStep::First => 7,
            ReminderStep::Second => 14,
            ReminderStep::Third => 30,
        }
    }

    /// 1, 2 or 3.
    pub fn number(self) -> u8 {
        match self {
            ReminderStep::First => 1,
            ReminderStep::Second => 2,
            ReminderStep::Third => 3,
        }
    }

    /// The day this step is due for an invoice due on `due_date`, by the
    /// default schedule.
    pub fn default_date(self, due_date: NaiveDate) -> NaiveDate {
        due_date
            .checked_add_days(Days::new(u64::from(self.default_days_after_due())))
            .unwrap_or(NaiveDate::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_follow_the_due_date_by_seven_fourteen_and_thirty_days() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
        let dates: Vec<String> = ReminderStep::ALL
            .iter()
            .map(|s| s.default_date(due).to_string())
            .collect();
        assert_eq!(dates, ["2026-12-28", "2027-01-04", "2027-01-20"]);
        let numbers: Vec<u8> = ReminderStep::ALL.iter().map(|s| s.number()).collect();
        assert_eq!(numbers, [1, 2, 3]);
    }
}
