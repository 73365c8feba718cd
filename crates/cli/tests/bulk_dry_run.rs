//! `invoicer bulk send FILE --dry-run` on real files: a generated export
//! with a fault in every third invoice, a European semicolon file, and a
//! Windows-1252 file whose encoding must be confirmed. The dry run names
//! each faulty row and writes nothing.

mod common;

use common::{ca_sales_tax, cli, init, json};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/bulk")
        .join(name)
}

/// A company that can invoice in the generator's currencies.
fn company(d: &Path) {
    init(d, "Acme", "US", Some("CA"), "USD");
    ca_sales_tax(d);
    for c in ["EUR", "GBP", "PLN"] {
        json(
            d,
            &["settings", "rate-add", c, "1.10", "--from", "2026-01-01"],
        );
    }
}

fn dry_run(d: &Path, file: &Path, extra: &[&str]) -> (i32, Value) {
    let out = cli(d)
        .args(["--json", "bulk", "send"])
        .arg(file)
        .arg("--dry-run")
        .args(extra)
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), report)
}

#[test]
fn a_dry_run_names_exactly_the_faulty_invoices_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    company(d);
    let file = d.join("export.csv");
    let made = std::process::Command::new("python3")
        .arg(fixture("gen_bulk_csv.py"))
        .args(["150", file.to_str().unwrap(), "--bad-every", "3"])
        .status()
        .unwrap();
    assert!(made.success());
    // The faulty invoices, as the generator's `note` column says.
    let mut reader = csv::Reader::from_path(&file).unwrap();
    let headers = reader.headers().unwrap().clone();
    let (key, note) = (
        headers.iter().position(|h| h == "invoice_ref").unwrap(),
        headers.iter().position(|h| h == "note").unwrap(),
    );
    let mut all = BTreeSet::new();
    let mut faulty = BTreeSet::new();
    let mut line_of = std::collections::BTreeMap::new();
    for (i, r) in reader.records().enumerate() {
        let r = r.unwrap();
        all.insert(r[key].to_string());
        line_of.insert(i as u64 + 2, r[key].to_string());
        // A missing tax id is only a fault where the company requires one.
        if !r[note].is_empty() && &r[note] != "missing_tax_id" {
            faulty.insert(r[key].to_string());
        }
    }
    let (code, report) = dry_run(d, &file, &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["rows"], 150);
    let reported: BTreeSet<String> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| line_of[&p["line"].as_u64().unwrap()].clone())
        .collect();
    // A missing tax id on one row still makes its invoice's rows disagree.
    assert!(reported.is_superset(&faulty), "{reported:?} vs {faulty:?}");
    let extra: Vec<&String> = reported.difference(&faulty).collect();
    assert!(
        extra.iter().all(|k| report["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| &&line_of[&p["line"].as_u64().unwrap()] == k && p["field"] == "tax_id")),
        "only the tax-id invoices besides: {extra:?}"
    );
    assert_eq!(
        report["invoices"].as_u64().unwrap() + report["refused_invoices"].as_u64().unwrap(),
        all.len() as u64
    );
    assert_eq!(
        report["refused_invoices"].as_u64().unwrap(),
        reported.len() as u64
    );
    for p in report["problems"].as_array().unwrap() {
        assert!(!p["reason"].as_str().unwrap().is_empty(), "{p}");
    }
    // Nothing was written: no invoice, no customer.
    assert_eq!(json(d, &["invoice", "list"])["total_count"], 0);
    assert_eq!(json(d, &["customer", "list"]).as_array().unwrap().len(), 0);
}

#[test]
fn a_european_file_is_read_with_its_decimal_comma_and_day_first_dates() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    company(d);
    let (code, report) = dry_run(d, &fixture("european-bom-semicolon.csv"), &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["encoding_certain"], true, "a BOM is certain");
    assert_eq!(
        report["columns"][0]["header"], "Rechnungsnummer",
        "no BOM in the header"
    );
    assert_eq!(report["columns"][0]["field"], "invoice_key", "{report}");
    assert_eq!(report["delimiter"], ";", "{report}");
    assert_eq!(report["decimal_separator"], ",", "{report}");
    assert_eq!(report["date_style"], "day_month_year", "{report}");
    // The only problem: a description with a line break in a quoted field,
    // read whole, then refused because an invoice line prints on one line.
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{report}");
    assert_eq!(problems[0]["line"], 3);
    assert_eq!(problems[0]["field"], "description");
    assert_eq!(problems[0]["column"], "Beschreibung");
    assert_eq!(report["invoices"], 2, "{report}");
    assert_eq!(report["totals"][0]["currency"], "EUR");
    // 1.000 × 0,0125 (a thousand units at a sub-cent price) + 1 × 99,00: no
    // number read any other way gives this.
    assert_eq!(report["totals"][0]["total"], "111.50");
}

#[test]
fn a_guessed_encoding_is_shown_for_confirmation_before_any_row_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    company(d);
    let file = fixture("windows-1252.csv");
    let (code, report) = dry_run(d, &file, &[]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["encoding_certain"], false);
    assert_eq!(report["encoding"], "windows-1252");
    assert!(report["needs_confirmation"]
        .as_array()
        .unwrap()
        .contains(&Value::from("encoding")));
    assert_eq!(
        report["rows"], 0,
        "no row is read before the encoding is confirmed"
    );
    // The preview is decoded with the guess, so a person sees the umlauts.
    let preview = report["preview"].to_string();
    assert!(
        preview.contains('ü') || preview.contains('ö') || preview.contains('ä'),
        "{preview}"
    );
    let (_, confirmed) = dry_run(d, &file, &["--encoding", "windows-1252"]);
    assert_eq!(confirmed["encoding_certain"], true);
    assert!(!confirmed["needs_confirmation"]
        .as_array()
        .unwrap()
        .contains(&Value::from("encoding")));
}

#[test]
fn a_confirmed_mapping_is_saved_as_a_profile_and_the_next_file_reads_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    company(d);
    // The file names customers by email only: they are on record already.
    for (name, email) in [
        ("Jürgen Größe", "JG@example.de"),
        ("Öztürk Bäckerei", "oe@example.de"),
    ] {
        json(
            d,
            &[
                "customer",
                "add",
                "--name",
                name,
                "--email",
                email,
                "--address",
                "Domkloster 4",
                "--city",
                "Köln",
                "--postal-code",
                "50667",
                "--country",
                "DE",
            ],
        );
    }
    let file = fixture("windows-1252.csv");
    let (code, saved) = dry_run(
        d,
        &file,
        &[
            "--encoding",
            "windows-1252",
            "--map",
            "Kundennummer=invoice_key",
            "--save-profile",
            "Legacy ERP",
        ],
    );
    assert_eq!(code, 0, "{saved}");
    assert_eq!(saved["profile"], "Legacy ERP");
    assert_eq!(saved["invoices"], 2, "{saved}");
    assert_eq!(saved["new_customers"], 0, "matched by email, in any case");
    // The next export from the same system needs no confirmation: the
    // encoding and the mapping come from the profile.
    let (code, again) = dry_run(d, &file, &["--profile", "Legacy ERP"]);
    assert_eq!(code, 0, "{again}");
    assert_eq!(again["encoding"], "windows-1252");
    assert_eq!(again["encoding_certain"], true);
    assert_eq!(again["columns"], saved["columns"]);
    assert_eq!(again["invoices"], saved["invoices"]);
    let out = cli(d)
        .args(["--json", "bulk", "send"])
        .arg(&file)
        .args(["--dry-run", "--profile", "Nobody's"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(err["details"][0]["field"], "profile");
}
