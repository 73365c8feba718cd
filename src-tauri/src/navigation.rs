//! The navigation guard: the webview only ever shows the app's own pages.
//!
//! The page holds a session that can issue and void invoices, so a page from
//! anywhere else must never load into this window (a link in a customer's
//! address, a payment link, a `window.location` set by injected text). Every
//! top-level navigation is checked against the app's own origin and refused,
//! with a log line, when it leads elsewhere; requests for new windows are
//! refused outright.

use tauri::Url;

/// The origins the bundled UI is served from: `tauri://localhost` on Linux
/// and macOS, `http(s)://tauri.localhost` on Windows and Android.
const APP_ORIGINS: [(&str, &str); 3] = [
    ("tauri", "localhost"),
    ("http", "tauri.localhost"),
    ("https", "tauri.localhost"),
];

/// Decides which URLs the main window may navigate to.
#[derive(Debug, Clone, Default)]
pub struct NavigationGuard {
    /// The development server (`build.devUrl`), when one is configured.
    dev_url: Option<Url>,
}

impl NavigationGuard {
    /// A guard allowing the app's own origin and, if given, the origin of the
    /// development server.
    pub fn new(dev_url: Option<Url>) -> Self {
        NavigationGuard { dev_url }
    }

    /// True when `url` is one of the app's own pages. Only scheme, host and
    /// port count: a path or a query cannot smuggle another origin in.
    pub fn allows(&self, url: &Url) -> bool {
        let own = APP_ORIGINS.iter().any(|(scheme, host)| {
            url.scheme() == *scheme && url.host_str() == Some(host) && url.port().is_none()
        });
        own || self
            .dev_url
            .as_ref()
            .is_some_and(|dev| dev.origin() == url.origin())
    }

    /// [`Self::allows`], logging what it refuses: the navigation handler of
    /// the main window.
    pub fn check(&self, url: &Url) -> bool {
        let allowed = self.allows(url);
        if !allowed {
            tracing::warn!(%url, "refused a navigation away from the app");
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        text.parse().expect("a test URL")
    }

    #[test]
    fn the_apps_own_pages_are_allowed() {
        let guard = NavigationGuard::default();
        assert!(guard.allows(&url("tauri://localhost")));
        assert!(guard.allows(&url("tauri://localhost/index.html#/invoices/3")));
        assert!(guard.allows(&url("http://tauri.localhost/")));
        assert!(guard.allows(&url("https://tauri.localhost/index.html")));
    }

    #[test]
    fn other_origins_are_refused() {
        let guard = NavigationGuard::default();
        for other in [
            "https://example.com",
            "https://pay.example.com/invoice/42",
            "http://localhost:5173",
            "https://localhost",
            "tauri://evil.example",
            "http://tauri.localhost.example.com",
            "http://tauri.localhost:8080",
            "http://evil.example/?tauri://localhost",
            "file:///etc/passwd",
            "data:text/html,<h1>hi</h1>",
            "javascript:alert(1)",
            "about:blank",
        ] {
            assert!(!guard.check(&url(other)), "{other} must be refused");
        }
    }

    #[test]
    fn the_configured_dev_server_is_allowed_and_nothing_beside_it() {
        let guard = NavigationGuard::new(Some(url("http://localhost:5173")));
        assert!(guard.allows(&url("http://localhost:5173/")));
        assert!(guard.allows(&url("http://localhost:5173/index.html?x=1")));
        assert!(!guard.allows(&url("http://localhost:5174/")));
        assert!(!guard.allows(&url("https://localhost:5173/")));
        assert!(guard.allows(&url("tauri://localhost")));
    }
}
