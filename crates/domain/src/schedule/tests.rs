use super::*;
use chrono::Datelike;
use proptest::prelude::*;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn monthly(anchor: NaiveDate) -> ScheduleRule {
    ScheduleRule {
        cadence: Cadence {
            frequency: Frequency::Monthly,
            interval: 1,
        },
        anchor,
        starts_on: None,
        end: ScheduleEnd::Never,
        prorate: true,
    }
}

fn starts(rule: &ScheduleRule, n: usize) -> Vec<NaiveDate> {
    rule.upcoming(None, n).iter().map(|p| p.start).collect()
}

#[test]
fn anchored_on_jan_31_bills_on_the_last_day_of_short_months_then_the_31st_again() {
    assert_eq!(
        starts(&monthly(d(2027, 1, 31)), 4),
        [
            d(2027, 1, 31),
            d(2027, 2, 28),
            d(2027, 3, 31),
            d(2027, 4, 30)
        ]
    );
    assert_eq!(
        starts(&monthly(d(2028, 1, 31)), 3),
        [d(2028, 1, 31), d(2028, 2, 29), d(2028, 3, 31)]
    );
    // A period ends the day before the next starts.
    let p = monthly(d(2027, 1, 31)).period(1).unwrap();
    assert_eq!((p.start, p.end), (d(2027, 2, 28), d(2027, 3, 30)));
}

#[test]
fn weekly_quarterly_and_yearly_count_from_the_anchor() {
    let mut r = monthly(d(2028, 2, 29));
    r.cadence = Cadence {
        frequency: Frequency::Yearly,
        interval: 1,
    };
    assert_eq!(
        starts(&r, 5),
        [
            d(2028, 2, 29),
            d(2029, 2, 28),
            d(2030, 2, 28),
            d(2031, 2, 28),
            d(2032, 2, 29)
        ]
    );
    r.cadence = Cadence {
        frequency: Frequency::Quarterly,
        interval: 1,
    };
    r.anchor = d(2026, 11, 30);
    assert_eq!(
        starts(&r, 3),
        [d(2026, 11, 30), d(2027, 2, 28), d(2027, 5, 30)]
    );
    r.cadence = Cadence {
        frequency: Frequency::Weekly,
        interval: 2,
    };
    assert_eq!(
        starts(&r, 3),
        [d(2026, 11, 30), d(2026, 12, 14), d(2026, 12, 28)]
    );
}

#[test]
fn catch_up_returns_every_missed_period_in_order_after_the_last_recorded() {
    let r = monthly(d(2027, 1, 31));
    let first = r.due_occurrences(None, d(2027, 1, 31));
    assert_eq!(first.len(), 1);
    // Closed from the 2nd to the 5th period: all four come back, in order.
    let missed = r.due_occurrences(Some(d(2027, 1, 31)), d(2027, 6, 2));
    let got: Vec<_> = missed.iter().map(|p| (p.index, p.bill_date())).collect();
    assert_eq!(
        got,
        [
            (1, d(2027, 2, 28)),
            (2, d(2027, 3, 31)),
            (3, d(2027, 4, 30)),
            (4, d(2027, 5, 31))
        ]
    );
    assert!(r
        .due_occurrences(Some(d(2027, 5, 31)), d(2027, 6, 2))
        .is_empty());
}

#[test]
fn a_count_or_an_end_date_ends_the_schedule() {
    let mut r = monthly(d(2027, 1, 1));
    r.end = ScheduleEnd::Count(3);
    assert_eq!(r.due_occurrences(None, d(2030, 1, 1)).len(), 3);
    r.end = ScheduleEnd::Until(d(2027, 3, 10));
    let all = r.due_occurrences(None, d(2030, 1, 1));
    assert_eq!(all.len(), 3);
    let last = all[2];
    assert_eq!(
        (last.billed_from, last.billed_to),
        (d(2027, 3, 1), d(2027, 3, 10))
    );
    assert_eq!(last.factor(), dec!(10) / dec!(31));
    r.prorate = false;
    assert_eq!(r.period(2).unwrap().proration(), None);
}

