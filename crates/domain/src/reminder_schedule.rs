//! Which reminder step to send today: a pure function of the invoice's facts,
//! its dispute, the company's policy, the steps already recorded and today.
//!
//! Catch-up: after days with the app closed, only the most recent step that
//! became due is sent; earlier steps that were never recorded are returned as
//! skipped, so a customer never receives a burst of reminders. Steps are
//! numbered from 1 in the policy's order; a step at or below the highest
//! recorded one is never due again, which is also how a rejected dispute
//! "resumes where it was": the next due step is sent, earlier ones are not.

use crate::lifecycle::InvoiceStatus;
use crate::reminder_policy::{step_date, LateFee, ReminderPolicy, ReminderTone};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Where an invoice's dispute stands, as far as reminders care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeState {
    /// Never disputed, or the dispute was rejected: reminders run.
    #[default]
    None,
    /// A dispute is open: reminders pause until it is resolved, even past its
    /// window (which only lists it as an exception for a person to act on),
    /// because chasing a customer whose complaint is unanswered is worse than
    /// a late reminder.
    Open,
    /// The dispute was upheld: the customer is owed a credit note and is
    /// never reminded of this invoice again.
    Upheld,
}

/// What the schedule needs to know about an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderFacts {
    /// The stored status.
    pub status: InvoiceStatus,
    /// The due date.
    pub due_date: NaiveDate,
    /// The day it was issued (company calendar), once issued. Steps that fell
    /// due on or before it (a back-dated invoice) are skipped, never sent:
    /// the customer is not reminded of an invoice in the same breath as it
    /// arrives.
    pub issued_on: Option<NaiveDate>,
    /// What is still owed, net of payments and credit notes.
    pub balance: Decimal,
    /// Whether the customer opted out of reminders.
    pub customer_opted_out: bool,
    /// The invoice's dispute.
    pub dispute: DisputeState,
}

/// A step of the policy applied to one invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueStep {
    /// The step's number, from 1.
    pub step: u32,
    /// The day it falls due.
    pub due_on: NaiveDate,
    /// How it is worded.
    pub tone: ReminderTone,
    /// The late fee it charges, if any.
    pub late_fee: Option<LateFee>,
}

/// Why no reminder goes out for an invoice at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderHold {
    /// Paid, credited to zero, void, or not issued: nothing is owed.
    NothingOwed,
    /// The customer opted out of reminders.
    OptedOut,
    /// An open dispute pauses reminders.
    Disputed,
    /// An upheld dispute stopped them for good.
    DisputeUpheld,
}

/// What to do for an invoice today.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReminderDecision {
    /// The step to send today, if one is due.
    pub send: Option<DueStep>,
    /// Earlier due steps never recorded: recorded as skipped, never sent.
    pub skip: Vec<DueStep>,
    /// The next step after today's, with the day it falls due, while
    /// reminders run.
    pub next: Option<DueStep>,
    /// Why reminders do not run, when they do not.
    pub hold: Option<ReminderHold>,
}

/// Whether a decided step was sent or skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepOutcome {
    /// Queued in the outbox.
    Sent,
    /// Passed over by catch-up: recorded, never sent.
    Skipped,
}

impl StepOutcome {
    /// The snake_case name used in storage, JSON and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            StepOutcome::Sent => "sent",
            StepOutcome::Skipped => "skipped",
        }
    }
}

/// A reminder step the scheduler decided for an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedReminder {
    /// The invoice.
    pub invoice_id: i64,
    /// The step's number, from 1.
    pub step: u32,
    /// Sent or skipped.
    pub outcome: StepOutcome,
    /// How it was worded.
    pub tone: ReminderTone,
    /// The day the step fell due.
    pub due_on: NaiveDate,
    /// The day it was decided (sent or skipped).
    pub recorded_on: NaiveDate,
    /// The balance open when it was decided, in the invoice currency.
    pub balance: Decimal,
    /// The late fee it charged, in the invoice currency.
    pub late_fee: Option<Decimal>,
    /// Its outbox delivery, when sent.
    pub delivery_id: Option<i64>,
}

