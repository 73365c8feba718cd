//! The routes: one dispatcher runs the checks every request shares, then
//! the endpoint's handler. Use cases are blocking (SQLite), so they run on
//! tokio's blocking pool.

use crate::checks::{bearer, host_allowed, is_json, origin_allowed, token_matches};
use crate::{ServerState, MAX_BODY};
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::Response;
use axum::Router;
use invoicer_app::api::{ApiError, ApiPaymentInput, ErrorCode, ErrorDetail, EventInput};
use invoicer_app::{ApiCall, ApiReply, Idempotency, API_TOKEN_NAME};
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

/// The longest `Idempotency-Key` accepted (Stripe's limit).
const MAX_KEY: usize = 255;

pub(crate) fn router(state: Arc<ServerState>) -> Router {
    Router::new().fallback(dispatch).with_state(state)
}

/// A refusal or failure as `{code, message, details}`.
fn error_reply(status: u16, e: &ApiError) -> ApiReply {
    ApiReply {
        status,
        body: serde_json::to_string(e).unwrap_or_else(|_| "{}".into()),
        replayed: false,
    }
}

fn refusal(status: u16, code: ErrorCode, field: &str, message: String) -> ApiReply {
    let mut e = ApiError::new(code, message.clone());
    e.details = Some(vec![ErrorDetail::new(field, message)]);
    error_reply(status, &e)
}

/// The HTTP status of a use case's error.
fn status_of(e: &ApiError) -> u16 {
    match e.code {
        ErrorCode::Validation => 400,
        ErrorCode::Unauthenticated | ErrorCode::AuthFailed => 401,
        ErrorCode::Forbidden => 403,
        ErrorCode::NotFound => 404,
        ErrorCode::Conflict
        | ErrorCode::InvalidState
        | ErrorCode::ApprovalRequired
        | ErrorCode::AlreadyInitialized => 409,
        // The request is well formed but its event type's rule is off:
        // 422, so it is never mistaken for an Idempotency-Key conflict (409),
        // which a client may retry.
        ErrorCode::TriggerDisabled => 422,
        ErrorCode::Throttled => 429,
        ErrorCode::NotInitialized | ErrorCode::KeychainUnavailable => 503,
        _ => 500,
    }
}

fn respond(reply: &ApiReply) -> Response {
    let mut r = Response::new(Body::from(reply.body.clone()));
    *r.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    if reply.replayed {
        r.headers_mut().insert(
            "idempotent-replayed",
            header::HeaderValue::from_static("true"),
        );
    }
    r
}

/// The request's parts the handlers need.
struct Call {
    method: Method,
    path: String,
    query: HashMap<String, String>,
    raw_query: String,
    headers: HeaderMap,
    authorized: bool,
}

async fn dispatch(State(state): State<Arc<ServerState>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let raw_query = parts.uri.query().unwrap_or("").to_string();
    let query = raw_query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    let mut call = Call {
        method: parts.method,
        path,
        query,
        raw_query,
        headers: parts.headers,
        authorized: false,
    };
    let (reply, audited) = handle(&state, &mut call, body).await;
    if !audited {
        let st = state.clone();
        let (method, path, status) = (call.method.to_string(), call.path.clone(), reply.status);
        let token = call.authorized.then_some(API_TOKEN_NAME);
        let error = (status >= 400).then(|| {
            serde_json::from_str::<serde_json::Value>(&reply.body)
                .ok()
                .and_then(|v| v["code"].as_str().map(str::to_string))
                .unwrap_or_default()
        });
        let _ = tokio::task::spawn_blocking(move || {
            st.app.audit_api_request(
                &ApiCall {
                    method: &method,
                    path: &path,
                    token_name: token,
                },
                status,
                error.as_deref(),
            );
        })
        .await;
    }
    respond(&reply)
}

