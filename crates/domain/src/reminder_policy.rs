//! When payment reminders are due: the company's [`ReminderPolicy`], steps
//! relative to the due date (by default 7, 14 and 30 days after it), each
//! written in a tone and optionally charging a late fee. This is a rule of the
//! business, not of the documents that word the reminders, so it lives here;
//! the documents crate only chooses which text blocks a tone is written with.

use crate::validation::ValidationErrors;
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The most steps a policy may have: more would be nagging, and the scheduler
/// scans by the policy's range.
pub const MAX_STEPS: usize = 10;

/// How far from the due date a step may be, in days either way.
pub const MAX_OFFSET_DAYS: i32 = 365;

/// How a reminder is worded: which of the pinned template version's three
/// reminder text blocks it is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderTone {
    /// `reminder_1_subject/body`.
    Friendly,
    /// `reminder_2_subject/body`.
    Firm,
    /// `reminder_3_subject/body`.
    Final,
}

impl ReminderTone {
    /// The snake_case name used in storage, JSON and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            ReminderTone::Friendly => "friendly",
            ReminderTone::Firm => "firm",
            ReminderTone::Final => "final",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<ReminderTone> {
        [
            ReminderTone::Friendly,
            ReminderTone::Firm,
            ReminderTone::Final,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }

    /// The template blocks this tone is written with.
    pub fn blocks(self) -> ReminderStep {
        match self {
            ReminderTone::Friendly => ReminderStep::First,
            ReminderTone::Firm => ReminderStep::Second,
            ReminderTone::Final => ReminderStep::Third,
        }
    }
}

/// A late fee charged with a reminder step. The fee is noted in that
/// reminder's text and recorded with the step; it is never added to the
/// issued invoice, which does not change once issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum LateFee {
    /// A fixed amount in the invoice currency.
    Flat(Decimal),
    /// A percentage of the balance open when the step is sent.
    Percent(Decimal),
}

impl LateFee {
    /// The fee on `balance`, before rounding to the currency.
    pub fn amount(self, balance: Decimal) -> Decimal {
        match self {
            LateFee::Flat(a) => a,
            LateFee::Percent(p) => balance * p / Decimal::ONE_HUNDRED,
        }
    }
}

/// One step of the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyStep {
    /// Days after the due date (negative: before it).
    pub offset_days: i32,
    /// How the reminder is worded.
    pub tone: ReminderTone,
    /// The late fee charged with this step, if any.
    #[serde(default)]
    pub late_fee: Option<LateFee>,
}

/// The company's reminder schedule: distinct offsets, sorted ascending. Steps
/// are numbered from 1 in that order; a step's number is what the outbox and
/// the reminders table key it by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReminderPolicy {
    /// The steps, earliest first.
    pub steps: Vec<PolicyStep>,
}

impl Default for ReminderPolicy {
    /// +7 friendly, +14 firm, +30 final, no late fee.
    fn default() -> Self {
        ReminderPolicy {
            steps: ReminderStep::ALL
                .iter()
                .map(|s| PolicyStep {
                    offset_days: i32::try_from(s.default_days_after_due()).unwrap_or(i32::MAX),
                    tone: s.tone(),
                    late_fee: None,
                })
                .collect(),
        }
    }
}

impl ReminderPolicy {
    /// Checks the policy, naming each bad step by its path under `field`
    /// (e.g. `reminder_policy[1].offset_days`).
    pub fn validate(&self, field: &str) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::new();
        if self.steps.len() > MAX_STEPS {
            errs.push(
                field,
                self.steps.len().to_string(),
                format!("has more than {MAX_STEPS} steps"),
            );
        }
        for (i, s) in self.steps.iter().enumerate() {
            if s.offset_days.abs() > MAX_OFFSET_DAYS {
                errs.push(
                    format!("{field}[{i}].offset_days"),
                    s.offset_days.to_string(),
                    format!("must be between -{MAX_OFFSET_DAYS} and {MAX_OFFSET_DAYS} days from the due date"),
                );
            }
            if let Some(prev) = i.checked_sub(1).and_then(|p| self.steps.get(p)) {
                if s.offset_days <= prev.offset_days {
                    errs.push(
                        format!("{field}[{i}].offset_days"),
                        s.offset_days.to_string(),
                        format!(
                            "must be later than the step before it ({} days); steps are distinct and sorted",
                            prev.offset_days
                        ),
                    );
                }
            }
            match s.late_fee {
                Some(LateFee::Flat(a)) if a <= Decimal::ZERO || a.scale() > 4 => errs.push(
                    format!("{field}[{i}].late_fee"),
                    a.to_string(),
                    "a flat fee must be a positive amount",
                ),
                Some(LateFee::Percent(p))
                    if p <= Decimal::ZERO || p > Decimal::ONE_HUNDRED || p.scale() > 4 =>
                {
                    errs.push(
                        format!("{field}[{i}].late_fee"),
                        p.to_string(),
                        "a percentage fee must be more than 0 and at most 100",
                    )
                }
                _ => {}
            }
        }
        errs.into_result()
    }

    /// The policy step numbered `number` (from 1).
    pub fn step(&self, number: u32) -> Option<&PolicyStep> {
        let i = usize::try_from(number).ok()?.checked_sub(1)?;
        self.steps.get(i)
    }

    /// The earliest and latest offsets, if there are steps: the due dates the
    /// scheduler's scan looks at follow from them.
    pub fn offset_range(&self) -> Option<(i32, i32)> {
        Some((
            self.steps.first()?.offset_days,
            self.steps.last()?.offset_days,
        ))
    }
}

