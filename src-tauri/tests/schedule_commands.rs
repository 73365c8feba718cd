//! The schedule commands through Tauri's mock runtime, headless: a schedule
//! created over IPC is disabled and cannot be enabled before its test run;
//! the test run shows the would-be invoice and writes no invoice; the
//! preview lists the next 12 periods; pause, resume and skip answer with the
//! schedule as it now is.

mod support;

use serde_json::json;
use support::*;

#[test]
fn a_schedule_is_tested_enabled_paused_resumed_and_skipped_over_ipc() {
    let h = Harness::new();
    h.set_up();
    let customer = h.customer();
    let input = json!({
        "customer_id": customer,
        "lines": [line("Monthly retainer", "1", "500.00", None)],
        "frequency": "monthly",
        "anchor": "2030-01-31",
        "mode": "draft",
    });
    let s = h.ok("create_schedule", json!({"input": input}));
    let id = s["id"].as_i64().unwrap();
    assert_eq!(s["state"], "disabled");
    let e = h.err("resume_schedule", json!({"id": id}));
    assert_eq!(code(&e), "invalid_state", "{e}");

    let preview = h.ok("preview_schedule", json!({"id": id}));
    let dates: Vec<&str> = preview
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["invoice_date"].as_str().unwrap())
        .collect();
    assert_eq!(dates.len(), 12);
    assert_eq!(&dates[..3], ["2030-01-31", "2030-02-28", "2030-03-31"]);

    let run = h.ok("test_schedule", json!({"id": id}));
    assert_eq!(run["outcome"], "draft");
    assert_eq!(run["customer_name"], "Bob Buyer");
    assert!(!run["pdf_bytes"].as_array().unwrap().is_empty());
    let list = h.ok("list_invoices", json!({"query": {"status": null, "customer_id": null, "date_from": null, "date_to": null, "search": null, "sort": "issue_date", "descending": false, "page": 1, "page_size": 50}}));
    assert_eq!(list["total_count"], 0, "the test run made no invoice");

    assert_eq!(
        h.ok("resume_schedule", json!({"id": id}))["state"],
        "active"
    );
    let paused = h.ok("pause_schedule", json!({"id": id}));
    assert_eq!(paused["state"], "paused");
    assert_eq!(
        h.ok("resume_schedule", json!({"id": id}))["state"],
        "active"
    );
    let skipped = h.ok("skip_schedule_occurrence", json!({"id": id}));
    assert_eq!(skipped["next_period"], "2030-02-28");
    let mut changed = input.clone();
    changed["name"] = json!("Globex retainer");
    let updated = h.ok(
        "update_schedule",
        json!({"input": {"id": id, "schedule": changed}}),
    );
    assert_eq!(updated["name"], "Globex retainer");
    let all = h.ok("list_schedules", json!({}));
    assert_eq!(all.as_array().unwrap().len(), 1);
}