#[test]
fn a_first_partial_period_is_billed_by_days_from_its_first_day() {
    let mut r = monthly(d(2027, 4, 1));
    r.starts_on = Some(d(2027, 4, 21));
    let p = r.period(0).unwrap();
    assert_eq!(p.bill_date(), d(2027, 4, 21));
    assert_eq!(p.factor(), dec!(10) / dec!(30));
    // Not due before its first billed day.
    assert!(r.due_occurrences(None, d(2027, 4, 20)).is_empty());
    assert_eq!(r.period(1).unwrap().proration(), None);
}

#[test]
fn bad_rules_name_their_field() {
    let mut r = monthly(d(2027, 4, 1));
    r.cadence.interval = 0;
    assert_eq!(r.validate().unwrap_err().errors[0].field, "interval");
    r.cadence.interval = 1;
    r.starts_on = Some(d(2027, 5, 1));
    assert_eq!(r.validate().unwrap_err().errors[0].field, "starts_on");
    r.starts_on = None;
    r.end = ScheduleEnd::Until(d(2027, 3, 1));
    assert_eq!(r.validate().unwrap_err().errors[0].field, "until");
    r.end = ScheduleEnd::Count(0);
    assert_eq!(r.validate().unwrap_err().errors[0].field, "count");
}

#[test]
fn periods_billed_while_paused_are_the_ones_skipped_on_resume() {
    let r = monthly(d(2027, 1, 15));
    let skipped = paused_periods(&r, Some(d(2027, 1, 15)), d(2027, 3, 1), d(2027, 5, 20));
    let got: Vec<_> = skipped.iter().map(|p| p.start).collect();
    // February fell due before the pause: still caught up, not skipped.
    assert_eq!(got, [d(2027, 3, 15), d(2027, 4, 15), d(2027, 5, 15)]);
}

fn any_rule() -> impl Strategy<Value = ScheduleRule> {
    (
        prop_oneof![
            Just(Frequency::Weekly),
            Just(Frequency::Monthly),
            Just(Frequency::Quarterly),
            Just(Frequency::Yearly)
        ],
        1u32..=12,
        (2000i32..2100, 1u32..=12, 1u32..=31),
    )
        .prop_filter_map("a real day", |(frequency, interval, (y, m, day))| {
            let anchor = NaiveDate::from_ymd_opt(y, m, day)?;
            Some(ScheduleRule {
                cadence: Cadence {
                    frequency,
                    interval,
                },
                anchor,
                starts_on: None,
                end: ScheduleEnd::Never,
                prorate: true,
            })
        })
}

proptest! {
    #[test]
    fn periods_tile_the_calendar_and_month_ends_stay_month_ends(rule in any_rule()) {
        let periods = rule.upcoming(None, 40);
        prop_assert_eq!(periods.len(), 40);
        for (k, pair) in periods.windows(2).enumerate() {
            // Monotone, no gap and no overlap: the next starts the day after.
            prop_assert!(pair[0].start < pair[1].start);
            prop_assert_eq!(pair[0].end.succ_opt().unwrap(), pair[1].start);
            prop_assert_eq!(pair[1].index as usize, k + 1);
        }
        for p in &periods {
            prop_assert_eq!(rule.index_of(p.start), Some(p.index));
            if rule.cadence.frequency != Frequency::Weekly {
                // The anchor's day, or the month's last day when it lacks it.
                let last = p.start.with_day(1).unwrap()
                    .checked_add_months(chrono::Months::new(1)).unwrap()
                    .pred_opt().unwrap().day();
                prop_assert_eq!(p.start.day(), rule.anchor.day().min(last));
            }
        }
    }

    #[test]
    fn catching_up_in_any_steps_makes_each_period_once(
        rule in any_rule(),
        steps in proptest::collection::vec(0i64..400, 1..8),
    ) {
        let mut today = rule.anchor;
        let mut last = None;
        let mut made = Vec::new();
        for step in steps {
            today += chrono::Duration::days(step);
            for p in rule.due_occurrences(last, today) {
                made.push(p.index);
                last = Some(p.start);
            }
        }
        let all: Vec<u32> = rule.due_occurrences(None, today).iter().map(|p| p.index).collect();
        prop_assert_eq!(made, all);
    }
}
