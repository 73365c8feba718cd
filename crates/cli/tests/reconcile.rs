//! Bank statement reconciliation through the real `invoicer` binary on a
//! real SQLite file: `payment import` applies an exact reference match,
//! proposes an amount-and-customer match and an ambiguous one, leaves an
//! unknown payment unmatched, reports a malformed row by its line while the
//! others go on, and applies nothing twice however often the statement is
//! imported, even after a SIGKILL while it was applying.

mod common;

use common::{cli, frozen, init, json, refused, sigkill};
use serde_json::Value;
use std::path::Path;

/// Writes a statement the test reads; a test's own input file in its temp
/// folder, so nothing is there to be torn by writing it in place.
#[allow(clippy::disallowed_methods)]
fn write_statement(path: &Path, text: impl AsRef<[u8]>) -> std::io::Result<()> {
    std::fs::write(path, text)
}

fn customer(dir: &Path, name: &str) -> i64 {
    let email = format!(
        "{}@example.test",
        name.split(' ').next().unwrap().to_lowercase()
    );
    let c = json(
        dir,
        &[
            "customer",
            "add",
            "--name",
            name,
            "--email",
            &email,
            "--address",
            "1 Main St",
            "--city",
            "Austin",
            "--region",
            "TX",
            "--postal-code",
            "73301",
            "--country",
            "US",
        ],
    );
    c["id"].as_i64().unwrap()
}

/// An issued invoice of `amount` (tax exempt, so the total is the amount):
/// its id and number.
fn issued(dir: &Path, customer: i64, amount: &str) -> (i64, String) {
    let line = format!("Work|1|{amount}||exempt=Outside the scope of sales tax");
    let draft = json(
        dir,
        &[
            "invoice",
            "create",
            "--customer",
            &customer.to_string(),
            "--line",
            &line,
        ],
    );
    let id = draft["id"].as_i64().unwrap();
    let inv = json(dir, &["invoice", "issue", &id.to_string()]);
    assert_eq!(inv["total"], amount);
    (id, inv["number"].as_str().unwrap().to_string())
}

fn payments(dir: &Path, invoice: i64) -> Vec<Value> {
    json(dir, &["payment", "list", &invoice.to_string()])
        .as_array()
        .unwrap()
        .clone()
}

fn balance(dir: &Path, invoice: i64) -> String {
    let inv = json(dir, &["invoice", "show", &invoice.to_string()]);
    inv["balance"].as_str().unwrap().to_string()
}

struct Book {
    acme: (i64, String),
    globex: (i64, String),
    initech_a: (i64, String),
    initech_b: (i64, String),
}

fn book(dir: &Path) -> Book {
    init(dir, "Acme Billing", "US", Some("TX"), "USD");
    let acme = customer(dir, "Acme Corp");
    let globex = customer(dir, "Globex Inc");
    let initech = customer(dir, "Initech LLC");
    Book {
        acme: issued(dir, acme, "1000.00"),
        globex: issued(dir, globex, "250.00"),
        initech_a: issued(dir, initech, "99.00"),
        initech_b: issued(dir, initech, "99.00"),
    }
}

/// The statement: an exact reference match (written as a payer
/// would, lower case and spaced), an amount-and-customer match, an
/// ambiguous one, an unknown payment, money going out and a malformed date.
fn statement(dir: &Path, b: &Book) -> std::path::PathBuf {
    let spaced = b.acme.1.replace('-', " ").to_lowercase();
    let csv = format!(
        "date,amount,reference,counterparty\n\
         2026-03-02,400.00,Payment {spaced} thanks,ACME CORP\n\
         2026-03-02,250.00,Order 77,GLOBEX INC\n\
         2026-03-03,99.00,March services,Initech LLC\n\
         2026-03-03,12.34,Coffee beans,Bean Co\n\
         2026-03-04,-50.00,Bank fee,\n\
         2026-02-31,75.00,Something,Someone\n"
    );
    let path = dir.join("statement.csv");
    write_statement(&path, csv).unwrap();
    path
}

