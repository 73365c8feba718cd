//! What the shell keeps between commands: the opened application and the user
//! signed in to this window.

use invoicer_app::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use std::sync::{Arc, Mutex, MutexGuard};

/// Managed Tauri state, opened once in `setup`.
pub struct AppState {
    invoicer: Arc<Invoicer>,
    session: Mutex<Option<Session>>,
}

impl AppState {
    /// Wraps an opened application; nobody is signed in yet.
    pub fn new(invoicer: Invoicer) -> Self {
        AppState {
            invoicer: Arc::new(invoicer),
            session: Mutex::new(None),
        }
    }

    /// The application, shareable with a blocking task.
    pub fn invoicer(&self) -> Arc<Invoicer> {
        Arc::clone(&self.invoicer)
    }

    fn slot(&self) -> MutexGuard<'_, Option<Session>> {
        // A panic while holding the lock leaves a valid Option behind.
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The signed-in user's session, or `unauthenticated`.
    pub fn session(&self) -> AppResult<Session> {
        self.slot().clone().ok_or_else(|| {
            ApiError::new(
                ErrorCode::Unauthenticated,
                "you are not signed in; sign in and try again",
            )
        })
    }

    /// The session if someone is signed in.
    pub fn current(&self) -> Option<Session> {
        self.slot().clone()
    }

    /// Remembers who signed in (replacing anyone before).
    pub fn sign_in(&self, session: Session) {
        *self.slot() = Some(session);
    }

    /// Forgets the signed-in user.
    pub fn sign_out(&self) {
        *self.slot() = None;
    }
}
