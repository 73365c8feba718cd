//! `invoicer serve` through the real binary: it prints the URL it listens
//! on, answers events with the token `invoicer api token show` prints,
//! never logs the token, and stops cleanly on SIGTERM. Run under
//! `scripts/with-keychain.sh` (the token lives in the keychain).

mod common;

use assert_cmd::cargo::CommandCargoExt;
use common::{init, json};
use serde_json::{json as j, Value};
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

#[test]
fn serve_prints_its_url_answers_events_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    init(dir.path(), "Acme Billing", "US", Some("CA"), "USD");
    let mut server = Command::cargo_bin("invoicer").unwrap();
    let mut child = server
        .args(["serve", "--port", "0"])
        .env("INVOICER_DATA_DIR", dir.path())
        .env("INVOICER_LOG", "debug")
        .env_remove("INVOICER_USER")
        .env_remove("INVOICER_PASSWORD")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{first:?}"))
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");

    // Rules start disabled: an admin tests the usage rule, then enables it.
    let tested = json(dir.path(), &["trigger", "test", "rule", "usage.recorded"]);
    assert_eq!(tested["outcome"], "draft", "{tested}");
    json(dir.path(), &["trigger", "enable", "usage.recorded"]);
    let token = json(dir.path(), &["api", "token", "show"]);
    let token = token.as_str().unwrap().to_string();
    let http = reqwest::blocking::Client::new();
    let event = j!({
        "type": "usage.recorded",
        "customer": {"external_ref": "acct-1", "email": "ops@initech.test", "name": "Ina Tech",
                     "address": "1 Loop", "city": "Austin", "region": "TX",
                     "postal_code": "73301", "country": "US"},
        "lines": [{"description": "API calls", "quantity": "1000", "unit_price": "0.01"}]
    });
    let r = http
        .post(format!("{url}/v1/events"))
        .bearer_auth(&token)
        .header("Idempotency-Key", "usage-1")
        .json(&event)
        .send()
        .unwrap();
    assert_eq!(r.status(), 202, "usage becomes a draft for review");
    let made: Value = r.json().unwrap();
    assert_eq!(made["invoice"]["status"], "draft");
    assert_eq!(made["invoice"]["total"], "10.00");
    let id = made["invoice"]["id"].as_i64().unwrap();
    let read: Value = http
        .get(format!("{url}/v1/invoices/{id}"))
        .bearer_auth(&token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(read["customer_name"], "Ina Tech");
    let wrong = http
        .get(format!("{url}/v1/invoices/{id}"))
        .bearer_auth("inv_0000")
        .send()
        .unwrap();
    assert_eq!(wrong.status(), 401);

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "serve stops cleanly on SIGTERM: {status}");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert!(rest.contains("stopped"), "{rest}");
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(!log.contains(&token), "the token is not in the log");
    assert!(!rest.contains(&token) && !first.contains(&token));

    // The requests' audit events keep the chain sound.
    json(dir.path(), &["audit", "verify"]);
}
