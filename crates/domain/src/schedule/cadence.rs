//! How often a schedule bills: weekly, monthly, quarterly or yearly, every N
//! of them, and the start of period `k` counted from an anchor.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// The longest interval a cadence may have (every 120 weeks, months, …).
pub const MAX_INTERVAL: u32 = 120;

/// The calendar unit of a cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Every 7 days.
    Weekly,
    /// Every calendar month (a day the month lacks is its last day).
    Monthly,
    /// Every 3 calendar months.
    Quarterly,
    /// Every 12 calendar months (Feb 29 falls on Feb 28 in common years).
    Yearly,
}

impl Frequency {
    /// The snake_case name used in the store, the CLI and the audit.
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::Yearly => "yearly",
        }
    }

    /// The frequency named `text`, or a sentence listing those that exist.
    pub fn parse(text: &str) -> Result<Frequency, String> {
        [
            Frequency::Weekly,
            Frequency::Monthly,
            Frequency::Quarterly,
            Frequency::Yearly,
        ]
        .into_iter()
        .find(|f| f.as_str() == text.trim())
        .ok_or_else(|| "is not a frequency; use weekly, monthly, quarterly or yearly".into())
    }

    /// Months in one unit; `None` for weeks.
    fn months(self) -> Option<u32> {
        match self {
            Frequency::Weekly => None,
            Frequency::Monthly => Some(1),
            Frequency::Quarterly => Some(3),
            Frequency::Yearly => Some(12),
        }
    }
}

/// A frequency and its interval: "every 2 months".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cadence {
    /// The unit.
    pub frequency: Frequency,
    /// How many units a period spans (1 to [`MAX_INTERVAL`]).
    pub interval: u32,
}

impl Cadence {
    /// Checks the interval.
    pub fn validate(&self) -> Result<(), String> {
        if self.interval == 0 || self.interval > MAX_INTERVAL {
            return Err(format!("must be between 1 and {MAX_INTERVAL}"));
        }
        Ok(())
    }

    /// The start of period `k`: the anchor plus `k` whole periods, always
    /// added to the anchor (never to the previous start) so a clamped month
    /// end does not stick. `None` past the calendar's end.
    pub fn start_of(&self, anchor: NaiveDate, k: u32) -> Option<NaiveDate> {
        let units = k.checked_mul(self.interval)?;
        match self.frequency.months() {
            None => anchor.checked_add_days(Days::new(u64::from(units).checked_mul(7)?)),
            Some(m) => anchor.checked_add_months(Months::new(units.checked_mul(m)?)),
        }
    }

    /// About how many periods lie between the anchor and `day` (exact for
    /// weeks, within one for months); `None` before the anchor.
    pub(super) fn periods_between(&self, anchor: NaiveDate, day: NaiveDate) -> Option<u32> {
        if day < anchor || self.interval == 0 {
            return None;
        }
        let units = match self.frequency.months() {
            None => (day - anchor).num_days() / 7,
            Some(m) => {
                let months = (i64::from(day.year()) - i64::from(anchor.year())) * 12
                    + i64::from(day.month())
                    - i64::from(anchor.month());
                months / i64::from(m)
            }
        };
        u32::try_from(units / i64::from(self.interval)).ok()
    }
}
