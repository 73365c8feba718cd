//! The local integration API against the real server on loopback, started
//! in-process on a free port, with a real HTTP client: events make (and
//! queue the email of) exactly one invoice per idempotency key, refusals
//! write nothing, a dry run previews without writing, a reported payment
//! settles an invoice, and the token never reaches the database file.
//! Run under `scripts/with-keychain.sh` (the token lives in the keychain).

use chrono::Duration;
use invoicer_api::Server;
use invoicer_app::{ManualClock, IDEMPOTENCY_RETENTION};
use invoicer_tests::Fixture;
use reqwest::blocking::{Client, Response};
use serde_json::{json, Value};
use std::sync::Arc;

struct Api {
    f_dir: tempfile::TempDir,
    clock: Arc<ManualClock>,
    app: Arc<invoicer_app::Invoicer>,
    server: Server,
    token: String,
    http: Client,
}

fn start() -> Api {
    let f = Fixture::new();
    f.set_up_email();
    f.enable_event_rules();
    let Fixture {
        dir, clock, app, ..
    } = f;
    let app = Arc::new(app);
    let server = Server::start(app.clone(), 0).expect("the server starts on a free port");
    let token = app.api_token_for_server().unwrap();
    Api {
        f_dir: dir,
        clock,
        app,
        server,
        token,
        http: Client::new(),
    }
}

fn deal(ref_: &str, price: &str) -> Value {
    json!({
        "type": "deal.closed_won",
        "customer": {"external_ref": ref_, "email": "buyer@globex.test", "name": "Gina Globex",
                     "company": "Globex", "address": "1 Main St", "city": "Springfield", "region": "IL",
                     "postal_code": "12345", "country": "US"},
        "lines": [{"description": "Annual licence", "quantity": "1", "unit_price": price}],
        "reference": "DEAL-42"
    })
}

impl Api {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.url())
    }

    fn post(&self, path: &str, key: &str, body: &Value) -> Response {
        self.http
            .post(self.url(path))
            .bearer_auth(&self.token)
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .unwrap()
    }

    fn get(&self, path: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(&self.token)
            .send()
            .unwrap()
    }

    fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.f_dir.path().join("invoicer.db")).unwrap()
    }

    fn count(&self, table: &str) -> i64 {
        self.db()
            .query_row(&format!("SELECT COUNT(*) FROM \"{table}\""), [], |r| {
                r.get(0)
            })
            .unwrap()
    }

    /// Every table's rows but the audit trail's (each request is audited)
    /// and the events log's.
    fn row_counts(&self) -> Vec<(String, i64)> {
        let db = self.db();
        let tables: Vec<String> = db
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        tables
            .into_iter()
            .filter(|t| {
                // The events log records every event received, refused or
                // dry run included; its rows are checked by event_rules.rs.
                !t.starts_with("sqlite_")
                    && !t.contains("fts")
                    && t != "audit_events"
                    && t != "api_events"
            })
            .map(|t| {
                let n = self.count(&t);
                (t, n)
            })
            .collect()
    }

    /// The audit actions written since audit seq `after`.
    fn audit_since(&self, after: i64) -> Vec<(String, Value)> {
        self.db()
            .prepare("SELECT action, data FROM audit_events WHERE seq > ?1 ORDER BY seq")
            .unwrap()
            .query_map([after], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .unwrap()
            .map(|r| {
                let (a, d) = r.unwrap();
                (a, serde_json::from_str(&d).unwrap())
            })
            .collect()
    }

    fn last_seq(&self) -> i64 {
        self.db()
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM audit_events", [], |r| {
                r.get(0)
            })
            .unwrap()
    }
}

