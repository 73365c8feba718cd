//! Stacked taxes and input limits through the real `invoicer` binary: a
//! Quebec invoice charges GST and QST, a compound rate, an exempt line whose
//! reason reaches the PDF, and overflowing input refused on its field (exit 1).

use predicates::str::contains;
use serde_json::Value;
use std::path::Path;

mod common;
use common::{cli, init, json};

fn tax(dir: &Path, region: &str, name: &str, rate: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "tax",
        "set",
        "--country",
        "CA",
        "--region",
        region,
        "--name",
        name,
        "--rate",
        rate,
    ];
    args.extend_from_slice(extra);
    json(dir, &args)
}

/// A Canadian company with a customer in `region`.
fn setup(dir: &Path, region: &str) {
    init(dir, "Érable Conseil", "CA", Some("QC"), "CAD");
    json(
        dir,
        &[
            "customer",
            "add",
            "--name",
            "Ginette Tremblay",
            "--email",
            "ginette@example.ca",
            "--address",
            "1 rue Principale",
            "--city",
            "Montréal",
            "--region",
            region,
            "--postal-code",
            "H2X 1Y4",
            "--country",
            "CA",
        ],
    );
}

fn breakdown(inv: &Value) -> Vec<(String, String)> {
    inv["tax_breakdown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().to_string(),
                t["tax"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn two_rates_set_for_one_region_both_apply() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d, "QC");
    tax(d, "QC", "GST", "5", &[]);
    tax(d, "QC", "QST", "9.975", &[]);
    // Ontario's HST is its own group and must not leak into Quebec.
    tax(d, "ON", "HST", "13", &[]);
    let draft = json(
        d,
        &[
            "invoice",
            "create",
            "--customer",
            "1",
            "--line",
            "Consulting|1|100.00",
        ],
    );
    assert_eq!(
        breakdown(&draft),
        [("GST".into(), "5.00".into()), ("QST".into(), "9.98".into())]
    );
    assert_eq!(draft["tax_total"], "14.98");
    assert_eq!(draft["total"], "114.98");
    cli(d)
        .args(["invoice", "show", "1"])
        .assert()
        .success()
        .stdout(contains("GST 5%"))
        .stdout(contains("QST 9.975%"))
        .stdout(contains("114.98"));
}

#[test]
fn compound_rate_and_exempt_line_print_on_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d, "PE");
    // Prince Edward Island before 2013: PST 10 % on the GST-inclusive amount.
    tax(d, "PE", "GST", "5", &[]);
    let pst = tax(d, "PE", "PEI PST", "10", &["--compound"]);
    assert_eq!(pst["compound"], true);
    assert_eq!(pst["position"], 2);
    let draft = json(
        d,
        &[
            "invoice",
            "create",
            "--customer",
            "1",
            "--line",
            "Consulting|1|100.00",
            "--line",
            "Licence|1|50.00||exempt=Reverse charge — Article 196 VAT Directive",
        ],
    );
    // 100.00 → GST 5.00; PST 10 % of 105.00 = 10.50; the exempt 50.00 adds no tax.
    assert_eq!(
        breakdown(&draft),
        [
            ("GST".into(), "5.00".into()),
            ("PEI PST".into(), "10.50".into())
        ]
    );
    assert_eq!(draft["total"], "165.50");
    assert_eq!(draft["lines"][1]["tax"], "0.00");
    json(d, &["invoice", "issue", "1"]);
    let pdf = d.join("invoice.pdf");
    json(d, &["invoice", "pdf", "1", "--out", pdf.to_str().unwrap()]);
    let text = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("GST"), "{text}");
    assert!(text.contains("PEI PST"), "{text}");
    assert!(text.contains("10.50"), "{text}");
    assert!(
        text.contains("Reverse charge — Article 196 VAT Directive"),
        "{text}"
    );
    assert!(text.contains("165.50"), "{text}");
    assert!(!text.contains('\u{FFFD}'), "{text}");
}

#[test]
fn an_inclusive_compound_rate_is_refused_on_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d, "QC");
    cli(d)
        .args([
            "tax",
            "set",
            "--country",
            "CA",
            "--region",
            "QC",
            "--name",
            "X",
            "--rate",
            "5",
            "--compound",
            "--inclusive",
        ])
        .assert()
        .code(1)
        .stderr(contains("compound"))
        .stderr(contains("cannot be inclusive"));
}

#[test]
fn overflowing_and_zero_amounts_are_field_errors_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d, "QC");
    tax(d, "QC", "GST", "5", &[]);
    let create = |line: &str| {
        let mut c = cli(d);
        c.args(["invoice", "create", "--customer", "1", "--line", line]);
        c
    };
    // Decimal's own limit made the binary panic (exit 101) before.
    create("Huge|79228162514264337593543950335|1")
        .assert()
        .code(1)
        .stderr(contains("lines[0].quantity"))
        .stderr(contains("too large"));
    create("Huge|1|79228162514264337593543.950335")
        .assert()
        .code(1)
        .stderr(contains("lines[0].unit_price"))
        .stderr(contains("too large"));
    // Inside each cap, but the line amount cannot be stored in minor units.
    create("Huge|1000000000|1000000000000")
        .assert()
        .code(1)
        .stderr(contains("lines[0].quantity"))
        .stderr(contains("too large to store"));
    create("Dust|1|0.001")
        .assert()
        .code(1)
        .stderr(contains("lines[0].unit_price"))
        .stderr(contains("rounds this line to 0"));
    create("Bell\u{7}|1|10")
        .assert()
        .code(1)
        .stderr(contains("lines[0].description"))
        .stderr(contains("control character"));
    let listed = json(d, &["invoice", "list"]);
    assert_eq!(listed["total_count"], 0, "nothing half-written");
}

#[test]
fn a_manual_rate_applies_only_to_the_lines_that_name_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    setup(d, "QC");
    tax(d, "QC", "GST", "5", &[]);
    tax(d, "QC", "QST", "9.975", &[]);
    let reduced = tax(d, "QC", "Reduced", "1", &["--manual"]);
    assert_eq!(reduced["manual"], true);
    let id = reduced["id"].as_i64().unwrap().to_string();
    let named = format!("Books|1|10.00|rate={id}");
    let draft = json(
        d,
        &[
            "invoice",
            "create",
            "--customer",
            "1",
            "--line",
            "Consulting|1|100.00",
            "--line",
            &named,
        ],
    );
    // 100.00 with GST and QST (14.98), 10.00 at the named 1 % only (0.10).
    assert_eq!(
        breakdown(&draft),
        [
            ("GST".into(), "5.00".into()),
            ("QST".into(), "9.98".into()),
            ("Reduced".into(), "0.10".into())
        ]
    );
    assert_eq!(draft["total"], "125.08");
}
