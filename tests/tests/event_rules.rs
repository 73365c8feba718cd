//! Event rules (Triggers → Event rules) end to end on a real data folder:
//! the rule decides what an event's invoice does; a CRM-shaped `data`
//! payload is mapped onto the customer and lines; a disabled rule refuses
//! events (and the refusal is logged though nothing else is written); an
//! untested rule cannot be enabled and an edit needs a new test; a test run
//! writes and sends nothing and returns the would-be invoice with a PDF
//! that a real reader reads. The API parts go through the real server on
//! loopback with a real HTTP client; run under `scripts/with-keychain.sh`.

use invoicer_api::Server;
use invoicer_app::api::{
    ErrorCode, EventFieldMapping, EventRuleInput, EventRuleTestInput, EventRuleView,
};
use invoicer_app::{Invoicer, Session};
use invoicer_domain::authorization::Role;
use invoicer_tests::{pdftotext, Fixture};
use reqwest::blocking::Client;
use serde_json::{json, Value};
use std::sync::Arc;

mod database;
use database::row_counts;

/// The parts of a [`Fixture`] the API tests use, its app shared with the
/// server.
struct Parts {
    dir: tempfile::TempDir,
    app: Arc<Invoicer>,
    admin: Session,
}

struct Api {
    f: Parts,
    server: Server,
    token: String,
    http: Client,
}

/// The fixture's app behind the real server; no rule enabled yet.
fn start() -> Api {
    let f = Fixture::new();
    f.set_up_email();
    let Fixture {
        dir, app, admin, ..
    } = f;
    let app = Arc::new(app);
    let server = Server::start(app.clone(), 0).expect("the server starts");
    let token = app.api_token_for_server().unwrap();
    Api {
        f: Parts { dir, app, admin },
        server,
        token,
        http: Client::new(),
    }
}

impl Api {
    fn post(&self, key: &str, body: &Value) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}/v1/events", self.server.url()))
            .bearer_auth(&self.token)
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().unwrap())
    }

    fn count(&self, table: &str) -> i64 {
        let db = rusqlite::Connection::open(self.f.dir.path().join("invoicer.db")).unwrap();
        db.query_row(&format!("SELECT COUNT(*) FROM \"{table}\""), [], |r| {
            r.get(0)
        })
        .unwrap()
    }

    fn rule(&self, t: &str) -> EventRuleView {
        self.f
            .app
            .event_rules(&self.f.admin)
            .unwrap()
            .rules
            .into_iter()
            .find(|r| r.event_type == t)
            .unwrap()
    }

    fn save(&self, t: &str, input: &EventRuleInput) -> EventRuleView {
        self.f
            .app
            .update_event_rule(&self.f.admin, t, input)
            .unwrap()
    }

    fn test_and_enable(&self, t: &str) {
        test(&self.f.app, &self.f.admin, t, None).unwrap();
        self.f
            .app
            .set_event_rule_enabled(&self.f.admin, t, true)
            .unwrap();
    }
}

fn test(
    app: &Invoicer,
    s: &Session,
    t: &str,
    event: Option<&Value>,
) -> invoicer_app::AppResult<invoicer_app::api::EventRuleTestResult> {
    app.test_event_rule(
        s,
        &EventRuleTestInput {
            event_type: t.into(),
            sample_event: event.map(Value::to_string),
        },
    )
}

fn input(action: &str, mapping: &[(&str, &str)]) -> EventRuleInput {
    EventRuleInput {
        action: action.into(),
        template: None,
        terms_days: None,
        mapping: mapping
            .iter()
            .map(|(f, p)| EventFieldMapping {
                field: (*f).into(),
                path: (*p).into(),
            })
            .collect(),
    }
}

fn deal(reference: &str, price: &str) -> Value {
    json!({
        "type": "deal.closed_won",
        "customer": {"external_ref": "crm-7", "email": "buyer@globex.test", "name": "Gina Globex",
                     "address": "1 Main St", "city": "Springfield", "region": "IL",
                     "postal_code": "12345", "country": "US"},
        "lines": [{"description": "Annual licence", "quantity": "1", "unit_price": price}],
        "reference": reference
    })
}