/// The day `offset_days` from `due_date` (saturating at the calendar's ends).
pub fn step_date(due_date: NaiveDate, offset_days: i32) -> NaiveDate {
    let days = Days::new(u64::from(offset_days.unsigned_abs()));
    let moved = if offset_days >= 0 {
        due_date.checked_add_days(days)
    } else {
        due_date.checked_sub_days(days)
    };
    moved.unwrap_or(if offset_days >= 0 {
        NaiveDate::MAX
    } else {
        NaiveDate::MIN
    })
}

/// Which of the three reminder text blocks of a template (see
/// [`ReminderTone::blocks`]); also the default schedule's three steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderStep {
    /// Friendly reminder, 7 days after the due date.
    First,
    /// Second reminder, 14 days after the due date.
    Second,
    /// Final notice, 30 days after the due date.
    Third,
}

impl ReminderStep {
    /// All steps in the order they are sent.
    pub const ALL: [ReminderStep; 3] = [
        ReminderStep::First,
        ReminderStep::Second,
        ReminderStep::Third,
    ];

    /// Days after the due date this step is scheduled for by default (7, 14, 30).
    pub fn default_days_after_due(self) -> u32 {
        match self {
            ReminderStep::First => 7,
            ReminderStep::Second => 14,
            ReminderStep::Third => 30,
        }
    }

    /// The tone the default schedule writes this step in.
    pub fn tone(self) -> ReminderTone {
        match self {
            ReminderStep::First => ReminderTone::Friendly,
            ReminderStep::Second => ReminderTone::Firm,
            ReminderStep::Third => ReminderTone::Final,
        }
    }

    /// 1, 2 or 3.
    pub fn number(self) -> u8 {
        match self {
            ReminderStep::First => 1,
            ReminderStep::Second => 2,
            ReminderStep::Third => 3,
        }
    }

    /// The day this step is due for an invoice due on `due_date`, by the
    /// default schedule.
    pub fn default_date(self, due_date: NaiveDate) -> NaiveDate {
        due_date
            .checked_add_days(Days::new(u64::from(self.default_days_after_due())))
            .unwrap_or(NaiveDate::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_follow_the_due_date_by_seven_fourteen_and_thirty_days() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
        let dates: Vec<String> = ReminderStep::ALL
            .iter()
            .map(|s| s.default_date(due).to_string())
            .collect();
        assert_eq!(dates, ["2026-12-28", "2027-01-04", "2027-01-20"]);
        let numbers: Vec<u8> = ReminderStep::ALL.iter().map(|s| s.number()).collect();
        assert_eq!(numbers, [1, 2, 3]);
    }

    #[test]
    fn the_default_policy_is_seven_fourteen_thirty_friendly_firm_final() {
        let p = ReminderPolicy::default();
        let offsets: Vec<i32> = p.steps.iter().map(|s| s.offset_days).collect();
        assert_eq!(offsets, [7, 14, 30]);
        let tones: Vec<&str> = p.steps.iter().map(|s| s.tone.as_str()).collect();
        assert_eq!(tones, ["friendly", "firm", "final"]);
        assert!(p.validate("reminder_policy").is_ok());
        assert_eq!(p.offset_range(), Some((7, 30)));
    }

    #[test]
    fn a_policy_reads_from_json_as_people_type_it() {
        let p: ReminderPolicy = serde_json::from_str(
            r#"[{"offset_days":-3,"tone":"friendly"},
                {"offset_days":10,"tone":"final","late_fee":{"kind":"percent","value":"1.5"}}]"#,
        )
        .unwrap();
        assert!(p.validate("reminder_policy").is_ok());
        assert_eq!(p.steps[0].offset_days, -3);
        assert_eq!(
            p.steps[1].late_fee.unwrap().amount(Decimal::new(20000, 2)),
            Decimal::new(300, 2)
        );
        assert_eq!(
            step_date(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(), -3).to_string(),
            "2026-02-27"
        );
    }

    #[test]
    fn unsorted_duplicate_or_odd_steps_are_refused_by_path() {
        let step = |offset_days, late_fee| PolicyStep {
            offset_days,
            tone: ReminderTone::Firm,
            late_fee,
        };
        let p = ReminderPolicy {
            steps: vec![
                step(14, None),
                step(14, None),
                step(7, Some(LateFee::Flat(Decimal::ZERO))),
                step(400, Some(LateFee::Percent(Decimal::new(101, 0)))),
            ],
        };
        let errs = p.validate("reminder_policy").unwrap_err();
        let fields: Vec<&str> = errs.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "reminder_policy[1].offset_days",
                "reminder_policy[2].offset_days",
                "reminder_policy[2].late_fee",
                "reminder_policy[3].offset_days",
                "reminder_policy[3].late_fee"
            ]
        );
    }
}
