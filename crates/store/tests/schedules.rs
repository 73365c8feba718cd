//! Schedules on a real SQLite file: stored and read back whole, and each
//! (schedule, period start) recorded once whoever claims it.

mod bulk_support;

use bulk_support::*;
use chrono::NaiveDate;
use invoicer_domain::schedule::{
    Cadence, Frequency, ScheduleEnd, ScheduleLine, ScheduleMode, ScheduleRule, ScheduleState,
    ScheduleTerms,
};
use invoicer_domain::Decimal;
use invoicer_store::OccurrenceOutcome;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn a_schedule_round_trips_and_a_period_is_claimed_once() {
    let dir = tempfile::tempdir().unwrap();
    let (store, user, customer) = setup(&dir.path().join("invoicer.db"));
    let terms = ScheduleTerms {
        name: "Globex retainer".into(),
        customer_id: customer.id,
        lines: vec![ScheduleLine {
            description: "Retainer".into(),
            quantity: Decimal::ONE,
            unit_price: Decimal::new(150000, 2),
            discount_percent: Some(Decimal::from(5)),
            tax_rate_id: None,
            tax_exempt_reason: None,
        }],
        currency: None,
        template: None,
        terms_days: Some(14),
        rule: ScheduleRule {
            cadence: Cadence {
                frequency: Frequency::Monthly,
                interval: 1,
            },
            anchor: day(2027, 1, 31),
            starts_on: None,
            end: ScheduleEnd::Count(12),
            prorate: true,
        },
        mode: ScheduleMode::IssueAndSend,
    };
    let id = store
        .write(|tx| tx.insert_schedule(&terms, user, at()))
        .unwrap();
    let read = store.read(|tx| tx.schedule(id)).unwrap().unwrap();
    assert_eq!(read.terms, terms);
    assert_eq!(read.state, ScheduleState::Disabled);
    assert_eq!(read.tested_at, None);
    assert!(store.read(|tx| tx.schedules(true)).unwrap().is_empty());

    let feb = terms.rule.period(1).unwrap();
    let first = store
        .write(|tx| tx.claim_schedule_period(id, &feb, OccurrenceOutcome::Made, true, at()))
        .unwrap();
    let again = store
        .write(|tx| tx.claim_schedule_period(id, &feb, OccurrenceOutcome::Skipped, false, at()))
        .unwrap();
    assert!(first && !again);
    let rows = store.read(|tx| tx.schedule_occurrences(id)).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].period_start, rows[0].outcome, rows[0].caught_up),
        (day(2027, 2, 28), OccurrenceOutcome::Made, true)
    );
    assert_eq!(
        store.read(|tx| tx.last_schedule_period(id)).unwrap(),
        Some(day(2027, 2, 28))
    );

    store
        .write(|tx| tx.set_schedule_state(id, ScheduleState::Paused(day(2027, 3, 2)), at()))
        .unwrap();
    let read = store.read(|tx| tx.schedule(id)).unwrap().unwrap();
    assert_eq!(read.state, ScheduleState::Paused(day(2027, 3, 2)));
}
