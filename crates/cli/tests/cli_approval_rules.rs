//! `invoicer settings show | set approval_rules` with the real binary: the
//! rules are one snake_case JSON setting, refused by field path when wrong,
//! and `approval_threshold` stays the first level's amount either way.

use serde_json::json;
use std::path::Path;

mod common;
use common::{cli, init, json, refused};

fn setup(dir: &Path) {
    init(dir, "Acme Billing", "US", None, "USD");
}

#[test]
fn a_new_company_shows_one_approver_from_ten_thousand_and_two_from_a_hundred_thousand() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let s = json(dir.path(), &["settings", "show"]);
    assert_eq!(
        s["approval_rules"],
        json!({
            "every_invoice": false,
            "levels": [
                {"from": "10000.00", "approvers": 1},
                {"from": "100000.00", "approvers": 2}
            ],
            "scoped": []
        })
    );
    assert_eq!(s["approval_threshold"], "10000.00");
}

#[test]
fn rules_set_on_the_command_line_are_kept_and_move_the_threshold() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let rules = r#"{"every_invoice": true,
        "levels": [{"from": "20000.00", "approvers": 1}, {"from": "250000.00", "approvers": 3}],
        "scoped": [{"scope": {"source": "bulk"}, "from": null, "approvers": 2},
                   {"scope": {"customer": 1}, "from": "500.00", "approvers": 1}]}"#;
    let s = json(dir.path(), &["settings", "set", "approval_rules", rules]);
    assert_eq!(s["approval_threshold"], "20000.00");
    let shown = json(dir.path(), &["settings", "show"]);
    assert_eq!(shown["approval_rules"]["every_invoice"], true);
    assert_eq!(shown["approval_rules"]["levels"][1]["approvers"], 3);
    assert_eq!(
        shown["approval_rules"]["scoped"][0]["scope"],
        json!({"source": "bulk"})
    );
    assert_eq!(shown["approval_rules"]["scoped"][1]["from"], "500.00");
    assert_eq!(shown["approval_threshold"], "20000.00");
}

#[test]
fn setting_the_old_threshold_moves_the_first_level_only() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    json(
        dir.path(),
        &["settings", "set", "approval_threshold", "5000"],
    );
    let s = json(dir.path(), &["settings", "show"]);
    assert_eq!(s["approval_threshold"], "5000");
    assert_eq!(
        s["approval_rules"]["levels"],
        json!([
            {"from": "5000", "approvers": 1},
            {"from": "100000.00", "approvers": 2}
        ])
    );
}

#[test]
fn a_level_below_the_one_before_is_refused_by_its_path_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let (code, err) = refused(
        &mut cli(dir.path()),
        &[
            "settings",
            "set",
            "approval_rules",
            r#"{"levels": [{"from": "10000.00", "approvers": 1}, {"from": "5000.00", "approvers": 2}]}"#,
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(err["code"], "validation");
    assert_eq!(err["details"][0]["field"], "approval_rules.levels[1].from");
    assert!(
        err["details"][0]["message"]
            .as_str()
            .unwrap()
            .contains("greater than levels[0].from"),
        "{err}"
    );

    let (_, err) = refused(
        &mut cli(dir.path()),
        &[
            "settings",
            "set",
            "approval_rules",
            r#"{"levels": [{"from": "10000.00", "approvers": 4}], "scoped": [{"scope": {"source": "fax"}, "approvers": 1}]}"#,
        ],
    );
    assert_eq!(err["details"][0]["field"], "approval_rules", "{err}");

    let (_, err) = refused(
        &mut cli(dir.path()),
        &[
            "settings",
            "set",
            "approval_rules",
            r#"{"levels": [{"from": "10000.00", "approvers": 4}]}"#,
        ],
    );
    assert_eq!(
        err["details"][0]["field"],
        "approval_rules.levels[0].approvers"
    );

    let s = json(dir.path(), &["settings", "show"]);
    assert_eq!(s["approval_rules"]["levels"][1]["from"], "100000.00");
    assert_eq!(s["approval_threshold"], "10000.00");
}
