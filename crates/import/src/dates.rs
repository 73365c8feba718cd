//! Dates in ISO or the profile's order, never guessed: when a column's
//! dates read both ways (every day and month ≤ 12) the user must choose.

use chrono::NaiveDate;
use invoicer_domain::bulk_mapping::DateStyle;

use crate::error::ValueError;

/// Reads `text` (surrounding whitespace trimmed) as a calendar date.
///
/// ISO `YYYY-MM-DD` is always accepted. Under [`DateStyle::DayMonthYear`] or
/// [`DateStyle::MonthDayYear`] also the style's order with one kind of
/// separator (`.`, `/` or `-`), one- or two-digit day and month and a
/// four-digit year. Two-digit years are refused (which century is a guess),
/// as are years before 1900 (a padded two-digit year, `0026`), times after
/// the date and impossible dates such as 31.02.2026.
pub fn parse_date(text: &str, style: DateStyle) -> Result<NaiveDate, ValueError> {
    let trimmed = text.trim();
    let err = |reason: String| ValueError::new(text, reason);
    if trimmed.is_empty() {
        return Err(err("is empty, not a date".into()));
    }
    let Some(parts) = split(trimmed) else {
        return Err(err(format!(
            "is not a date: write it as {}",
            style_example(style)
        )));
    };
    let [a, b, c] = parts.fields;
    if parts.separator == '-' && a.len() == 4 {
        if b.len() != 2 || c.len() != 2 {
            return Err(err(
                "is not an ISO date: month and day need two digits (YYYY-MM-DD)".into(),
            ));
        }
        return ymd(text, a, b, c);
    }
    if a.len() == 4 {
        return Err(err(format!(
            "is not a date: a date starting with the year is written YYYY-MM-DD; write it as {}",
            style_example(style)
        )));
    }
    let (day, month) = match style {
        DateStyle::Iso => {
            return Err(err(
                "is not an ISO date (YYYY-MM-DD), the only format this profile reads".into(),
            ))
        }
        DateStyle::DayMonthYear => (a, b),
        DateStyle::MonthDayYear => (b, a),
    };
    if c.len() == 2 {
        return Err(err(
            "has a two-digit year: write the year in full (e.g. 2026), which century is not guessed"
                .into(),
        ));
    }
    if c.len() != 4 || day.len() > 2 || month.len() > 2 {
        return Err(err(format!(
            "is not a date: write it as {}",
            style_example(style)
        )));
    }
    ymd(text, c, month, day)
}

/// A date's three digit runs and the separator between them.
struct Parts<'a> {
    fields: [&'a str; 3],
    separator: char,
}

/// Splits `d?d<sep>d?d<sep>dddd` (or `dddd-dd-dd`) into digit runs; `None`
/// for anything else (letters, times, mixed separators).
fn split(text: &str) -> Option<Parts<'_>> {
    let separator = text.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(separator, '.' | '/' | '-') {
        return None;
    }
    let mut fields = text.split(separator);
    let parts = [fields.next()?, fields.next()?, fields.next()?];
    if fields.next().is_some()
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    Some(Parts {
        fields: parts,
        separator,
    })
}

fn ymd(text: &str, year: &str, month: &str, day: &str) -> Result<NaiveDate, ValueError> {
    // Every part is one to four ASCII digits, so the parses cannot fail.
    let (y, m, d) = (
        year.parse::<i32>().unwrap_or(0),
        month.parse::<u32>().unwrap_or(0),
        day.parse::<u32>().unwrap_or(0),
    );
    if y < 1900 {
        // `0026` is a two-digit year padded, not the first century.
        return Err(ValueError::new(
            text,
            format!("has the year {year}, before 1900: write the year in full (e.g. 2026)"),
        ));
    }
    if !(1..=12).contains(&m) {
        return Err(ValueError::new(
            text,
            format!("is not a date: there is no month {m}"),
        ));
    }
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
        ValueError::new(
            text,
            format!("is not a real date: month {m} of {y} has no day {d}"),
        )
    })
}

fn style_example(style: DateStyle) -> &'static str {
    match style {
        DateStyle::Iso => "YYYY-MM-DD",
        DateStyle::DayMonthYear => "DD.MM.YYYY (or YYYY-MM-DD)",
        DateStyle::MonthDayYear => "MM/DD/YYYY (or YYYY-MM-DD)",
    }
}

