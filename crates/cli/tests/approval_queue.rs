//! `invoicer approval list | approve | reject` through the real binary: a
//! specialist's 12,000.00 invoice waits on Issue, its maker's approval is
//! refused with a sentence that says why, an approver's issues it, and a
//! rejection's reason is what the maker sees.

use serde_json::Value;

mod common;
use common::{cli, init, json};

fn add_user(d: &std::path::Path, email: &str, role: &str) {
    let out = cli(d)
        .env("NEW_PASSWORD", "pass-word-1")
        .args(["--json", "user", "add", "--email", email, "--name", email])
        .args(["--role", role, "--password-env", "NEW_PASSWORD"])
        .output()
        .unwrap();
    ok(out);
}

/// Runs `args` signed in as `email` (whose password is `pass-word-1`).
fn as_user(d: &std::path::Path, email: &str, args: &[&str]) -> std::process::Output {
    cli(d)
        .env("INVOICER_USER", email)
        .env("INVOICER_PASSWORD", "pass-word-1")
        .arg("--json")
        .args(args)
        .output()
        .unwrap()
}

fn ok(out: std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn the_approvers_queue_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init(d, "Acme Billing", "US", None, "USD");
    add_user(d, "sam@acme.test", "specialist");
    add_user(d, "ann@acme.test", "approver");
    json(
        d,
        &[
            "customer",
            "add",
            "--name",
            "Bob Buyer",
            "--email",
            "bob@buyer.test",
            "--address",
            "1 Market St",
            "--city",
            "Springfield",
            "--region",
            "IL",
            "--postal-code",
            "12345",
            "--country",
            "US",
        ],
    );
    for _ in 0..2 {
        ok(as_user(
            d,
            "sam@acme.test",
            &[
                "invoice",
                "create",
                "--customer",
                "1",
                "--line",
                "Annual licence|1|12000.00",
            ],
        ));
    }
    let waiting = ok(as_user(d, "sam@acme.test", &["invoice", "issue", "1"]));
    assert_eq!(waiting["status"], "pending_approval");
    assert!(waiting["number"].is_null());
    // Issue & send waits too, and its approval will send it.
    let to_send = ok(as_user(
        d,
        "sam@acme.test",
        &["invoice", "issue", "2", "--send"],
    ));
    assert_eq!(to_send["status"], "pending_approval");
    assert_eq!(to_send["approval"]["send_on_approval"], true);

    // The maker may not approve: a specialist has no approver role.
    let out = as_user(d, "sam@acme.test", &["approval", "approve", "1"]);
    assert!(!out.status.success());
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["code"], "forbidden", "{err}");
    assert_eq!(
        err["message"],
        "your role (specialist) is not allowed to approve invoices: only an approver or admin may, and never the invoice's maker",
        "{err}"
    );
    // The refusal changed nothing: the invoice still waits.
    let shown = ok(as_user(d, "sam@acme.test", &["invoice", "show", "1"]));
    assert_eq!(shown["status"], "pending_approval");

    let queue = ok(as_user(d, "ann@acme.test", &["approval", "list"]));
    assert_eq!(queue["waiting_for_you"], 2);
    assert_eq!(queue["rows"][0]["maker"], "sam@acme.test");
    assert_eq!(queue["rows"][0]["level"], 1);
    let text = cli(d)
        .env("INVOICER_USER", "ann@acme.test")
        .env("INVOICER_PASSWORD", "pass-word-1")
        .args(["approval", "list"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("2 waiting, 2 for you"), "{text}");

    let issued = ok(as_user(
        d,
        "ann@acme.test",
        &["approval", "approve", "1", "--no-send"],
    ));
    assert_eq!(issued["status"], "issued");
    assert!(issued["number"].as_str().unwrap().starts_with("INV-"));

    let out = as_user(
        d,
        "ann@acme.test",
        &["approval", "reject", "2", "--reason", ""],
    );
    assert!(!out.status.success());
    ok(as_user(
        d,
        "ann@acme.test",
        &[
            "approval",
            "reject",
            "2",
            "--reason",
            "Licence is 11,000.00 this year",
        ],
    ));
    let seen = ok(as_user(d, "sam@acme.test", &["invoice", "show", "2"]));
    assert_eq!(
        seen["approval"]["rejection"]["reason"],
        "Licence is 11,000.00 this year"
    );
    let shown = cli(d)
        .env("INVOICER_USER", "sam@acme.test")
        .env("INVOICER_PASSWORD", "pass-word-1")
        .args(["invoice", "show", "2"])
        .output()
        .unwrap();
    let shown = String::from_utf8(shown.stdout).unwrap();
    assert!(shown.contains("rejected by ann@acme.test"), "{shown}");
}
