//! `time.logged` and `usage.recorded` events through the real local API on
//! loopback, with a real HTTP client, when an enabled threshold rule takes
//! them: 202 with the entry and the running totals until the event that
//! crosses the threshold, which answers 201 with the invoice; an event sent
//! again under a new Idempotency-Key is not recorded twice; a dry run
//! writes nothing; an event no rule takes goes on to the event path. Each
//! event is in the events log with its outcome, a replay once.
//! Run under `scripts/with-keychain.sh` (the token lives in the keychain).

use invoicer_api::Server;
use invoicer_app::api::{ApiEventView, ExceptionKind, ReportFilter, ThresholdInput};
use invoicer_app::{Invoicer, ManualClock, Session};
use invoicer_tests::Fixture;
use reqwest::blocking::{Client, Response};
use serde_json::{json, Value};
use std::sync::Arc;

struct Api {
    dir: tempfile::TempDir,
    app: Arc<Invoicer>,
    admin: Session,
    clock: Arc<ManualClock>,
    customer_id: i64,
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
    let customer_id = f.customer.id;
    let Fixture {
        dir,
        app,
        admin,
        clock,
        ..
    } = f;
    let app = Arc::new(app);
    let server = Server::start(app.clone(), 0).expect("the server starts on a free port");
    let token = app.api_token_for_server().unwrap();
    Api {
        dir,
        app,
        admin,
        clock,
        customer_id,
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

    /// The events log of a type as the Triggers screen reads it (the
    /// `event_rules` IPC call), oldest first.
    fn logged_events(&self, event_type: &str) -> Vec<ApiEventView> {
        let mut events = self
            .app
            .event_rules(&self.admin)
            .unwrap()
            .rules
            .into_iter()
            .find(|r| r.event_type == event_type)
            .unwrap()
            .recent_events;
        events.reverse();
        events
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

#[test]
fn every_hours_event_a_threshold_takes_is_in_the_events_log_with_its_outcome() {
    let api = start();
    let zoe = "zoe@globex.test";

    // Refused: a quantity that is not a number. Nothing is recorded.
    let r = api.post("/v1/events", "e1", &logged(zoe, "four", "TS-1"));
    assert_eq!(r.status(), 400);
    assert_eq!(api.count("usage_entries"), 0);
    // Sent again, fixed: accepted as usage below the threshold.
    assert_eq!(
        api.post("/v1/events", "e2", &logged(zoe, "4", "TS-1"))
            .status(),
        202
    );
    // Refused and never fixed: no lines.
    let mut empty = logged(zoe, "1", "TS-9");
    empty["lines"] = json!([]);
    assert_eq!(api.post("/v1/events", "e3", &empty).status(), 400);
    // Replays: the same key (the kept answer), and the same timesheet
    // under a new key (recorded once by its reference).
    assert_eq!(
        api.post("/v1/events", "e2", &logged(zoe, "4", "TS-1"))
            .status(),
        202
    );
    let again: Value = api
        .post("/v1/events", "e4", &logged(zoe, "4", "TS-1"))
        .json()
        .unwrap();
    assert_eq!(again["duplicate"], true);
    // A dry run, then the event that crosses the 10 hours.
    let dry = api.post("/v1/events?dry_run=true", "e5", &logged(zoe, "7", "TS-2"));
    assert_eq!(dry.status(), 200);
    let crossed = api.post("/v1/events", "e6", &logged(zoe, "7", "TS-2"));
    assert_eq!(crossed.status(), 201);
    let v: Value = crossed.json().unwrap();
    let invoice_id = v["invoice"]["id"].as_i64().unwrap();
    let number = v["invoice"]["number"].as_str().unwrap().to_string();

    let events = api.logged_events("time.logged");
    let seen: Vec<(Option<&str>, &str)> = events
        .iter()
        .map(|e| (e.reference.as_deref(), e.outcome.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            (Some("TS-1"), "refused"),
            (Some("TS-1"), "accepted"),
            (Some("TS-9"), "refused"),
            (Some("TS-2"), "dry_run"),
            (Some("TS-2"), "created"),
        ],
        "every event once, the replays not again: {events:#?}"
    );
    assert_eq!(events[0].error_code.as_deref(), Some("validation"));
    let message = events[0].error_message.as_deref().unwrap();
    assert!(
        message.contains("lines[0].quantity") && message.contains("four"),
        "the refusal names the field and the value: {message}"
    );
    assert!(events[0].summary.starts_with("refused: "));
    assert_eq!(events[1].invoice_id, None);
    assert_eq!(
        events[1].summary,
        "received · recorded as usage, no invoice yet"
    );
    assert_eq!(events[2].error_code.as_deref(), Some("validation"));
    assert!(events[2]
        .error_message
        .as_deref()
        .unwrap()
        .contains("lines"));
    assert_eq!(events[3].invoice_id, None);
    assert_eq!(events[4].invoice_id, Some(invoice_id));
    assert_eq!(events[4].invoice_number.as_deref(), Some(number.as_str()));
    assert_eq!(
        events[4].summary,
        format!("received · invoice {number} created")
    );

    // The exceptions report lists only the refusal never accepted since:
    // TS-1 was accepted after it was refused, TS-9 never was.
    api.clock.advance(chrono::Duration::minutes(1));
    let report = api
        .app
        .exceptions_report(&api.admin, &ReportFilter::default(), None, None)
        .unwrap();
    let refused: Vec<&str> = report
        .items
        .iter()
        .filter(|i| i.kind == ExceptionKind::RefusedEvent)
        .map(|i| i.subject.as_str())
        .collect();
    assert_eq!(refused, ["time.logged event TS-9"]);
    let count = report
        .counts
        .iter()
        .find(|c| c.kind == ExceptionKind::RefusedEvent)
        .unwrap()
        .count;
    assert_eq!(count, 1);
}

#[test]
fn usage_events_a_units_rule_takes_are_logged_accepted_then_with_their_draft() {
    let api = start();
    let rule = api
        .app
        .create_threshold(
            &api.admin,
            &ThresholdInput {
                name: "Globex API calls".into(),
                customer_id: api.customer_id,
                measure: "units".into(),
                unit_price: Some("0.01".into()),
                quantity_threshold: Some("1000".into()),
                action: "draft".into(),
                ..ThresholdInput::default()
            },
        )
        .unwrap();
    api.app.test_threshold(&api.admin, rule.id).unwrap();
    api.app.enable_threshold(&api.admin, rule.id).unwrap();
    let calls = |quantity: &str, reference: &str| {
        json!({
            "type": "usage.recorded",
            "customer": {"email": "zoe@globex.test"},
            "lines": [{"description": "API calls", "quantity": quantity, "unit_price": "0.01"}],
            "reference": reference
        })
    };

    assert_eq!(
        api.post("/v1/events", "u1", &calls("600", "U-1")).status(),
        202
    );
    let crossed = api.post("/v1/events", "u2", &calls("600", "U-2"));
    assert_eq!(crossed.status(), 201);
    let v: Value = crossed.json().unwrap();
    assert_eq!(v["invoice"]["status"], "draft", "{v}");
    let invoice_id = v["invoice"]["id"].as_i64().unwrap();

    let events = api.logged_events("usage.recorded");
    let seen: Vec<(Option<&str>, &str, Option<i64>)> = events
        .iter()
        .map(|e| (e.reference.as_deref(), e.outcome.as_str(), e.invoice_id))
        .collect();
    assert_eq!(
        seen,
        [
            (Some("U-1"), "accepted", None),
            (Some("U-2"), "draft", Some(invoice_id)),
        ]
    );
    assert_eq!(
        events[1].summary,
        format!("received · draft #{invoice_id} created")
    );
}
