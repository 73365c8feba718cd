//! How a failure of the database reaches a person: the cause goes to the log,
//! once, and the answer says only "storage error (see the log)", so SQL and
//! file paths never reach a screen or a script.

mod common;

use common::{ca_sales_tax, cli, init, json, zoe_in_california};
use serde_json::Value;
use std::path::Path;

/// A customer and a draft to issue.
fn draft(d: &Path) {
    init(d, "Acme Billing", "US", Some("CA"), "USD");
    ca_sales_tax(d);
    zoe_in_california(d);
    json(
        d,
        &[
            "invoice",
            "create",
            "--customer",
            "1",
            "--line",
            "Widget|1|10.00",
        ],
    );
}

#[test]
fn a_storage_failure_is_logged_once_and_answered_without_its_cause() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    draft(d);
    // A fault planted in the file: the last write of issuing is refused.
    rusqlite::Connection::open(d.join("invoicer.db"))
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER planted_fault BEFORE INSERT ON audit_events
             WHEN NEW.action = 'invoice.issued'
             BEGIN SELECT RAISE(ABORT, 'planted disk fault'); END;",
        )
        .unwrap();

    let out = cli(d)
        .args(["--json", "invoice", "issue", "1"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("planted disk fault").count(),
        1,
        "the cause is logged exactly once:\n{stderr}"
    );
    let answer: Value = stderr
        .lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
        .unwrap_or_else(|| panic!("no JSON error on stderr:\n{stderr}"));
    assert_eq!(answer["code"], "storage");
    assert_eq!(answer["message"], "storage error (see the log)");
    assert_eq!(answer["details"], Value::Null);
}
