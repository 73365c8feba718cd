//! The IPC commands driven through Tauri's mock runtime, headless: what the UI
//! would receive from `invoke()`, including the refusals it never shows a
//! button for.

use chrono::{TimeZone, Utc};
use invoicer_app::{Invoicer, ManualClock};
use invoicer_desktop::{with_commands, AppState};
use serde_json::{json, Value};
use std::sync::Arc;
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};
use tempfile::TempDir;

const ADMIN: (&str, &str) = ("ada@example.com", "correct horse battery");
const SPECIALIST: (&str, &str) = ("sam@example.com", "specialist password");

/// One app with its own data folder and one window to invoke from.
struct Harness {
    webview: WebviewWindow<MockRuntime>,
    _app: App<MockRuntime>,
    _dir: TempDir,
}

impl Harness {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        // A clock that stands still, like every other test's, so dates and
        // numbers do not depend on the day the tests run.
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
        ));
        let invoicer = Invoicer::open(dir.path(), clock).expect("open");
        let app = with_commands(mock_builder())
            .manage(AppState::new(invoicer))
            .build(mock_context(noop_assets()))
            .expect("mock app");
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("window");
        Harness {
            webview,
            _app: app,
            _dir: dir,
        }
    }

    /// `invoke(cmd, args)` as the UI calls it: Ok(value) or Err(rejection).
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.call_body(cmd, args)
            .map(|body| body.deserialize::<Value>().expect("json response"))
    }

    /// The response body as sent: JSON or raw bytes.
    fn call_body(&self, cmd: &str, args: Value) -> Result<InvokeResponseBody, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: tauri::test::INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.webview, request)
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} was refused: {e}"))
    }

    /// The rejection of a call that must fail.
    fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} succeeded but must fail: {v}"),
            Err(e) => e,
        }
    }

    fn set_up(&self) -> Value {
        self.ok(
            "setup",
            json!({"input": {
                "company_name": "Acme Consulting", "country": "US", "region": "CA",
                "currency": "USD", "admin_email": ADMIN.0, "admin_name": "Ada Admin",
                "admin_password": ADMIN.1,
            }}),
        )
    }

    fn sign_in(&self, (email, password): (&str, &str)) -> Value {
        self.ok(
            "sign_in",
            json!({"input": {"email": email, "password": password}}),
        )
    }

    fn customer(&self) -> i64 {
        let c = self.ok(
            "create_customer",
            json!({"input": customer_input("bob@example.com")}),
        );
        c["id"].as_i64().expect("customer id")
    }
}

fn customer_input(email: &str) -> Value {
    json!({
        "name": "Bob Buyer", "company": "Buyer Inc", "email": email,
        "address": "1 Market St", "city": "San Francisco", "region": "CA",
        "postal_code": "94105", "country": "US", "tax_id": null, "currency": null,
    })
}

fn line(description: &str, quantity: &str, unit_price: &str, discount: Option<&str>) -> Value {
    json!({"description": description, "quantity": quantity, "unit_price": unit_price,
           "discount_percent": discount, "tax_rate_id": null, "proration": null})
}

fn draft(customer_id: i64, lines: Vec<Value>) -> Value {
    json!({"customer_id": customer_id, "issue_date": null, "terms_days": null,
           "notes": null, "lines": lines})
}

fn code(e: &Value) -> &str {
    e["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no code in {e}"))
}

fn fields(e: &Value) -> Vec<String> {
    e["details"]
        .as_array()
        .unwrap_or_else(|| panic!("no details in {e}"))
        .iter()
        .map(|d| d["field"].as_str().expect("field").to_string())
        .collect()
}

