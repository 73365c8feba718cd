//! Settings → Approvals through Tauri's mock runtime, headless: the admin
//! reads the rules and replaces them in one call each, a refused field comes
//! back named by its path with nothing saved, a specialist is refused
//! whatever the UI sends, and the saved rules decide the next invoice.

mod support;

use serde_json::json;
use support::*;

#[test]
fn the_approval_rules_round_trip_over_ipc_for_admins_only() {
    let h = Harness::new();
    h.set_up();
    h.ok(
        "add_user",
        json!({"input": {"email": SPECIALIST.0, "name": "Sam", "role": "specialist", "password": SPECIALIST.1}}),
    );
    let customer = h.customer();

    let rules = h.ok("approval_rules", json!({}));
    assert_eq!(rules["currency"], "USD");
    assert_eq!(
        rules["levels"],
        json!([{"min_total": "10000.00", "approvers": 1}, {"min_total": "100000.00", "approvers": 2}])
    );

    // A bad amount is named by its path, and nothing is saved.
    let mut bad = rules.clone();
    bad["levels"][1]["min_total"] = json!("lots");
    let e = h.err("update_approval_rules", json!({"input": bad}));
    assert_eq!(code(&e), "validation", "{e}");
    assert_eq!(fields(&e), ["levels[1].min_total"]);
    assert_eq!(e["details"][0]["value"], "lots");
    assert_eq!(h.ok("approval_rules", json!({})), rules);

    let mut lower = rules.clone();
    lower["levels"][0]["min_total"] = json!("5000.00");
    lower["scoped"] = json!([{"scope": {"kind": "customer", "customer_id": customer}, "min_total": null, "approvers": 1}]);
    let saved = h.ok("update_approval_rules", json!({"input": lower}));
    assert_eq!(saved["levels"][0]["min_total"], "5000.00");
    assert_eq!(saved["scoped"][0]["scope"]["customer_name"], "Bob Buyer");

    h.ok("sign_out", json!({}));
    h.sign_in(SPECIALIST);
    for (cmd, args) in [
        ("approval_rules", json!({})),
        ("update_approval_rules", json!({"input": rules})),
    ] {
        let e = h.err(cmd, args);
        assert_eq!(code(&e), "forbidden", "{cmd}: {e}");
    }
    // The rules the admin saved decide: the customer's rule makes even a
    // small invoice wait.
    let lines = vec![line("Support", "1", "100.00", None)];
    let id = h.ok("create_invoice", json!({"input": draft(customer, lines)}))["id"]
        .as_i64()
        .unwrap();
    let waiting = h.ok("issue_invoice", json!({"id": id}))["invoice"].clone();
    assert_eq!(waiting["status"], "pending_approval");
    assert_eq!(
        waiting["approval"]["rule"],
        "every invoice for customer 1: one approver"
    );
}
