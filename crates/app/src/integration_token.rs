//! The local integration API's bearer token: 32 random bytes (hex, with an
//! `inv_` prefix so it is recognisable in a config file), created on first
//! use and kept only in the OS keychain — never in the database or a log.
//! Admins can show and rotate it.

use crate::api::IntegrationApiView;
use crate::mail_transport::keychain_error;
use crate::{AppResult, Invoicer, Session};
use chrono::Duration;
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_keychain::SecretKind;
use serde_json::json;

/// How long the token read from the keychain is trusted before it is read
/// again, so a rotation by another process (the CLI while the desktop app
/// serves) refuses the old token within this long.
pub const TOKEN_RECHECK: Duration = Duration::seconds(10);

/// The name the audit gives requests made with the token (the token itself
/// is never written anywhere but the keychain).
pub const API_TOKEN_NAME: &str = "integration";

fn new_token() -> AppResult<String> {
    let bytes = invoicer_keychain::random_key().map_err(|e| keychain_error(&e))?;
    Ok(format!("inv_{}", hex::encode(bytes)))
}

impl Invoicer {
    /// The token, read from the keychain (created and stored there on first
    /// use). The server calls this at start, so a keychain that does not
    /// answer is reported before it listens.
    pub fn api_token_for_server(&self) -> AppResult<String> {
        let stored = invoicer_keychain::secret(&self.data_dir, SecretKind::ApiToken)
            .map_err(|e| keychain_error(&e))?;
        if let Some(bytes) = stored {
            if let Ok(token) = String::from_utf8(bytes) {
                return Ok(token);
            }
        }
        let token = new_token()?;
        invoicer_keychain::store_secret(&self.data_dir, SecretKind::ApiToken, token.as_bytes())
            .map_err(|e| keychain_error(&e))?;
        Ok(token)
    }

    /// The token requests must carry: the cached one, read again from the
    /// keychain when older than [`TOKEN_RECHECK`]. Cheap on every request.
    pub fn current_api_token(&self) -> AppResult<String> {
        let now = self.clock.now();
        let mut cache = self.api_token.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((token, at)) = cache.as_ref() {
            if now - *at < TOKEN_RECHECK && now >= *at {
                return Ok(token.clone());
            }
        }
        let token = self.api_token_for_server()?;
        *cache = Some((token.clone(), now));
        Ok(token)
    }

    /// The token, for an admin to copy into another program.
    pub fn api_token(&self, session: &Session) -> AppResult<String> {
        session.require(Permission::ManageCompany)?;
        let token = self.api_token_for_server()?;
        self.audit_token(session, "api.token_shown")?;
        Ok(token)
    }

    /// Replaces the token with a new random one; programs using the old one
    /// are refused from now on.
    pub fn rotate_api_token(&self, session: &Session) -> AppResult<String> {
        session.require(Permission::ManageCompany)?;
        let token = new_token()?;
        invoicer_keychain::store_secret(&self.data_dir, SecretKind::ApiToken, token.as_bytes())
            .map_err(|e| keychain_error(&e))?;
        *self.api_token.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((token.clone(), self.clock.now()));
        self.audit_token(session, "api.token_rotated")?;
        Ok(token)
    }

    fn audit_token(&self, session: &Session, action: &str) -> AppResult<()> {
        let now = self.clock.now();
        self.store.write(|tx| -> AppResult<()> {
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    action,
                    "settings:api_token",
                    json!({"token": API_TOKEN_NAME}),
                ),
                now,
            )?;
            Ok(())
        })
    }
}

/// Whether the server is listening, as the shell that runs it reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServingState {
    /// The base URL when listening.
    pub url: Option<String>,
    /// Why it is not listening.
    pub problem: Option<String>,
}

/// An example `curl` posting an event to `url` (the token left as a shell
/// variable, so the example can be copied into a log safely).
fn example_curl(url: &str) -> String {
    format!(
        "curl -X POST {url}/v1/events \\\n  -H \"Authorization: Bearer $INVOICER_API_TOKEN\" \\\n  \
         -H \"Idempotency-Key: deal-42\" -H \"Content-Type: application/json\" \\\n  \
         -d '{{\"type\":\"deal.closed_won\",\"customer\":{{\"email\":\"buyer@example.com\"}},\
         \"lines\":[{{\"description\":\"Licence\",\"quantity\":\"1\",\"unit_price\":\"100.00\"}}]}}'"
    )
}

impl Invoicer {
    /// Settings → Integration API for an admin: the URL and state, and the
    /// token only when `show` (audited as shown).
    pub fn integration_api(
        &self,
        session: &Session,
        serving: &ServingState,
        show: bool,
    ) -> AppResult<IntegrationApiView> {
        session.require(Permission::ManageCompany)?;
        let token = if show {
            Some(self.api_token(session)?)
        } else {
            None
        };
        Ok(self.integration_view(serving, token))
    }

    /// Rotates the token and shows the new one.
    pub fn rotate_integration_token(
        &self,
        session: &Session,
        serving: &ServingState,
    ) -> AppResult<IntegrationApiView> {
        let token = self.rotate_api_token(session)?;
        Ok(self.integration_view(serving, Some(token)))
    }

    fn integration_view(
        &self,
        serving: &ServingState,
        token: Option<String>,
    ) -> IntegrationApiView {
        let shown_url = serving
            .url
            .clone()
            .unwrap_or_else(|| "http://127.0.0.1:4517".into());
        IntegrationApiView {
            listening: serving.url.is_some(),
            url: serving.url.clone(),
            problem: serving.problem.clone(),
            token,
            example_curl: example_curl(&shown_url),
        }
    }
}
