//! The dashboard and report commands through Tauri's mock runtime, headless:
//! two invoices (one 30 days past due and half paid, one current) read back
//! to the cent by `dashboard`, `run_report` and `export_report_csv`.

mod support;

use serde_json::{json, Value};
use support::*;

fn invoice(h: &Harness, customer: i64, issued: &str, qty: &str, price: &str) -> i64 {
    let mut input = draft(customer, vec![line("Consulting", qty, price, None)]);
    input["issue_date"] = json!(issued);
    let id = h.ok("create_invoice", json!({ "input": input }))["id"]
        .as_i64()
        .unwrap();
    h.ok("issue_invoice", json!({ "id": id }));
    id
}

fn aging_request(as_of: Option<&str>) -> Value {
    json!({"kind": "aging", "filter": {"as_of": as_of}})
}

#[test]
fn dashboard_reports_and_csv_export_over_ipc() {
    let h = Harness::new();
    h.set_up();
    let customer = h.customer();
    // Today is 2 March 2026. Issued 1 January on Net 30: due 31 January,
    // 30 days past due; 300.00 less 100.00 paid on 10 February.
    let late = invoice(&h, customer, "2026-01-01", "2", "150.00");
    h.ok(
        "record_payment",
        json!({"input": {"invoice_id": late, "amount": "100.00", "date": "2026-02-10",
                         "method": "bank_transfer", "reference": null}}),
    );
    // Issued today: 1,000.00, current.
    invoice(&h, customer, "2026-03-02", "4", "250.00");

    let d = h.ok("dashboard", json!({}));
    assert_eq!(d["as_of"], "2026-03-02");
    assert_eq!(
        d["outstanding"],
        json!([{"currency": "USD", "amount": "1200.00", "count": 2}])
    );
    assert_eq!(
        d["overdue"],
        json!([{"currency": "USD", "amount": "200.00", "count": 1}])
    );
    assert_eq!(
        d["aging"]["totals"][0]["buckets"],
        json!(["1000.00", "200.00", "0.00", "0.00", "0.00"])
    );
    assert_eq!(
        d["collected_last_month"],
        json!([{"currency": "USD", "amount": "100.00", "count": 1}])
    );
    assert_eq!(d["collected_this_month"], json!([]));

    let r = h.ok("run_report", json!({ "request": aging_request(None) }));
    assert_eq!(r["kind"], "aging");
    assert_eq!(r["customers"][0]["customer_name"], "Buyer Inc");
    assert_eq!(r["customers"][0]["total"], "1200.00");
    // As of 5 February: only the January invoice existed, nothing paid yet,
    // 5 days past due.
    let r = h.ok(
        "run_report",
        json!({ "request": aging_request(Some("2026-02-05")) }),
    );
    assert_eq!(
        r["totals"][0]["buckets"],
        json!(["0.00", "300.00", "0.00", "0.00", "0.00"])
    );

    let e = h.err(
        "run_report",
        json!({"request": {"kind": "aging", "filter": {}, "bucket_bounds": [60, 30]}}),
    );
    assert_eq!(code(&e), "validation", "{e}");
    assert_eq!(fields(&e), ["bucket_bounds"]);

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("aging.csv");
    let done = h.ok(
        "export_report_csv",
        json!({"request": aging_request(None), "path": path.display().to_string()}),
    );
    assert_eq!(done["rows"], 2, "{done}");
    let csv = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        csv,
        format!(
            "as_of,customer_id,customer,currency,Current,1–30,31–60,61–90,91+,total,invoices\n\
             2026-03-02,{customer},Buyer Inc,USD,1000.00,200.00,0.00,0.00,0.00,1200.00,2\n\
             2026-03-02,,Total,USD,1000.00,200.00,0.00,0.00,0.00,1200.00,2\n"
        )
    );
    // Nothing but the file itself is left in the folder.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
