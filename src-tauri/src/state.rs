//! What the shell keeps between commands: the opened application, the user
//! signed in to this window and the running background jobs.

use invoicer_app::{ApiError, AppResult, ErrorCode, Invoicer, JobSet, ServingState, Session};
use std::sync::{Arc, Mutex, MutexGuard};

/// Managed Tauri state, opened once in `setup`.
pub struct AppState {
    invoicer: Arc<Invoicer>,
    session: Mutex<Option<Session>>,
    /// The background jobs, from launch until the app exits; `None` in tests
    /// that run none, and after [`AppState::stop_jobs`].
    jobs: Mutex<Option<JobSet>>,
    /// The local integration API while it listens, or why it does not.
    api: Mutex<Option<Result<invoicer_api::Server, String>>>,
}

impl AppState {
    /// Wraps an opened application; nobody is signed in yet.
    pub fn new(invoicer: Invoicer) -> Self {
        AppState {
            invoicer: Arc::new(invoicer),
            session: Mutex::new(None),
            jobs: Mutex::new(None),
            api: Mutex::new(None),
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

    fn jobs(&self) -> MutexGuard<'_, Option<JobSet>> {
        // As with the session: a panic while holding the lock leaves a valid Option.
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps the running jobs for as long as the app lives.
    pub fn keep_jobs(&self, jobs: JobSet) {
        *self.jobs() = Some(jobs);
    }

    fn api(&self) -> MutexGuard<'_, Option<Result<invoicer_api::Server, String>>> {
        self.api.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps the API server (or why it could not start) while the app lives.
    pub fn keep_api(&self, server: Result<invoicer_api::Server, String>) {
        *self.api() = Some(server);
    }

    /// Whether the API listens, for Settings.
    pub fn api_serving(&self) -> ServingState {
        match self.api().as_ref() {
            Some(Ok(server)) => ServingState {
                url: Some(server.url()),
                problem: None,
            },
            Some(Err(e)) => ServingState {
                url: None,
                problem: Some(e.clone()),
            },
            None => ServingState {
                url: None,
                problem: Some("the integration API was not started".into()),
            },
        }
    }

    /// Stops the API server, letting requests in progress finish (called
    /// once, when the app exits).
    pub fn stop_api(&self) {
        // Taken out first, so the lock is not held while it winds down.
        let server = self.api().take();
        if let Some(Ok(server)) = server {
            server.stop();
        }
    }

    /// Whether background jobs are running.
    pub fn jobs_running(&self) -> bool {
        self.jobs().is_some()
    }

    /// Cancels the jobs and waits for each to finish its current unit of
    /// work (called once, when the app exits).
    pub fn stop_jobs(&self) {
        // Taken out first, so the lock is not held while the jobs wind down.
        let jobs = self.jobs().take();
        if let Some(jobs) = jobs {
            jobs.stop();
        }
    }
}
