//! Conversions between domain values and their stored form.

use crate::StoreError;
use chrono::{DateTime, NaiveDate, Utc};
use invoicer_domain::{Currency, Decimal};

pub(crate) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

pub(crate) fn date(s: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| corrupt("date", s))
}

pub(crate) fn opt_date(s: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    s.as_deref().map(date).transpose()
}

pub(crate) fn instant(s: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| corrupt("instant", s))
}

pub(crate) fn instant_text(at: DateTime<Utc>) -> String {
    invoicer_domain::audit::canonical_time(at)
}

pub(crate) fn decimal(s: &str) -> Result<Decimal, StoreError> {
    s.parse().map_err(|_| corrupt("decimal", s))
}

pub(crate) fn currency(s: &str) -> Result<Currency, StoreError> {
    Currency::from_code(s).ok_or_else(|| corrupt("currency", s))
}

pub(crate) fn minor(c: Currency, amount: Decimal) -> Result<i64, StoreError> {
    c.to_minor(amount).map_err(StoreError::Corrupt)
}

/// Microseconds since 1970-01-01T00:00:00Z of a stored instant, the same as
/// `instant(s)?.timestamp_micros()`. The canonical form `instant_text`
/// writes (`YYYY-MM-DDTHH:MM:SS.ffffffZ`) is read by position without
/// chrono's general RFC 3339 parser, which is what made reading a million
/// send times slow; any other form falls back to that parser.
pub(crate) fn instant_micros(s: &str) -> Result<i64, StoreError> {
    canonical_micros(s.as_bytes()).map_or_else(|| instant(s).map(|t| t.timestamp_micros()), Ok)
}

fn canonical_micros(b: &[u8]) -> Option<i64> {
    let shape = b.len() == 27
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
        && b[26] == b'Z';
    if !shape {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(0, 4)?).ok()?;
    let day = NaiveDate::from_ymd_opt(year, num(5, 7)?, num(8, 10)?)?;
    let (h, m, sec, micro) = (num(11, 13)?, num(14, 16)?, num(17, 19)?, num(20, 26)?);
    // A leap second (:60) and other oddities go to chrono, which knows them.
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    // 719,163 days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
    let days = i64::from(chrono::Datelike::num_days_from_ce(&day)) - 719_163;
    let seconds = days * 86_400 + i64::from(h * 3600 + m * 60 + sec);
    Some(seconds * 1_000_000 + i64::from(micro))
}

/// Whole seconds from the stored instant `from` to `to`: the exact
/// difference truncated toward zero (chrono's `num_seconds`), never below
/// zero.
pub(crate) fn whole_seconds_between(from: &str, to: &str) -> Result<i64, StoreError> {
    Ok(((instant_micros(to)? - instant_micros(from)?) / 1_000_000).max(0))
}