fn statuses(report: &Value) -> Vec<(u64, String)> {
    report["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["file_line"].as_u64().unwrap(),
                l["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_statement_is_applied_proposed_and_left_unmatched_and_never_applied_twice() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let b = book(d);
    let file = statement(d, &b);
    let file = file.to_str().unwrap();

    // A dry run says what would happen and writes nothing.
    let dry = json(d, &["payment", "import", file, "--dry-run"]);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["counts"]["applied"], 1);
    assert_eq!(balance(d, b.acme.0), "1000.00");
    assert_eq!(json(d, &["payment", "matches"]), serde_json::json!([]));

    let report = json(d, &["payment", "import", file]);
    assert_eq!(
        statuses(&report),
        [
            (2, "applied".to_string()),
            (3, "proposed".to_string()),
            (4, "ambiguous".to_string()),
            (5, "unmatched".to_string()),
            (6, "money_out".to_string()),
            (7, "error".to_string()),
        ]
    );
    let lines = report["lines"].as_array().unwrap();
    assert_eq!(lines[0]["invoice_number"], b.acme.1.as_str());
    assert_eq!(lines[1]["invoice_number"], b.globex.1.as_str());
    assert_eq!(lines[1]["basis"], "amount_and_customer");
    let candidates: Vec<i64> = lines[2]["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["invoice_id"].as_i64().unwrap())
        .collect();
    assert_eq!(candidates, [b.initech_a.0, b.initech_b.0]);
    // The malformed row names its line, field and value; the rows around it
    // were read all the same.
    assert_eq!(lines[5]["error"]["field"], "date");
    assert_eq!(lines[5]["error"]["value"], "2026-02-31");
    // The exact match was recorded as a partial bank-transfer payment.
    assert_eq!(balance(d, b.acme.0), "600.00");
    let paid = payments(d, b.acme.0);
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0]["method"], "bank_transfer");
    assert_eq!(paid[0]["amount"], "400.00");
    // Nothing proposed or ambiguous was applied.
    assert!(payments(d, b.globex.0).is_empty());
    assert!(payments(d, b.initech_a.0).is_empty());
    assert!(payments(d, b.initech_b.0).is_empty());

    // The same statement again applies nothing.
    let again = json(d, &["payment", "import", file]);
    assert_eq!(again["counts"]["applied"], 0);
    assert_eq!(again["counts"]["already_imported"], 5);
    assert_eq!(again["counts"]["errors"], 1);
    assert_eq!(payments(d, b.acme.0).len(), 1);

    // The lines waiting for a person: proposed, ambiguous, unmatched.
    let open = json(d, &["payment", "matches"]);
    let waiting: Vec<&str> = open
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["status"].as_str().unwrap())
        .collect();
    assert_eq!(waiting, ["proposed", "ambiguous", "unmatched"]);
    let id = |i: usize| open[i]["line_id"].as_i64().unwrap().to_string();

    // Confirming the proposal pays the invoice in full.
    let confirmed = json(d, &["payment", "confirm", &id(0)]);
    assert_eq!(confirmed["status"], "applied");
    assert_eq!(balance(d, b.globex.0), "0.00");
    let inv = json(d, &["invoice", "show", &b.globex.0.to_string()]);
    assert_eq!(inv["status"], "paid");
    // A line is applied once: confirming it again is refused.
    let (_, err) = refused(&mut cli(d), &["payment", "confirm", &id(0)]);
    assert_eq!(err["code"], "conflict");
    assert_eq!(payments(d, b.globex.0).len(), 1);

    // An ambiguous line needs the invoice picked.
    let (_, err) = refused(&mut cli(d), &["payment", "confirm", &id(1)]);
    assert_eq!(err["details"][0]["field"], "invoice");
    let picked = b.initech_b.0.to_string();
    json(d, &["payment", "confirm", &id(1), "--invoice", &picked]);
    assert_eq!(balance(d, b.initech_b.0), "0.00");
    assert_eq!(balance(d, b.initech_a.0), "99.00");

    // The unknown payment is dismissed; nothing waits any more.
    let dismissed = json(d, &["payment", "dismiss", &id(2)]);
    assert_eq!(dismissed["status"], "dismissed");
    assert_eq!(json(d, &["payment", "matches"]), serde_json::json!([]));

    // Every step is in the audit trail, and the chain holds.
    let verify = json(d, &["audit", "verify"]);
    assert_eq!(verify["intact"], true);
}

#[test]
fn an_overlapping_statement_adds_only_its_new_lines_and_text_output_names_each_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let b = book(d);
    let first = d.join("week1.csv");
    write_statement(
        &first,
        format!(
            "Date;Amount;Reference\n2026-03-02;100,00;{}\n2026-03-02;100,00;{}\n",
            b.acme.1, b.acme.1
        ),
    )
    .unwrap();
    // Two identical lines in one file are two payments.
    let r = json(
        d,
        &[
            "payment",
            "import",
            first.to_str().unwrap(),
            "--decimal",
            ",",
            "--save-profile",
            "My bank",
        ],
    );
    assert_eq!(r["counts"]["applied"], 2);
    assert_eq!(balance(d, b.acme.0), "800.00");
    let second = d.join("week2.csv");
    write_statement(
        &second,
        format!(
            "Date;Amount;Reference\n2026-03-02;100,00;{a}\n2026-03-02;100,00;{a}\n2026-03-09;50,00;{a}\n",
            a = b.acme.1
        ),
    )
    .unwrap();
    let out = cli(d)
        .args([
            "payment",
            "import",
            second.to_str().unwrap(),
            "--profile",
            "My bank",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("already_imported"), "{text}");
    assert!(
        text.contains("applied") && text.contains(&b.acme.1),
        "{text}"
    );
    assert!(text.contains("1 applied"), "{text}");
    assert_eq!(balance(d, b.acme.0), "750.00");
    assert_eq!(payments(d, b.acme.0).len(), 3);
}

