//! Report periods: ISO weeks (Monday to Sunday), calendar months and
//! quarters, with the labels people read ("2026-W47", "2026-11", "2026-Q4").

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// How long a report's periods are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodLength {
    /// Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
}

/// One period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// Its first day.
    pub start: NaiveDate,
    /// Its last day.
    pub end: NaiveDate,
    /// "2026-W47", "2026-11" or "2026-Q4".
    pub label: String,
}

/// The Monday of `day`'s week.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day.week(Weekday::Mon).first_day()
}

/// The first day of `day`'s month.
pub fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The period of length `len` that holds `day`.
pub fn period_containing(len: PeriodLength, day: NaiveDate) -> Period {
    let (start, months) = match len {
        PeriodLength::Week => {
            let start = week_start(day);
            let iso = day.iso_week();
            return Period {
                start,
                end: start
                    .checked_add_days(Days::new(6))
                    .unwrap_or(NaiveDate::MAX),
                label: format!("{:04}-W{:02}", iso.year(), iso.week()),
            };
        }
        PeriodLength::Month => (month_start(day), 1),
        PeriodLength::Quarter => {
            let first_month = (day.month0() / 3) * 3 + 1;
            (
                NaiveDate::from_ymd_opt(day.year(), first_month, 1).unwrap_or(day),
                3,
            )
        }
    };
    let end = start
        .checked_add_months(Months::new(months))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX);
    let label = match len {
        PeriodLength::Quarter => format!("{:04}-Q{}", start.year(), start.month0() / 3 + 1),
        _ => format!("{:04}-{:02}", start.year(), start.month()),
    };
    Period { start, end, label }
}

/// The periods from the one holding `from` to the one holding `to`, oldest
/// first (none when `to` is before `from`).
pub fn periods_covering(len: PeriodLength, from: NaiveDate, to: NaiveDate) -> Vec<Period> {
    let mut out = Vec::new();
    let mut day = from;
    while day <= to {
        let p = period_containing(len, day);
        day = match p.end.succ_opt() {
            Some(next) => next,
            None => {
                out.push(p);
                break;
            }
        };
        out.push(p);
    }
    out
}

/// Days from `from` to `to`, both included (0 when `to` is before `from`).
pub fn days_inclusive(from: NaiveDate, to: NaiveDate) -> u32 {
    u32::try_from((to - from).num_days() + 1).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn labels_follow_iso_weeks_months_and_quarters() {
        let w = period_containing(PeriodLength::Week, d("2026-11-26"));
        assert_eq!(
            (w.start, w.end, w.label.as_str()),
            (d("2026-11-23"), d("2026-11-29"), "2026-W48")
        );
        // 1 January 2027 is a Friday: ISO week 53 of 2026.
        let w = period_containing(PeriodLength::Week, d("2027-01-01"));
        assert_eq!((w.start, w.label.as_str()), (d("2026-12-28"), "2026-W53"));
        let m = period_containing(PeriodLength::Month, d("2028-02-10"));
        assert_eq!(
            (m.start, m.end, m.label.as_str()),
            (d("2028-02-01"), d("2028-02-29"), "2028-02")
        );
        let q = period_containing(PeriodLength::Quarter, d("2026-11-26"));
        assert_eq!(
            (q.start, q.end, q.label.as_str()),
            (d("2026-10-01"), d("2026-12-31"), "2026-Q4")
        );
    }

    #[test]
    fn periods_cover_the_range_without_gaps() {
        let ps = periods_covering(PeriodLength::Month, d("2026-01-15"), d("2026-04-02"));
        let labels: Vec<&str> = ps.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["2026-01", "2026-02", "2026-03", "2026-04"]);
        for w in ps.windows(2) {
            assert_eq!(w[0].end.succ_opt(), Some(w[1].start));
        }
        assert!(periods_covering(PeriodLength::Week, d("2026-02-01"), d("2026-01-01")).is_empty());
        assert_eq!(days_inclusive(d("2026-01-01"), d("2026-03-31")), 90);
    }
}