/// Runs the checks and the endpoint; true when the use case audited the
/// request itself (in its own transaction).
async fn handle(state: &Arc<ServerState>, call: &mut Call, body: Body) -> (ApiReply, bool) {
    if !host_allowed(&call.headers, state.port) {
        return (
            refusal(
                421,
                ErrorCode::Forbidden,
                "Host",
                "the Host header must name 127.0.0.1, localhost or [::1] on this port".into(),
            ),
            false,
        );
    }
    if !origin_allowed(&call.headers, state.port) {
        return (
            refusal(
                403,
                ErrorCode::Forbidden,
                "Origin",
                "requests from web pages other than Invoicer's own are refused".into(),
            ),
            false,
        );
    }
    if !authorized(state, &call.headers).await {
        return (
            refusal(401, ErrorCode::Unauthenticated, "Authorization", "send the API token as `Authorization: Bearer <token>` (Settings → Integration API)".into()),
            false,
        );
    }
    call.authorized = true;
    let segments: Vec<&str> = call.path.trim_end_matches('/').split('/').skip(1).collect();
    match (call.method.clone(), segments.as_slice()) {
        (Method::GET, ["v1", "invoices"]) => (list_invoices(state, call).await, false),
        (Method::GET, ["v1", "invoices", id]) => (get_invoice(state, id.to_string()).await, false),
        (Method::POST, ["v1", "events"]) => post(state, call, body, Endpoint::Event).await,
        (Method::POST, ["v1", "payments"]) => post(state, call, body, Endpoint::Payment).await,
        (_, ["v1", "events" | "payments"]) | (_, ["v1", "invoices", ..]) => (
            refusal(
                405,
                ErrorCode::Validation,
                "method",
                format!("{} is not allowed on {}", call.method, call.path),
            ),
            false,
        ),
        _ => (
            refusal(
                404,
                ErrorCode::NotFound,
                "path",
                format!("{} is not an API path", call.path),
            ),
            false,
        ),
    }
}

async fn authorized(state: &Arc<ServerState>, headers: &HeaderMap) -> bool {
    let Some(given) = bearer(headers).map(str::to_string) else {
        return false;
    };
    let st = state.clone();
    // Usually the cached token; the keychain is read again now and then so
    // a rotation by another process takes effect (see TOKEN_RECHECK).
    let expected = tokio::task::spawn_blocking(move || st.app.current_api_token()).await;
    match expected {
        Ok(Ok(token)) => token_matches(&token, &given),
        _ => false,
    }
}

#[derive(Clone, Copy)]
enum Endpoint {
    Event,
    Payment,
}

/// Parses `bytes` as `T`, naming the field that is wrong.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiReply> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let field = if field == "." {
            "body".to_string()
        } else {
            field
        };
        let inner = e.into_inner().to_string();
        refusal(
            400,
            ErrorCode::Validation,
            &field,
            format!("{field}: {inner}"),
        )
    })
}

/// Removes the key from the in-flight set when the request is done.
struct InFlight<'a> {
    state: &'a ServerState,
    key: String,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.state
            .in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&self.key);
    }
}

