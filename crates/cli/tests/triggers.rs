//! `invoicer trigger …` through the real binary: a rule cannot be enabled
//! before a test, `trigger test rule` prints the would-be invoice (built-in
//! sample or `--event FILE.json`) with a PDF pdftotext reads and writes
//! nothing, and then `trigger enable` switches the rule on.

mod common;

use common::{cli, init, json, refused};
use std::process::Command;

fn pdf_text(path: &std::path::Path) -> String {
    let out = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn invoices(dir: &std::path::Path) -> u64 {
    json(dir, &["invoice", "list"])["total_count"]
        .as_u64()
        .expect("the list's total_count")
}

#[test]
fn a_rule_is_tested_on_a_sample_or_a_file_then_enabled() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), "Acme Billing", "US", Some("CA"), "USD");
    let (code, e) = refused(
        &mut cli(dir.path()),
        &["trigger", "enable", "usage.recorded"],
    );
    assert_ne!(code, 0);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("has not passed a test run"),
        "{e}"
    );
    let before = invoices(dir.path());

    let pdf = dir.path().join("sample.pdf");
    let sample = json(
        dir.path(),
        &[
            "trigger",
            "test",
            "rule",
            "usage.recorded",
            "--pdf",
            pdf.to_str().unwrap(),
        ],
    );
    assert_eq!(sample["outcome"], "draft", "{sample}");
    assert_eq!(sample["customer_name"], "Sam Sample");
    assert_eq!(sample["totals"]["total"], "300.00");
    assert!(sample["pdf_size"].as_u64().unwrap() > 1000);
    assert!(pdf_text(&pdf).contains("Sam Sample"));

    let event = dir.path().join("event.json");
    let body = serde_json::json!({
        "type": "usage.recorded",
        "customer": {"email": "ops@initech.test", "name": "Ina Tech", "address": "1 Loop",
                     "city": "Austin", "region": "TX", "postal_code": "73301", "country": "US"},
        "lines": [{"description": "API calls", "quantity": "1000", "unit_price": "0.01"}]
    });
    // Allowed: the test writes the event file the command reads.
    #[allow(clippy::disallowed_methods)]
    std::fs::write(&event, body.to_string()).unwrap();
    let out = cli(dir.path())
        .args(["trigger", "test", "rule", "usage.recorded", "--event"])
        .arg(&event)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("would make draft for Ina Tech"), "{text}");
    assert!(text.contains("total 10.00 USD"), "{text}");
    assert!(text.contains("nothing was written or sent"), "{text}");
    assert_eq!(invoices(dir.path()), before, "a test run writes no invoice");

    let on = json(dir.path(), &["trigger", "enable", "usage.recorded"]);
    assert_eq!(on["enabled"], true);
    let rules = json(dir.path(), &["trigger", "rules"]);
    let usage = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["event_type"] == "usage.recorded")
        .unwrap();
    assert_eq!(usage["tested_by"], "admin@acme.test");
    let (_, e) = refused(
        &mut cli(dir.path()),
        &["trigger", "test", "rule", "deal.lost"],
    );
    assert_eq!(e["details"][0]["field"], "event_type", "{e}");
}
