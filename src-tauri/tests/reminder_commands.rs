//! The reminder and dispute commands through Tauri's mock runtime, headless:
//! Settings → Reminders saved and refused by path, an issued invoice marked
//! disputed and resolved, and a customer's reminders switched off.

mod support;

use serde_json::json;
use support::*;

#[test]
fn reminder_policy_disputes_and_opt_out_over_ipc() {
    let h = Harness::new();
    h.set_up();
    let policy = h.ok("reminder_policy", json!({}));
    assert_eq!(policy["steps"][0]["offset_days"], 7);
    let mut steps = json!([
        {"offset_days": -3, "tone": "friendly"},
        {"offset_days": 14, "tone": "final", "late_fee": {"kind": "flat", "value": "25.00"}}
    ]);
    let saved = h.ok("set_reminder_policy", json!({"input": {"steps": steps}}));
    assert_eq!(saved["steps"][1]["late_fee"]["value"], "25.00");
    steps[1]["offset_days"] = json!(-5);
    let e = h.err("set_reminder_policy", json!({"input": {"steps": steps}}));
    assert_eq!(code(&e), "validation", "{e}");
    assert_eq!(fields(&e), ["reminder_policy[1].offset_days"]);

    let customer = h.customer();
    let lines = vec![line("Consulting", "2", "150.00", None)];
    let id = h.ok("create_invoice", json!({"input": draft(customer, lines)}))["id"]
        .as_i64()
        .unwrap();
    // A draft cannot be disputed.
    let e = h.err(
        "dispute_invoice",
        json!({"input": {"invoice_id": id, "reason": "wrong rate"}}),
    );
    assert_eq!(code(&e), "invalid_state", "{e}");
    h.ok("issue_invoice", json!({"id": id}));
    let d = h.ok(
        "dispute_invoice",
        json!({"input": {"invoice_id": id, "reason": "wrong rate", "days": 60}}),
    );
    assert_eq!(
        (
            d["dispute"]["state"].clone(),
            d["dispute"]["days_left"].clone()
        ),
        (json!("open"), json!(60))
    );
    // The answer carries the screen it leaves: disputed, and the Reminders
    // section now offers to resolve it instead of marking it again.
    let panel = &d["screen"]["reminders"];
    assert_eq!(
        (
            panel["can_mark_disputed"].clone(),
            panel["can_resolve_dispute"].clone()
        ),
        (json!(false), json!(true)),
        "{d}"
    );
    let e = h.err(
        "resolve_dispute",
        json!({"input": {"invoice_id": id, "outcome": "maybe"}}),
    );
    assert_eq!(fields(&e), ["outcome"]);
    let r = h.ok(
        "resolve_dispute",
        json!({"input": {"invoice_id": id, "outcome": "upheld"}}),
    );
    assert!(
        r["dispute"]["next"]
            .as_str()
            .unwrap()
            .contains("credit note"),
        "{r}"
    );
    assert_eq!(r["screen"]["reminders"]["can_resolve_dispute"], false);
    assert_eq!(
        h.ok("invoice_dispute", json!({"id": id}))["state"],
        "upheld"
    );
    assert_eq!(h.ok("disputes_past_window", json!({})), json!([]));
    assert_eq!(h.ok("list_reminders", json!({"due": false})), json!([]));
    assert_eq!(h.ok("invoice_reminders", json!({"id": id})), json!([]));
    assert_eq!(
        h.ok(
            "set_customer_reminders",
            json!({"input": {"customer_id": customer, "opt_out": true}})
        ),
        json!(true)
    );
}
