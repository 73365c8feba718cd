//! The approval commands through Tauri's mock runtime, headless: a
//! specialist's 12,000.00 invoice waits on Issue, the maker's own approval
//! is refused whatever the UI sends, and an approver clears the queue with
//! the batch command.

mod support;

use serde_json::json;
use support::*;

const APPROVER: (&str, &str) = ("ann@example.com", "approver password");

#[test]
fn the_queue_badge_and_batch_approval_over_ipc() {
    let h = Harness::new();
    h.set_up();
    for (who, role) in [(SPECIALIST, "specialist"), (APPROVER, "approver")] {
        h.ok(
            "add_user",
            json!({"input": {"email": who.0, "name": who.0, "role": role, "password": who.1}}),
        );
    }
    let customer = h.customer();
    h.ok("sign_out", json!({}));
    h.sign_in(SPECIALIST);
    let lines = vec![line("Annual licence", "1", "12000.00", None)];
    let id = h.ok("create_invoice", json!({"input": draft(customer, lines)}))["id"]
        .as_i64()
        .unwrap();
    let waiting = h.ok("issue_invoice", json!({"id": id}))["invoice"].clone();
    assert_eq!(waiting["status"], "pending_approval");
    assert_eq!(waiting["approval"]["next_level"], 1);

    // Whatever a caller sends, the maker's approval is refused.
    let e = h.err(
        "approve_invoice_with",
        json!({"input": {"invoice_id": id, "send": false}}),
    );
    assert_eq!(code(&e), "forbidden", "{e}");
    assert_eq!(
        e["message"],
        "your role (specialist) is not allowed to approve invoices: only an approver or admin may, and never the invoice's maker",
        "{e}"
    );
    let e = h.err("approve_invoice", json!({"id": id}));
    assert_eq!(code(&e), "forbidden", "{e}");
    let still = h.ok("get_invoice", json!({"id": id}))["invoice"].clone();
    assert_eq!(still["status"], "pending_approval");

    h.ok("sign_out", json!({}));
    h.sign_in(APPROVER);
    assert_eq!(h.ok("approvals_waiting", json!({})), json!(1));
    let queue = h.ok("approval_queue", json!({}));
    assert_eq!(queue["rows"][0]["invoice_id"], id);
    assert_eq!(queue["rows"][0]["can_decide"], true);
    let outcomes = h.ok("approve_invoices", json!({"input": {"invoice_ids": [id]}}));
    assert_eq!(outcomes[0]["ok"], true, "{outcomes}");
    assert_eq!(outcomes[0]["status"], "issued");
    assert_eq!(h.ok("approvals_waiting", json!({})), json!(0));
}

#[test]
fn a_150000_invoice_needs_two_different_approvers_over_ipc() {
    const SECOND: (&str, &str) = ("ben@example.com", "second approver password");
    let h = Harness::new();
    h.set_up();
    for (who, role) in [
        (SPECIALIST, "specialist"),
        (APPROVER, "approver"),
        (SECOND, "approver"),
    ] {
        h.ok(
            "add_user",
            json!({"input": {"email": who.0, "name": who.0, "role": role, "password": who.1}}),
        );
    }
    let customer = h.customer();
    h.ok("sign_out", json!({}));
    h.sign_in(SPECIALIST);
    let lines = vec![line("Data centre migration", "1", "150000.00", None)];
    let id = h.ok("create_invoice", json!({"input": draft(customer, lines)}))["id"]
        .as_i64()
        .unwrap();
    let waiting = h.ok("issue_invoice", json!({"id": id}))["invoice"].clone();
    assert_eq!(waiting["total"], "150000.00");
    assert_eq!(waiting["status"], "pending_approval");
    assert_eq!(waiting["approval"]["approvers_required"], 2);

    h.ok("sign_out", json!({}));
    h.sign_in(APPROVER);
    let first = h.ok("approve_invoice", json!({"id": id}))["invoice"].clone();
    assert_eq!(first["status"], "pending_approval");
    assert_eq!(first["approval"]["next_level"], 2);
    // The first approver cannot also give the second approval, whichever command they use.
    for (cmd, args) in [
        ("approve_invoice", json!({"id": id})),
        (
            "approve_invoice_with",
            json!({"input": {"invoice_id": id, "send": false}}),
        ),
    ] {
        let e = h.err(cmd, args);
        assert_eq!(code(&e), "forbidden", "{cmd}: {e}");
        assert_eq!(
            e["message"],
            "you already approved this invoice at level 1; a different approver must give the next approval",
            "{cmd}"
        );
    }
    let outcomes = h.ok("approve_invoices", json!({"input": {"invoice_ids": [id]}}));
    assert_eq!(outcomes[0]["ok"], false, "{outcomes}");
    assert_eq!(outcomes[0]["status"], "pending_approval");

    h.ok("sign_out", json!({}));
    h.sign_in(SECOND);
    let done = h.ok("approve_invoice", json!({"id": id}))["invoice"].clone();
    assert_eq!(done["status"], "issued");
    assert!(
        done["number"].as_str().unwrap().starts_with("INV-"),
        "{done}"
    );
}