async fn post(
    state: &Arc<ServerState>,
    call: &Call,
    body: Body,
    endpoint: Endpoint,
) -> (ApiReply, bool) {
    if !is_json(&call.headers) {
        return (
            refusal(
                415,
                ErrorCode::Validation,
                "Content-Type",
                "the body must be JSON (Content-Type: application/json)".into(),
            ),
            false,
        );
    }
    let too_large = || {
        refusal(
            413,
            ErrorCode::Validation,
            "body",
            format!("the body is larger than {MAX_BODY} bytes"),
        )
    };
    let declared = call
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return (too_large(), false);
    }
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return (too_large(), false);
    };
    let key = call
        .headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or("")
        .to_string();
    if key.is_empty() || key.len() > MAX_KEY {
        return (
            refusal(
                400,
                ErrorCode::Validation,
                "Idempotency-Key",
                format!(
                    "the Idempotency-Key header is required on POST (1 to {MAX_KEY} characters)"
                ),
            ),
            false,
        );
    }
    let dry_run = call.query.get("dry_run").is_some_and(|v| v == "true");
    let mut hash = Sha256::new();
    for part in [call.method.as_str(), &call.path, &call.raw_query] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.update(&bytes);
    let request_hash = hex::encode(hash.finalize());
    if !state
        .in_flight
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key.clone())
    {
        return (
            refusal(
                409,
                ErrorCode::Conflict,
                "Idempotency-Key",
                format!(
                    "a request with Idempotency-Key {key:?} is still being processed; retry later"
                ),
            ),
            false,
        );
    }
    let _guard = InFlight {
        state,
        key: key.clone(),
    };
    let st = state.clone();
    let (method, path) = (call.method.to_string(), call.path.clone());
    let done = tokio::task::spawn_blocking(move || {
        let idem = Idempotency {
            key: &key,
            request_hash: &request_hash,
        };
        let api_call = ApiCall {
            method: &method,
            path: &path,
            token_name: Some(API_TOKEN_NAME),
        };
        match endpoint {
            Endpoint::Event => {
                let event: EventInput = match parse(&bytes) {
                    Ok(e) => e,
                    Err(r) => {
                        // A refused event is logged too (type and reference
                        // as sent, never the body), for the Triggers screen
                        // and the reports of refused events.
                        if let Ok(e) = serde_json::from_str::<ApiError>(&r.body) {
                            st.app.log_refused_event_body(&bytes, Some(&key), &e);
                        }
                        return (r, false);
                    }
                };
                match st.app.api_event(&event, &idem, &api_call, dry_run) {
                    Ok(r) => (r, !dry_run),
                    Err(e) => (error_reply(status_of(&e), &e), false),
                }
            }
            Endpoint::Payment => {
                let input: ApiPaymentInput = match parse(&bytes) {
                    Ok(e) => e,
                    Err(r) => return (r, false),
                };
                match st.app.api_payment(&input, &idem, &api_call) {
                    Ok(r) => (r, true),
                    Err(e) => (error_reply(status_of(&e), &e), false),
                }
            }
        }
    })
    .await;
    done.unwrap_or_else(|_| {
        (
            refusal(
                500,
                ErrorCode::Internal,
                "body",
                "the request failed".into(),
            ),
            false,
        )
    })
}

async fn get_invoice(state: &Arc<ServerState>, id: String) -> ApiReply {
    let st = state.clone();
    let found = tokio::task::spawn_blocking(move || st.app.api_invoice(&id)).await;
    match found {
        Ok(Ok(inv)) => json_reply(200, &inv),
        Ok(Err(e)) => error_reply(status_of(&e), &e),
        Err(_) => refusal(500, ErrorCode::Internal, "id", "the request failed".into()),
    }
}

async fn list_invoices(state: &Arc<ServerState>, call: &Call) -> ApiReply {
    let st = state.clone();
    let status = call.query.get("status").cloned();
    let cursor = call.query.get("cursor").cloned();
    let limit = match call.query.get("limit").map(|l| l.parse::<u64>()) {
        None => None,
        Some(Ok(l)) => Some(l),
        Some(Err(_)) => {
            return refusal(
                400,
                ErrorCode::Validation,
                "limit",
                "limit must be a whole number".into(),
            )
        }
    };
    let page = tokio::task::spawn_blocking(move || {
        st.app
            .api_invoices(status.as_deref(), limit, cursor.as_deref())
    })
    .await;
    match page {
        Ok(Ok(p)) => json_reply(200, &p),
        Ok(Err(e)) => error_reply(status_of(&e), &e),
        Err(_) => refusal(
            500,
            ErrorCode::Internal,
            "query",
            "the request failed".into(),
        ),
    }
}

fn json_reply(status: u16, value: &impl serde::Serialize) -> ApiReply {
    ApiReply {
        status,
        body: serde_json::to_string(value).unwrap_or_else(|_| "{}".into()),
        replayed: false,
    }
}
