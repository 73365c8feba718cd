//! The time budget every template rendering runs under.
//!
//! A template is code written by a user: a nested loop behind a condition that
//! the validation samples never meet can run for hours. Each rendering (issue,
//! preview, validation) therefore runs on its own thread and is given up on when
//! its budget is spent, so the caller fails cleanly instead of waiting.

use crate::{ApiError, AppResult, ErrorCode};
use std::sync::mpsc;
use std::time::Duration;

/// The budget when nothing else is configured: far above any real invoice
/// (a 200-line PDF renders in a few milliseconds), far below "the app hangs".
pub const DEFAULT_RENDER_BUDGET: Duration = Duration::from_secs(10);

/// The environment variable that overrides the budget, in milliseconds.
pub const RENDER_BUDGET_ENV: &str = "INVOICER_RENDER_BUDGET_MS";

/// The budget from `INVOICER_RENDER_BUDGET_MS` if it holds a positive whole
/// number of milliseconds, else [`DEFAULT_RENDER_BUDGET`].
pub(crate) fn configured_budget() -> Duration {
    std::env::var(RENDER_BUDGET_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis)
        .unwrap_or(DEFAULT_RENDER_BUDGET)
}

/// Runs `work` (a rendering with template `template`) on its own thread and
/// waits at most `budget` for it.
///
/// Rust cannot stop a thread from outside, so a rendering that overruns is
/// left running, detached, and its result is dropped when it ends. Callers
/// must therefore never hold a database lock that the rendering does not
/// need while they wait here, and must hand `work` only owned or shared
/// (`Arc`) data, never a transaction.
pub(crate) fn within_budget<T: Send + 'static>(
    budget: Duration,
    template: &str,
    work: impl FnOnce() -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    let (tx, rx) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name(format!("render {template}"))
        .spawn(move || {
            // The receiver is gone when the budget ran out; nobody wants the result.
            let _ = tx.send(work());
        })
        .map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("cannot start a rendering thread: {e}"),
            )
        })?;
    match rx.recv_timeout(budget) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            tracing::warn!(template, ?budget, "template rendering exceeded its budget");
            Err(ApiError::new(
                ErrorCode::Document,
                format!(
                    "rendering with template {template} exceeded its budget of {} ms; \
                     the template probably loops too long for this invoice — fix it and try again",
                    budget.as_millis()
                ),
            ))
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(ApiError::new(
            ErrorCode::Document,
            format!("rendering with template {template} failed unexpectedly"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overrunning_rendering_fails_with_a_document_error_naming_the_template() {
        let (release, wait) = mpsc::channel::<()>();
        let err = within_budget(Duration::from_millis(50), "loops", move || {
            // Blocks until the test ends: a rendering that never finishes in time.
            let _ = wait.recv();
            Ok(())
        })
        .unwrap_err();
        drop(release);
        assert_eq!(err.code, ErrorCode::Document);
        assert!(err.message.contains("loops"), "{}", err.message);
        assert!(
            err.message.contains("exceeded its budget"),
            "{}",
            err.message
        );
    }

    #[test]
    fn a_rendering_within_budget_returns_its_result() {
        assert_eq!(
            within_budget(DEFAULT_RENDER_BUDGET, "t", || Ok(7)).unwrap(),
            7
        );
    }

    #[test]
    fn a_panicking_rendering_is_an_error_not_a_crash() {
        let err = within_budget::<()>(DEFAULT_RENDER_BUDGET, "t", || panic!("boom")).unwrap_err();
        assert_eq!(err.code, ErrorCode::Document);
    }
}
