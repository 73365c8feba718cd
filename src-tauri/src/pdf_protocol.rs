//! Invoice PDFs by URL: the `invoicer-pdf` URI scheme.
//!
//! Documents are resources, not actions. The page loads an invoice's PDF from
//! `invoicer-pdf://localhost/invoice%2F{id}` (the URL `convertFileSrc` builds
//! for the path `invoice/{id}`; `http://invoicer-pdf.localhost/…` on Windows
//! and Android) the way it would load an image, so that a user action such as
//! issuing stays one IPC round trip and the PDF bytes never pass through the
//! IPC layer.
//!
//! Like a command, the handler holds no rule: it reads the window's signed-in
//! session from [`AppState`], calls [`Invoicer::invoice_pdf`] on a blocking
//! thread and turns the answer into an HTTP response. A refusal is the
//! serialized [`ApiError`] (`{code, message, details}`) with a matching
//! status, so the page turns it into the same error as a refused command.

use crate::commands::log_outcome;
use crate::navigation::NavigationGuard;
use crate::state::AppState;
use invoicer_app::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use percent_encoding::percent_decode_str;
use tauri::http::{header, HeaderValue, Method, Request, Response, StatusCode};
use tauri::{Builder, Manager, Runtime, UriSchemeResponder};

/// The URI scheme the page fetches invoice PDFs from.
pub const SCHEME: &str = "invoicer-pdf";

/// The name the protocol's outcomes are logged under, as the command it
/// replaced was.
const LOG_NAME: &str = "invoice_pdf";

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdfRequest {
    /// The PDF of the invoice with this id.
    Invoice(i64),
    /// The archived PDF of the credit note with this id.
    CreditNote(i64),
}

/// Registers the `invoicer-pdf` protocol on `builder`. It answers from the
/// [`AppState`] managed in `setup`; before that there is no window to ask.
pub fn register<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder.register_asynchronous_uri_scheme_protocol(SCHEME, |ctx, request, responder| {
        let Some(state) = ctx.app_handle().try_state::<AppState>() else {
            let e = ApiError::new(ErrorCode::Internal, "the application is not open yet");
            responder.respond(error_response(&e));
            return;
        };
        // Read now, on the protocol's thread, exactly as a command reads it.
        let session = state.session();
        let invoicer = state.invoicer();
        let guard = NavigationGuard::new(ctx.app_handle().config().build.dev_url.clone());
        tauri::async_runtime::spawn(answer(request, session, invoicer, guard, responder));
    })
}

/// Answers on a blocking thread, so that the webview never waits on SQLite or
/// on rendering a draft.
async fn answer(
    request: Request<Vec<u8>>,
    session: AppResult<Session>,
    invoicer: std::sync::Arc<Invoicer>,
    guard: NavigationGuard,
    responder: UriSchemeResponder,
) {
    let response = tauri::async_runtime::spawn_blocking(move || {
        let response = respond(&request, session, &invoicer);
        with_origin(response, &request, &guard)
    })
    .await
    .unwrap_or_else(|e| {
        error_response(&ApiError::new(
            ErrorCode::Internal,
            format!("the {LOG_NAME} task failed: {e}"),
        ))
    });
    responder.respond(response);
}

/// The whole mapping from a request to a response, given the window's session
/// and the application: the part of the protocol worth testing.
pub fn respond(
    request: &Request<Vec<u8>>,
    session: AppResult<Session>,
    invoicer: &Invoicer,
) -> Response<Vec<u8>> {
    let wanted = match parse(request) {
        Ok(parsed) => parsed,
        Err(refusal) => return refusal.response(),
    };
    let result = session.and_then(|s| match wanted {
        PdfRequest::Invoice(id) => invoicer.invoice_pdf(&s, id),
        PdfRequest::CreditNote(id) => invoicer.credit_note_pdf(&s, id),
    });
    log_outcome(LOG_NAME, &result);
    match result {
        Ok(pdf) => with_no_store(
            Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "application/pdf"),
        )
        .body(pdf.bytes)
        .unwrap_or_else(|_| unreachable_response()),
        Err(e) => error_response(&e),
    }
}

