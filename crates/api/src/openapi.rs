//! The OpenAPI document of the API, generated from the request and response
//! types the handlers use (`utoipa`). The committed `docs/openapi.json` is
//! checked against it by a test, like the TypeScript bindings.

#![allow(dead_code)]

use invoicer_app::api::{
    ApiInvoice, ApiInvoicePage, ApiPaymentInput, ApiPaymentResult, EventCustomer, EventInput,
    EventLine, EventResult, InvoiceLinks, ThresholdProgressView, UsageEntryView, UsageEventResult,
};
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// An error: a stable code, a sentence, and the fields it is about.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// `validation`, `not_found`, `conflict`, `unauthenticated`,
    /// `trigger_disabled`, …
    pub code: String,
    /// A sentence for a person.
    pub message: String,
    /// The fields refused and why.
    pub details: Option<Vec<ErrorField>>,
}

/// One refused field.
#[derive(Serialize, ToSchema)]
pub struct ErrorField {
    /// The field's path, e.g. `lines[0].quantity` or `Idempotency-Key`.
    pub field: String,
    /// Why, with the value.
    pub message: String,
}

/// Reports a billing event. Its type's event rule (Triggers → Event rules)
/// decides what is done with the invoice — a draft, issued, issued and
/// sent, or sent to an approver — with which template and terms, and how
/// the event's free-form `data` is mapped onto the customer and lines. A
/// rule starts disabled and is enabled by an admin after a test run has
/// passed; an event of a type whose rule is disabled is refused with 422
/// and the code `trigger_disabled` (a dry run is still answered). Every
/// event received is logged with its outcome (never the token or body).
/// An hours or usage event whose customer (and `project`) an enabled
/// threshold rule takes answers with a `UsageEventResult` instead: 202
/// with the entries and the running totals, or 201 with the invoice when
/// it crossed the threshold.
#[utoipa::path(post, path = "/v1/events", tag = "events",
    params(
        ("Idempotency-Key" = String, Header, description = "Required. The same key with the same body gives the first response again; with another body, 409."),
        ("dry_run" = Option<bool>, Query, description = "true: return the invoice that would be made, writing and sending nothing.")
    ),
    request_body(content = EventInput, content_type = "application/json"),
    responses(
        (status = 200, description = "Dry run: the invoice it would make", body = EventResult),
        (status = 201, description = "Issued (and sent, when its type sends)", body = EventResult),
        (status = 202, description = "A draft, or waiting for approval", body = EventResult),
        (status = 400, description = "A field is refused", body = ErrorBody),
        (status = 401, description = "No token or a wrong one", body = ErrorBody),
        (status = 409, description = "The Idempotency-Key was used with another body, or is in flight", body = ErrorBody),
        (status = 413, description = "The body is over 1 MiB", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "`trigger_disabled`: the event type's rule is disabled; an admin must test and enable it in Triggers → Event rules", body = ErrorBody),
    ),
    security(("bearer" = [])))]
fn post_event() {}

/// An invoice by its id or its number.
#[utoipa::path(get, path = "/v1/invoices/{id}", tag = "invoices",
    params(("id" = String, Path, description = "The invoice's id or number")),
    responses(
        (status = 200, description = "The invoice", body = ApiInvoice),
        (status = 404, description = "No such invoice", body = ErrorBody),
    ),
    security(("bearer" = [])))]
fn get_invoice() {}

/// Invoices, newest first.
#[utoipa::path(get, path = "/v1/invoices", tag = "invoices",
    params(
        ("status" = Option<String>, Query, description = "draft, pending_approval, issued, overdue, partially_paid, paid, void, …"),
        ("limit" = Option<u64>, Query, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, description = "The previous page's next_cursor")
    ),
    responses(
        (status = 200, description = "One page", body = ApiInvoicePage),
        (status = 400, description = "A parameter is refused", body = ErrorBody),
    ),
    security(("bearer" = [])))]
fn list_invoices() {}

/// Records a payment a provider or bank reports.
#[utoipa::path(post, path = "/v1/payments", tag = "payments",
    params(("Idempotency-Key" = String, Header, description = "Required; as for events.")),
    request_body(content = ApiPaymentInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Recorded", body = ApiPaymentResult),
        (status = 400, description = "A field is refused", body = ErrorBody),
        (status = 404, description = "No such invoice", body = ErrorBody),
        (status = 409, description = "More than the balance, or the invoice cannot be paid", body = ErrorBody),
    ),
    security(("bearer" = [])))]
fn post_payment() {}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

/// The API's OpenAPI description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Invoicer local integration API", version = "1",
         description = "Served on 127.0.0.1 only by the desktop app and `invoicer serve`."),
    paths(post_event, get_invoice, list_invoices, post_payment),
    components(schemas(EventInput, EventCustomer, EventLine, EventResult, ApiInvoice, InvoiceLinks,
                       ApiInvoicePage, ApiPaymentInput, ApiPaymentResult, ErrorBody, ErrorField,
                       UsageEventResult, UsageEntryView, ThresholdProgressView)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

/// The OpenAPI document as pretty JSON, as committed in `docs/openapi.json`.
pub fn openapi_json() -> String {
    let mut text = ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
