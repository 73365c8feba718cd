//! An API event for a known customer has its PDF rendered before the write
//! transaction (rehearsed, with the number its turn will take), so issuing
//! it renders nothing while holding the write lock; the archived PDF still
//! prints the committed number. Run under `scripts/with-keychain.sh` (the
//! API token lives in the keychain).

mod common;

use assert_cmd::cargo::CommandCargoExt;
use common::{init, json, mail_through};
use serde_json::{json as j, Value};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

fn deal(reference: &str) -> Value {
    j!({
        "type": "deal.closed_won",
        "customer": {"external_ref": "crm-7", "email": "buyer@globex.test", "name": "Gina Globex",
                     "address": "1 Main St", "city": "Springfield", "region": "IL",
                     "postal_code": "12345", "country": "US"},
        "lines": [{"description": "Annual licence", "quantity": "1", "unit_price": "1200.00"}],
        "reference": reference
    })
}

fn pdf_text(dir: &std::path::Path, id: i64) -> String {
    let out = dir.join(format!("invoice-{id}.pdf"));
    let id = id.to_string();
    json(
        dir,
        &["invoice", "pdf", &id, "--out", out.to_str().unwrap()],
    );
    let text = Command::new("pdftotext")
        .args([out.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    assert!(text.status.success());
    String::from_utf8(text.stdout).unwrap()
}

/// The server freezes the second time anything renders a PDF inside the
/// issuing transaction. The first event (a new customer, created in the
/// transaction) renders there; the next ones, for the same customer, are
/// rehearsed and rendered before it, so they are answered — with numbers
/// in order and each archived PDF showing its own number. Before the
/// rehearsal, the second event froze the server.
#[test]
fn events_for_a_known_customer_render_their_pdf_outside_the_write_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init(d, "Acme Billing", "US", Some("CA"), "USD");
    mail_through(d, 9);
    json(d, &["trigger", "test", "rule", "deal.closed_won"]);
    json(d, &["trigger", "enable", "deal.closed_won"]);
    let token = json(d, &["api", "token", "show"]);
    let token = token.as_str().unwrap().to_string();
    let marker = d.join("frozen-in-transaction");
    let mut child = Command::cargo_bin("invoicer")
        .unwrap()
        .args(["serve", "--port", "0"])
        .env("INVOICER_DATA_DIR", d)
        .env(
            "INVOICER_FREEZE_AT",
            format!("bulk_rendering#2:{}", marker.display()),
        )
        .env_remove("INVOICER_USER")
        .env_remove("INVOICER_PASSWORD")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_string();
    // A guard against a frozen server hanging the test, not a measurement.
    let http = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let mut made = Vec::new();
    for i in 1..=3 {
        let r = http
            .post(format!("{url}/v1/events"))
            .bearer_auth(&token)
            .header("Idempotency-Key", format!("deal-{i}"))
            .json(&deal(&format!("DEAL-{i}")))
            .send();
        let r = match r {
            Ok(r) => r,
            Err(e) => {
                child.kill().unwrap();
                child.wait().unwrap();
                panic!("event {i} got no answer (rendered in the transaction?): {e}");
            }
        };
        assert_eq!(r.status(), 201, "event {i}");
        let body: Value = r.json().unwrap();
        made.push((
            body["invoice"]["id"].as_i64().unwrap(),
            body["invoice"]["number"].as_str().unwrap().to_string(),
        ));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!marker.exists(), "nothing rendered in a transaction twice");
    let numbers: Vec<&str> = made.iter().map(|(_, n)| n.as_str()).collect();
    let mut distinct = numbers.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), 3, "{numbers:?}");
    for (id, number) in &made {
        let text = pdf_text(d, *id);
        assert!(text.contains(number.as_str()), "{number} not in\n{text}");
        for other in numbers.iter().filter(|n| *n != number) {
            assert!(!text.contains(other), "{other} printed on {number}");
        }
    }
    json(d, &["audit", "verify"]);
}
