//! Sign-in and the signed-in user every use case acts as.

use crate::api::{SignInInput, UserView};
use crate::passwords;
use crate::{ApiError, AppResult, ErrorCode, Invoicer};
use invoicer_domain::authorization::{Permission, User};

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
                format!(
                    "your role ({}) is not allowed to do this; ask an admin",
                    self.user.role
                ),
            ))
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
    /// Signs in. A wrong email and a wrong password give the same answer.
    pub fn sign_in(&self, input: &SignInInput) -> AppResult<Session> {
        let stored = self.store.read(|tx| tx.user_by_email(input.email.trim()))?;
        let failed = || {
            ApiError::new(
                ErrorCode::AuthFailed,
                "the email or password is not correct",
            )
        };
        match stored {
            Some(s) if passwords::verify(&input.password, &s.password_hash) && s.user.active => {
                Ok(Session::new(s.user))
            }
            Some(_) => Err(failed()),
            None => {
                passwords::verify(&input.password, passwords::decoy_hash());
                Err(failed())
            }
        }
    }

    /// The view of a session's user.
    pub fn session_user(&self, session: &Session) -> UserView {
        crate::views::user_view(session.user())
    }
}