/// A HubSpot-like deal webhook that cannot be reshaped.
fn crm_deal(email: &str) -> Value {
    json!({
        "type": "deal.closed_won",
        "reference": "HS-9001",
        "data": {
            "dealId": 9001,
            "dealname": "Website redesign",
            "contact": {"firstname": "Ana Initech", "email": email,
                        "address": {"street": "9 Elm Rd", "city": "Austin", "zip": "73301",
                                    "state": "TX", "country": "US"}},
            "line_items": [
                {"name": "Design", "qty": "2", "price": "1200.00"},
                {"name": "Build", "qty": 3, "price": 800}
            ]
        }
    })
}

const CRM_MAPPING: &[(&str, &str)] = &[
    ("customer_name", "contact.firstname"),
    ("email", "contact.email"),
    ("address_line1", "contact.address.street"),
    ("city", "contact.address.city"),
    ("postal_code", "contact.address.zip"),
    ("region", "contact.address.state"),
    ("country", "contact.address.country"),
    ("external_reference", "contact.email"),
    ("description", "line_items[].name"),
    ("quantity", "line_items[].qty"),
    ("unit_price", "line_items[].price"),
];

#[test]
fn the_rule_decides_draft_issue_and_send_or_forced_approval() {
    let api = start();
    api.save("deal.closed_won", &input("create_draft", &[]));
    api.test_and_enable("deal.closed_won");
    let (status, v) = api.post("d-1", &deal("D-1", "100.00"));
    assert_eq!(status, 202, "{v}");
    assert_eq!(v["action"], "create_draft");
    assert_eq!(v["invoice"]["status"], "draft");
    assert_eq!(api.count("deliveries"), 0);

    api.save("deal.closed_won", &input("issue_and_send", &[]));
    assert!(
        !api.rule("deal.closed_won").enabled,
        "an edit disables the rule"
    );
    api.test_and_enable("deal.closed_won");
    let (status, v) = api.post("d-2", &deal("D-2", "100.00"));
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["invoice"]["status"], "issued");
    assert_eq!(v["email_queued"], true);
    assert_eq!(api.count("deliveries"), 1);

    // 100.00 is far below the approval threshold, yet it waits.
    api.save("deal.closed_won", &input("await_approval", &[]));
    api.test_and_enable("deal.closed_won");
    let (status, v) = api.post("d-3", &deal("D-3", "100.00"));
    assert_eq!(status, 202, "{v}");
    assert_eq!(v["needs_approval"], true);
    assert_eq!(v["invoice"]["status"], "pending_approval");
    assert_eq!(api.count("deliveries"), 1, "sent only once approved");

    let events = api.rule("deal.closed_won").recent_events;
    let summaries: Vec<&str> = events.iter().map(|e| e.summary.as_str()).collect();
    assert_eq!(events.len(), 3, "{summaries:?}");
    assert_eq!(events[0].outcome, "awaiting_approval");
    assert_eq!(events[1].outcome, "created");
    assert!(
        summaries[1].contains("invoice INV-") && summaries[1].ends_with("created"),
        "{summaries:?}"
    );
    assert_eq!(events[2].outcome, "draft");
    assert_eq!(events[2].reference.as_deref(), Some("D-1"));
}

