//! Disputes: a flag on an issued invoice that pauses reminders for a window.

use chrono::{Days, NaiveDate};

/// Whether a dispute opened on `opened_on` still holds on `today`, given the
/// company's window (30–90 days). After the window the dispute lapses and
/// reminders resume unless someone resolves it sooner.
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
}
