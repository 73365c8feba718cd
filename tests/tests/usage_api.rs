//! `time.logged` and `usage.recorded` events through the real local API on
//! loopback, with a real HTTP client, when an enabled threshold rule takes
//! them: 202 with the entry and the running totals until the event that
//! crosses the threshold, which answers 201 with the invoice; an event sent
//! again under a new Idempotency-Key is not recorded twice; a dry run
//! writes nothing; an event no rule takes goes on to the event path.
//! Run under `scripts/with-keychain.sh` (the token lives in the keychain).

use invoicer_api::Server;
use invoicer_app::api::ThresholdInput;
use invoicer_tests::Fixture;
use reqwest::blocking::{Client, Response};
use serde_json::{json, Value};
use std::sync::Arc;

struct Api {
    dir: tempfile::TempDir,
    server: Server,
    token: String,
    http: Client,
}

/// The server over a company whose customer has an enabled 10-hour rule.
fn start() -> Api {
    let f = Fixture::new();
    let rule = f
        .app
        .create_threshold(
            &f.admin,
            &ThresholdInput {
                name: "Globex hours".into(),
                customer_id: f.customer.id,
                measure: "hours".into(),
                unit_price: Some("100.00".into()),
                quantity_threshold: Some("10".into()),
                action: "issue".into(),
                ..ThresholdInput::default()
            },
        )
        .unwrap();
    f.app.test_threshold(&f.admin, rule.id).unwrap();
    f.app.enable_threshold(&f.admin, rule.id).unwrap();
    // An event no threshold rule takes goes on to its event rule, which
    // acts only once tested and enabled.
    f.set_up_email();
    f.enable_event_rules();
    let Fixture { dir, app, .. } = f;
    let app = Arc::new(app);
    let server = Server::start(app.clone(), 0).expect("the server starts on a free port");
    let token = app.api_token_for_server().unwrap();
    Api {
        dir,
        server,
        token,
        http: Client::new(),
    }
}

fn logged(email: &str, hours: &str, reference: &str) -> Value {
    json!({
        "type": "time.logged",
        "customer": {"email": email},
        "lines": [{"description": "Consulting", "quantity": hours, "unit_price": "999.00"}],
        "reference": reference,
        "occurred_on": "2026-11-20"
    })
}

impl Api {
    fn post(&self, path: &str, key: &str, body: &Value) -> Response {
        self.http
            .post(format!("{}{path}", self.server.url()))
            .bearer_auth(&self.token)
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .unwrap()
    }

    fn count(&self, table: &str) -> i64 {
        rusqlite::Connection::open(self.dir.path().join("invoicer.db"))
            .unwrap()
            .query_row(&format!("SELECT COUNT(*) FROM \"{table}\""), [], |r| {
                r.get(0)
            })
            .unwrap()
    }
}

#[test]
fn hours_events_answer_202_with_the_totals_then_201_with_the_invoice() {
    let api = start();
    let zoe = "zoe@globex.test";
    let invoices = api.count("invoices");

    let r = api.post("/v1/events", "k1", &logged(zoe, "4", "TS-1"));
    assert_eq!(r.status(), 202);
    let v: Value = r.json().unwrap();
    assert_eq!(v["progress"]["label"], "4 of 10 h · 400.00 USD", "{v}");
    assert_eq!(v["entries"][0]["unit_price"], "100.00", "the rule's price");
    assert_eq!(v["entries"][0]["occurred_on"], "2026-11-20");
    assert!(v["invoice"].is_null());

    assert_eq!(
        api.post("/v1/events", "k2", &logged(zoe, "4", "TS-2"))
            .status(),
        202
    );

    // The same timesheet again under a new key: recorded once.
    let again = api.post("/v1/events", "k3", &logged(zoe, "4", "TS-2"));
    assert_eq!(again.status(), 202);
    let v: Value = again.json().unwrap();
    assert_eq!(v["duplicate"], true);
    assert_eq!(v["progress"]["quantity"], "8");
    assert_eq!(api.count("usage_entries"), 2);

    // A dry run of the crossing event shows the invoice and writes nothing.
    let dry = api.post("/v1/events?dry_run=true", "k4", &logged(zoe, "3", "TS-3"));
    assert_eq!(dry.status(), 200);
    let v: Value = dry.json().unwrap();
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["invoice"]["total"], "1190.75");
    assert_eq!(api.count("usage_entries"), 2);
    assert_eq!(api.count("invoices"), invoices);

    // The third crossing it: 201 with the invoice of all three entries.
    let crossed = api.post("/v1/events", "k5", &logged(zoe, "3", "TS-3"));
    assert_eq!(crossed.status(), 201);
    let v: Value = crossed.json().unwrap();
    assert_eq!(v["invoice"]["status"], "issued", "{v}");
    assert_eq!(v["invoice"]["total"], "1190.75", "11 h at 100.00 + 8.25 %");
    assert!(v["invoice"]["number"].is_string());
    assert_eq!(v["progress"]["quantity"], "0");
    assert_eq!(api.count("invoices"), invoices + 1);
    let unbilled: i64 = rusqlite::Connection::open(api.dir.path().join("invoicer.db"))
        .unwrap()
        .query_row(
            "SELECT COUNT(*) FROM usage_entries WHERE invoice_id IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unbilled, 0);
    // The same key again: the kept answer, still one invoice.
    let replay = api.post("/v1/events", "k5", &logged(zoe, "3", "TS-3"));
    assert_eq!(replay.status(), 201);
    assert_eq!(api.count("invoices"), invoices + 1);
}

#[test]
fn usage_no_rule_takes_goes_on_to_the_event_path() {
    let api = start();
    let body = json!({
        "type": "usage.recorded",
        "customer": {"email": "zoe@globex.test"},
        "lines": [{"description": "API calls", "quantity": "1000", "unit_price": "0.01"}],
        "reference": "U-1"
    });
    let r = api.post("/v1/events", "u1", &body);
    assert!(r.status().is_success());
    let v: Value = r.json().unwrap();
    assert!(
        v["invoice"]["id"].is_i64(),
        "an invoice of the event itself: {v}"
    );
    assert!(v.get("rule_id").is_none(), "no threshold rule took it: {v}");
    assert_eq!(api.count("usage_entries"), 0);
}
