//! The event rule commands through Tauri's mock runtime, headless: the tab's
//! one read, a rule refused enabling before its test, the test run's
//! would-be invoice (no invoice written), enabling after it, a saved mapping
//! sending the rule back to "needs a test", and a specialist who may test
//! but not edit or enable — refused in the backend, not only hidden.

mod support;

use serde_json::json;
use support::*;

#[test]
fn an_event_rule_is_tested_enabled_and_edited_over_ipc() {
    let h = Harness::new();
    h.set_up();
    let view = h.ok("event_rules", json!({}));
    assert_eq!(view["rules"].as_array().unwrap().len(), 5);
    assert_eq!(view["can_edit"], true);
    assert_eq!(view["rules"][1]["event_type"], "deal.closed_won");
    assert_eq!(view["rules"][1]["needs_test"], true);
    let e = h.err(
        "set_event_rule_enabled",
        json!({"eventType": "usage.recorded", "enabled": true}),
    );
    assert_eq!(code(&e), "invalid_state", "{e}");

    let run = h.ok(
        "test_event_rule",
        json!({"input": {"event_type": "usage.recorded", "sample_event": null}}),
    );
    assert_eq!(run["outcome"], "draft");
    assert_eq!(run["totals"]["total"], "300.00");
    assert!(!run["pdf_bytes"].as_array().unwrap().is_empty());
    let list = h.ok("list_invoices", json!({"query": {"status": null, "customer_id": null, "date_from": null, "date_to": null, "search": null, "sort": "issue_date", "descending": false, "page": 1, "page_size": 50}}));
    assert_eq!(list["total_count"], 0, "the test run made no invoice");
    let on = h.ok(
        "set_event_rule_enabled",
        json!({"eventType": "usage.recorded", "enabled": true}),
    );
    assert_eq!(on["enabled"], true);

    let saved = h.ok(
        "update_event_rule",
        json!({"eventType": "usage.recorded", "input": {
            "action": "await_approval", "template": null, "terms_days": 14,
            "mapping": [{"field": "email", "path": "account.email"}]}}),
    );
    assert_eq!(saved["enabled"], false);
    assert_eq!(saved["needs_test"], true);
    assert_eq!(saved["mapping"][0]["path"], "account.email");
    let e = h.err(
        "update_event_rule",
        json!({"eventType": "usage.recorded", "input": {
            "action": "issue", "mapping": [{"field": "email", "path": "a..b"}]}}),
    );
    assert_eq!(fields(&e), ["mapping[0].path"], "{e}");

    h.ok(
        "add_user",
        json!({"input": {"email": SPECIALIST.0, "name": "Sam Specialist",
                         "role": "specialist", "password": SPECIALIST.1}}),
    );
    h.ok("sign_out", json!({}));
    h.sign_in(SPECIALIST);
    let view = h.ok("event_rules", json!({}));
    assert_eq!(view["can_edit"], false);
    assert_eq!(view["can_test"], true);
    h.ok(
        "test_event_rule",
        json!({"input": {"event_type": "time.logged", "sample_event": null}}),
    );
    let e = h.err(
        "set_event_rule_enabled",
        json!({"eventType": "order.created", "enabled": true}),
    );
    assert_eq!(code(&e), "forbidden", "{e}");
    let e = h.err(
        "update_event_rule",
        json!({"eventType": "order.created", "input": {"action": "issue", "mapping": []}}),
    );
    assert_eq!(code(&e), "forbidden", "{e}");
}