#[test]
fn a_closed_won_deal_makes_and_queues_one_invoice_and_a_retry_gets_the_same_answer() {
    let api = start();
    let invoices = api.count("invoices");
    let r = api.post("/v1/events", "deal-42", &deal("crm-7", "1200.00"));
    assert_eq!(r.status(), 201);
    let first = r.text().unwrap();
    let v: Value = serde_json::from_str(&first).unwrap();
    assert_eq!(v["invoice"]["status"], "issued");
    assert!(v["invoice"]["number"].is_string(), "{v}");
    assert_eq!(v["invoice"]["total"], "1200.00");
    assert_eq!(v["email_queued"], true);
    assert_eq!(v["customer_created"], true);
    assert_eq!(api.count("invoices"), invoices + 1);
    let queued: i64 = api
        .db()
        .query_row(
            "SELECT COUNT(*) FROM deliveries WHERE status = 'queued' AND kind = 'invoice'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(queued, 1, "the invoice's email waits in the outbox");

    // The same event under the same key: the first answer, byte for byte,
    // and still one invoice and one email.
    let again = api.post("/v1/events", "deal-42", &deal("crm-7", "1200.00"));
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.text().unwrap(), first);
    assert_eq!(api.count("invoices"), invoices + 1);
    assert_eq!(api.count("deliveries"), 1);

    // The same key with another body is a conflict, and writes nothing.
    let other = api.post("/v1/events", "deal-42", &deal("crm-7", "999.00"));
    assert_eq!(other.status(), 409);
    let e: Value = other.json().unwrap();
    assert_eq!(e["code"], "conflict");
    assert_eq!(api.count("invoices"), invoices + 1);

    // A second event for the same customer finds them by reference.
    let second = api.post("/v1/events", "deal-43", &deal("crm-7", "50.00"));
    assert_eq!(second.status(), 201);
    let v: Value = second.json().unwrap();
    assert_eq!(v["customer_created"], false);

    // The audit names the token, never the token itself.
    let requests: Vec<Value> = api
        .audit_since(0)
        .into_iter()
        .filter(|(a, _)| a == "api.request")
        .map(|(_, d)| d)
        .collect();
    assert_eq!(requests.len(), 4, "{requests:?}");
    assert!(requests.iter().all(|d| d["token"] == "integration"));
    assert!(requests
        .iter()
        .all(|d| d["method"] == "POST" && d["path"] == "/v1/events"));
    assert_eq!(requests[2]["status"], 409);
}

#[test]
fn keys_are_forgotten_after_the_retention_period_and_not_before() {
    let api = start();
    assert_eq!(
        api.post("/v1/events", "k1", &deal("crm-1", "10")).status(),
        201
    );
    api.clock.advance(Duration::days(7));
    assert_eq!(
        api.post("/v1/events", "k1", &deal("crm-1", "11")).status(),
        409
    );
    api.clock
        .advance(IDEMPOTENCY_RETENTION - Duration::days(7) + Duration::minutes(1));
    assert_eq!(
        api.post("/v1/events", "k1", &deal("crm-1", "11")).status(),
        201
    );
    assert_eq!(api.count("api_idempotency_keys"), 1);
}

#[test]
fn a_wrong_token_is_refused_with_nothing_written() {
    let api = start();
    let before = api.row_counts();
    let seq = api.last_seq();
    for auth in [Some("Bearer inv_wrong"), Some("Basic abc"), None] {
        let mut req = api
            .http
            .post(api.url("/v1/events"))
            .header("Idempotency-Key", "x")
            .json(&deal("crm-9", "10"));
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        let r = req.send().unwrap();
        assert_eq!(r.status(), 401);
        let e: Value = r.json().unwrap();
        assert_eq!(e["code"], "unauthenticated");
    }
    assert_eq!(api.row_counts(), before);
    let audited = api.audit_since(seq);
    assert_eq!(audited.len(), 3);
    assert!(audited
        .iter()
        .all(|(a, d)| a == "api.request" && d["status"] == 401 && d["token"].is_null()));
}

