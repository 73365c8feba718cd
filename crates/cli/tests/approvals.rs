//! Approvals through the real `invoicer` binary: an invoice waiting for
//! approval has no number, so it is sent back to draft, never voided.

mod common;
use common::{cli, init, json, refused};

#[test]
fn a_pending_invoice_is_sent_back_to_draft_and_cannot_be_voided() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init(d, "Acme Billing", "US", None, "USD");
    let added = cli(d)
        .env("ANN_PASSWORD", "approver-pass-1")
        .args([
            "--json",
            "user",
            "add",
            "--email",
            "ann@acme.test",
            "--name",
            "Ann Approver",
            "--role",
            "approver",
            "--password-env",
            "ANN_PASSWORD",
        ])
        .output()
        .unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
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
    // 12,000.00 is over the default 10,000.00 threshold.
    json(
        d,
        &[
            "invoice",
            "create",
            "--customer",
            "1",
            "--line",
            "Annual licence|1|12000.00",
        ],
    );
    let pending = json(d, &["invoice", "submit", "1"]);
    // The final approval issues now, so the state without a number that a
    // void must refuse is the one before it: pending approval.
    assert_eq!(pending["status"], "pending_approval");

    let (code, err) = refused(&mut cli(d), &["invoice", "void", "1", "--reason", "typo"]);
    assert_eq!(code, 1);
    assert_eq!(err["code"], "invalid_state", "{err}");

    let back = json(
        d,
        &["invoice", "send-back", "1", "--reason", "Price changed"],
    );
    assert_eq!(back["status"], "draft");
    assert!(back["number"].is_null());
    let trail = json(d, &["audit", "invoice", "1"]);
    assert!(
        trail.to_string().contains("invoice.sent_back_to_draft"),
        "{trail}"
    );
}