/// Why a request names nothing the protocol serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The method, which is not `GET`: the protocol only reads.
    MethodNotAllowed(String),
    /// The (decoded) path, which is not `/invoice/{id}` or `/credit-note/{id}`
    /// with a positive id.
    MalformedPath(String),
}

impl Refusal {
    /// The answer: 405 with `Allow: GET`, or 400; the body is an ApiError.
    pub fn response(&self) -> Response<Vec<u8>> {
        match self {
            Refusal::MethodNotAllowed(method) => {
                let e = ApiError::new(
                    ErrorCode::Validation,
                    format!("{method} is not allowed here; invoice PDFs are only read (GET)"),
                );
                let mut response = error_response_with(StatusCode::METHOD_NOT_ALLOWED, &e);
                response
                    .headers_mut()
                    .insert(header::ALLOW, HeaderValue::from_static("GET"));
                response
            }
            Refusal::MalformedPath(path) => {
                let e = ApiError::new(
                    ErrorCode::Validation,
                    format!(
                        "{path:?} names no document; the path must be /invoice/<id> or \
                         /credit-note/<id>, with a positive id"
                    ),
                );
                error_response_with(StatusCode::BAD_REQUEST, &e)
            }
        }
    }
}

/// Reads the method and the path: only `GET` of `/invoice/{id}` or
/// `/credit-note/{id}`, the path
/// percent-decoded (`convertFileSrc` encodes it as one segment).
pub fn parse(request: &Request<Vec<u8>>) -> Result<PdfRequest, Refusal> {
    if request.method() != Method::GET {
        return Err(Refusal::MethodNotAllowed(request.method().to_string()));
    }
    let raw = request.uri().path();
    let path = percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| Refusal::MalformedPath(raw.to_string()))?;
    let id = |rest: &str| rest.parse::<i64>().ok().filter(|id| *id > 0);
    if let Some(n) = path.strip_prefix("/invoice/").and_then(id) {
        return Ok(PdfRequest::Invoice(n));
    }
    if let Some(n) = path.strip_prefix("/credit-note/").and_then(id) {
        return Ok(PdfRequest::CreditNote(n));
    }
    Err(Refusal::MalformedPath(path.to_string()))
}

/// The HTTP status that says the same as the error's code.
pub fn status_for(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::Validation => StatusCode::BAD_REQUEST,
        ErrorCode::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The serialized error with the status its code maps to.
fn error_response(e: &ApiError) -> Response<Vec<u8>> {
    error_response_with(status_for(e.code), e)
}

fn error_response_with(status: StatusCode, e: &ApiError) -> Response<Vec<u8>> {
    // An ApiError is plain strings and numbers, so serializing it cannot fail;
    // the fallback keeps that promise without a panic path.
    let body = serde_json::to_vec(e).unwrap_or_else(|_| {
        br#"{"code":"internal","message":"the error could not be described","details":null}"#
            .to_vec()
    });
    with_no_store(
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "application/json"),
    )
    .body(body)
    .unwrap_or_else(|_| unreachable_response())
}

/// A draft's preview changes with every edit, and a stale copy of anything
/// here would show an invoice as it no longer is: nothing is cached.
fn with_no_store(builder: tauri::http::response::Builder) -> tauri::http::response::Builder {
    builder.header(header::CACHE_CONTROL, "no-store")
}

/// The page (`tauri://localhost`) reads this scheme cross-origin, so the
/// response names the page's origin when it is one of the app's own (as the
/// navigation guard decides), and no other.
pub fn with_origin(
    mut response: Response<Vec<u8>>,
    request: &Request<Vec<u8>>,
    guard: &NavigationGuard,
) -> Response<Vec<u8>> {
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .filter(|o| is_app_origin(o, guard))
        .cloned();
    if let Some(origin) = origin {
        let headers = response.headers_mut();
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    response
}

/// True for an origin the window may show pages from.
fn is_app_origin(origin: &HeaderValue, guard: &NavigationGuard) -> bool {
    origin
        .to_str()
        .ok()
        .and_then(|o| o.parse().ok())
        .is_some_and(|url| guard.allows(&url))
}

/// Only reached if a constant header were invalid, which it is not.
fn unreachable_response() -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
}
