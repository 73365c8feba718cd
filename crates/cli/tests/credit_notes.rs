//! `invoicer payment record|list|refund` and `invoicer credit-note
//! create|list|pdf` through the real binary on a fresh data folder.

use predicates::prelude::*;
use predicates::str::contains;
use serde_json::Value;

mod common;
use common::{ca_sales_tax, cli, frozen, init, json, refused, sigkill, zoe_in_california};

/// A data folder with the Foundation invoice (1672.45 USD) issued as id 1;
/// returns the year the CLI's clock numbers with.
fn issued(d: &std::path::Path) -> String {
    init(d, "Acme Billing", "US", Some("CA"), "USD");
    ca_sales_tax(d);
    zoe_in_california(d);
    let draft = json(
        d,
        &[
            "invoice",
            "create",
            "--customer",
            "1",
            "--line",
            "Consulting|10|150.00",
            "--line",
            "Hosting|1|49.99|10",
        ],
    );
    json(d, &["invoice", "issue", "1"]);
    draft["issue_date"].as_str().unwrap()[..4].to_string()
}

#[test]
fn payments_with_methods_then_a_credit_note_for_the_rest_settle_the_invoice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let year = issued(d);
    let shown = json(
        d,
        &[
            "payment",
            "record",
            "1",
            "--amount",
            "500",
            "--date",
            "2026-11-21",
            "--method",
            "cheque",
            "--reference",
            "CHQ-77",
        ],
    );
    assert_eq!(shown["status"], "partially_paid");
    let listed = json(d, &["payment", "list", "1"]);
    assert_eq!(listed[0]["method"], "cheque");
    assert_eq!(json(d, &["payment", "list"]).as_array().unwrap().len(), 1);
    cli(d)
        .args(["payment", "list"])
        .assert()
        .success()
        .stdout(contains("cheque").and(contains("CHQ-77")));

    // Text output starts with the credit note's number.
    let number = format!("CN-{year}-00001");
    cli(d)
        .args([
            "credit-note",
            "create",
            "1",
            "--line",
            "1:3",
            "--reason",
            "Three hours not worked",
        ])
        .assert()
        .success()
        .stdout(predicates::str::starts_with(number.clone()).and(contains("487.13")));
    let rest = json(
        d,
        &[
            "credit-note",
            "create",
            "1",
            "--amount",
            "685.32",
            "--reason",
            "Customer goodwill",
        ],
    );
    assert_eq!(rest["number"], format!("CN-{year}-00002"));
    assert_eq!(rest["total"], "685.32");
    let shown = json(d, &["invoice", "show", "1"]);
    assert_eq!(shown["status"], "paid");
    assert_eq!(shown["balance"], "0.00");
    assert_eq!(shown["amount_credited"], "1172.45");
    let notes = json(d, &["credit-note", "list", "1"]);
    assert_eq!(notes.as_array().unwrap().len(), 2);
    assert_eq!(notes[0]["invoice_number"], format!("INV-{year}-00001"));

    let out = d.join("cn.pdf");
    let written = json(
        d,
        &["credit-note", "pdf", "1", "--out", out.to_str().unwrap()],
    );
    assert!(written["bytes"].as_u64().unwrap() > 1000);
    let text = std::process::Command::new("pdftotext")
        .arg(&out)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("Credit note") && text.contains(&number),
        "{text}"
    );
}

#[test]
fn a_credit_note_above_what_is_left_and_bad_lines_are_refused_with_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    issued(d);
    let (code, err) = refused(
        &mut cli(d),
        &[
            "credit-note",
            "create",
            "1",
            "--amount",
            "1672.46",
            "--reason",
            "x",
        ],
    );
    assert_ne!(code, 0);
    assert_eq!(err["details"][0]["field"], "amount");
    assert!(
        err["message"].as_str().unwrap().contains("left to credit"),
        "{err}"
    );
    let (_, err) = refused(
        &mut cli(d),
        &[
            "credit-note",
            "create",
            "1",
            "--line",
            "one",
            "--reason",
            "x",
        ],
    );
    assert_eq!(err["details"][0]["field"], "lines[0]");
    let (_, err) = refused(
        &mut cli(d),
        &["credit-note", "create", "1", "--line", "9", "--reason", "x"],
    );
    assert!(
        err["message"].as_str().unwrap().contains("lines 1 to 2"),
        "{err}"
    );
    let (_, err) = refused(
        &mut cli(d),
        &[
            "payment",
            "record",
            "1",
            "--amount",
            "5",
            "--date",
            "2026-11-21",
            "--method",
            "bitcoin",
        ],
    );
    assert_eq!(err["details"][0]["field"], "method");
    assert_eq!(json(d, &["credit-note", "list"]), Value::Array(vec![]));
}

#[test]
fn a_refund_after_a_credit_note_on_a_paid_invoice_pays_the_credit_out() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    issued(d);
    json(
        d,
        &[
            "payment",
            "record",
            "1",
            "--amount",
            "1672.45",
            "--date",
            "2026-11-21",
        ],
    );
    json(
        d,
        &[
            "credit-note",
            "create",
            "1",
            "--amount",
            "72.45",
            "--reason",
            "Discount agreed late",
        ],
    );
    assert_eq!(json(d, &["invoice", "show", "1"])["balance"], "-72.45");
    let shown = json(
        d,
        &[
            "payment",
            "refund",
            "1",
            "--amount",
            "72.45",
            "--date",
            "2026-11-22",
            "--method",
            "bank-transfer",
        ],
    );
    assert_eq!(shown["balance"], "0.00");
    assert_eq!(shown["status"], "paid");
}

#[test]
fn a_credit_note_killed_between_its_number_and_its_pdf_leaves_no_gap() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let year = issued(d);
    // SIGKILL after the number was taken, before the PDF was rendered.
    sigkill(frozen(
        d,
        &[
            "credit-note",
            "create",
            "1",
            "--amount",
            "10",
            "--reason",
            "Killed",
        ],
        "credit_note_numbered",
    ));
    assert_eq!(json(d, &["credit-note", "list"]), Value::Array(vec![]));
    assert_eq!(json(d, &["invoice", "show", "1"])["balance"], "1672.45");
    let first = json(
        d,
        &[
            "credit-note",
            "create",
            "1",
            "--amount",
            "10",
            "--reason",
            "After the crash",
        ],
    );
    assert_eq!(first["number"], format!("CN-{year}-00001"));
    assert_eq!(json(d, &["audit", "verify"])["intact"], true);
}
