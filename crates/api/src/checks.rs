//! The checks every request passes before a use case sees it: a loopback
//! `Host`, no foreign `Origin`, the bearer token, and for POSTs JSON and an
//! `Idempotency-Key`.

use axum::http::{header, HeaderMap};
use subtle::ConstantTimeEq;

/// Origins of the desktop app's own window (Tauri's custom protocol on each
/// platform), the only web origins allowed to call the API.
const APP_ORIGINS: [&str; 3] = [
    "tauri://localhost",
    "http://tauri.localhost",
    "https://tauri.localhost",
];

/// Whether `Host` names loopback on our port (or no port). A DNS name that
/// was rebound to 127.0.0.1 still sends its own name here, so it is refused.
pub(crate) fn host_allowed(headers: &HeaderMap, port: u16) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let host = host.trim().to_ascii_lowercase();
    let (name, given_port) = match host.rsplit_once(':') {
        Some((n, p)) if !n.ends_with(':') && (n.starts_with('[') == n.ends_with(']')) => {
            (n.to_string(), Some(p.to_string()))
        }
        _ => (host.clone(), None),
    };
    let name_ok = matches!(name.as_str(), "127.0.0.1" | "localhost" | "[::1]");
    let port_ok = given_port.is_none_or(|p| p == port.to_string());
    name_ok && port_ok
}

/// Whether the `Origin`, when present, is the app's own window or the API
/// itself.
pub(crate) fn origin_allowed(headers: &HeaderMap, port: u16) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let own = [
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
    ];
    APP_ORIGINS.contains(&origin) || own.iter().any(|o| o == origin)
}

/// The bearer token the request carries, if any.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// Whether `given` is `expected`, compared in constant time (the time
/// taken does not depend on how many leading bytes match).
pub(crate) fn token_matches(expected: &str, given: &str) -> bool {
    bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

/// Whether the request says its body is JSON.
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|h| h.to_str().ok())
        .and_then(|c| c.split(';').next())
        .is_some_and(|c| c.trim().eq_ignore_ascii_case("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn only_loopback_names_on_our_port_pass() {
        for ok in [
            "127.0.0.1:4517",
            "localhost:4517",
            "[::1]:4517",
            "localhost",
        ] {
            assert!(host_allowed(&with(header::HOST, ok), 4517), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:4517",
            "127.0.0.1:80",
            "127.0.0.1.evil.example",
        ] {
            assert!(!host_allowed(&with(header::HOST, bad), 4517), "{bad}");
        }
        assert!(!host_allowed(&HeaderMap::new(), 4517));
    }

    #[test]
    fn a_foreign_origin_is_refused_and_the_apps_own_passes() {
        assert!(origin_allowed(&HeaderMap::new(), 4517));
        assert!(origin_allowed(
            &with(header::ORIGIN, "tauri://localhost"),
            4517
        ));
        assert!(!origin_allowed(
            &with(header::ORIGIN, "http://evil.example"),
            4517
        ));
        assert!(!origin_allowed(&with(header::ORIGIN, "null"), 4517));
    }
}
