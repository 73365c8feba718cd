//! `invoicer report …` and `invoicer dashboard` through the real binary on
//! the hand-computed fixture of `tests/reports_money_fixture.rs` (built with
//! the app on a manual clock, then read by the binary): the same figures as
//! the app's API, as JSON, as a text table and as streamed CSV.

#[path = "../../../tests/reports_money_fixture.rs"]
mod fixture;

mod common;

use common::{cli, refused};
use serde_json::{json, Value};

fn reports_cli(dir: &std::path::Path) -> assert_cmd::Command {
    let mut c = cli(dir);
    c.env("INVOICER_USER", fixture::ADMIN_EMAIL)
        .env("INVOICER_PASSWORD", fixture::ADMIN_PASSWORD);
    c
}

fn run(dir: &std::path::Path, args: &[&str]) -> String {
    let out = reports_cli(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn run_json(dir: &std::path::Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&run(dir, &all)).unwrap()
}

#[test]
fn reports_through_the_binary_match_the_hand_computed_figures() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let f = fixture::build(d);

    let a = run_json(d, &["report", "aging", "--as-of", "2026-11-21"]);
    assert_eq!(a["kind"], "aging");
    assert_eq!(
        a["totals"],
        json!([
            {"customer_id": null, "customer_name": null, "currency": "EUR",
             "buckets": ["2500.00", "0.00", "1000.00", "0.00", "0.00"],
             "total": "3500.00", "invoice_count": 2},
            {"customer_id": null, "customer_name": null, "currency": "USD",
             "buckets": ["700.00", "2350.00", "0.00", "500.00", "600.00"],
             "total": "4150.00", "invoice_count": 16}
        ])
    );
    // As of 20 September, as a text table.
    let text = run(
        d,
        &[
            "report",
            "aging",
            "--as-of",
            "2026-09-20",
            "--currency",
            "USD",
        ],
    );
    let total_line = text.lines().find(|l| l.starts_with("Total")).unwrap();
    let cells: Vec<&str> = total_line.split_whitespace().collect();
    assert_eq!(
        cells,
        ["Total", "USD", "700.00", "800.00", "0.00", "0.00", "600.00", "2100.00", "3"]
    );
    // Buckets given on the command line.
    let a = run_json(
        d,
        &[
            "report",
            "aging",
            "--as-of",
            "2026-11-21",
            "--currency",
            "USD",
            "--buckets",
            "15,45",
        ],
    );
    assert_eq!(
        a["totals"][0]["buckets"],
        json!(["700.00", "1000.00", "1350.00", "1100.00"])
    );

    let csv = run(
        d,
        &[
            "report",
            "collection",
            "--from",
            "2026-06-01",
            "--to",
            "2026-11-21",
            "--currency",
            "USD",
            "--csv",
        ],
    );
    assert_eq!(
        csv,
        "period,period_start,period_end,currency,invoiced,collected,collection_rate_percent\n\
         2026-06,2026-06-01,2026-06-30,USD,1000.00,0.00,0.0\n\
         2026-07,2026-07-01,2026-07-31,USD,2000.00,1000.00,50.0\n\
         2026-08,2026-08-01,2026-08-31,USD,800.00,2000.00,250.0\n\
         2026-09,2026-09-01,2026-09-30,USD,500.00,300.00,60.0\n\
         2026-10,2026-10-01,2026-10-31,USD,2600.00,0.00,0.0\n\
         2026-11,2026-11-01,2026-11-30,USD,700.00,750.00,107.1\n"
    );
    let c = run_json(
        d,
        &[
            "report",
            "collection",
            "--from",
            "2026-06-01",
            "--to",
            "2026-11-21",
        ],
    );
    assert_eq!(
        c["customers"][0],
        json!({"customer_id": f.northwind, "customer_name": "Northwind", "invoices_paid": 3,
               "average_days_to_pay": "47.7", "average_days_late": "17.7"})
    );

    let dso = run_json(
        d,
        &[
            "report",
            "dso",
            "--from",
            "2026-08-24",
            "--to",
            "2026-11-21",
        ],
    );
    assert_eq!(
        dso["figures"],
        json!([
            {"currency": "EUR", "receivables": "3500.00", "credit_sales": "4000.00",
             "days": 90, "dso": "78.8"},
            {"currency": "USD", "receivables": "4150.00", "credit_sales": "3800.00",
             "days": 90, "dso": "98.3"}
        ])
    );
    let text = run(
        d,
        &[
            "report",
            "dso",
            "--from",
            "2026-08-24",
            "--to",
            "2026-11-21",
        ],
    );
    assert!(text.contains("DSO = receivables"), "{text}");

    let fc = run_json(
        d,
        &[
            "report",
            "forecast",
            "--as-of",
            "2026-11-21",
            "--weeks",
            "4",
        ],
    );
    assert_eq!(
        fc["weeks"][1],
        json!({"week_start": "2026-11-16", "week_end": "2026-11-22", "currency": "USD",
               "expected": "2450.00", "from_overdue": "2450.00", "invoice_count": 4})
    );
    assert_eq!(
        fc["beyond"],
        json!([{"currency": "USD", "amount": "450.00", "count": 1}])
    );

    // The =HYPERLINK customer's name comes out as text, not a formula.
    let csv = run(d, &["report", "aging", "--as-of", "2026-11-21", "--csv"]);
    assert!(
        csv.contains(&format!(
            "2026-11-21,{},\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",USD,250.00",
            f.formula
        )),
        "{csv}"
    );

    // Whatever the real day, every fixture invoice is issued by then: the
    // outstanding totals are the fixture's.
    let dash = run_json(d, &["dashboard"]);
    assert_eq!(
        dash["outstanding"],
        json!([
            {"currency": "EUR", "amount": "3500.00", "count": 2},
            {"currency": "USD", "amount": "4150.00", "count": 16}
        ])
    );

    let (code, e) = refused(
        &mut reports_cli(d),
        &["report", "aging", "--buckets", "60,30"],
    );
    assert_eq!(
        (code, e["details"][0]["field"].clone()),
        (1, json!("bucket_bounds"))
    );
    // The automation report (reports-ops) answers through the same command.
    let out = reports_cli(d)
        .args(["--json", "report", "automation"])
        .output()
        .unwrap();
    assert!(out.status.success());
}
