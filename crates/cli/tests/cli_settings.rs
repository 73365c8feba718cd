//! `invoicer settings show | set` on a fresh data folder with the real binary:
//! snake_case keys, field errors with exit 1, admins only, and the audit.

use std::path::Path;

mod common;
use common::{cli, init, json, refused};

fn setup(dir: &Path) {
    init(dir, "Acme Billing", "US", None, "USD");
}

#[test]
fn settings_show_prints_every_setting_by_its_snake_case_key() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let s = json(dir.path(), &["settings", "show"]);
    for key in [
        "number_format",
        "payment_terms_days",
        "rounding_scope",
        "rounding_mode",
        "approval_threshold",
        "exchange_rates",
        "timezone",
        "payment_link_format",
        "dispute_window_days",
        "require_customer_tax_id",
    ] {
        assert!(s.get(key).is_some(), "{key} missing from {s}");
    }
    assert_eq!(s["rounding_scope"], "per_line");
    assert_eq!(s["approval_threshold"], "10000.00");
    let text = cli(dir.path()).args(["settings", "show"]).output().unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("rounding_scope = per_line"), "{text}");
}

#[test]
fn settings_set_changes_one_setting_and_audits_it() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let s = json(
        dir.path(),
        &["settings", "set", "rounding_scope", "per_document"],
    );
    assert_eq!(s["rounding_scope"], "per_document");
    let s = json(
        dir.path(),
        &["settings", "set", "approval_threshold", "5000"],
    );
    assert_eq!(s["approval_threshold"], "5000");
    let s = json(
        dir.path(),
        &[
            "settings",
            "set",
            "exchange_rates",
            r#"[{"currency":"KWD","rate":"3.25","valid_from":"2026-01-01"}]"#,
        ],
    );
    assert_eq!(s["exchange_rates"][0]["currency"], "KWD");
    assert_eq!(s["exchange_rates"][0]["rate"], "3.25");
    let s = json(
        dir.path(),
        &[
            "settings",
            "rate-add",
            "kwd",
            "3.30",
            "--from",
            "2026-12-01",
        ],
    );
    assert_eq!(s["exchange_rates"][1]["currency"], "KWD");
    assert_eq!(s["exchange_rates"][1]["valid_from"], "2026-12-01");
    // The same currency and day twice is refused by the row that repeats it.
    let (_, err) = refused(
        &mut cli(dir.path()),
        &[
            "settings",
            "rate-add",
            "KWD",
            "3.40",
            "--from",
            "2026-12-01",
        ],
    );
    assert_eq!(err["details"][0]["field"], "exchange_rates[2].valid_from");
    let shown = json(dir.path(), &["settings", "show"]);
    assert_eq!(shown["rounding_scope"], "per_document");
    assert_eq!(shown["approval_threshold"], "5000");

    let file = dir.path().join("settings.json");
    // Allowed: a test's input file, not a data file: a torn write only fails this test.
    #[allow(clippy::disallowed_methods)]
    std::fs::write(
        &file,
        r#"{"payment_terms_days": 45, "dispute_window_days": 60}"#,
    )
    .unwrap();
    let s = json(
        dir.path(),
        &["settings", "set", "--file", file.to_str().unwrap()],
    );
    assert_eq!(s["payment_terms_days"], 45);
    assert_eq!(s["dispute_window_days"], 60);

    let out = cli(dir.path()).args(["audit", "verify"]).output().unwrap();
    assert!(out.status.success());
    let dump = dir.path().join("audit.csv");
    json(
        dir.path(),
        &["audit", "export", "--out", dump.to_str().unwrap()],
    );
    let csv = std::fs::read_to_string(dump).unwrap();
    assert_eq!(csv.matches("company.updated").count(), 5, "{csv}");
}

#[test]
fn unknown_keys_and_bad_values_are_field_errors_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let (code, err) = refused(&mut cli(dir.path()), &["settings", "set", "colour", "blue"]);
    assert_eq!(code, 1);
    assert_eq!(err["code"], "validation");
    assert_eq!(err["details"][0]["field"], "colour");

    let (code, err) = refused(
        &mut cli(dir.path()),
        &["settings", "set", "rounding_scope", "sideways"],
    );
    assert_eq!(code, 1);
    assert_eq!(err["code"], "validation");
    assert_eq!(err["details"][0]["field"], "rounding_scope");

    let (code, err) = refused(
        &mut cli(dir.path()),
        &["settings", "set", "dispute_window_days", "7"],
    );
    assert_eq!(code, 1);
    assert_eq!(err["details"][0]["field"], "dispute_window_days");

    let (_, err) = refused(
        &mut cli(dir.path()),
        &[
            "settings",
            "set",
            "exchange_rates",
            r#"[{"currency":"KWD","rate":"-1","valid_from":"2026-01-01"}]"#,
        ],
    );
    assert_eq!(err["details"][0]["field"], "exchange_rates[0].rate");

    let file = dir.path().join("settings.json");
    // Allowed: a test's input file, not a data file: a torn write only fails this test.
    #[allow(clippy::disallowed_methods)]
    std::fs::write(&file, r#"{"payment_terms_days": 45, "favourite": 1}"#).unwrap();
    let (_, err) = refused(
        &mut cli(dir.path()),
        &["settings", "set", "--file", file.to_str().unwrap()],
    );
    assert_eq!(err["details"][0]["field"], "favourite");
    // Nothing was half-applied: the good key in the refused file did not land.
    let s = json(dir.path(), &["settings", "show"]);
    assert_eq!(s["payment_terms_days"], 30);
    assert_eq!(s["rounding_scope"], "per_line");
}

#[test]
fn a_specialist_cannot_change_settings() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    cli(dir.path())
        .env("SAM_PW", "password-123")
        .args([
            "user",
            "add",
            "--email",
            "sam@acme.test",
            "--name",
            "Sam",
            "--role",
            "specialist",
            "--password-env",
            "SAM_PW",
        ])
        .assert()
        .success();
    let mut sam = cli(dir.path());
    sam.env("INVOICER_USER", "sam@acme.test")
        .env("INVOICER_PASSWORD", "password-123");
    let (code, err) = refused(&mut sam, &["settings", "set", "approval_threshold", "0"]);
    assert_eq!(code, 1);
    assert_eq!(err["code"], "forbidden");
    assert_eq!(
        json(dir.path(), &["settings", "show"])["approval_threshold"],
        "10000.00"
    );
}
