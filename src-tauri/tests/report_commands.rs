//! The dashboard and report commands through Tauri's mock runtime, headless,
//! on the hand-computed fixture of `tests/reports_money_fixture.rs`: the
//! figures to the cent through `dashboard`, `run_report` and
//! `export_report_csv` (a real file, written whole), and a refused request
//! naming its field.

#[path = "../../tests/reports_money_fixture.rs"]
mod fixture;
mod support;

use serde_json::{json, Value};
use support::*;

fn aging_request(as_of: Option<&str>) -> Value {
    json!({"kind": "aging", "filter": {"as_of": as_of}})
}

#[test]
fn dashboard_reports_and_csv_export_over_ipc() {
    let dir = tempfile::tempdir().unwrap();
    let f = fixture::build(dir.path());
    let (formula, northwind) = (f.formula, f.northwind);
    let h = Harness::over(f.app);
    h.sign_in((fixture::ADMIN_EMAIL, fixture::ADMIN_PASSWORD));

    let d = h.ok("dashboard", json!({}));
    assert_eq!(d["as_of"], "2026-11-21");
    assert_eq!(
        d["outstanding"],
        json!([
            {"currency": "EUR", "amount": "3500.00", "count": 2},
            {"currency": "USD", "amount": "4150.00", "count": 16}
        ])
    );
    assert_eq!(
        d["overdue"],
        json!([
            {"currency": "EUR", "amount": "1000.00", "count": 1},
            {"currency": "USD", "amount": "3450.00", "count": 14}
        ])
    );
    assert_eq!(
        d["collected_this_month"],
        json!([{"currency": "USD", "amount": "750.00", "count": 2}])
    );
    assert_eq!(d["dso"]["figures"][1]["dso"], "98.3");
    assert_eq!(d["needs_you"]["approvals_waiting"], 0);

    // The dashboard's aging is the report's.
    let r = h.ok("run_report", json!({ "request": aging_request(None) }));
    assert_eq!(r["kind"], "aging");
    assert_eq!(r["totals"], d["aging"]["totals"]);
    assert_eq!(r["customers"][1]["customer_id"], northwind);
    assert_eq!(r["customers"][1]["total"], "3900.00");
    let r = h.ok(
        "run_report",
        json!({ "request": aging_request(Some("2026-09-20")) }),
    );
    assert_eq!(
        r["totals"][1]["buckets"],
        json!(["700.00", "800.00", "0.00", "0.00", "600.00"])
    );
    let c = h.ok(
        "run_report",
        json!({"request": {"kind": "collection", "period": "quarter",
                           "filter": {"from": "2026-07-01", "to": "2026-09-30", "currency": "USD"}}}),
    );
    assert_eq!(
        (
            c["periods"][0]["label"].clone(),
            c["periods"][0]["invoiced"].clone(),
            c["periods"][0]["collected"].clone()
        ),
        (json!("2026-Q3"), json!("3300.00"), json!("3300.00"))
    );

    let e = h.err(
        "run_report",
        json!({"request": {"kind": "aging", "filter": {}, "bucket_bounds": [60, 30]}}),
    );
    assert_eq!(code(&e), "validation", "{e}");
    assert_eq!(fields(&e), ["bucket_bounds"]);

    let out = tempfile::tempdir().unwrap();
    let path = out.path().join("aging.csv");
    let done = h.ok(
        "export_report_csv",
        json!({"request": aging_request(None), "path": path.display().to_string()}),
    );
    assert_eq!(done["rows"], 5, "{done}");
    assert_eq!(done["path"], path.display().to_string());
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(
        csv.contains(&format!(
            "2026-11-21,{formula},\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",USD,250.00,0.00,0.00,0.00,0.00,250.00,1\n"
        )),
        "{csv}"
    );
    assert!(csv.ends_with("2026-11-21,,Total,USD,700.00,2350.00,0.00,500.00,600.00,4150.00,16\n"));
    // Nothing but the file itself is left in the folder.
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1);
    // A refused export leaves no file behind.
    let refused = out.path().join("refused.csv");
    h.err(
        "export_report_csv",
        json!({"request": {"kind": "forecast", "filter": {}, "weeks": 0},
               "path": refused.display().to_string()}),
    );
    assert!(!refused.exists());
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1);
}
