use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn terms() -> ThresholdTerms {
    ThresholdTerms {
        name: "Acme hours".into(),
        customer_id: 1,
        project: None,
        measure: Measure::Hours,
        unit_price: Some(dec("40.00")),
        description_template: DEFAULT_DESCRIPTION_TEMPLATE.into(),
        quantity_threshold: Some(dec("40")),
        amount_threshold: Some(dec("5000.00")),
        period: None,
        template: None,
        terms_days: None,
        action: ThresholdAction::Draft,
    }
}

fn entry(q: &str, price: &str, on: NaiveDate) -> UsageEntry {
    UsageEntry {
        id: 1,
        quantity: dec(q),
        unit_price: dec(price),
        description: "Design review".into(),
        project: Some("P-7".into()),
        occurred_on: on,
    }
}

#[test]
fn forty_hours_cross_the_quantity_threshold_and_thirty_nine_and_a_half_do_not() {
    let t = terms();
    let mut entries = vec![
        entry("31.5", "40", day(2026, 3, 2)),
        entry("8", "40", day(2026, 3, 3)),
    ];
    let p = t.progress(&entries);
    assert_eq!(
        (p.quantity, p.amount, p.crossed),
        (dec("39.5"), dec("1580.0"), None)
    );
    entries.push(entry("0.5", "40", day(2026, 3, 4)));
    assert_eq!(t.progress(&entries).crossed, Some(Crossing::Quantity));
}

#[test]
fn the_amount_threshold_counts_each_entrys_price() {
    let mut t = terms();
    t.quantity_threshold = None;
    let entries = vec![entry("10", "499.99", day(2026, 3, 2))];
    assert_eq!(t.progress(&entries).crossed, None);
    let entries = vec![entry("10", "500", day(2026, 3, 2))];
    assert_eq!(t.progress(&entries).crossed, Some(Crossing::Amount));
}

#[test]
fn a_rule_needs_a_trigger_and_names_each_bad_field() {
    let mut t = terms();
    t.quantity_threshold = None;
    t.amount_threshold = Some(dec("-1"));
    t.description_template = "{day} work".into();
    let errs = t.validate().unwrap_err();
    let fields: Vec<_> = errs.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["amount_threshold", "description_template"]);
    t.amount_threshold = None;
    t.description_template = "x".into();
    let errs = t.validate().unwrap_err();
    assert!(errs.errors[0].message.contains("period end"), "{errs:?}");
    t.period = Some(PeriodEnd {
        frequency: Frequency::Weekly,
        anchor: day(2026, 1, 1),
    });
    assert_eq!(t.validate().unwrap_err().errors[0].field, "period");
}

#[test]
fn line_descriptions_fill_the_placeholders() {
    let mut t = terms();
    t.description_template = "{date} · {description} ({quantity} h, {project})".into();
    let e = entry("2.50", "40", day(2026, 3, 2));
    assert_eq!(
        t.line_description(&e),
        "2026-03-02 · Design review (2.5 h, P-7)"
    );
    assert!(check_description_template("{date").is_err());
}

#[test]
fn a_project_rule_takes_only_its_project_and_a_customer_rule_takes_all() {
    let mut t = terms();
    assert!(t.matches(1, Some("P-7"), Measure::Hours));
    assert!(t.matches(1, None, Measure::Hours));
    assert!(!t.matches(1, None, Measure::Units));
    assert!(!t.matches(2, None, Measure::Hours));
    t.project = Some("P-7".into());
    assert!(t.matches(1, Some("P-7"), Measure::Hours));
    assert!(!t.matches(1, Some("P-8"), Measure::Hours));
    assert!(!t.matches(1, None, Measure::Hours));
}

