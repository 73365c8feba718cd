//! The `invoicer` binary on a fresh data folder: the Foundation scenario, JSON
//! output, errors on stderr with a non-zero exit, and audit verification.

use predicates::str::contains;
use serde_json::Value;
use std::path::Path;

mod common;
use common::{ca_sales_tax, cli, init, json};

fn setup(dir: &Path) {
    init(dir, "Acme Billing", "US", Some("CA"), "USD");
    ca_sales_tax(dir);
    json(
        dir,
        &[
            "customer",
            "add",
            "--name",
            "Zoë Müller",
            "--company",
            "Globex",
            "--email",
            "zoe@globex.test",
            "--address",
            "1 Market St",
            "--city",
            "San Francisco",
            "--region",
            "CA",
            "--postal-code",
            "94105",
            "--country",
            "US",
        ],
    );
}

#[test]
fn foundation_scenario_prints_the_right_totals() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    let draft = json(
        d,
        &[
            "invoice",
            "create",
            "--customer",
            "1",
            "--line",
            "Consulting|10|150.00",
            "--line",
            "Hosting|1|49.99|10",
        ],
    );
    assert_eq!(draft["number"], Value::Null);
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["subtotal"], "1549.99");
    assert_eq!(draft["tax_total"], "127.46");
    assert_eq!(draft["total"], "1672.45");
    assert_eq!(draft["lines"].as_array().unwrap().len(), 2);
    let issued = json(d, &["invoice", "issue", "1"]);
    // The CLI runs on the system clock, so the year is whatever today is.
    let year = &draft["issue_date"].as_str().unwrap()[..4];
    assert_eq!(issued["number"], format!("INV-{year}-00001"));
    json(
        d,
        &[
            "payment",
            "record",
            "1",
            "--amount",
            "500",
            "--date",
            "2026-11-21",
        ],
    );
    let shown = json(d, &["invoice", "show", "1"]);
    assert_eq!(shown["status"], "partially_paid");
    assert_eq!(shown["amount_paid"], "500.00");
    assert_eq!(shown["balance"], "1172.45");
    for key in [
        "id",
        "number",
        "status",
        "currency",
        "subtotal",
        "tax_total",
        "total",
        "amount_paid",
        "balance",
        "issue_date",
        "due_date",
        "lines",
    ] {
        assert!(shown.get(key).is_some(), "missing {key}");
    }
    cli(d)
        .args(["invoice", "show", "1"])
        .assert()
        .success()
        .stdout(contains("Balance"))
        .stdout(contains("1172.45"));
    cli(d)
        .args(["audit", "verify"])
        .assert()
        .success()
        .stdout(contains("audit chain intact"));
    let listed = json(d, &["invoice", "list", "--status", "partially_paid"]);
    assert_eq!(listed["total_count"], 1);
}

#[test]
fn errors_go_to_stderr_with_a_non_zero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    cli(d)
        .args([
            "invoice",
            "create",
            "--customer",
            "99",
            "--line",
            "Consulting|ten|150",
        ])
        .assert()
        .failure()
        .stdout("")
        .stderr(contains("customer_id"))
        .stderr(contains("lines[0].quantity"));
    cli(d)
        .args([
            "invoice",
            "create",
            "--customer",
            "1",
            "--line",
            "only-a-description",
        ])
        .assert()
        .failure()
        .stderr(contains("lines[0]"));
    cli(d)
        .args(["invoice", "show", "5"])
        .assert()
        .failure()
        .stderr(contains("invoice 5 does not exist"));
    cli(d)
        .env("INVOICER_PASSWORD", "wrong-password")
        .args(["invoice", "list"])
        .assert()
        .failure()
        .stderr(contains("the email or password is not correct"));
    let out = cli(d)
        .args(["--json", "invoice", "show", "5"])
        .output()
        .unwrap();
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "not_found");
}

#[test]
fn audit_verify_exits_3_on_a_tampered_file_and_export_writes_csv() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d);
    let out = d.join("audit.csv");
    cli(d)
        .args(["audit", "export", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(contains("exported 6 audit events"));
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("customer.created"));
    let conn = rusqlite::Connection::open(d.join("invoicer.db")).unwrap();
    // The append-only triggers refuse the edit; someone holding the file
    // drops them first, and verification still catches the edit.
    conn.execute_batch("DROP TRIGGER audit_events_append_only;")
        .unwrap();
    assert_eq!(
        conn.execute("UPDATE audit_events SET data = '{}' WHERE seq = 2", [])
            .unwrap(),
        1
    );
    cli(d)
        .args(["audit", "verify"])
        .assert()
        .code(3)
        .stdout(contains("seq 2"));
}