#[test]
fn a_specialist_is_refused_admin_commands_the_ui_hides() {
    let h = Harness::new();
    h.set_up();
    let user = h.ok(
        "add_user",
        json!({"input": {"email": SPECIALIST.0, "name": "Sam Specialist",
                         "role": "specialist", "password": SPECIALIST.1}}),
    );
    assert_eq!(user["role"], "specialist");
    h.ok("sign_out", json!({}));
    let me = h.sign_in(SPECIALIST);
    assert_eq!(me["email"], SPECIALIST.0);

    let mut company = h.ok("get_company", json!({}));
    company["name"] = json!("Taken Over Ltd");
    let e = h.err("update_company", json!({"input": company}));
    assert_eq!(code(&e), "forbidden", "{e}");
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
    let e = h.err(
        "add_user",
        json!({"input": {"email": "eve@example.com", "name": "Eve",
                         "role": "admin", "password": "another password"}}),
    );
    assert_eq!(code(&e), "forbidden", "{e}");
    assert_eq!(code(&h.err("list_users", json!({}))), "forbidden");
    assert_eq!(code(&h.err("verify_audit", json!({}))), "forbidden");
    let rate = json!({"input": {"country": "US", "region": "CA", "name": "Sales tax",
                                "rate": "1", "inclusive": false}});
    assert_eq!(code(&h.err("set_tax_rate", rate)), "forbidden");
    assert_eq!(h.ok("get_company", json!({}))["name"], "Acme Consulting");
    // What a specialist may do still works.
    assert!(h.customer() > 0);
}

