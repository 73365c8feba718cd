//! Recurring schedules: a customer billed the same lines every period.
//!
//! Periods are computed from the schedule's **anchor date, never from the
//! last run**: period `k` starts at `anchor + k × (interval × unit)`, using
//! chrono's calendar arithmetic (`checked_add_months` clamps a day the month
//! lacks to its last day). Adding `k` periods to the anchor, instead of one
//! period to the previous start, is what keeps a schedule anchored on Jan 31
//! billing on Feb 28 (29 in a leap year) and then on Mar 31 again, and what
//! keeps a schedule from drifting after the app was closed for a while.
//!
//! Proration rule: a first period that starts later than its period start
//! (`starts_on`) or a last period cut short by the end date (`until`) is
//! billed by days — billed days ÷ days in the period, both inclusive — as
//! the line's [`Proration`], which the totals round to the currency's minor
//! unit (the cent) like every other line amount.

mod cadence;
mod definition;

pub use cadence::{Cadence, Frequency, MAX_INTERVAL};
pub use definition::{Schedule, ScheduleLine, ScheduleTerms};

use crate::line::Proration;
use crate::validation::ValidationErrors;
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The most periods a schedule may run for when it has a count.
pub const MAX_COUNT: u32 = 10_000;

/// How a schedule ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum ScheduleEnd {
    /// It runs until it is changed.
    Never,
    /// No period starts after this day; the period it falls in is the last,
    /// prorated when the schedule prorates.
    Until(NaiveDate),
    /// It bills this many periods.
    Count(u32),
}

/// What a schedule does with each occurrence's invoice. Approval rules that
/// apply (e.g. for the `recurring` trigger source) come first either way:
/// such an invoice waits for an approver, and is sent on approval when the
/// mode is [`ScheduleMode::IssueAndSend`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduleMode {
    /// Issue the invoice and queue its email.
    IssueAndSend,
    /// Leave a draft for a person to review and issue.
    Draft,
}

impl ScheduleMode {
    /// The snake_case name used in the store, the CLI and the audit.
    pub fn as_str(self) -> &'static str {
        match self {
            ScheduleMode::IssueAndSend => "issue_and_send",
            ScheduleMode::Draft => "draft",
        }
    }

    /// The mode named `text`.
    pub fn parse(text: &str) -> Option<ScheduleMode> {
        [ScheduleMode::IssueAndSend, ScheduleMode::Draft]
            .into_iter()
            .find(|m| m.as_str() == text)
    }
}

/// Whether a schedule makes invoices now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "since")]
pub enum ScheduleState {
    /// Never switched on: a new schedule waits here until a test run has
    /// passed and someone enables it.
    Disabled,
    /// Makes its invoices.
    Active,
    /// Paused on this day: periods billed from this day until it is resumed
    /// are skipped, never made later (a paused retainer is not billed for the
    /// pause; see [`paused_periods`]).
    Paused(NaiveDate),
}

/// When and how a schedule bills: the calendar part of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleRule {
    /// Weekly, monthly, quarterly or yearly, every N of them.
    pub cadence: Cadence,
    /// The first period's start; every period is counted from it.
    pub anchor: NaiveDate,
    /// The first day of service when it is later than the anchor: the first
    /// period is then partial.
    pub starts_on: Option<NaiveDate>,
    /// How the schedule ends.
    pub end: ScheduleEnd,
    /// Whether a partial first or last period is billed by days (otherwise
    /// it is billed in full).
    pub prorate: bool,
}

/// One billing period of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// Its place, from 0 (the anchor's period).
    pub index: u32,
    /// The first day of the full period: the occurrence's key.
    pub start: NaiveDate,
    /// The last day of the full period (the day before the next starts).
    pub end: NaiveDate,
    /// The first day billed.
    pub billed_from: NaiveDate,
    /// The last day billed.
    pub billed_to: NaiveDate,
}

impl Period {
    /// The day its invoice is dated (and due to be made): the first day billed.
    pub fn bill_date(&self) -> NaiveDate {
        self.billed_from
    }

    /// The share billed, when the period is partial and prorated.
    pub fn proration(&self) -> Option<Proration> {
        (self.billed_from != self.start || self.billed_to != self.end).then_some(Proration {
            period_start: self.start,
            period_end: self.end,
            billed_from: self.billed_from,
            billed_to: self.billed_to,
        })
    }

    /// The share of the period billed (1 when whole).
    pub fn factor(&self) -> Decimal {
        self.proration().map_or(Decimal::ONE, |p| p.factor())
    }
}