#[test]
fn a_foreign_host_or_origin_is_refused() {
    let api = start();
    let before = api.row_counts();
    let r = api
        .http
        .post(api.url("/v1/events"))
        .bearer_auth(&api.token)
        .header("Host", "evil.example")
        .header("Idempotency-Key", "h")
        .json(&deal("crm-2", "10"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 421);
    let r = api
        .http
        .get(api.url("/v1/invoices"))
        .bearer_auth(&api.token)
        .header("Origin", "http://evil.example")
        .send()
        .unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(api.row_counts(), before);
}

#[test]
fn bodies_that_are_too_large_not_json_or_malformed_are_refused_naming_the_field() {
    let api = start();
    let before = api.row_counts();
    let big = vec![b'x'; 10 * 1024 * 1024];
    let r = api
        .http
        .post(api.url("/v1/events"))
        .bearer_auth(&api.token)
        .header("Idempotency-Key", "big")
        .header("Content-Type", "application/json")
        .body(big)
        .send()
        .unwrap();
    assert_eq!(r.status(), 413);

    let r = api
        .http
        .post(api.url("/v1/events"))
        .bearer_auth(&api.token)
        .header("Idempotency-Key", "form")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("type=deal.closed_won")
        .send()
        .unwrap();
    assert_eq!(r.status(), 415);

    let field_of = |body: Value| -> (u16, Value) {
        let r = api.post("/v1/events", "bad", &body);
        let status = r.status().as_u16();
        let e: Value = r.json().unwrap();
        (status, e)
    };
    let mut bad_qty = deal("crm-3", "10");
    bad_qty["lines"][0]["quantity"] = json!("lots");
    let (status, e) = field_of(bad_qty);
    assert_eq!(status, 400);
    assert_eq!(e["details"][0]["field"], "lines[0].quantity", "{e}");

    let mut unknown = deal("crm-3", "10");
    unknown["customer"]["nickname"] = json!("G");
    let (status, e) = field_of(unknown);
    assert_eq!(status, 400);
    assert_eq!(e["details"][0]["field"], "customer.nickname", "{e}");
    assert!(e["message"].as_str().unwrap().contains("nickname"), "{e}");

    let mut wrong_type = deal("crm-3", "10");
    wrong_type["type"] = json!("deal.lost");
    let (status, e) = field_of(wrong_type);
    assert_eq!(status, 400);
    assert_eq!(e["details"][0]["field"], "type", "{e}");

    let mut no_city = deal("crm-new", "10");
    no_city["customer"]["city"] = json!("");
    let (status, e) = field_of(no_city);
    assert_eq!(status, 400);
    assert_eq!(e["details"][0]["field"], "customer.city", "{e}");

    let r = api
        .http
        .post(api.url("/v1/events"))
        .bearer_auth(&api.token)
        .json(&deal("crm-3", "10"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 400);
    let e: Value = r.json().unwrap();
    assert_eq!(e["details"][0]["field"], "Idempotency-Key");
    assert_eq!(api.row_counts(), before);
}

#[test]
fn a_dry_run_previews_the_invoice_and_writes_and_sends_nothing() {
    let api = start();
    let before = api.row_counts();
    let seq = api.last_seq();
    let r = api.post("/v1/events?dry_run=true", "dry", &deal("crm-4", "100.00"));
    assert_eq!(r.status(), 200);
    let v: Value = r.json().unwrap();
    assert_eq!(v["dry_run"], true);
    assert_eq!(v["invoice"]["total"], "100.00");
    assert_eq!(v["invoice"]["customer_name"], "Globex");
    assert_eq!(v["invoice"]["template"], "standard-en");
    assert_eq!(v["needs_approval"], false);
    assert_eq!(api.row_counts(), before, "nothing but the request's audit");
    let audited = api.audit_since(seq);
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0].0, "api.request");
    // The key was not used up by the dry run.
    assert_eq!(
        api.post("/v1/events", "dry", &deal("crm-4", "100.00"))
            .status(),
        201
    );
}

