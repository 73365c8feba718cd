//! How an invoice came to be made — by hand, by a bulk job, by a recurring
//! schedule, through the API or by a usage threshold — for approval rules
//! that apply to one way only, and for the audit.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How an invoice came to be made, for rules that apply to one way only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerSource {
    /// A person made it on the Invoices screen or with `invoicer invoice create`.
    Manual,
    /// A bulk job made it from a spreadsheet.
    Bulk,
    /// A recurring schedule made it.
    Recurring,
    /// Another program made it through the API.
    Api,
    /// Logged hours or usage crossed a threshold (or its period ended).
    Threshold,
}

impl TriggerSource {
    /// Every source, in the order they are listed to people.
    pub const ALL: [TriggerSource; 5] = [
        TriggerSource::Manual,
        TriggerSource::Bulk,
        TriggerSource::Recurring,
        TriggerSource::Api,
        TriggerSource::Threshold,
    ];

    /// The snake_case name used in settings, the audit and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            TriggerSource::Manual => "manual",
            TriggerSource::Bulk => "bulk",
            TriggerSource::Recurring => "recurring",
            TriggerSource::Api => "api",
            TriggerSource::Threshold => "threshold",
        }
    }

    /// The source named `text` (as [`TriggerSource::as_str`] spells it), or
    /// a sentence listing the names that exist.
    pub fn parse(text: &str) -> Result<TriggerSource, String> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| {
                "is not a trigger source; use manual, bulk, recurring, api or threshold".into()
            })
    }
}

impl FromStr for TriggerSource {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        TriggerSource::parse(text)
    }
}

impl fmt::Display for TriggerSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
