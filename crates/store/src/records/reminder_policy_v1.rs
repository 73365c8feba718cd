//! Version 1 of the stored reminder policy, nested in the company settings
//! record as `reminder_policy`: offsets, tone names and late fees spelled
//! here (amounts as decimal text), so the stored JSON never follows a rename
//! in the domain.

use crate::codec::{corrupt, decimal};
use crate::StoreError;
use invoicer_domain::reminder_policy::{LateFee, PolicyStep, ReminderPolicy, ReminderTone};
use serde::{Deserialize, Serialize};

/// One stored step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ReminderStepV1 {
    offset_days: i32,
    tone: String,
    /// `flat` or `percent`, with `late_fee`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    late_fee_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    late_fee: Option<String>,
}

/// The stored policy's steps.
pub(crate) fn to_record(p: &ReminderPolicy) -> Vec<ReminderStepV1> {
    p.steps
        .iter()
        .map(|s| ReminderStepV1 {
            offset_days: s.offset_days,
            tone: s.tone.as_str().to_string(),
            late_fee_kind: s.late_fee.map(|f| {
                match f {
                    LateFee::Flat(_) => "flat",
                    LateFee::Percent(_) => "percent",
                }
                .to_string()
            }),
            late_fee: s.late_fee.map(|f| match f {
                LateFee::Flat(a) | LateFee::Percent(a) => a.to_string(),
            }),
        })
        .collect()
}

/// The policy stored steps describe.
pub(crate) fn from_record(steps: &[ReminderStepV1]) -> Result<ReminderPolicy, StoreError> {
    let steps = steps
        .iter()
        .map(|s| {
            let tone =
                ReminderTone::parse(&s.tone).ok_or_else(|| corrupt("reminder tone", &s.tone))?;
            let late_fee = match (s.late_fee_kind.as_deref(), s.late_fee.as_deref()) {
                (None, None) => None,
                (Some("flat"), Some(a)) => Some(LateFee::Flat(decimal(a)?)),
                (Some("percent"), Some(a)) => Some(LateFee::Percent(decimal(a)?)),
                (kind, _) => return Err(corrupt("late fee", kind.unwrap_or("(none)"))),
            };
            Ok(PolicyStep {
                offset_days: s.offset_days,
                tone,
                late_fee,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(ReminderPolicy { steps })
}
