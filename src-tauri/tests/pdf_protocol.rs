//! The `invoicer-pdf` protocol's request → response mapping, on a real
//! application in a temporary folder: the page's `fetch` of an invoice PDF
//! gets the bytes, or the same `{code, message, details}` a command would
//! reject with, under a status that says the same.

use chrono::{TimeZone, Utc};
use invoicer_app::api::{CustomerInput, DraftInput, SetupInput};
use invoicer_app::{ApiError, AppResult, ErrorCode, Invoicer, ManualClock, Session};
use invoicer_desktop::pdf_protocol::{
    parse, respond, status_for, with_origin, PdfRequest, Refusal,
};
use invoicer_desktop::NavigationGuard;
use serde_json::{json, Value};
use std::sync::Arc;
use tauri::http::{header, Method, Request, Response, StatusCode};
use tempfile::TempDir;

/// An application with a company, its admin signed in, and one draft.
struct Fixture {
    invoicer: Invoicer,
    admin: Session,
    draft: i64,
    _dir: TempDir,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
    ));
    let invoicer = Invoicer::open(dir.path(), clock).expect("open");
    let setup: SetupInput = from(json!({
        "company_name": "Acme Consulting", "country": "US", "region": "CA",
        "currency": "USD", "admin_email": "ada@example.com", "admin_name": "Ada Admin",
        "admin_password": "correct horse battery",
    }));
    let admin = invoicer.setup(&setup).expect("setup");
    let customer: CustomerInput = from(json!({
        "name": "Bob Buyer", "company": "Buyer Inc", "email": "bob@example.com",
        "address": "1 Market St", "city": "San Francisco", "region": "CA",
        "postal_code": "94105", "country": "US", "tax_id": null, "currency": null,
    }));
    let customer = invoicer
        .create_customer(&admin, &customer)
        .expect("customer");
    let draft: DraftInput = from(json!({
        "customer_id": customer.id, "issue_date": null, "terms_days": null, "notes": null,
        "lines": [{"description": "Design", "quantity": "2", "unit_price": "150.00",
                   "discount_percent": null, "tax_rate_id": null, "proration": null}],
    }));
    let draft = invoicer.create_invoice(&admin, &draft).expect("draft").id;
    Fixture {
        invoicer,
        admin,
        draft,
        _dir: dir,
    }
}

fn from<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a valid input")
}

/// A request as WebKitGTK sends it for `convertFileSrc(path, "invoicer-pdf")`:
/// the path percent-encoded as one segment.
fn request(method: Method, uri: &str) -> Request<Vec<u8>> {
    Request::builder()
        .method(method)
        .uri(uri)
        .body(Vec::new())
        .expect("a request")
}

fn get(uri: &str) -> Request<Vec<u8>> {
    request(Method::GET, uri)
}

/// `convertFileSrc("invoice/<id>", "invoicer-pdf")` on Linux.
fn invoice_url(id: i64) -> String {
    format!("invoicer-pdf://localhost/invoice%2F{id}")
}

fn header_of(response: &Response<Vec<u8>>, name: header::HeaderName) -> &str {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The body of a refusal, read back as the UI reads it.
fn api_error(response: &Response<Vec<u8>>) -> ApiError {
    assert_eq!(
        header_of(response, header::CONTENT_TYPE),
        "application/json"
    );
    serde_json::from_slice(response.body()).expect("an ApiError body")
}

#[test]
fn a_drafts_pdf_is_served_as_a_pdf_and_never_cached() {
    let f = fixture();
    let response = respond(
        &get(&invoice_url(f.draft)),
        Ok(f.admin.clone()),
        &f.invoicer,
    );
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        header_of(&response, header::CONTENT_TYPE),
        "application/pdf"
    );
    assert_eq!(header_of(&response, header::CACHE_CONTROL), "no-store");
    assert!(response.body().starts_with(b"%PDF-"));
}

#[test]
fn an_issued_invoice_is_served_its_archived_bytes() {
    let f = fixture();
    let issued = f.invoicer.issue_invoice(&f.admin, f.draft).expect("issue");
    let archived = f.invoicer.invoice_pdf(&f.admin, f.draft).expect("archived");
    assert_eq!(
        issued.invoice.pdf_sha256.as_deref(),
        Some(archived.sha256.as_str())
    );
    // Both spellings of the path name the same invoice: percent-encoded as
    // `convertFileSrc` sends it, and plain.
    for uri in [
        invoice_url(f.draft),
        format!("invoicer-pdf://localhost/invoice/{}", f.draft),
        format!("http://invoicer-pdf.localhost/invoice%2F{}", f.draft),
    ] {
        let response = respond(&get(&uri), Ok(f.admin.clone()), &f.invoicer);
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        assert_eq!(response.body(), &archived.bytes, "{uri}");
    }
}