#[test]
fn a_crm_payload_is_mapped_onto_the_customer_and_lines() {
    let api = start();
    let saved = api.save("deal.closed_won", &input("issue", CRM_MAPPING));
    assert_eq!(saved.mapping.len(), CRM_MAPPING.len());
    assert!(saved.needs_test);
    api.test_and_enable("deal.closed_won");
    let customers = api.count("customers");
    let (status, v) = api.post("crm-1", &crm_deal("ana@initech.test"));
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["customer_created"], true);
    assert_eq!(v["invoice"]["customer_name"], "Ana Initech");
    // 2 × 1200.00 + 3 × 800 = 4800.00; no tax is set up for Texas.
    assert_eq!(v["invoice"]["total"], "4800.00");
    assert_eq!(api.count("customers"), customers + 1);
    let id = v["invoice"]["id"].as_i64().unwrap();
    let screen = api.f.app.invoice_screen(&api.f.admin, id).unwrap();
    let lines: Vec<(String, String)> = screen
        .invoice
        .lines
        .iter()
        .map(|l| (l.description.clone(), l.quantity.clone()))
        .collect();
    assert_eq!(
        lines,
        [("Design".into(), "2".into()), ("Build".into(), "3".into())]
    );
    assert_eq!(screen.invoice.customer.email, "ana@initech.test");

    // The same contact again is found by its external reference.
    let (_, again) = api.post("crm-2", &crm_deal("ana@initech.test"));
    assert_eq!(again["customer_created"], false);

    // A bad value names the payload key and the field it fills; nothing is
    // made, and the refusal is in the rule's recent events.
    let invoices = api.count("invoices");
    let (status, e) = api.post("crm-3", &crm_deal("not-an-email"));
    assert_eq!(status, 400, "{e}");
    assert_eq!(e["code"], "validation");
    let detail = &e["details"][0];
    assert_eq!(detail["field"], "data.contact.email", "{e}");
    assert!(detail["reason"].as_str().unwrap().contains("email"), "{e}");
    assert_eq!(api.count("invoices"), invoices);
    let events = api.rule("deal.closed_won").recent_events;
    assert_eq!(events[0].outcome, "refused");
    assert!(
        events[0].summary.starts_with("refused: data.contact.email"),
        "{}",
        events[0].summary
    );
}

#[test]
fn a_disabled_rule_refuses_the_event_and_logs_the_refusal() {
    let api = start();
    let invoices = api.count("invoices");
    let (status, e) = api.post("off-1", &deal("D-9", "100.00"));
    assert_eq!(status, 422, "{e}");
    assert_eq!(e["code"], "trigger_disabled");
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("an admin must test and enable the rule in Triggers → Event rules"),
        "{e}"
    );
    assert_eq!(api.count("invoices"), invoices);
    assert_eq!(api.count("customers"), 1, "no customer was created");
    assert_eq!(
        api.count("api_idempotency_keys"),
        0,
        "a refusal keeps no key"
    );
    let refused = api
        .f
        .app
        .event_rules(&api.f.admin)
        .unwrap()
        .rules
        .into_iter()
        .find(|r| r.event_type == "deal.closed_won")
        .unwrap()
        .recent_events;
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].error_code.as_deref(), Some("trigger_disabled"));
    assert_eq!(refused[0].reference.as_deref(), Some("D-9"));
    // A dry run still answers, so an integrator can try before it is on.
    let r = api
        .http
        .post(format!("{}/v1/events?dry_run=true", api.server.url()))
        .bearer_auth(&api.token)
        .header("Idempotency-Key", "off-2")
        .json(&deal("D-9", "100.00"))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    // A malformed event is logged as refused too, under the type it names.
    let (status, _) = api.post("off-3", &json!({"type": "deal.closed_won", "customer": 5}));
    assert_eq!(status, 400);
    let events = api.rule("deal.closed_won").recent_events;
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].outcome, "refused");
    assert_eq!(events[1].outcome, "dry_run");
}

#[test]
fn an_untested_rule_cannot_be_enabled_and_an_edit_needs_a_new_test() {
    let f = Fixture::new();
    f.set_up_email();
    let e = f
        .app
        .set_event_rule_enabled(&f.admin, "order.created", true)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidState);
    assert!(e.message.contains("has not passed a test run"), "{e:?}");
    test(&f.app, &f.admin, "order.created", None).unwrap();
    let on = f
        .app
        .set_event_rule_enabled(&f.admin, "order.created", true)
        .unwrap();
    assert!(on.enabled && !on.needs_test);
    assert_eq!(on.tested_by.as_deref(), Some("admin@acme.test"));

    // Terms only move the due date: the rule stays tested and on.
    let mut terms = input("issue_and_send", &[]);
    terms.terms_days = Some(14);
    let kept = f
        .app
        .update_event_rule(&f.admin, "order.created", &terms)
        .unwrap();
    assert!(kept.enabled && !kept.needs_test);
    // A new template changes the invoice: tested again before it is on.
    let mut templated = terms.clone();
    templated.template = Some("standard-de".into());
    let changed = f
        .app
        .update_event_rule(&f.admin, "order.created", &templated)
        .unwrap();
    assert!(!changed.enabled && changed.needs_test);
    assert!(f
        .app
        .set_event_rule_enabled(&f.admin, "order.created", true)
        .is_err());

    // Bad input is refused by its path; a specialist may test but not edit.
    let bad = f
        .app
        .update_event_rule(
            &f.admin,
            "order.created",
            &input("publish", &[("email", "a"), ("nonsense", "b")]),
        )
        .unwrap_err();
    let fields: Vec<String> = bad.details.unwrap().into_iter().map(|d| d.field).collect();
    assert_eq!(fields, ["action", "mapping[1].field"]);
    let specialist = f.user("sam@acme.test", Role::Specialist);
    let refused = f
        .app
        .update_event_rule(&specialist, "order.created", &terms)
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    assert!(f
        .app
        .set_event_rule_enabled(&specialist, "order.created", true)
        .is_err());
    test(&f.app, &specialist, "order.created", None).unwrap();
    let db = rusqlite::Connection::open(f.dir.path().join("invoicer.db")).unwrap();
    let edits: Vec<String> = db
        .prepare("SELECT data FROM audit_events WHERE action = 'event_rule.updated' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(edits.len(), 2, "two edits saved, the refused ones not");
    let last: Value = serde_json::from_str(&edits[1]).unwrap();
    assert_eq!(last["before"]["template"], Value::Null);
    assert_eq!(last["after"]["template"], "standard-de");
    assert_eq!(last["needs_new_test"], true);
}

