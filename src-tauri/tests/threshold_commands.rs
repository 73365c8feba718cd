//! The threshold commands through Tauri's mock runtime, headless: a rule
//! created over IPC is disabled and cannot be enabled before its test run;
//! the test run answers with the would-be invoice and its PDF and writes no
//! invoice; enable and disable answer with the rule; an entry recorded by
//! hand crosses the threshold in one call; a specialist may record hours
//! but not define rules (the backend refuses, whatever the UI shows).

mod support;

use serde_json::json;
use support::*;

#[test]
fn a_threshold_is_tested_enabled_and_billed_over_ipc_and_rules_are_for_admins() {
    let h = Harness::new();
    h.set_up();
    let customer = h.customer();
    let input = json!({
        "customer_id": customer, "measure": "hours", "unit_price": "100.00",
        "quantity_threshold": "10", "action": "issue",
    });
    let r = h.ok("create_threshold", json!({"input": input}));
    let id = r["id"].as_i64().unwrap();
    assert_eq!(r["state"], "disabled");
    assert_eq!(r["progress"]["label"], "0 of 10 h · 0.00 USD");
    let e = h.err("enable_threshold", json!({"id": id}));
    assert_eq!(code(&e), "invalid_state", "{e}");

    let run = h.ok("test_threshold", json!({"id": id}));
    assert_eq!(run["sample"], true);
    assert_eq!(run["outcome"], "issued");
    assert!(run["tested_at"].is_string());
    assert!(!run["pdf_bytes"].as_array().unwrap().is_empty());
    let list = h.ok("list_invoices", json!({"query": {"status": null, "customer_id": null, "date_from": null, "date_to": null, "search": null, "sort": "issue_date", "descending": false, "page": 1, "page_size": 50}}));
    assert_eq!(list["total_count"], 0, "the test run made no invoice");

    assert_eq!(
        h.ok("enable_threshold", json!({"id": id}))["state"],
        "active"
    );
    let entry = json!({"input": {"customer_id": customer, "measure": "hours", "quantity": "12",
                                 "description": "Consulting", "occurred_on": "2030-01-02"}});
    let recorded = h.ok("record_usage", entry);
    assert_eq!(recorded["outcome"], "issued");
    assert!(recorded["invoice_number"].is_string(), "{recorded}");
    let all = h.ok("list_thresholds", json!({}));
    assert_eq!(all[0]["billings"].as_array().unwrap().len(), 1);
    assert_eq!(
        h.ok("disable_threshold", json!({"id": id}))["state"],
        "disabled"
    );

    h.ok(
        "add_user",
        json!({"input": {"email": SPECIALIST.0, "name": "Sam", "role": "specialist",
                         "password": SPECIALIST.1}}),
    );
    h.ok("sign_out", json!({}));
    h.sign_in(SPECIALIST);
    let e = h.err("create_threshold", json!({"input": input}));
    assert_eq!(code(&e), "forbidden", "{e}");
    let e = h.err("test_threshold", json!({"id": id}));
    assert_eq!(code(&e), "forbidden", "{e}");
    assert_eq!(
        h.ok("list_thresholds", json!({})).as_array().unwrap().len(),
        1
    );
}