#[test]
fn a_reported_payment_settles_the_invoice_and_reads_find_it() {
    let api = start();
    let made: Value = api
        .post("/v1/events", "p-1", &deal("crm-5", "300.00"))
        .json()
        .unwrap();
    let number = made["invoice"]["number"].as_str().unwrap().to_string();
    let id = made["invoice"]["id"].as_i64().unwrap();
    let paid = api.post(
        "/v1/payments",
        "pay-1",
        &json!({"invoice": number, "amount": "300.00", "date": "2026-11-21",
                "method": "bank_transfer", "reference": "BANK-1"}),
    );
    assert_eq!(paid.status(), 201);
    let v: Value = paid.json().unwrap();
    assert_eq!(v["invoice"]["status"], "paid");
    assert_eq!(v["invoice"]["balance"], "0.00");

    let by_number: Value = api.get(&format!("/v1/invoices/{number}")).json().unwrap();
    let by_id: Value = api.get(&format!("/v1/invoices/{id}")).json().unwrap();
    assert_eq!(by_number, by_id);
    assert_eq!(by_id["status"], "paid");
    let page: Value = api.get("/v1/invoices?status=paid&limit=10").json().unwrap();
    assert_eq!(page["invoices"].as_array().unwrap().len(), 1);
    assert_eq!(page["invoices"][0]["id"], id);
    let r = api.get("/v1/invoices/NOPE-1");
    assert_eq!(r.status(), 404);
    let r = api.get("/v1/invoices?status=lost");
    assert_eq!(r.status(), 400);

    // Paying more than is owed is refused and records nothing.
    let r = api.post(
        "/v1/payments",
        "pay-2",
        &json!({"invoice": number, "amount": "1.00", "date": "2026-11-21", "method": "card"}),
    );
    assert!(r.status().is_client_error(), "{}", r.status());
    assert_eq!(api.count("payments"), 1);
}

#[test]
fn the_token_is_not_in_the_database_file() {
    let api = start();
    assert!(api.token.starts_with("inv_") && api.token.len() >= 4 + 64);
    api.post("/v1/events", "t-1", &deal("crm-6", "10"));
    for name in ["invoicer.db", "invoicer.db-wal"] {
        if let Ok(bytes) = std::fs::read(api.f_dir.path().join(name)) {
            let found = bytes
                .windows(api.token.len())
                .any(|w| w == api.token.as_bytes());
            assert!(!found, "the token is in {name}");
        }
    }
    // Rotating it refuses the old one at once.
    let admin = api
        .app
        .sign_in(&invoicer_app::api::SignInInput {
            email: "admin@acme.test".into(),
            password: invoicer_tests::ADMIN_PASSWORD.into(),
        })
        .unwrap();
    let new = api.app.rotate_api_token(&admin).unwrap();
    assert_ne!(new, api.token);
    assert_eq!(api.get("/v1/invoices").status(), 401);
    let r = api
        .http
        .get(api.url("/v1/invoices"))
        .bearer_auth(&new)
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[test]
fn settings_show_the_api_to_admins_with_the_token_hidden_until_asked() {
    use invoicer_app::api::Role;
    use invoicer_app::{ErrorCode, ServingState};
    let f = Fixture::new();
    let serving = ServingState {
        url: Some("http://127.0.0.1:4517".into()),
        problem: None,
    };
    let view = f.app.integration_api(&f.admin, &serving, false).unwrap();
    assert!(view.listening);
    assert_eq!(view.token, None, "hidden until shown");
    assert!(view
        .example_curl
        .contains("http://127.0.0.1:4517/v1/events"));
    assert!(view.example_curl.contains("Idempotency-Key"));
    let shown = f.app.integration_api(&f.admin, &serving, true).unwrap();
    let token = shown.token.unwrap();
    assert_eq!(token, f.app.api_token_for_server().unwrap());
    assert!(!view.example_curl.contains(&token));
    let rotated = f.app.rotate_integration_token(&f.admin, &serving).unwrap();
    assert_ne!(rotated.token.unwrap(), token);

    let specialist = f.user("sam@acme.test", Role::Specialist);
    let refused = f
        .app
        .integration_api(&specialist, &serving, true)
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    assert!(f.app.rotate_api_token(&specialist).is_err());
}
