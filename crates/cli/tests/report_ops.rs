//! `invoicer report automation|exceptions` through the real binary on the
//! shared hand-computed book (tests/report_book.rs): `--json` prints the
//! very report the app computes, `--csv` the very bytes of its CSV export,
//! and the text table shows the same figures.

#[path = "../../../tests/report_book.rs"]
mod report_book;

mod common;

use common::{cli, json};
use invoicer_app::api::*;
use report_book::{at, book};

/// The app's report for `request`, as JSON.
fn app_json(b: &report_book::Book, request: &ReportRequest) -> serde_json::Value {
    serde_json::to_value(b.f.app.report(&b.f.admin, request).unwrap()).unwrap()
}

fn app_csv(b: &report_book::Book, request: &ReportRequest) -> String {
    let mut out = Vec::new();
    b.f.app
        .export_report_csv(&b.f.admin, request, &mut out)
        .unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn automation_through_the_cli_is_the_apps_report() {
    let b = book();
    let dir = b.f.dir.path();
    // The binary runs on the system clock: the range is named, not implied.
    let args = ["report", "automation", "--to", "2026-12-23"];
    let printed = json(dir, &args);
    assert_eq!(printed["kind"], "automation");
    assert_eq!(printed["from"], "2026-09-25");
    assert_eq!(printed["by_origin"][0]["invoices"], 7);
    assert_eq!(printed["by_origin"][0]["median_minutes_to_sent"], "8.0");
    assert_eq!(printed["by_origin"][0]["p90_minutes_to_sent"], "9.6");
    assert_eq!(printed["delivery"]["success_rate"], "84.6");
    assert_eq!(printed["reminder_steps"][1]["paid_within_share"], "50.0");
    assert_eq!(printed["approvals"]["p90_hours"], "21.9");
    let request = ReportRequest::Automation {
        filter: ReportFilter {
            to: report_book::day(12, 23).into(),
            ..ReportFilter::default()
        },
        paid_within_days: None,
    };
    assert_eq!(printed, app_json(&b, &request));

    let out = cli(dir).args(args).arg("--csv").output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        app_csv(&b, &request)
    );

    let out = cli(dir)
        .args([
            "report",
            "automation",
            "--to",
            "2026-12-23",
            "--paid-within-days",
            "10",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Paid within 10 days"), "{text}");
    assert!(text.contains("success 84.6 %"), "{text}");
    assert!(text.contains("median 13.5 h, p90 21.9 h"), "{text}");
}

#[test]
fn exceptions_through_the_cli_are_the_apps_report() {
    let b = book();
    let dir = b.f.dir.path();
    // A day after the book's end in the app too, so both measure ages to
    // the end of 2026-12-23.
    b.f.clock.set(at(12, 24, 9, 0));
    let args = [
        "report",
        "exceptions",
        "--as-of",
        "2026-12-23",
        "--stale-customer-days",
        "30",
    ];
    let printed = json(dir, &args);
    let request = ReportRequest::Exceptions {
        filter: ReportFilter {
            as_of: report_book::day(12, 23).into(),
            ..ReportFilter::default()
        },
        approval_days: None,
        stale_customer_days: Some(30),
    };
    assert_eq!(printed, app_json(&b, &request));
    let counts: Vec<u64> = printed["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [1, 1, 1, 1, 1, 1, 1, 1]);
    assert_eq!(printed["items"][6]["action"], "Approve or reject");

    let out = cli(dir).args(args).arg("--csv").output().unwrap();
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(csv, app_csv(&b, &request));
    assert_eq!(csv.lines().count(), 1 + 8);

    let out = cli(dir).args(args).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Disputes past their window"), "{text}");
    assert!(
        text.contains("Decide the dispute: uphold or reject"),
        "{text}"
    );
    assert!(
        text.contains("Fix row 4's quantity and re-run the file"),
        "{text}"
    );

    // A refused option names its field.
    let out = cli(dir)
        .args(["--json", "report", "exceptions", "--currency", "XYZ"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let e: serde_json::Value = serde_json::from_slice(&out.stdout)
        .or_else(|_| serde_json::from_slice(&out.stderr))
        .unwrap();
    assert_eq!(e["details"][0]["field"], "currency", "{e}");
}