#[test]
fn monthly_periods_end_at_month_ends_and_are_billed_the_day_after() {
    let p = PeriodEnd {
        frequency: Frequency::Monthly,
        anchor: day(2026, 1, 31),
    };
    assert_eq!(p.period(0).unwrap().end, day(2026, 2, 27));
    assert_eq!(p.period(1).unwrap().start, day(2026, 2, 28));
    assert_eq!(p.period(2).unwrap().start, day(2026, 3, 31));
    let p = PeriodEnd {
        frequency: Frequency::Monthly,
        anchor: day(2026, 1, 1),
    };
    assert!(p.ended(None, day(2026, 1, 31)).is_empty());
    let ended = p.ended(None, day(2026, 2, 1));
    assert_eq!(ended.len(), 1);
    assert_eq!(
        (ended[0].start, ended[0].end),
        (day(2026, 1, 1), day(2026, 1, 31))
    );
    // Closed until May 2: January to April are each billed once, in order.
    let ended = p.ended(None, day(2026, 5, 2));
    assert_eq!(
        ended.iter().map(|p| p.index).collect::<Vec<_>>(),
        [0, 1, 2, 3]
    );
    let after = p.ended(Some(day(2026, 2, 1)), day(2026, 5, 2));
    assert_eq!(after.iter().map(|p| p.index).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(
        p.containing(day(2026, 3, 15)).unwrap().start,
        day(2026, 3, 1)
    );
    let q = PeriodEnd {
        frequency: Frequency::Quarterly,
        anchor: day(2026, 1, 1),
    };
    assert_eq!(q.period(0).unwrap().end, day(2026, 3, 31));
}

#[test]
fn sample_entries_use_the_rules_price_and_project() {
    let mut t = terms();
    t.project = Some("P-7".into());
    let s = t.sample_entries(day(2026, 3, 10));
    assert_eq!(s.len(), 3);
    assert!(s
        .iter()
        .all(|e| e.unit_price == dec("40.00") && e.project.as_deref() == Some("P-7")));
    assert_eq!(s[2].occurred_on, day(2026, 3, 10));
    assert_eq!(
        ThresholdAction::parse("approval"),
        Ok(ThresholdAction::Approval)
    );
    assert_eq!(Measure::parse("units"), Ok(Measure::Units));
}

use proptest::prelude::*;

proptest! {
    /// However the job's runs are spread (the app closed for any days), the
    /// periods billed are contiguous, each once, each ended before its run.
    #[test]
    fn periods_are_billed_once_each_in_order_whatever_the_run_days(
        quarterly in any::<bool>(),
        steps in proptest::collection::vec(0u64..200, 1..8),
    ) {
        let p = PeriodEnd {
            frequency: if quarterly { Frequency::Quarterly } else { Frequency::Monthly },
            anchor: day(2028, 1, 31),
        };
        let mut today = day(2028, 1, 31);
        let mut last: Option<NaiveDate> = None;
        let mut billed = Vec::new();
        for s in steps {
            today = today.checked_add_days(Days::new(s)).unwrap();
            for b in p.ended(last, today) {
                prop_assert!(b.end < today);
                last = Some(b.start);
                billed.push(b);
            }
        }
        for (i, b) in billed.iter().enumerate() {
            prop_assert_eq!(b.index as usize, i);
            if let Some(next) = billed.get(i + 1) {
                prop_assert_eq!(b.end.succ_opt().unwrap(), next.start);
            }
        }
        prop_assert!(p.ended(last, today).is_empty());
    }

    /// A threshold is crossed exactly when the unbilled total reaches it.
    #[test]
    fn crossing_is_reaching_the_threshold(
        hours in proptest::collection::vec(1i64..2000, 0..12),
        threshold in 1i64..20_000,
    ) {
        let mut t = terms();
        t.quantity_threshold = Some(Decimal::new(threshold, 1));
        t.amount_threshold = None;
        let entries: Vec<_> = hours
            .iter()
            .map(|h| UsageEntry { quantity: Decimal::new(*h, 1), ..entry("1", "40", day(2026, 3, 2)) })
            .collect();
        let total: i64 = hours.iter().sum();
        prop_assert_eq!(t.progress(&entries).crossed.is_some(), total >= threshold);
    }
}
