//! What the command tests share: an app on a temp folder driven through
//! Tauri's mock runtime, and the inputs the UI would send.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use chrono::{TimeZone, Utc};
use invoicer_app::{Invoicer, ManualClock};
use invoicer_desktop::{with_commands, AppState};
use serde_json::{json, Value};
use std::sync::Arc;
use tauri::ipc::{CallbackFn, InvokeBody, InvokeResponseBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};
use tempfile::TempDir;

/// The admin set up in every harness.
pub const ADMIN: (&str, &str) = ("ada@example.com", "correct horse battery");
/// A billing specialist.
pub const SPECIALIST: (&str, &str) = ("sam@example.com", "specialist password");

/// One app with its own data folder and one window to invoke from.
pub struct Harness {
    /// The window the UI would invoke from.
    pub webview: WebviewWindow<MockRuntime>,
    _app: App<MockRuntime>,
    _dir: TempDir,
}

impl Harness {
    pub fn new() -> Self {
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

    /// A harness over an app opened elsewhere (e.g. on a fixture's data
    /// folder and clock); nobody is signed in yet.
    pub fn over(invoicer: Invoicer) -> Self {
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
            _dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// `invoke(cmd, args)` as the UI calls it: Ok(value) or Err(rejection).
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.call_body(cmd, args)
            .map(|body| body.deserialize::<Value>().expect("json response"))
    }

    /// The response body as sent: JSON or raw bytes.
    pub fn call_body(&self, cmd: &str, args: Value) -> Result<InvokeResponseBody, Value> {
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

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} was refused: {e}"))
    }

    /// The rejection of a call that must fail.
    pub fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} succeeded but must fail: {v}"),
            Err(e) => e,
        }
    }

    pub fn set_up(&self) -> Value {
        self.ok(
            "setup",
            json!({"input": {
                "company_name": "Acme Consulting", "country": "US", "region": "CA",
                "currency": "USD", "admin_email": ADMIN.0, "admin_name": "Ada Admin",
                "admin_password": ADMIN.1,
            }}),
        )
    }

    pub fn sign_in(&self, (email, password): (&str, &str)) -> Value {
        self.ok(
            "sign_in",
            json!({"input": {"email": email, "password": password}}),
        )
    }

    pub fn customer(&self) -> i64 {
        let c = self.ok(
            "create_customer",
            json!({"input": customer_input("bob@example.com")}),
        );
        c["id"].as_i64().expect("customer id")
    }
}

pub fn customer_input(email: &str) -> Value {
    json!({
        "name": "Bob Buyer", "company": "Buyer Inc", "email": email,
        "address": "1 Market St", "city": "San Francisco", "region": "CA",
        "postal_code": "94105", "country": "US", "tax_id": null, "currency": null,
    })
}

pub fn line(description: &str, quantity: &str, unit_price: &str, discount: Option<&str>) -> Value {
    json!({"description": description, "quantity": quantity, "unit_price": unit_price,
           "discount_percent": discount, "tax_rate_id": null, "proration": null})
}

pub fn draft(customer_id: i64, lines: Vec<Value>) -> Value {
    json!({"customer_id": customer_id, "issue_date": null, "terms_days": null,
           "notes": null, "lines": lines})
}

pub fn code(e: &Value) -> &str {
    e["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no code in {e}"))
}

pub fn fields(e: &Value) -> Vec<String> {
    e["details"]
        .as_array()
        .unwrap_or_else(|| panic!("no details in {e}"))
        .iter()
        .map(|d| d["field"].as_str().expect("field").to_string())
        .collect()
}
