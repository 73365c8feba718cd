//! Figures of the automation report, computed exactly: percentiles on whole
//! seconds with `Decimal` interpolation (never a float), rates in percent
//! rounded to one decimal half away from zero, and the reminder steps'
//! "paid within N days" tally.

use chrono::{Days, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

/// The `pct`-th percentile (0–100) of `values`, by linear interpolation
/// between the closest ranks (spreadsheets' PERCENTILE.INC): the median of
/// an even count is the mean of the two middle values. `None` for no values.
/// The values need not be sorted.
pub fn percentile(values: &[i64], pct: u32) -> Option<Decimal> {
    percentile_in_place(&mut values.to_vec(), pct)
}

/// `percentile`, reordering `values` instead of copying them: the two
/// closest ranks are selected in linear time (no sort), which is what a
/// report over a million send times needs.
pub fn percentile_in_place(values: &mut [i64], pct: u32) -> Option<Decimal> {
    let last = values.len().checked_sub(1)?;
    let pct = Decimal::from(pct.min(100));
    // rank = pct/100 × (n − 1), exactly; its whole part picks the lower
    // neighbour and its fraction the share of the step to the upper one.
    let rank = pct * Decimal::from(last) / Decimal::ONE_HUNDRED;
    let lower = rank.floor();
    let fraction = rank - lower;
    let at = usize::try_from(i64::try_from(lower).ok()?).ok()?;
    let (_, low, above) = values.select_nth_unstable(at);
    let low = *low;
    // The upper neighbour is the smallest value ranked above the lower one
    // (the lower one itself at the last rank).
    let high = above.iter().copied().min().unwrap_or(low);
    let (low, high) = (Decimal::from(low), Decimal::from(high));
    Some(low + (high - low) * fraction)
}

/// The median of `values` (the 50th percentile).
pub fn median(values: &[i64]) -> Option<Decimal> {
    percentile(values, 50)
}

/// `value` rounded to one decimal, half away from zero, as text with
/// exactly one decimal ("87.5", "0.0").
pub fn one_decimal(value: Decimal) -> String {
    let mut v = value.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    v.rescale(1);
    v.to_string()
}

/// `part ÷ whole` in percent, one decimal; `None` when `whole` is zero.
pub fn percent(part: u64, whole: u64) -> Option<String> {
    (whole > 0)
        .then(|| one_decimal(Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole)))
}

/// Seconds as minutes, one decimal.
pub fn minutes(seconds: Decimal) -> String {
    one_decimal(seconds / Decimal::from(60))
}

/// Seconds as hours, one decimal.
pub fn hours(seconds: Decimal) -> String {
    one_decimal(seconds / Decimal::from(3600))
}

/// One sent reminder and what became of its invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentReminder {
    /// Its step, from 1.
    pub step: u32,
    /// The day it was sent.
    pub sent_on: NaiveDate,
    /// The day the invoice was settled in full (paid, or credited, to a
    /// balance of zero), if it is settled now.
    pub settled_on: Option<NaiveDate>,
}

impl SentReminder {
    /// Whether the invoice was paid in full within `days` days after this
    /// reminder: settled on the reminder's day or up to `days` days later.
    /// A payment dated before the reminder was not an answer to it.
    pub fn paid_within(&self, days: u32) -> bool {
        let until = self
            .sent_on
            .checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(NaiveDate::MAX);
        self.settled_on
            .is_some_and(|d| d >= self.sent_on && d <= until)
    }
}

/// Reminders sent at one step and how many of their invoices were paid
/// within the days asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepTally {
    /// The step, from 1.
    pub step: u32,
    /// Reminders sent at it.
    pub sent: u64,
    /// Of those, invoices paid in full within the days.
    pub paid_within: u64,
}

/// The tally per step, steps 1 to the larger of `steps` and the highest step
/// sent, each listed (zero included), in order. The rule of the automation
/// report's reminder steps: the store counts the same in SQL over years of
/// reminders, and its tests check the two agree.
pub fn step_tallies(reminders: &[SentReminder], steps: u32, days: u32) -> Vec<StepTally> {
    let highest = reminders
        .iter()
        .map(|r| r.step)
        .max()
        .unwrap_or(0)
        .max(steps);
    (1..=highest)
        .map(|step| {
            let at: Vec<_> = reminders.iter().filter(|r| r.step == step).collect();
            StepTally {
                step,
                sent: at.len() as u64,
                paid_within: at.iter().filter(|r| r.paid_within(days)).count() as u64,
            }
        })
        .collect()
}

/// The per-step tallies counted elsewhere (the store groups them) listed
/// as `step_tallies` lists them: steps 1 to the larger of `steps` and the
/// highest step counted, each once (zero for a step with none), in order.
pub fn fill_steps(counted: &[StepTally], steps: u32) -> Vec<StepTally> {
    let highest = counted.iter().map(|t| t.step).max().unwrap_or(0).max(steps);
    (1..=highest)
        .map(|step| {
            counted.iter().filter(|t| t.step == step).fold(
                StepTally {
                    step,
                    sent: 0,
                    paid_within: 0,
                },
                |acc, t| StepTally {
                    step,
                    sent: acc.sent + t.sent,
                    paid_within: acc.paid_within + t.paid_within,
                },
            )
        })
        .collect()
}

/// How email deliveries went: one count per outcome, and the retried ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliveryTally {
    /// Delivered to the mail server.
    pub sent: u64,
    /// Failed for good.
    pub failed: u64,
    /// Outcome unknown.
    pub unknown: u64,
    /// Queued, sending or retrying.
    pub pending: u64,
    /// Needed more than one attempt.
    pub retried: u64,
}