#[test]
fn a_test_run_writes_and_sends_nothing_and_returns_the_preview_with_its_pdf() {
    let f = Fixture::new();
    f.set_up_email();
    f.app
        .update_event_rule(
            &f.admin,
            "deal.closed_won",
            &input("issue_and_send", CRM_MAPPING),
        )
        .unwrap();
    // Every table's rows, the audit trail aside: a passed test is audited.
    let before = row_counts(&f, &["audit_events"]);
    let outbox = f.outbox_files();

    // The built-in sample fills every mapped key.
    let sample = test(&f.app, &f.admin, "deal.closed_won", None).unwrap();
    assert_eq!(sample.outcome, "queued_for_sending");
    assert!(sample.customer_created);
    assert_eq!(sample.customer_email, "sam@sample.example");
    assert!(
        sample.event_json.contains("\"data\""),
        "{}",
        sample.event_json
    );

    // A pasted event: the CRM's own payload.
    let pasted = test(
        &f.app,
        &f.admin,
        "deal.closed_won",
        Some(&crm_deal("ana@initech.test")),
    )
    .unwrap();
    assert_eq!(pasted.customer_name, "Ana Initech");
    assert_eq!(pasted.totals.total, "4800.00");
    assert_eq!(pasted.totals.lines.len(), 2);
    assert!(!pasted.needs_approval);
    assert!(
        pasted.template.starts_with("standard-en v"),
        "{}",
        pasted.template
    );
    let text = pdftotext(&pasted.pdf_bytes);
    assert!(text.contains("Ana Initech"), "{text}");
    assert!(
        text.contains("Website redesign") || text.contains("Design"),
        "{text}"
    );
    assert!(text.contains("4,800.00"), "{text}");

    assert_eq!(
        row_counts(&f, &["audit_events"]),
        before,
        "a test run writes nothing but its tested_at"
    );
    assert_eq!(f.outbox_files(), outbox, "and sends nothing");
    let rule = f.app.event_rules(&f.admin).unwrap().rules[1].clone();
    assert_eq!(rule.event_type, "deal.closed_won");
    assert!(rule.tested_at.is_some() && !rule.enabled);

    // A pasted event of another type, or a bad one, is refused by its path
    // and leaves the rule as it was.
    let other = test(
        &f.app,
        &f.admin,
        "deal.closed_won",
        Some(&json!({"type": "time.logged"})),
    )
    .unwrap_err();
    assert_eq!(other.details.unwrap()[0].field, "sample_event.type");
    let bad = test(
        &f.app,
        &f.admin,
        "deal.closed_won",
        Some(
            &crm_deal("ana@initech.test")
                .as_object()
                .map(|o| {
                    let mut o = o.clone();
                    o["data"]["line_items"][0]["price"] = json!("12,00");
                    Value::Object(o)
                })
                .unwrap(),
        ),
    )
    .unwrap_err();
    assert_eq!(
        bad.details.unwrap()[0].field,
        "data.line_items[0].price",
        "the payload key of the first line's price"
    );
}