/// What the values of a column say about how its dates are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateGuess {
    /// Some value is not a date in any style (or there are no values).
    NotDates,
    /// Exactly one style reads every value.
    Certain(DateStyle),
    /// Both day-month-year and month-day-year read every value (every day
    /// and month ≤ 12): the user must choose.
    Ambiguous,
}

/// Guesses how a set of dates is written (blank values skipped). See
/// [`DateGuess`].
pub fn guess_date_style<'a>(values: impl IntoIterator<Item = &'a str>) -> DateGuess {
    let values: Vec<&str> = values
        .into_iter()
        .filter(|v| !v.trim().is_empty())
        .collect();
    if values.is_empty() {
        return DateGuess::NotDates;
    }
    let fits = |style| values.iter().all(|v| parse_date(v, style).is_ok());
    if fits(DateStyle::Iso) {
        return DateGuess::Certain(DateStyle::Iso);
    }
    match (fits(DateStyle::DayMonthYear), fits(DateStyle::MonthDayYear)) {
        (true, true) => DateGuess::Ambiguous,
        (true, false) => DateGuess::Certain(DateStyle::DayMonthYear),
        (false, true) => DateGuess::Certain(DateStyle::MonthDayYear),
        (false, false) => DateGuess::NotDates,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn iso_always_and_the_styles_order_with_any_separator() {
        for style in [
            DateStyle::Iso,
            DateStyle::DayMonthYear,
            DateStyle::MonthDayYear,
        ] {
            assert_eq!(parse_date(" 2026-03-01 ", style).unwrap(), day(2026, 3, 1));
        }
        for text in ["01.03.2026", "1/3/2026", "01-03-2026"] {
            assert_eq!(
                parse_date(text, DateStyle::DayMonthYear).unwrap(),
                day(2026, 3, 1)
            );
            assert_eq!(
                parse_date(text, DateStyle::MonthDayYear).unwrap(),
                day(2026, 1, 3)
            );
        }
        assert!(parse_date("01.03.2026", DateStyle::Iso)
            .unwrap_err()
            .reason
            .contains("ISO"));
    }

    #[test]
    fn impossible_two_digit_and_odd_dates_are_refused() {
        let e = parse_date("31.02.2026", DateStyle::DayMonthYear).unwrap_err();
        assert_eq!(
            e.to_string(),
            r#""31.02.2026" is not a real date: month 2 of 2026 has no day 31"#
        );
        assert!(parse_date("2026-02-30", DateStyle::Iso).is_err());
        assert!(parse_date("13/13/2026", DateStyle::MonthDayYear)
            .unwrap_err()
            .reason
            .contains("no month 13"));
        assert!(parse_date("01.03.26", DateStyle::DayMonthYear)
            .unwrap_err()
            .reason
            .contains("two-digit year"));
        for bad in [
            "",
            "2026-3-1",
            "01.03/2026",
            "2026-03-01T10:00",
            "1.3.2026.",
            "March 1, 2026",
            "2026/03/01",
        ] {
            assert!(parse_date(bad, DateStyle::DayMonthYear).is_err(), "{bad}");
        }
        assert_eq!(
            parse_date("29.02.2028", DateStyle::DayMonthYear).unwrap(),
            day(2028, 2, 29)
        );
    }

    #[test]
    fn a_column_whose_days_are_all_twelve_or_less_is_ambiguous() {
        assert_eq!(
            guess_date_style(["01.03.2026", "11.12.2026"]),
            DateGuess::Ambiguous
        );
        assert_eq!(
            guess_date_style(["01.03.2026", "13.12.2026"]),
            DateGuess::Certain(DateStyle::DayMonthYear)
        );
        assert_eq!(
            guess_date_style(["03/31/2026", "1/2/2026"]),
            DateGuess::Certain(DateStyle::MonthDayYear)
        );
        assert_eq!(
            guess_date_style(["2026-03-01", ""]),
            DateGuess::Certain(DateStyle::Iso)
        );
        assert_eq!(guess_date_style(["13/13/2026"]), DateGuess::NotDates);
        assert_eq!(guess_date_style(["ACME"]), DateGuess::NotDates);
    }
}