/// Which reminder step to send for an invoice with `facts` on `today`, given
/// the numbers of the steps already recorded (sent or skipped).
pub fn due_reminders(
    facts: &ReminderFacts,
    policy: &ReminderPolicy,
    recorded: &[u32],
    today: NaiveDate,
) -> ReminderDecision {
    let hold = if !matches!(
        facts.status,
        InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid
    ) || facts.balance <= Decimal::ZERO
    {
        Some(ReminderHold::NothingOwed)
    } else if facts.customer_opted_out {
        Some(ReminderHold::OptedOut)
    } else {
        match facts.dispute {
            DisputeState::None => None,
            DisputeState::Open => Some(ReminderHold::Disputed),
            DisputeState::Upheld => Some(ReminderHold::DisputeUpheld),
        }
    };
    if hold.is_some() {
        return ReminderDecision {
            hold,
            ..ReminderDecision::default()
        };
    }
    let done = recorded.iter().copied().max().unwrap_or(0);
    let mut decision = ReminderDecision::default();
    for (i, s) in policy.steps.iter().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if number <= done {
            continue;
        }
        let step = DueStep {
            step: number,
            due_on: step_date(facts.due_date, s.offset_days),
            tone: s.tone,
            late_fee: s.late_fee,
        };
        if step.due_on <= today {
            if facts.issued_on.is_some_and(|issued| step.due_on <= issued) {
                decision.skip.push(step);
            } else if let Some(earlier) = decision.send.replace(step) {
                decision.skip.push(earlier);
            }
        } else {
            decision.next = Some(step);
            break;
        }
    }
    decision
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reminder_policy::PolicyStep;
    use chrono::Days;
    use proptest::prelude::*;

    fn day(n: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .checked_add_days(Days::new(n))
            .unwrap()
    }

    /// Due on day 100.
    fn owed() -> ReminderFacts {
        ReminderFacts {
            status: InvoiceStatus::Issued,
            due_date: day(100),
            issued_on: None,
            balance: Decimal::new(50000, 2),
            customer_opted_out: false,
            dispute: DisputeState::None,
        }
    }

    fn sent(d: &ReminderDecision) -> Option<u32> {
        d.send.map(|s| s.step)
    }

    fn skipped(d: &ReminderDecision) -> Vec<u32> {
        d.skip.iter().map(|s| s.step).collect()
    }

    #[test]
    fn nothing_before_the_first_step_then_each_step_on_its_day() {
        let p = ReminderPolicy::default();
        let d = due_reminders(&owed(), &p, &[], day(106));
        assert_eq!(sent(&d), None);
        assert_eq!(d.next.map(|n| (n.step, n.due_on)), Some((1, day(107))));
        let d = due_reminders(&owed(), &p, &[], day(107));
        assert_eq!((sent(&d), skipped(&d)), (Some(1), vec![]));
        assert_eq!(d.send.unwrap().tone, ReminderTone::Friendly);
        assert_eq!(d.next.map(|n| (n.step, n.due_on)), Some((2, day(114))));
        // The same day again, once step 1 is recorded: nothing.
        assert_eq!(sent(&due_reminders(&owed(), &p, &[1], day(107))), None);
        assert_eq!(sent(&due_reminders(&owed(), &p, &[1], day(113))), None);
        assert_eq!(sent(&due_reminders(&owed(), &p, &[1], day(114))), Some(2));
        let d = due_reminders(&owed(), &p, &[1, 2], day(130));
        assert_eq!((sent(&d), d.next), (Some(3), None));
        let d = due_reminders(&owed(), &p, &[1, 2, 3], day(400));
        assert_eq!((sent(&d), d.next, d.hold), (None, None, None));
    }

    #[test]
    fn after_downtime_only_the_latest_due_step_is_sent_and_the_rest_skipped() {
        let p = ReminderPolicy::default();
        let d = due_reminders(&owed(), &p, &[1], day(135));
        assert_eq!((sent(&d), skipped(&d)), (Some(3), vec![2]));
        let d = due_reminders(&owed(), &p, &[], day(200));
        assert_eq!((sent(&d), skipped(&d)), (Some(3), vec![1, 2]));
        let d = due_reminders(&owed(), &p, &[], day(120));
        assert_eq!((sent(&d), skipped(&d)), (Some(2), vec![1]));
    }

    #[test]
    fn steps_that_fell_due_before_a_back_dated_invoice_was_issued_are_skipped() {
        let p = ReminderPolicy::default();
        // Due on day 100, issued only on day 120: steps 1 (107) and 2 (114)
        // are skipped, step 3 waits for day 130.
        let late = ReminderFacts {
            issued_on: Some(day(120)),
            ..owed()
        };
        let d = due_reminders(&late, &p, &[], day(120));
        assert_eq!((sent(&d), skipped(&d)), (None, vec![1, 2]));
        assert_eq!(d.next.map(|n| n.step), Some(3));
        let d = due_reminders(&late, &p, &[1, 2], day(130));
        assert_eq!((sent(&d), skipped(&d)), (Some(3), vec![]));
        // Nor is a step due on the day of issue sent, then or later.
        let same_day = ReminderFacts {
            issued_on: Some(day(114)),
            ..owed()
        };
        let d = due_reminders(&same_day, &p, &[], day(114));
        assert_eq!((sent(&d), skipped(&d)), (None, vec![1, 2]));
        let d = due_reminders(&same_day, &p, &[], day(115));
        assert_eq!((sent(&d), skipped(&d)), (None, vec![1, 2]));
    }

    #[test]
    fn steps_before_the_due_date_count_too() {
        let p = ReminderPolicy {
            steps: vec![
                PolicyStep {
                    offset_days: -3,
                    tone: ReminderTone::Friendly,
                    late_fee: None,
                },
                PolicyStep {
                    offset_days: 0,
                    tone: ReminderTone::Firm,
                    late_fee: None,
                },
            ],
        };
        assert_eq!(sent(&due_reminders(&owed(), &p, &[], day(96))), None);
        assert_eq!(sent(&due_reminders(&owed(), &p, &[], day(97))), Some(1));
        assert_eq!(sent(&due_reminders(&owed(), &p, &[1], day(100))), Some(2));
    }

    #[test]
    fn reminders_stop_when_nothing_is_owed_opted_out_or_disputed() {
        let p = ReminderPolicy::default();
        let late = day(150);
        let cases = [
            (
                ReminderFacts {
                    status: InvoiceStatus::Paid,
                    ..owed()
                },
                ReminderHold::NothingOwed,
            ),
            (
                ReminderFacts {
                    status: InvoiceStatus::Void,
                    ..owed()
                },
                ReminderHold::NothingOwed,
            ),
            (
                ReminderFacts {
                    status: InvoiceStatus::Draft,
                    ..owed()
                },
                ReminderHold::NothingOwed,
            ),
            (
                // Credited to zero: still "issued", but nothing is owed.
                ReminderFacts {
                    balance: Decimal::ZERO,
                    ..owed()
                },
                ReminderHold::NothingOwed,
            ),
            (
                ReminderFacts {
                    customer_opted_out: true,
                    ..owed()
                },
                ReminderHold::OptedOut,
            ),
            (
                ReminderFacts {
                    dispute: DisputeState::Open,
                    ..owed()
                },
                ReminderHold::Disputed,
            ),
            (
                ReminderFacts {
                    dispute: DisputeState::Upheld,
                    ..owed()
                },
                ReminderHold::DisputeUpheld,
            ),
        ];
        for (facts, hold) in cases {
            let d = due_reminders(&facts, &p, &[], late);
            assert_eq!((d.send, d.skip.len(), d.hold), (None, 0, Some(hold)));
        }
        let partly = ReminderFacts {
            status: InvoiceStatus::PartiallyPaid,
            ..owed()
        };
        assert_eq!(sent(&due_reminders(&partly, &p, &[], day(107))), Some(1));
    }

    #[test]
    fn a_rejected_dispute_resumes_with_the_next_due_step_only() {
        let p = ReminderPolicy::default();
        // Step 1 went out on day 107; disputed on 110; rejected on 120.
        let during = ReminderFacts {
            dispute: DisputeState::Open,
            ..owed()
        };
        assert_eq!(sent(&due_reminders(&during, &p, &[1], day(114))), None);
        let d = due_reminders(&owed(), &p, &[1], day(120));
        assert_eq!((sent(&d), skipped(&d)), (Some(2), vec![]));
    }

    #[test]
    fn an_empty_policy_sends_nothing() {
        let p = ReminderPolicy { steps: vec![] };
        assert_eq!(
            due_reminders(&owed(), &p, &[], day(500)),
            ReminderDecision::default()
        );
    }

    fn policies() -> impl Strategy<Value = ReminderPolicy> {
        proptest::collection::btree_set(-30i32..120, 0..6).prop_map(|offsets| ReminderPolicy {
            steps: offsets
                .into_iter()
                .map(|offset_days| PolicyStep {
                    offset_days,
                    tone: ReminderTone::Firm,
                    late_fee: None,
                })
                .collect(),
        })
    }

    proptest! {
        /// Whatever days the scheduler happens to run on: no step is ever
        /// recorded twice, at most one is sent per run and only on or after
        /// its day, skipped steps are never sent, and once the last run is
        /// past a step's day every step up to it is recorded (none dropped),
        /// the latest of them sent.
        #[test]
        fn any_run_days_send_each_step_at_most_once_and_drop_none(
            policy in policies(),
            mut runs in proptest::collection::vec(60u64..260, 0..12),
        ) {
            runs.sort_unstable();
            runs.dedup();
            let mut recorded: Vec<(u32, bool)> = Vec::new();
            for &r in &runs {
                let numbers: Vec<u32> = recorded.iter().map(|(n, _)| *n).collect();
                let d = due_reminders(&owed(), &policy, &numbers, day(r));
                for s in &d.skip {
                    prop_assert!(s.due_on <= day(r));
                    recorded.push((s.step, false));
                }
                if let Some(s) = d.send {
                    prop_assert!(s.due_on <= day(r));
                    prop_assert!(d.skip.iter().all(|k| k.step < s.step));
                    recorded.push((s.step, true));
                }
                if let Some(n) = d.next {
                    prop_assert!(n.due_on > day(r));
                }
            }
            let mut numbers: Vec<u32> = recorded.iter().map(|(n, _)| *n).collect();
            let count = numbers.len();
            numbers.sort_unstable();
            numbers.dedup();
            prop_assert_eq!(numbers.len(), count, "a step was recorded twice");
            prop_assert!(recorded.iter().filter(|(_, sent)| *sent).count() <= runs.len());
            if let Some(&last) = runs.last() {
                let due: Vec<u32> = (1..=policy.steps.len() as u32)
                    .filter(|n| step_date(day(100), policy.steps[(*n - 1) as usize].offset_days) <= day(last))
                    .collect();
                prop_assert_eq!(&numbers, &due);
                if let Some(latest) = due.last() {
                    prop_assert!(recorded.contains(&(*latest, true)));
                }
            }
        }
    }
}
