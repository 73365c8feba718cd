//! The automation and exceptions reports and the dashboard's "needs you
//! today" through the IPC commands on Tauri's mock runtime, over the shared
//! hand-computed book (tests/report_book.rs): `run_report` answers exactly
//! the app's report, `export_report_csv` writes its CSV, and `dashboard`
//! carries the signed-in person's counts.

#[path = "../../tests/report_book.rs"]
mod report_book;
mod support;

use invoicer_app::api::*;
use report_book::book;
use serde_json::{json, Value};
use support::Harness;

fn window(b: &report_book::Book, who: (&str, &str)) -> Harness {
    let app = invoicer_app::Invoicer::open(b.f.dir.path(), b.f.clock.clone()).unwrap();
    let h = Harness::over(app);
    h.sign_in(who);
    h
}

const ADMIN: (&str, &str) = ("admin@acme.test", invoicer_tests::ADMIN_PASSWORD);

#[test]
fn run_report_answers_the_apps_automation_and_exceptions_reports() {
    let b = book();
    let h = window(&b, ADMIN);

    let r = h.ok(
        "run_report",
        json!({"request": {"kind": "automation", "filter": {}}}),
    );
    assert_eq!(r["kind"], "automation");
    let manual = &r["by_origin"][0];
    assert_eq!(
        (manual["invoices"].clone(), manual["share"].clone()),
        (json!(7), json!("63.6"))
    );
    assert_eq!(manual["median_minutes_to_sent"], "8.0");
    assert_eq!(manual["p90_minutes_to_sent"], "9.6");
    assert_eq!(r["by_origin"][3]["median_minutes_to_sent"], "30.0");
    assert_eq!(
        r["delivery"],
        json!({"sent": 11, "failed": 1, "unknown": 1, "pending": 0, "retried": 1,
               "success_rate": "84.6", "retry_rate": "7.7"})
    );
    assert_eq!(
        r["reminder_steps"],
        json!([
            {"step": 1, "sent": 3, "paid_within": 1, "paid_within_share": "33.3"},
            {"step": 2, "sent": 2, "paid_within": 1, "paid_within_share": "50.0"},
            {"step": 3, "sent": 1, "paid_within": 0, "paid_within_share": "0.0"},
        ])
    );
    assert_eq!(
        r["approvals"],
        json!({"decided": 2, "pending": 2, "median_hours": "13.5", "p90_hours": "21.9"})
    );
    let app =
        b.f.app
            .automation_report(&b.f.admin, &ReportFilter::default(), None)
            .unwrap();
    assert_eq!(r, serde_json::to_value(Report::Automation(app)).unwrap());

    let request = json!({"kind": "exceptions", "filter": {}, "stale_customer_days": 30});
    let r = h.ok("run_report", json!({ "request": request }));
    let counts: Vec<(String, u64)> = r["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_string(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        [
            ("failed_delivery".to_string(), 1),
            ("unknown_delivery".into(), 1),
            ("invalid_bulk_row".into(), 1),
            ("refused_event".into(), 1),
            ("failed_trigger".into(), 1),
            ("dispute_past_window".into(), 1),
            ("stale_approval".into(), 1),
            ("stale_customer".into(), 1),
        ]
    );
    assert_eq!(r["items"][0]["invoice_id"], b.m3);
    assert_eq!(r["items"][0]["record_id"], b.m3_delivery);
    assert_eq!(
        r["items"][5]["action"],
        "Decide the dispute: uphold or reject"
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exceptions.csv");
    let done = h.ok(
        "export_report_csv",
        json!({"request": request, "path": path.display().to_string()}),
    );
    assert_eq!(done["rows"], 8, "{done}");
    let written = std::fs::read_to_string(&path).unwrap();
    let mut expected = Vec::new();
    b.f.app
        .export_report_csv(
            &b.f.admin,
            &serde_json::from_value::<ReportRequest>(request).unwrap(),
            &mut expected,
        )
        .unwrap();
    assert_eq!(written, String::from_utf8(expected).unwrap());
}

#[test]
fn the_dashboard_tells_each_person_what_needs_them() {
    let b = book();
    let needs = |h: &Harness| -> Value { h.ok("dashboard", json!({}))["needs_you"].clone() };
    let h = window(&b, ADMIN);
    assert_eq!(
        needs(&h),
        json!({"approvals_waiting": 1, "failed_deliveries": 1, "unknown_deliveries": 1,
               "disputes_near_window_end": 2, "bulk_rows_with_errors": 1,
               "failed_triggers": 2})
    );
    // Ben may give both waiting approvals; the specialist none.
    let ben = window(&b, ("ben@acme.test", "password-123"));
    assert_eq!(needs(&ben)["approvals_waiting"], 2);
    let sam = window(&b, ("sam@acme.test", "password-123"));
    assert_eq!(needs(&sam)["approvals_waiting"], 0);
    assert_eq!(needs(&sam)["failed_deliveries"], 1);
}
