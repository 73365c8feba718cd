//! The approval rules as the issue states them, on plain values.

use super::*;
use crate::approval::four_eyes_refusal;
use crate::company::CompanySettings;
use rust_decimal_macros::dec;

fn cur(c: &str) -> Currency {
    Currency::from_code(c).unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn usd_company() -> CompanySettings {
    CompanySettings::with_defaults("Acme".into(), "US".into(), None, cur("USD"))
}

fn facts(total: Decimal) -> ApprovalFacts {
    ApprovalFacts {
        converted_total: total,
        currency: cur("USD"),
        customer_id: 7,
        template: None,
        source: TriggerSource::Manual,
    }
}

fn invoice(total: Decimal, currency: &str) -> InvoiceFacts {
    InvoiceFacts {
        total,
        currency: cur(currency),
        date: day("2026-11-25"),
        customer_id: 7,
        template: None,
        source: TriggerSource::Manual,
    }
}

fn scoped(scope: RuleScope, from: Option<Decimal>, approvers: u8) -> ScopedRule {
    ScopedRule {
        scope,
        from,
        approvers,
    }
}

fn fields(rules: &ApprovalRules) -> Vec<String> {
    rules
        .validate()
        .unwrap_err()
        .errors
        .into_iter()
        .map(|e| e.field)
        .collect()
}

#[test]
fn twelve_thousand_needs_one_approver_and_says_which_level() {
    let r = ApprovalRules::default().required(&facts(dec!(12000.00)));
    assert_eq!(r.approvers, 1);
    assert_eq!(r.rule.text, "total ≥ 10,000.00 USD: one approver");
    assert_eq!(
        serde_json::to_value(&r.rule).unwrap(),
        serde_json::json!({"kind": "level", "index": 0, "from": "10000.00",
            "text": "total ≥ 10,000.00 USD: one approver"})
    );
}

#[test]
fn one_hundred_fifty_thousand_needs_two_approvers() {
    let r = ApprovalRules::default().required(&facts(dec!(150000.00)));
    assert_eq!(r.approvers, 2);
    assert_eq!(r.rule.text, "total ≥ 100,000.00 USD: two approvers");
    assert_eq!(
        r.rule.kind,
        RuleKind::Level {
            index: 1,
            from: dec!(100000.00)
        }
    );
}

#[test]
fn below_the_first_level_needs_nobody() {
    let r = ApprovalRules::default().required(&facts(dec!(9999.99)));
    assert_eq!(r.approvers, 0);
    assert!(!r.needs_approval());
    assert_eq!(r.rule.kind, RuleKind::None);
    assert_eq!(r.rule.text, "total below 10,000.00 USD: no approval needed");
}

#[test]
fn twenty_thousand_yen_at_a_jpy_rate_needs_no_approval() {
    let mut s = usd_company();
    s.exchange_rates = vec![ExchangeRate {
        currency: cur("JPY"),
        rate: dec!(0.0067),
        valid_from: day("2026-01-01"),
    }];
    let d = s
        .approval_decision_for(&invoice(dec!(20000), "JPY"))
        .unwrap();
    assert_eq!(d.converted_total, dec!(134));
    assert_eq!(d.required.approvers, 0);
    assert!(!d.needs_approval);
}

#[test]
fn nine_thousand_dinars_at_three_and_a_quarter_need_one_approver() {
    let mut s = usd_company();
    s.exchange_rates = vec![ExchangeRate {
        currency: cur("KWD"),
        rate: dec!(3.25),
        valid_from: day("2026-01-01"),
    }];
    let d = s
        .approval_decision_for(&invoice(dec!(9000), "KWD"))
        .unwrap();
    assert_eq!(d.converted_total, dec!(29250));
    assert_eq!(d.required.approvers, 1);
    assert!(d.needs_approval);
    assert_eq!(d.rate.as_ref().unwrap().rate, dec!(3.25));
    assert_eq!(d.company_currency, cur("USD"));
    let json = d.to_json();
    assert_eq!(json["exchange_rate"], "3.25");
    assert_eq!(json["required"]["approvers"], 1);
    assert_eq!(json["required"]["rule"]["kind"], "level");
    assert_eq!(json["required"]["rule"]["index"], 0);
}

#[test]
fn a_currency_without_a_rate_is_still_refused() {
    let err = usd_company()
        .approval_decision_for(&invoice(dec!(5), "KWD"))
        .unwrap_err();
    assert_eq!(err.currency, cur("KWD"));
}

#[test]
fn the_every_invoice_switch_asks_one_approver_for_anything() {
    let rules = ApprovalRules {
        every_invoice: true,
        ..ApprovalRules::default()
    };
    let small = rules.required(&facts(dec!(1.00)));
    assert_eq!(small.approvers, 1);
    assert_eq!(small.rule.kind, RuleKind::EveryInvoice);
    assert_eq!(small.rule.text, "every invoice: one approver");
    // A level asking for more still wins over the switch.
    assert_eq!(rules.required(&facts(dec!(200000))).approvers, 2);
    // At one approver each, the level is named: it says more.
    assert!(matches!(
        rules.required(&facts(dec!(20000))).rule.kind,
        RuleKind::Level { index: 0, .. }
    ));
}

#[test]
fn customer_template_and_source_rules_apply_in_scope_only() {
    let rules = ApprovalRules {
        scoped: vec![
            scoped(RuleScope::Customer(7), None, 2),
            scoped(RuleScope::Template("modern".into()), Some(dec!(500)), 1),
            scoped(RuleScope::Source(TriggerSource::Bulk), None, 1),
        ],
        ..ApprovalRules::default()
    };
    let customer = rules.required(&facts(dec!(10)));
    assert_eq!(customer.approvers, 2);
    assert_eq!(
        customer.rule.text,
        "every invoice for customer 7: two approvers"
    );
    let other = ApprovalFacts {
        customer_id: 8,
        ..facts(dec!(600))
    };
    assert_eq!(rules.required(&other).approvers, 0);
    let templated = ApprovalFacts {
        template: Some("modern".into()),
        ..other.clone()
    };
    let r = rules.required(&templated);
    assert_eq!(r.approvers, 1);
    assert_eq!(
        r.rule.text,
        "invoices with template \"modern\" with total ≥ 500.00 USD: one approver"
    );
    let below = ApprovalFacts {
        converted_total: dec!(499.99),
        ..templated
    };
    assert_eq!(rules.required(&below).approvers, 0);
    let bulk = ApprovalFacts {
        source: TriggerSource::Bulk,
        ..other
    };
    let r = rules.required(&bulk);
    assert_eq!(r.approvers, 1);
    assert_eq!(r.rule.text, "every bulk invoice: one approver");
    assert_eq!(
        serde_json::to_value(&r.rule).unwrap(),
        serde_json::json!({"kind": "scoped", "index": 2, "scope": {"source": "bulk"},
            "from": null, "text": "every bulk invoice: one approver"})
    );
}

#[test]
fn the_strictest_rule_wins_and_ties_go_to_the_first() {
    let rules = ApprovalRules {
        every_invoice: true,
        scoped: vec![
            scoped(RuleScope::Source(TriggerSource::Api), None, 1),
            scoped(RuleScope::Customer(7), Some(dec!(50000)), 3),
            scoped(RuleScope::Source(TriggerSource::Manual), None, 1),
        ],
        ..ApprovalRules::default()
    };
    // 60,000: level 0 (one), customer rule (three), manual (one), every (one).
    let r = rules.required(&facts(dec!(60000)));
    assert_eq!(r.approvers, 3);
    assert!(matches!(r.rule.kind, RuleKind::Scoped { index: 1, .. }));
    // 150,000 for another customer: level 1 (two) beats the rest.
    let r = rules.required(&ApprovalFacts {
        customer_id: 9,
        ..facts(dec!(150000))
    });
    assert_eq!(r.approvers, 2);
    assert!(matches!(r.rule.kind, RuleKind::Level { index: 1, .. }));
    // 5: manual (one) and every invoice (one) tie; the scoped rule comes first.
    let r = rules.required(&facts(dec!(5)));
    assert_eq!(r.approvers, 1);
    assert!(matches!(r.rule.kind, RuleKind::Scoped { index: 2, .. }));
}

#[test]
fn the_first_approver_may_not_give_the_second_approval() {
    let refusal = approval_refusal(1, 1, &[2], 2).unwrap();
    assert_eq!(
        refusal,
        "you already approved this invoice at level 1; a different approver must give the next approval"
    );
    assert!(approval_refusal(1, 1, &[2, 3], 3)
        .unwrap()
        .contains("level 2"));
    assert_eq!(approval_refusal(1, 1, &[2], 3), None);
}

#[test]
fn the_maker_and_the_last_editor_may_never_approve() {
    assert!(approval_refusal(1, 4, &[], 1).unwrap().contains("you made"));
    assert!(approval_refusal(1, 4, &[2], 4)
        .unwrap()
        .contains("you last edited"));
    // The one-level check still says the same.
    assert_eq!(four_eyes_refusal(1, 4, 1), approval_refusal(1, 4, &[], 1));
    assert_eq!(four_eyes_refusal(1, 4, 5), None);
}

#[test]
fn bad_rules_are_named_by_path() {
    let rules = ApprovalRules {
        every_invoice: false,
        levels: vec![
            ApprovalLevel {
                from: dec!(10000),
                approvers: 2,
            },
            ApprovalLevel {
                from: dec!(5000),
                approvers: 1,
            },
            ApprovalLevel {
                from: dec!(20000.001),
                approvers: 4,
            },
        ],
        scoped: vec![
            scoped(RuleScope::Customer(7), Some(dec!(-1)), 0),
            scoped(RuleScope::Template(" ".into()), None, 1),
            scoped(RuleScope::Customer(7), None, 1),
        ],
    };
    assert_eq!(
        fields(&rules),
        [
            "levels[1].from",
            "levels[1].approvers",
            "levels[2].from",
            "levels[2].approvers",
            "scoped[0].from",
            "scoped[0].approvers",
            "scoped[1].scope",
            "scoped[2].scope",
        ]
    );
    let none = ApprovalRules {
        levels: vec![],
        ..ApprovalRules::default()
    };
    assert_eq!(fields(&none), ["levels"]);
    assert!(ApprovalRules::default().validate().is_ok());
}

#[test]
fn company_validation_prefixes_the_rules_path() {
    let mut s = usd_company();
    s.approval_rules.levels[1].from = dec!(10000.00);
    let errs = s.validate().unwrap_err();
    assert_eq!(errs.errors[0].field, "approval_rules.levels[1].from");
}

#[test]
fn the_threshold_is_the_first_level() {
    let mut s = usd_company();
    assert_eq!(s.approval_threshold, s.approval_rules.levels[0].from);
    s.set_approval_threshold(dec!(5000));
    assert_eq!(s.approval_rules.levels[0].from, dec!(5000));
    assert_eq!(s.approval_rules.levels[1].from, dec!(100000.00));
    // Raising it past the second level folds that level in, keeping its two approvers.
    s.set_approval_threshold(dec!(1000000));
    assert_eq!(
        s.approval_rules.levels,
        [ApprovalLevel {
            from: dec!(1000000),
            approvers: 2
        }]
    );
    assert!(s.validate().is_ok());
}

#[test]
fn an_edit_of_either_keeps_threshold_and_first_level_equal() {
    let before = usd_company();
    let mut threshold_only = before.clone();
    threshold_only.approval_threshold = dec!(2500);
    threshold_only.reconcile_approval_threshold(&before);
    assert_eq!(threshold_only.approval_rules.levels[0].from, dec!(2500));

    let mut rules_only = before.clone();
    rules_only.approval_rules.levels[0].from = dec!(7500);
    rules_only.reconcile_approval_threshold(&before);
    assert_eq!(rules_only.approval_threshold, dec!(7500));

    let mut both = before.clone();
    both.approval_threshold = dec!(1);
    both.approval_rules.levels[0].from = dec!(2);
    both.reconcile_approval_threshold(&before);
    let errs = both.validate().unwrap_err();
    assert_eq!(errs.errors[0].field, "approval_threshold");
}

#[test]
fn the_old_decision_uses_levels_and_the_switch_but_not_scopes() {
    let mut s = usd_company();
    let usd = cur("USD");
    let date = day("2026-11-25");
    let d = s.approval_decision(dec!(150000), usd, date).unwrap();
    assert_eq!(d.required.approvers, 2);
    assert_eq!(d.threshold, dec!(10000.00));
    s.approval_rules.scoped = vec![scoped(RuleScope::Customer(7), None, 3)];
    assert_eq!(
        s.approval_decision(dec!(5), usd, date)
            .unwrap()
            .required
            .approvers,
        0
    );
    s.approval_rules.every_invoice = true;
    let d = s.approval_decision(dec!(5), usd, date).unwrap();
    assert!(d.needs_approval);
    assert_eq!(d.required.rule.kind, RuleKind::EveryInvoice);
}

#[test]
fn rules_read_from_settings_json_with_decimals_as_text_only() {
    let json = r#"{"every_invoice": true,
        "levels": [{"from": "5000.00", "approvers": 1}],
        "scoped": [{"scope": {"customer": 42}, "approvers": 2},
                   {"scope": {"template": "modern"}, "from": "100", "approvers": 1},
                   {"scope": {"source": "recurring"}, "from": null, "approvers": 1}]}"#;
    let rules: ApprovalRules = serde_json::from_str(json).unwrap();
    assert!(rules.every_invoice);
    assert_eq!(rules.scoped[0].scope, RuleScope::Customer(42));
    assert_eq!(rules.scoped[0].from, None);
    assert_eq!(rules.scoped[1].from, Some(dec!(100)));
    assert_eq!(
        rules.scoped[2].scope,
        RuleScope::Source(TriggerSource::Recurring)
    );
    let back: ApprovalRules =
        serde_json::from_value(serde_json::to_value(&rules).unwrap()).unwrap();
    assert_eq!(back, rules);
    // A float would round money, so amounts must be quoted.
    let float = r#"{"levels": [{"from": 5000.5, "approvers": 1}]}"#;
    assert!(serde_json::from_str::<ApprovalRules>(float).is_err());
}

#[test]
fn trigger_sources_read_back_from_their_names() {
    for s in TriggerSource::ALL {
        assert_eq!(TriggerSource::parse(s.as_str()), Ok(s));
        assert_eq!(
            serde_json::to_value(s).unwrap(),
            serde_json::json!(s.as_str())
        );
    }
    assert!(TriggerSource::parse("email").unwrap_err().contains("bulk"));
}

#[test]
fn amounts_are_grouped_in_thousands_with_the_currency_decimals() {
    assert_eq!(amount_words(dec!(100000), cur("USD")), "100,000.00 USD");
    assert_eq!(
        amount_words(dec!(1234567.5), cur("KWD")),
        "1,234,567.500 KWD"
    );
    assert_eq!(amount_words(dec!(999), cur("JPY")), "999 JPY");
    assert_eq!(amount_words(dec!(0), cur("USD")), "0.00 USD");
}