#[test]
fn a_statement_killed_while_applying_is_applied_exactly_once_after_importing_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let b = book(d);
    let path = d.join("statement.csv");
    write_statement(
        &path,
        format!(
            "date,amount,reference\n2026-03-02,1000.00,{}\n2026-03-02,250.00,{}\n2026-03-03,99.00,{}\n",
            b.acme.1, b.globex.1, b.initech_a.1
        ),
    )
    .unwrap();
    let file = path.to_str().unwrap();
    // Frozen while applying the second line, inside its transaction, and
    // killed there: the first line is committed, the second rolled back.
    sigkill(frozen(
        d,
        &["payment", "import", file],
        "reconcile_applying#2",
    ));
    assert_eq!(payments(d, b.acme.0).len(), 1);
    assert!(payments(d, b.globex.0).is_empty());

    let report = json(d, &["payment", "import", file]);
    assert_eq!(
        statuses(&report),
        [
            (2, "already_imported".to_string()),
            (3, "applied".to_string()),
            (4, "applied".to_string()),
        ]
    );
    for (id, _) in [&b.acme, &b.globex, &b.initech_a] {
        assert_eq!(payments(d, *id).len(), 1, "invoice {id}");
        assert_eq!(balance(d, *id), "0.00");
    }
    let again = json(d, &["payment", "import", file]);
    assert_eq!(again["counts"]["already_imported"], 3);
    assert_eq!(json(d, &["audit", "verify"])["intact"], true);
}

#[test]
fn a_german_bank_export_maps_itself_and_a_bad_amount_is_reported_by_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let b = book(d);
    let path = d.join("umsaetze.csv");
    write_statement(
        &path,
        format!(
            "Buchungstag;Verwendungszweck;Begünstigter/Zahlungspflichtiger;Betrag\n\
             02.03.2026;Rechnung {};Acme Corp;1.000,00\n\
             03.03.2026;Miete;Vermieter GmbH;zwölf\n\
             13.03.2026;Rechnung {};Globex Inc;250,00\n",
            b.acme.1, b.globex.1
        ),
    )
    .unwrap();
    let file = path.to_str().unwrap();
    // Every day up to the 13th could be either order until one is not.
    let report = json(d, &["payment", "import", file]);
    let lines = report["lines"].as_array().unwrap();
    assert_eq!(statuses(&report)[0], (2, "applied".to_string()));
    assert_eq!(lines[0]["date"], "2026-03-02");
    assert_eq!(lines[1]["file_line"], 3);
    assert_eq!(lines[1]["error"]["field"], "amount");
    assert_eq!(lines[1]["error"]["value"], "zwölf");
    assert_eq!(statuses(&report)[2], (4, "applied".to_string()));
    assert_eq!(balance(d, b.acme.0), "0.00");
    assert_eq!(balance(d, b.globex.0), "0.00");
}

#[test]
fn a_guessed_encoding_is_confirmed_before_anything_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let b = book(d);
    let path = d.join("sparkasse.csv");
    // Windows-1252, as many bank exports still are: no byte-order mark, not UTF-8.
    let mut bytes = b"Buchungstag;Verwendungszweck;Auftraggeber;Betrag\n".to_vec();
    bytes.extend_from_slice(format!("2026-03-02;Rechnung {};", b.acme.1).as_bytes());
    bytes.extend_from_slice(b"J\xfcrgen M\xfcller Gro\xdfhandel;400,00\n");
    write_statement(&path, &bytes).unwrap();
    let file = path.to_str().unwrap();

    let (_, err) = refused(&mut cli(d), &["payment", "import", file]);
    assert_eq!(err["details"][0]["field"], "encoding", "{err}");
    assert_eq!(err["details"][0]["value"], "windows-1252", "{err}");
    assert_eq!(balance(d, b.acme.0), "1000.00");

    // A dry run shows the text as that guess reads it, for a person to judge.
    let dry = json(d, &["payment", "import", file, "--dry-run"]);
    assert_eq!(dry["lines"][0]["counterparty"], "Jürgen Müller Großhandel");

    let report = json(
        d,
        &["payment", "import", file, "--encoding", "windows-1252"],
    );
    assert_eq!(report["lines"][0]["status"], "applied");
    assert_eq!(
        report["lines"][0]["counterparty"],
        "Jürgen Müller Großhandel"
    );
    assert_eq!(balance(d, b.acme.0), "600.00");
}