#[test]
fn calls_without_a_signed_in_user_are_unauthenticated() {
    let h = Harness::new();
    assert_eq!(
        h.ok("setup_status", json!({})),
        json!({"initialized": false, "signed_in": null})
    );
    let e = h.err("get_company", json!({}));
    assert_eq!(code(&e), "unauthenticated");
    assert_eq!(e["details"], Value::Null);

    h.set_up();
    let status = h.ok("setup_status", json!({}));
    assert_eq!(status["initialized"], true);
    assert_eq!(status["signed_in"]["email"], ADMIN.0);
    let company = h.ok("get_company", json!({}));
    h.ok("sign_out", json!({}));
    assert_eq!(h.ok("setup_status", json!({}))["signed_in"], Value::Null);

    for (cmd, args) in [
        ("list_customers", json!({"search": null})),
        (
            "list_invoices",
            json!({"query": {"status": null, "customer_id": null,
            "date_from": null, "date_to": null, "search": null, "sort": "issue_date",
            "descending": true, "page": 1, "page_size": 50}}),
        ),
        ("get_invoice", json!({"id": 1})),
        ("list_tax_rates", json!({})),
        ("update_company", json!({"input": company})),
        ("verify_audit", json!({})),
    ] {
        let e = h.err(cmd, args);
        assert_eq!(code(&e), "unauthenticated", "{cmd}: {e}");
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let e = h.err(
        "sign_in",
        json!({"input": {"email": ADMIN.0, "password": "wrong password"}}),
    );
    assert_eq!(code(&e), "auth_failed");
    assert_eq!(code(&h.err("get_company", json!({}))), "unauthenticated");
}

#[test]
fn validation_errors_arrive_with_field_details() {
    let h = Harness::new();
    let e = h.err(
        "setup",
        json!({"input": {"company_name": "Acme", "country": "US", "region": null,
                         "currency": "USD", "admin_email": "not-an-email",
                         "admin_name": "Ada", "admin_password": "short"}}),
    );
    assert_eq!(code(&e), "validation");
    let f = fields(&e);
    assert!(f.contains(&"admin_email".to_string()), "{e}");
    assert!(f.contains(&"admin_password".to_string()), "{e}");
    // The password itself never comes back.
    assert!(!e.to_string().contains("short\""), "{e}");

    h.set_up();
    let e = h.err(
        "create_customer",
        json!({"input": customer_input("bob@@example")}),
    );
    assert_eq!(code(&e), "validation");
    assert_eq!(fields(&e), vec!["email"], "{e}");

    let customer = h.customer();
    let e = h.err(
        "preview_totals",
        json!({"input": draft(customer, vec![
            line("Design", "2", "100.00", None),
            line("Hosting", "abc", "10.00", None),
        ])}),
    );
    assert_eq!(code(&e), "validation");
    assert!(fields(&e).contains(&"lines[1].quantity".to_string()), "{e}");

    // Arguments Tauri cannot deserialize are refused the same way, not with a
    // bare string: the UI can always match on `code`.
    let e = h.err("get_invoice", json!({"id": "seven"}));
    assert_eq!(code(&e), "validation", "{e}");
    assert_eq!(fields(&e), vec!["id"]);
    let e = h.err("create_customer", json!({"input": {"name": "No address"}}));
    assert_eq!(code(&e), "validation", "{e}");
    assert_eq!(fields(&e), vec!["input"]);
}

#[test]
fn a_draft_is_priced_issued_and_partly_paid() {
    let h = Harness::new();
    h.set_up();
    assert_eq!(
        code(&h.err(
            "setup",
            json!({"input": {
        "company_name": "Again", "country": "US", "region": null, "currency": "USD",
        "admin_email": "x@example.com", "admin_name": "X", "admin_password": "long enough pw"}})
        )),
        "already_initialized"
    );
    h.ok(
        "set_tax_rate",
        json!({"input": {"country": "US", "region": "CA", "name": "CA sales tax",
                         "rate": "8.25", "inclusive": false}}),
    );
    let customer = h.customer();
    let lines = vec![
        line("Design", "10", "120.00", None),
        line("Hosting", "3", "19.99", Some("10")),
        line("Support", "1.5", "80.00", None),
    ];
    let totals = h.ok(
        "preview_totals",
        json!({"input": draft(customer, lines.clone())}),
    );
    // 1200.00 + 53.973 (-> 53.97) + 120.00 = 1373.97 net; 8.25 % tax.
    assert_eq!(
        totals["subtotal"].as_str().map(|s| s.starts_with("13")),
        Some(true),
        "{totals}"
    );
    let invoice = h.ok("create_invoice", json!({"input": draft(customer, lines)}));
    assert_eq!(invoice["status"], "draft");
    assert_eq!(invoice["total"], totals["total"]);
    let id = invoice["id"].as_i64().expect("id");
    let issued = h.ok("issue_invoice", json!({"id": id}))["invoice"].clone();
    assert_eq!(issued["status"], "issued");
    // The harness's clock says 2 March 2026 whatever day the tests run.
    assert_eq!(issued["number"], "INV-2026-00001", "{issued}");
    assert_eq!(issued["issue_date"], "2026-03-02", "{issued}");
    assert_eq!(issued["due_date"], "2026-04-01", "{issued}");

    let today = issued["issue_date"].clone();
    let paid = h.ok(
        "record_payment",
        json!({"input": {"invoice_id": id, "amount": "100.00", "date": today,
                         "reference": "wire 42"}}),
    );
    // A payment answers with the whole screen: the invoice, its payments and activity.
    assert_eq!(paid["payments"].as_array().map(Vec::len), Some(1));
    let paid = &paid["invoice"];
    assert_eq!(paid["status"], "partially_paid");
    assert_eq!(paid["amount_paid"], "100.00");
    let payments = h.ok("list_payments", json!({"id": id}));
    assert_eq!(payments.as_array().map(Vec::len), Some(1));
    let audit = h.ok("invoice_audit", json!({"id": id}));
    assert!(audit.as_array().is_some_and(|a| a.len() >= 3), "{audit}");
    assert_eq!(h.ok("verify_audit", json!({}))["intact"], true);
    let e = h.err(
        "update_invoice",
        json!({"input": {"invoice_id": id, "draft": draft(customer, vec![line("X", "1", "1", None)])}}),
    );
    assert_eq!(code(&e), "invalid_state", "{e}");
    assert_eq!(code(&h.err("get_invoice", json!({"id": 999}))), "not_found");

    // The invoice's PDF is no command: the page loads it by URL from the
    // `invoicer-pdf` protocol (tests/pdf_protocol.rs), outside the IPC layer.
    let e = h.err("invoice_pdf", json!({"id": id}));
    assert!(e.as_str().is_some_and(|m| m.contains("invoice_pdf")), "{e}");
}

#[test]
fn voiding_an_approved_invoice_is_refused_and_it_can_go_back_to_draft() {
    const APPROVER: (&str, &str) = ("pat@example.com", "approver password");
    let h = Harness::new();
    h.set_up();
    h.ok(
        "add_user",
        json!({"input": {"email": APPROVER.0, "name": "Pat Approver",
                         "role": "approver", "password": APPROVER.1}}),
    );
    let customer = h.customer();
    // 15,000.00: above the default approval threshold of 10,000.00.
    let invoice = h.ok(
        "create_invoice",
        json!({"input": draft(customer, vec![line("Design", "100", "150.00", None)])}),
    );
    let id = invoice["id"].as_i64().expect("id");
    h.ok("submit_for_approval", json!({"id": id}));
    h.ok("sign_out", json!({}));
    h.sign_in(APPROVER);
    assert_eq!(
        h.ok("approve_invoice", json!({"id": id}))["invoice"]["status"],
        "approved"
    );

    let e = h.err(
        "void_invoice",
        json!({"input": {"invoice_id": id, "reason": "Customer cancelled"}}),
    );
    assert_eq!(code(&e), "invalid_state", "{e}");
    let still = h.ok("get_invoice", json!({"id": id}))["invoice"].clone();
    assert_eq!(still["status"], "approved");
    assert_eq!(still["number"], Value::Null);

    let back = h.ok(
        "send_back_to_draft",
        json!({"input": {"invoice_id": id, "reason": "Customer cancelled"}}),
    )["invoice"]
        .clone();
    assert_eq!(back["status"], "draft");
    assert_eq!(back["number"], Value::Null);
}

#[test]
fn the_delivery_and_email_commands_are_registered_and_ask_for_a_session() {
    let h = Harness::new();
    h.set_up();
    h.ok("sign_out", json!({}));
    for (cmd, args) in [
        ("send_invoice", json!({"id": 1})),
        ("issue_and_send_invoice", json!({"id": 1})),
        ("deliveries", json!({"filter": {"needs_a_person": true}})),
        ("resend_delivery", json!({"id": 1})),
        ("mark_delivery_sent", json!({"id": 1})),
        ("email_settings", json!({})),
        (
            "save_smtp_settings",
            json!({"input": {"host": "smtp.example.com", "port": 587, "security": "starttls"}}),
        ),
        ("clear_smtp_settings", json!({})),
        ("rotate_payment_link_secret", json!({})),
        ("send_test_email", json!({"to": "bob@example.com"})),
    ] {
        let e = h.err(cmd, args);
        assert_eq!(code(&e), "unauthenticated", "{cmd}: {e}");
    }
    // A malformed filter is refused on its argument, like every other command's.
    h.sign_in(ADMIN);
    let e = h.err("deliveries", json!({"filter": {"status": "lost"}}));
    assert_eq!(code(&e), "validation", "{e}");
    assert_eq!(fields(&e), ["filter"]);
}

/// A CRM export of three deals (two rows for the first) whose dates leave
/// the day/month order open, and a fourth deal with a bad email on line 5.
const BULK_CSV: &str = "Deal ID,Contact Name,Contact Email,Street,City,State,Zip,Country,Close Date,Line Item Name,Quantity,Unit Price\n\
D-1,Ann Archer,ann@buyer.example,1 Market St,San Francisco,CA,94105,US,03/02/2026,Consulting,2,1250.00\n\
D-1,Ann Archer,ann@buyer.example,1 Market St,San Francisco,CA,94105,US,03/02/2026,Travel,1,99.50\n\
D-2,Bo Baker,bo@buyer.example,2 Main St,Los Angeles,CA,90012,US,03/04/2026,Workshop,1,800.00\n\
D-3,Cy Cole,not-an-email,3 Pine St,San Diego,CA,92101,US,03/05/2026,Support,3,45.00\n\
D-4,Di Dunn,di@buyer.example,4 Oak St,Fresno,CA,93721,US,04/01/2026,Licence,1,300.00\n";

#[test]
fn the_bulk_commands_are_registered_and_ask_for_a_session() {
    let h = Harness::new();
    h.set_up();
    h.ok("sign_out", json!({}));
    let input = json!({"path": "/nowhere.csv"});
    for (cmd, args) in [
        // Refused before any dialog opens: a signed-out window never shows one.
        ("pick_bulk_file", json!({})),
        ("check_bulk_file", json!({ "input": input })),
        ("bulk_profiles", json!({})),
        (
            "start_bulk_job",
            json!({"input": {"check": input, "sha256": "00", "send": true}}),
        ),
        ("bulk_jobs", json!({})),
        ("bulk_job_report", json!({"query": {"job_id": 1}})),
        ("resume_bulk_job", json!({"jobId": 1})),
        ("cancel_bulk_job", json!({"jobId": 1})),
        ("save_bulk_check_problems", json!({ "input": input })),
        ("save_bulk_job_problems", json!({"jobId": 1})),
        ("bulk_preview_pdf", json!({"input": input, "index": 0})),
    ] {
        let e = h.err(cmd, args);
        assert_eq!(code(&e), "unauthenticated", "{cmd}: {e}");
    }
}

#[test]
fn a_picked_file_is_checked_through_its_command_until_nothing_is_open() {
    let h = Harness::new();
    h.set_up();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("deals.csv");
    std::fs::File::create(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, BULK_CSV.as_bytes()))
        .expect("write the file");
    let path = path.display().to_string();

    // As the picker sends it: nothing confirmed. The dates' order is asked for.
    let first = h.ok("check_bulk_file", json!({"input": {"path": path}}));
    assert_eq!(first["file_name"], "deals.csv");
    assert_eq!(first["needs_confirmation"], json!(["dates"]));
    assert_eq!(
        first["rows"], 0,
        "no row is read before everything is settled"
    );
    assert_eq!(
        first["columns"][0],
        json!({"header": "Deal ID", "field": "invoice_key"})
    );

    // Confirmed: every row read, the bad one named by its line.
    let settled = h.ok(
        "check_bulk_file",
        json!({"input": {"path": path, "date_style": "month_day_year"}}),
    );
    assert_eq!(settled["needs_confirmation"], json!([]));
    assert_eq!(settled["rows"], 5);
    assert_eq!(settled["invoices"], 3);
    assert_eq!(settled["refused_invoices"], 1);
    let problems = settled["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["line"], 5);
    assert_eq!(problems[0]["value"], "not-an-email");

    // Another delimiter reads the headers and the preview again: the mapping
    // screen shows the file as a run with that choice would read it.
    let semicolons = h.ok(
        "check_bulk_file",
        json!({"input": {"path": path, "delimiter": ";"}}),
    );
    assert_eq!(semicolons["delimiter"], ";");
    assert_eq!(semicolons["columns"].as_array().expect("columns").len(), 1);
    assert_eq!(
        semicolons["preview"][0].as_array().expect("a row").len(),
        1,
        "{semicolons}"
    );

    // What a check settled is saved as a named profile, offered to the next file.
    assert_eq!(h.ok("bulk_profiles", json!({})), json!([]));
    let saved = h.ok(
        "check_bulk_file",
        json!({"input": {"path": path, "date_style": "month_day_year",
                         "save_profile_as": "CRM deals"}}),
    );
    assert_eq!(saved["profile"], "CRM deals");
    assert_eq!(h.ok("bulk_profiles", json!({})), json!(["CRM deals"]));
    let reused = h.ok(
        "check_bulk_file",
        json!({"input": {"path": path, "profile": "CRM deals"}}),
    );
    assert_eq!(reused["needs_confirmation"], json!([]), "{reused}");
    let e = h.err(
        "check_bulk_file",
        json!({"input": {"path": path, "profile": "Nobody's"}}),
    );
    assert_eq!(fields(&e), ["profile"]);

    // A malformed input is refused on its argument; a bad choice on its field.
    let e = h.err("check_bulk_file", json!({"input": {"path": 7}}));
    assert_eq!(code(&e), "validation", "{e}");
    assert_eq!(fields(&e), ["input"]);
    let e = h.err(
        "check_bulk_file",
        json!({"input": {"path": path, "date_style": "sometimes"}}),
    );
    assert_eq!(fields(&e), ["date_style"]);
}

#[test]
fn a_checked_file_is_started_previewed_run_and_reported_through_the_commands() {
    let h = Harness::new();
    h.set_up();
    h.ok(
        "set_tax_rate",
        json!({"input": {"country": "US", "region": "CA", "name": "CA sales tax",
                         "rate": "8.25", "inclusive": false}}),
    );
    // Every email is sent from the company's address.
    let mut company = h.ok("get_company", json!({}));
    company["email"] = json!("billing@acme.example");
    h.ok("update_company", json!({ "input": company }));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("deals.csv");
    std::fs::File::create(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, BULK_CSV.as_bytes()))
        .expect("write the file");
    let input = json!({"path": path.display().to_string(), "date_style": "month_day_year"});
    let report = h.ok("check_bulk_file", json!({ "input": input }));

    // The first valid invoice as a draft PDF, as raw bytes rather than a JSON array.
    match h
        .call_body("bulk_preview_pdf", json!({"input": input, "index": 0}))
        .expect("a preview")
    {
        InvokeResponseBody::Raw(bytes) => assert!(bytes.starts_with(b"%PDF-")),
        InvokeResponseBody::Json(j) => panic!("the PDF crossed as JSON: {}", &j[..j.len().min(80)]),
    }

    // A file changed since its check is refused: what runs is what the person saw.
    let e = h.err(
        "start_bulk_job",
        json!({"input": {"check": input, "sha256": "0".repeat(64), "send": false}}),
    );
    assert_eq!(code(&e), "conflict", "{e}");
    assert_eq!(fields(&e), ["sha256"]);

    let job = h.ok(
        "start_bulk_job",
        json!({"input": {"check": input, "sha256": report["sha256"], "send": true,
                         "throttle_per_minute": 120}}),
    );
    let id = job["id"].as_i64().expect("job id");
    assert_eq!(job["throttle_per_minute"], 120);
    let jobs = h.ok("bulk_jobs", json!({}));
    assert_eq!(jobs[0]["id"], id, "{jobs}");

    // The job runner's pass (the shell starts it; this harness runs it once).
    let state = h.webview.state::<AppState>();
    state.invoicer().run_bulk_jobs().expect("one pass");
    let done = h.ok("bulk_job_report", json!({"query": {"job_id": id}}));
    assert_eq!(done["job"]["status"], "finished", "{done}");
    assert_eq!(done["job"]["counts"]["queued_for_sending"], 3);
    assert_eq!(done["job"]["counts"]["invalid"], 1);
    assert_eq!(done["invoices"].as_array().expect("invoices").len(), 4);
    // One page at a time, filtered by state.
    let invalid = h.ok(
        "bulk_job_report",
        json!({"query": {"job_id": id, "status": "invalid", "limit": 10}}),
    );
    assert_eq!(invalid["invoices"].as_array().expect("invoices").len(), 1);
    assert_eq!(invalid["invoices"][0]["invoice_key"], "D-3");
    // Over: nothing to cancel or resume.
    assert_eq!(done["job"]["can_cancel"], false);
    assert_eq!(
        code(&h.err("resume_bulk_job", json!({ "jobId": id }))),
        "invalid_state"
    );
}