#[test]
fn a_credit_note_is_served_its_archived_bytes_by_its_own_path() {
    let f = fixture();
    f.invoicer.issue_invoice(&f.admin, f.draft).expect("issue");
    let input: invoicer_app::api::CreditNoteInput = from(json!({
        "invoice_id": f.draft, "amount": "10.00", "reason": "Discount agreed late",
    }));
    let cn = f
        .invoicer
        .create_credit_note(&f.admin, &input)
        .expect("credit note")
        .credit_note;
    let archived = f
        .invoicer
        .credit_note_pdf(&f.admin, cn.id)
        .expect("archived");
    let uri = format!("invoicer-pdf://localhost/credit-note%2F{}", cn.id);
    assert_eq!(parse(&get(&uri)), Ok(PdfRequest::CreditNote(cn.id)));
    let response = respond(&get(&uri), Ok(f.admin.clone()), &f.invoicer);
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.body(), &archived.bytes);
    let missing = respond(
        &get("invoicer-pdf://localhost/credit-note%2F99"),
        Ok(f.admin.clone()),
        &f.invoicer,
    );
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[test]
fn nobody_signed_in_is_401_with_the_unauthenticated_error() {
    let f = fixture();
    let signed_out: AppResult<Session> = Err(ApiError::new(
        ErrorCode::Unauthenticated,
        "you are not signed in; sign in and try again",
    ));
    let response = respond(&get(&invoice_url(f.draft)), signed_out, &f.invoicer);
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(api_error(&response).code, ErrorCode::Unauthenticated);
}

#[test]
fn an_unknown_invoice_is_404_with_the_not_found_error() {
    let f = fixture();
    let response = respond(&get(&invoice_url(999)), Ok(f.admin.clone()), &f.invoicer);
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let e = api_error(&response);
    assert_eq!(e.code, ErrorCode::NotFound);
    assert!(e.message.contains("999"), "{}", e.message);
}

#[test]
fn a_path_that_names_no_invoice_is_400() {
    let f = fixture();
    for uri in [
        "invoicer-pdf://localhost/",
        "invoicer-pdf://localhost/invoice%2F",
        "invoicer-pdf://localhost/invoice%2Fabc",
        "invoicer-pdf://localhost/invoice%2F-3",
        "invoicer-pdf://localhost/invoice%2F0",
        "invoicer-pdf://localhost/invoice%2F99999999999999999999999",
        "invoicer-pdf://localhost/invoice%2F3%2F..",
        "invoicer-pdf://localhost/customer%2F3",
        "invoicer-pdf://localhost/%2Fetc%2Fpasswd",
        "invoicer-pdf://localhost/invoice%2F%FF",
    ] {
        let response = respond(&get(uri), Ok(f.admin.clone()), &f.invoicer);
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(api_error(&response).code, ErrorCode::Validation, "{uri}");
    }
}

#[test]
fn only_get_is_allowed() {
    let f = fixture();
    for method in [Method::POST, Method::PUT, Method::DELETE, Method::HEAD] {
        let response = respond(
            &request(method.clone(), &invoice_url(f.draft)),
            Ok(f.admin.clone()),
            &f.invoicer,
        );
        assert_eq!(
            response.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method}"
        );
        assert_eq!(header_of(&response, header::ALLOW), "GET");
        assert_eq!(api_error(&response).code, ErrorCode::Validation);
    }
    assert_eq!(parse(&get(&invoice_url(7))), Ok(PdfRequest::Invoice(7)));
    assert_eq!(
        parse(&request(Method::POST, &invoice_url(7))),
        Err(Refusal::MethodNotAllowed("POST".into()))
    );
}

#[test]
fn error_codes_map_to_the_statuses_a_fetch_sees() {
    assert_eq!(
        status_for(ErrorCode::Unauthenticated),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(status_for(ErrorCode::Forbidden), StatusCode::FORBIDDEN);
    assert_eq!(status_for(ErrorCode::NotFound), StatusCode::NOT_FOUND);
    assert_eq!(status_for(ErrorCode::Validation), StatusCode::BAD_REQUEST);
    for other in [
        ErrorCode::Storage,
        ErrorCode::Integrity,
        ErrorCode::Document,
        ErrorCode::Internal,
    ] {
        assert_eq!(status_for(other), StatusCode::INTERNAL_SERVER_ERROR);
    }
}

#[test]
fn only_the_apps_own_page_may_read_the_response() {
    let with = |origin: &str| {
        Request::builder()
            .uri(invoice_url(1))
            .header(header::ORIGIN, origin)
            .body(Vec::new())
            .expect("a request")
    };
    let guard = NavigationGuard::default();
    let allowed = |origin: &str| {
        let response = with_origin(Response::new(Vec::new()), &with(origin), &guard);
        header_of(&response, header::ACCESS_CONTROL_ALLOW_ORIGIN).to_string()
    };
    assert_eq!(allowed("tauri://localhost"), "tauri://localhost");
    assert_eq!(allowed("http://tauri.localhost"), "http://tauri.localhost");
    assert_eq!(allowed("https://evil.example"), "");
    assert_eq!(allowed("null"), "");
}

#[test]
fn the_csp_lets_the_page_fetch_from_the_protocol_and_nowhere_else() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tauri.conf.json");
    let config: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("tauri.conf.json"))
            .expect("JSON");
    let connect = config["app"]["security"]["csp"]["connect-src"]
        .as_str()
        .expect("a connect-src");
    let mut sources: Vec<&str> = connect.split_whitespace().collect();
    sources.sort_unstable();
    // The IPC and the protocol's origin on each platform; no wildcard, no
    // bare scheme, no other host.
    assert_eq!(
        sources,
        [
            "http://invoicer-pdf.localhost",
            "http://ipc.localhost",
            "invoicer-pdf://localhost",
            "ipc:",
        ]
    );
}
