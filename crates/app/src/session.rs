//! Sign-in and the signed-in user every use case acts as.

use crate::api::{SignInInput, UserView};
use crate::email_identity::normalize_email;
use crate::error::ErrorDetail;
use crate::passwords;
use crate::sign_in_throttle::blocked_until;
use crate::{ApiError, AppResult, ErrorCode, Invoicer};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::{Permission, User};
use invoicer_domain::invoice_actions::{role_refusal, Actor};
use serde_json::json;

/// The audit event of a failed or refused sign-in: the normalised email and
/// why, never the password. Nobody is signed in, so it has no actor.
fn failure_event(email: &str, reason: &str, failures: u32) -> NewAuditEvent {
    NewAuditEvent::new(
        None,
        "auth.sign_in_failed",
        format!("sign_in:{email}"),
        json!({"email": email, "reason": reason, "failures": failures}),
    )
}

/// "45 seconds", "2 minutes": how long to wait, for a person.
fn wait_text(seconds: i64) -> String {
    match seconds {
        1 => "1 second".to_string(),
        s if s < 60 => format!("{s} seconds"),
        s => {
            let minutes = (s + 59) / 60;
            if minutes == 1 {
                "1 minute".to_string()
            } else {
                format!("{minutes} minutes")
            }
        }
    }
}

/// Proof of a successful sign-in: the user the use cases act as.
#[derive(Debug, Clone)]
pub struct Session {
    user: User,
}

impl Session {
    /// The signed-in user.
    pub fn user(&self) -> &User {
        &self.user
    }

    /// Refuses unless the user's role allows `p`.
    pub(crate) fn require(&self, p: Permission) -> AppResult<()> {
        if self.user.role.allows(p) {
            Ok(())
        } else {
            Err(ApiError::new(
                ErrorCode::Forbidden,
                role_refusal(self.user.role),
            ))
        }
    }

    /// The signed-in user as the domain's action rules see them.
    pub(crate) fn acting(&self) -> Actor {
        Actor {
            user_id: self.user.id,
            role: self.user.role,
        }
    }

    /// The actor name written to the audit trail.
    pub(crate) fn actor(&self) -> &str {
        &self.user.email
    }

    pub(crate) fn new(user: User) -> Session {
        Session { user }
    }
}

impl Invoicer {
    /// Signs in. A wrong email and a wrong password give the same answer and
    /// take the same time (an unknown email is checked against a decoy hash).
    ///
    /// The email is normalised first (NFKC and lowercase). After a few
    /// failures in a row an email must wait, longer after each further
    /// failure (see the `sign_in_throttle` module); an attempt
    /// inside the wait is refused with code `throttled` without checking the
    /// password. Failures are counted in the database, so restarting the CLI
    /// or the app does not reset them, and each failure and refusal is
    /// audited with the email and the reason, never the password.
    pub fn sign_in(&self, input: &SignInInput) -> AppResult<Session> {
        let email = normalize_email(&input.email);
        let now = self.clock.now();
        let failures = self.store.read(|tx| tx.sign_in_failures(&email))?;
        if let Some(until) = failures.as_ref().and_then(blocked_until) {
            if now < until {
                let wait = (until - now).num_seconds().max(1);
                let count = failures.map_or(0, |f| f.count);
                self.store
                    .write(|tx| tx.append_audit(failure_event(&email, "throttled", count), now))?;
                return Err(ApiError {
                    code: ErrorCode::Throttled,
                    message: format!(
                        "too many failed sign-ins for this email; try again in {}",
                        wait_text(wait)
                    ),
                    details: Some(vec![ErrorDetail {
                        retry_after_seconds: u64::try_from(wait).ok(),
                        ..ErrorDetail::new("retry_after_seconds", wait.to_string())
                    }]),
                });
            }
        }
        let stored = self.store.read(|tx| tx.user_by_email(&email))?;
        let outcome = match stored {
            Some(s) if passwords::verify(&input.password, &s.password_hash) => {
                if s.user.active {
                    Ok(s.user)
                } else {
                    Err("inactive_user")
                }
            }
            Some(_) => Err("wrong_password"),
            None => {
                passwords::verify(&input.password, passwords::decoy_hash());
                Err("unknown_email")
            }
        };
        match outcome {
            Ok(user) => {
                if failures.is_some() {
                    self.store.write(|tx| tx.clear_sign_in_failures(&email))?;
                }
                Ok(Session::new(user))
            }
            Err(reason) => {
                // The count and its audit event are written together.
                self.store.write(|tx| {
                    let count = tx.record_sign_in_failure(&email, now)?.count;
                    tx.append_audit(failure_event(&email, reason, count), now)
                })?;
                Err(ApiError::new(
                    ErrorCode::AuthFailed,
                    "the email or password is not correct",
                ))
            }
        }
    }

    /// The view of a session's user.
    pub fn session_user(&self, session: &Session) -> UserView {
        crate::views::user_view(session.user())
    }
}
