//! The filters of the automation and exceptions reports checked and turned
//! into the store's scope and range: each refused value is a field error
//! naming the filter, the value and why.

use crate::api::ReportFilter;
use crate::{ApiError, AppResult};
use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use invoicer_domain::trigger_source::TriggerSource;
use invoicer_domain::Currency;
use invoicer_store::{OpsRange, OpsScope};

/// The invoice filters of `f` (customer, currency, template, source),
/// checked.
pub(crate) fn scope(f: &ReportFilter) -> AppResult<OpsScope> {
    let currency = match f.currency.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => Some(
            Currency::from_code(&c.to_uppercase())
                .ok_or_else(|| ApiError::field("currency", c, "is not an ISO 4217 currency code"))?
                .code()
                .to_string(),
        ),
    };
    let source = match f.source.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(
            TriggerSource::parse(s)
                .map_err(|why| ApiError::field("source", s, &why))?
                .as_str()
                .to_string(),
        ),
    };
    Ok(OpsScope {
        customer_id: f.customer_id,
        currency,
        template: f
            .template
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string),
        source,
    })
}

/// The first instant of `day` in `tz` (the earliest, when a clock change
/// makes midnight ambiguous or skips it).
pub(crate) fn start_of(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let local = day.and_time(NaiveTime::MIN);
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            // Midnight skipped by a clock change: the day starts an hour later.
            tz.from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
}

/// The days `from`..=`to` of `f`: `to` defaults to `as_of` (itself
/// defaulting to `today`), `from` to `default_days` days ending on `to`.
pub(crate) fn range(
    f: &ReportFilter,
    today: NaiveDate,
    tz: Tz,
    default_days: u64,
) -> AppResult<OpsRange> {
    let to = f.to.or(f.as_of).unwrap_or(today);
    let from = f.from.unwrap_or_else(|| {
        to.checked_sub_days(Days::new(default_days.saturating_sub(1)))
            .unwrap_or(NaiveDate::MIN)
    });
    if from > to {
        return Err(ApiError::field(
            "from",
            &from.to_string(),
            &format!("is after the range's last day, {to}"),
        ));
    }
    let after = to.succ_opt().unwrap_or(NaiveDate::MAX);
    Ok(OpsRange {
        from: start_of(from, tz),
        until: start_of(after, tz),
        from_day: from,
        to_day: to,
    })
}

/// The instant a report "as of" `as_of` measures ages from: now when it is
/// today, else the end of that day.
pub(crate) fn reference_instant(
    as_of: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
    tz: Tz,
) -> DateTime<Utc> {
    if as_of == today {
        now
    } else {
        start_of(as_of.succ_opt().unwrap_or(NaiveDate::MAX), tz)
    }
}