impl ScheduleRule {
    /// Checks the rule, naming each bad field: `interval`, `starts_on`,
    /// `until`, `count`.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::new();
        if let Err(m) = self.cadence.validate() {
            errs.push("interval", self.cadence.interval.to_string(), m);
        }
        if let (Some(start), true) = (self.starts_on, errs.is_empty()) {
            let next = self.cadence.start_of(self.anchor, 1);
            if start < self.anchor || next.is_none_or(|n| start >= n) {
                errs.push(
                    "starts_on",
                    start.to_string(),
                    "must lie in the first period (on or after the anchor, before the second period starts)",
                );
            }
        }
        match self.end {
            ScheduleEnd::Until(until) if until < self.starts_on.unwrap_or(self.anchor) => {
                errs.push(
                    "until",
                    until.to_string(),
                    "must not be before the first day billed",
                );
            }
            ScheduleEnd::Count(n) if n == 0 || n > MAX_COUNT => {
                errs.push(
                    "count",
                    n.to_string(),
                    format!("must be between 1 and {MAX_COUNT}"),
                );
            }
            _ => {}
        }
        errs.into_result()
    }

    /// Period `k`, counted from the anchor; `None` past the schedule's end
    /// (or past the calendar's).
    pub fn period(&self, k: u32) -> Option<Period> {
        if let ScheduleEnd::Count(n) = self.end {
            if k >= n {
                return None;
            }
        }
        let start = self.cadence.start_of(self.anchor, k)?;
        let next = self.cadence.start_of(self.anchor, k.checked_add(1)?)?;
        let end = next.checked_sub_days(Days::new(1))?;
        let mut billed_from = start;
        let mut billed_to = end;
        if k == 0 {
            if let Some(s) = self.starts_on.filter(|s| *s > start && *s <= end) {
                billed_from = s;
            }
        }
        if let ScheduleEnd::Until(until) = self.end {
            if start > until || billed_from > until {
                return None;
            }
            if until < end {
                billed_to = until;
            }
        }
        if !self.prorate {
            billed_from = start;
            billed_to = end;
        }
        Some(Period {
            index: k,
            start,
            end,
            billed_from,
            billed_to,
        })
    }

    /// The index of the period that starts on `start`, if one does.
    pub fn index_of(&self, start: NaiveDate) -> Option<u32> {
        let guess = self.cadence.periods_between(self.anchor, start)?;
        // The estimate is exact for weeks; for months a clamped day can put
        // it one off, so look around it.
        (guess.saturating_sub(1)..=guess.saturating_add(1))
            .find(|k| self.cadence.start_of(self.anchor, *k) == Some(start))
    }

    /// The periods after the one starting on `after` (from the first when
    /// `None`), in order, whose bill date is on or before `today`. This is
    /// the catch-up: every missed period, each dated to its own period.
    /// `after` is the latest period already recorded (made or skipped).
    pub fn due_occurrences(&self, after: Option<NaiveDate>, today: NaiveDate) -> Vec<Period> {
        self.periods_after(after)
            .take_while(|p| p.bill_date() <= today)
            .collect()
    }

    /// The next `n` periods after the one starting on `after` (from the
    /// first when `None`), due or not: the preview.
    pub fn upcoming(&self, after: Option<NaiveDate>, n: usize) -> Vec<Period> {
        self.periods_after(after).take(n).collect()
    }

    fn periods_after(&self, after: Option<NaiveDate>) -> impl Iterator<Item = Period> + '_ {
        let first = match after {
            None => Some(0),
            // A recorded start that is no period's (the rule was edited)
            // resumes at the first period that starts after it.
            Some(a) => match self.index_of(a) {
                Some(k) => k.checked_add(1),
                None => (0..=u32::MAX)
                    .map_while(|k| self.cadence.start_of(self.anchor, k).map(|s| (k, s)))
                    .find(|(_, s)| *s > a)
                    .map(|(k, _)| k),
            },
        };
        let mut k = first;
        std::iter::from_fn(move || {
            let p = self.period(k?)?;
            k = k?.checked_add(1);
            Some(p)
        })
    }
}

/// The periods a pause covered, to be recorded as skipped when the schedule
/// is resumed on `today`: those after `after` billed from `paused_on` up to
/// and including `today`. Periods that fell due before the pause are still
/// caught up.
pub fn paused_periods(
    rule: &ScheduleRule,
    after: Option<NaiveDate>,
    paused_on: NaiveDate,
    today: NaiveDate,
) -> Vec<Period> {
    rule.due_occurrences(after, today)
        .into_iter()
        .filter(|p| p.bill_date() >= paused_on)
        .collect()
}

#[cfg(test)]
mod tests;
