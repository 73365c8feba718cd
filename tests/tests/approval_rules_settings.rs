//! The approval rules as company settings through the app's one API, on a
//! real data folder: the Settings screen's single threshold and the rules'
//! first level stay one number, and a change of rules is audited.

use invoicer_tests::Fixture;
use serde_json::{json, Map, Value};

fn rules_patch(rules: Value) -> Map<String, Value> {
    let mut patch = Map::new();
    patch.insert("approval_rules".into(), rules);
    patch
}

#[test]
fn the_settings_screen_threshold_moves_the_first_approval_level() {
    let f = Fixture::new();
    let mut company = f.app.company(&f.admin).unwrap();
    company.approval_threshold = "2500.00".into();
    let saved = f.app.update_company(&f.admin, &company).unwrap();
    assert_eq!(saved.approval_threshold, "2500.00");
    let s = f.app.settings_json(&f.admin).unwrap();
    assert_eq!(
        s["approval_rules"]["levels"],
        json!([
            {"from": "2500.00", "approvers": 1},
            {"from": "100000.00", "approvers": 2}
        ])
    );
}

#[test]
fn rules_set_through_the_api_show_on_the_settings_screen_and_are_audited() {
    let f = Fixture::new();
    let rules = json!({
        "every_invoice": false,
        "levels": [
            {"from": "7500.00", "approvers": 1},
            {"from": "250000.00", "approvers": 3}
        ],
        "scoped": [{"scope": {"template": "standard-en"}, "from": null, "approvers": 1}]
    });
    let s = f
        .app
        .update_settings(&f.admin, &rules_patch(rules.clone()))
        .unwrap();
    assert_eq!(s["approval_rules"], rules);
    // The screen knows only the threshold: it shows the first level's amount.
    assert_eq!(
        f.app.company(&f.admin).unwrap().approval_threshold,
        "7500.00"
    );

    let out = f.dir.path().join("audit.csv");
    f.app.export_audit(&f.admin, &out).unwrap();
    let csv = std::fs::read_to_string(out).unwrap();
    let line = csv
        .lines()
        .rfind(|l| l.contains("company.updated"))
        .expect("the change is audited");
    assert!(line.contains("approval_rules"), "{line}");
    assert!(line.contains("250000.00"), "{line}");
    assert!(line.contains("standard-en"), "{line}");
}

#[test]
fn refused_rules_name_the_entry_and_change_nothing() {
    let f = Fixture::new();
    let err = f
        .app
        .update_settings(
            &f.admin,
            &rules_patch(json!({
                "levels": [{"from": "10000.00", "approvers": 1}],
                "scoped": [
                    {"scope": {"customer": 1}, "approvers": 2},
                    {"scope": {"customer": 1}, "from": "5.001", "approvers": 1}
                ]
            })),
        )
        .unwrap_err();
    let fields: Vec<&str> = err
        .details
        .as_ref()
        .unwrap()
        .iter()
        .map(|d| d.field.as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "approval_rules.scoped[1].from",
            "approval_rules.scoped[1].scope"
        ]
    );
    let s = f.app.settings_json(&f.admin).unwrap();
    assert_eq!(s["approval_rules"]["scoped"], json!([]));
}
