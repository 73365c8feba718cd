//! The cash forecast's arithmetic: each open balance is expected on its due
//! date shifted by its customer's average lateness; a date already past is
//! expected in the first week; weeks run Monday to Sunday from the week that
//! holds the forecast's first day.

use super::periods::week_start;
use chrono::{Days, NaiveDate};

/// The default number of weeks.
pub const DEFAULT_FORECAST_WEEKS: u32 = 13;

/// The most weeks a forecast may span (two years).
pub const MAX_FORECAST_WEEKS: u32 = 104;

/// The method in words, shown with the chart.
pub const FORECAST_METHOD: &str = "Each balance open today is expected on its due date \
     shifted by its customer's average lateness: the average of (day the balance reached zero − \
     due date) over the customer's invoices paid in full in the 365 days up to the forecast's \
     first day, rounded to whole days (0 without such invoices; early payers shift earlier). A \
     balance whose expected day is already past — overdue and late even for this customer — is \
     expected in the first week. Weeks run Monday to Sunday, the first holding the forecast's \
     first day; balances expected after the last week are shown as beyond.";

/// Where a balance lands in the forecast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForecastSlot {
    /// In week `n` (0 = the first).
    Week(usize),
    /// After the last week.
    Beyond,
}

/// The forecast's weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForecastWeeks {
    /// The forecast's first day (today, usually).
    pub as_of: NaiveDate,
    /// The Monday of the first week.
    pub first_monday: NaiveDate,
    /// How many weeks.
    pub weeks: u32,
}

impl ForecastWeeks {
    /// `weeks` weeks from the week holding `as_of`.
    pub fn new(as_of: NaiveDate, weeks: u32) -> ForecastWeeks {
        ForecastWeeks {
            as_of,
            first_monday: week_start(as_of),
            weeks,
        }
    }

    /// Monday and Sunday of week `n`.
    pub fn week(&self, n: u32) -> (NaiveDate, NaiveDate) {
        let start = self
            .first_monday
            .checked_add_days(Days::new(u64::from(n) * 7))
            .unwrap_or(NaiveDate::MAX);
        (
            start,
            start
                .checked_add_days(Days::new(6))
                .unwrap_or(NaiveDate::MAX),
        )
    }

    /// The day a balance due on `due` is expected, its customer paying
    /// `lateness` days late on average (negative: early).
    pub fn expected_on(due: NaiveDate, lateness: i64) -> NaiveDate {
        let shifted = if lateness >= 0 {
            due.checked_add_days(Days::new(lateness.unsigned_abs()))
        } else {
            due.checked_sub_days(Days::new(lateness.unsigned_abs()))
        };
        shifted.unwrap_or(due)
    }

    /// The slot of a balance due on `due` from a customer `lateness` days
    /// late on average.
    pub fn slot(&self, due: NaiveDate, lateness: i64) -> ForecastSlot {
        let expected = Self::expected_on(due, lateness).max(self.as_of);
        let n = (expected - self.first_monday).num_days() / 7;
        match usize::try_from(n) {
            Ok(n) if n < self.weeks as usize => ForecastSlot::Week(n),
            _ => ForecastSlot::Beyond,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weeks_run_monday_to_sunday_from_the_week_of_today() {
        // Thursday 26 November 2026.
        let f = ForecastWeeks::new(d("2026-11-26"), 13);
        assert_eq!(f.week(0), (d("2026-11-23"), d("2026-11-29")));
        assert_eq!(f.week(12), (d("2027-02-15"), d("2027-02-21")));
    }

    #[test]
    fn due_dates_shift_by_lateness_and_the_past_lands_in_week_one() {
        let f = ForecastWeeks::new(d("2026-11-26"), 13);
        // Due Monday 30 Nov, 10 days late → Thursday 10 Dec, week 2.
        assert_eq!(f.slot(d("2026-11-30"), 10), ForecastSlot::Week(2));
        // Early payers shift earlier: due 10 Dec, 5 days early → 5 Dec, week 1.
        assert_eq!(f.slot(d("2026-12-10"), -5), ForecastSlot::Week(1));
        // Overdue and already past even shifted: this week.
        assert_eq!(f.slot(d("2026-10-01"), 20), ForecastSlot::Week(0));
        // Overdue but the customer is later still: when they usually pay.
        assert_eq!(f.slot(d("2026-11-20"), 14), ForecastSlot::Week(1));
        // Sunday 21 Feb 2027 is the last day; Monday the 22nd is beyond.
        assert_eq!(f.slot(d("2027-02-21"), 0), ForecastSlot::Week(12));
        assert_eq!(f.slot(d("2027-02-22"), 0), ForecastSlot::Beyond);
    }
}
