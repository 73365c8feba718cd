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