impl DeliveryTally {
    /// sent ÷ (sent + failed + unknown) in percent: the deliveries whose
    /// outcome is settled; `None` before any is.
    pub fn success_rate(&self) -> Option<String> {
        percent(self.sent, self.sent + self.failed + self.unknown)
    }

    /// retried ÷ every delivery, in percent.
    pub fn retry_rate(&self) -> Option<String> {
        percent(
            self.retried,
            self.sent + self.failed + self.unknown + self.pending,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7]), Some(d("7")));
        assert_eq!(median(&[9, 1, 5]), Some(d("5")));
        // Even: the mean of the two middle values, exactly.
        assert_eq!(median(&[1, 2, 3, 4]), Some(d("2.5")));
        assert_eq!(median(&[60, 120]), Some(d("90")));
    }

    #[test]
    fn p90_interpolates_between_ranks() {
        // rank = 0.9 × 9 = 8.1: 9 + 0.1 × (100 − 9) = 18.1
        let v = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100];
        assert_eq!(percentile(&v, 90), Some(d("18.1")));
        assert_eq!(percentile(&v, 100), Some(d("100")));
        assert_eq!(percentile(&v, 0), Some(d("1")));
        // Two values: 10% of the way from the first to the second.
        assert_eq!(percentile(&[0, 600], 90), Some(d("540")));
        // Large values do not overflow or lose digits.
        assert_eq!(
            percentile(&[i64::MAX, i64::MAX], 90),
            Some(Decimal::from(i64::MAX))
        );
    }

    /// Selecting in place gives what interpolating over the sorted values
    /// gives, for every percentile of many unsorted lists with repeats,
    /// and with the values reordered it can be asked again.
    #[test]
    fn selecting_in_place_equals_reading_the_sorted_list() {
        let mut seed: u64 = 42;
        for len in 1..60usize {
            let mut values: Vec<i64> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    i64::try_from(seed >> 58).unwrap() - 20
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_unstable();
            for pct in [0, 1, 10, 25, 50, 75, 90, 99, 100] {
                let rank = Decimal::from(pct) * Decimal::from(len - 1) / Decimal::ONE_HUNDRED;
                let at = usize::try_from(i64::try_from(rank.floor()).unwrap()).unwrap();
                let (low, high) = (sorted[at], sorted[(at + 1).min(len - 1)]);
                let want = Decimal::from(low) + Decimal::from(high - low) * (rank - rank.floor());
                assert_eq!(
                    percentile_in_place(&mut values, pct),
                    Some(want),
                    "{pct} of {sorted:?}"
                );
            }
        }
        assert_eq!(percentile_in_place(&mut [], 50), None);
    }

    #[test]
    fn rates_round_half_away_from_zero() {
        assert_eq!(percent(1, 3), Some("33.3".into()));
        assert_eq!(percent(2, 3), Some("66.7".into()));
        assert_eq!(percent(1, 8), Some("12.5".into()));
        assert_eq!(percent(1, 16), Some("6.3".into())); // 6.25 → 6.3
        assert_eq!(percent(0, 5), Some("0.0".into()));
        assert_eq!(percent(5, 5), Some("100.0".into()));
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn minutes_and_hours_from_seconds() {
        assert_eq!(minutes(d("90")), "1.5");
        assert_eq!(minutes(d("45")), "0.8"); // 0.75 → 0.8
        assert_eq!(hours(d("5400")), "1.5");
        assert_eq!(hours(d("0")), "0.0");
    }

    #[test]
    fn paid_within_counts_the_reminder_day_to_n_days_after() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let r = |settled: Option<&str>| SentReminder {
            step: 1,
            sent_on: day("2026-03-10"),
            settled_on: settled.map(day),
        };
        assert!(r(Some("2026-03-10")).paid_within(7));
        assert!(r(Some("2026-03-17")).paid_within(7));
        assert!(!r(Some("2026-03-18")).paid_within(7));
        assert!(!r(Some("2026-03-09")).paid_within(7));
        assert!(!r(None).paid_within(7));
    }

    #[test]
    fn counted_steps_are_filled_to_the_policy_with_zeros() {
        let t = |step, sent, paid_within| StepTally {
            step,
            sent,
            paid_within,
        };
        assert_eq!(
            fill_steps(&[t(1, 2, 1), t(3, 1, 0)], 3),
            vec![t(1, 2, 1), t(2, 0, 0), t(3, 1, 0)]
        );
        // A step beyond the policy (the policy was shortened) is still listed.
        assert_eq!(fill_steps(&[t(4, 1, 1)], 2).len(), 4);
        assert_eq!(fill_steps(&[], 0), vec![]);
    }

    #[test]
    fn steps_are_all_listed_with_zeros() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let sent = |step, settled| SentReminder {
            step,
            sent_on: day,
            settled_on: settled,
        };
        let t = step_tallies(&[sent(1, Some(day)), sent(1, None), sent(3, None)], 3, 7);
        assert_eq!(
            t,
            vec![
                StepTally {
                    step: 1,
                    sent: 2,
                    paid_within: 1
                },
                StepTally {
                    step: 2,
                    sent: 0,
                    paid_within: 0
                },
                StepTally {
                    step: 3,
                    sent: 1,
                    paid_within: 0
                },
            ]
        );
        // A step above the policy's (the policy was shortened) still shows.
        assert_eq!(step_tallies(&[sent(4, None)], 3, 7).len(), 4);
    }

    #[test]
    fn delivery_rates() {
        let t = DeliveryTally {
            sent: 6,
            failed: 1,
            unknown: 1,
            pending: 2,
            retried: 3,
        };
        assert_eq!(t.success_rate(), Some("75.0".into()));
        assert_eq!(t.retry_rate(), Some("30.0".into()));
        assert_eq!(DeliveryTally::default().success_rate(), None);
    }
}
