//! One pass of every job on the calling thread: `invoicer jobs run --once`,
//! e.g. from cron, or a script that wants the outbox drained now.

use super::context::JobContext;
use super::runner::panic_message;
use super::wake::Wake;
use super::{Job, PassOutcome};
use crate::{AppResult, Invoicer};
use chrono::{DateTime, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// What one pass of every job did, for `invoicer jobs run --once`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct JobsReport {
    /// When the passes began, by the app's clock (RFC 3339).
    pub ran_at: String,
    /// Per job: its name, units done and units failed.
    pub jobs: Vec<JobPassReport>,
}

impl JobsReport {
    /// Whether every job's pass ran to its end (some units may still have
    /// failed).
    pub fn all_passes_ran(&self) -> bool {
        self.jobs.iter().all(|j| j.error.is_none())
    }
}

/// One job's pass.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct JobPassReport {
    /// The job's name.
    pub job: String,
    /// Units of work done.
    pub done: u32,
    /// Units that failed.
    pub failed: u32,
    /// When the job wants to run next (RFC 3339), if it said.
    pub next_due: Option<String>,
    /// Why the pass as a whole failed, if it did.
    pub error: Option<String>,
}

/// Runs one pass of each of `jobs`, in order, never cancelled.
pub(crate) fn run_once(app: &Invoicer, jobs: Vec<Box<dyn Job>>) -> JobsReport {
    let wake = Wake::default();
    let ran_at = app.clock().now().to_rfc3339();
    let jobs = jobs
        .into_iter()
        .map(|mut job| {
            let name = job.name();
            let ctx = JobContext::new(app, name, &wake, None);
            let outcome = catch_unwind(AssertUnwindSafe(|| job.run_pass(&ctx)));
            let mut report = JobPassReport {
                job: name.to_string(),
                ..JobPassReport::default()
            };
            match outcome {
                Ok(Ok(PassOutcome {
                    done,
                    failed,
                    next_due,
                })) => {
                    ctx.finish(done, failed);
                    report.done = done;
                    report.failed = failed;
                    report.next_due = next_due.map(|t| t.to_rfc3339());
                }
                Ok(Err(error)) => {
                    tracing::warn!(job = name, error = %error, "a background job's pass failed");
                    let told = ctx.fail();
                    report.done = told.done;
                    report.failed = told.failed;
                    report.error = Some(error.message);
                }
                Err(panic) => {
                    let message = panic_message(panic.as_ref());
                    tracing::error!(job = name, panic = %message, "a background job panicked");
                    let told = ctx.fail();
                    report.done = told.done;
                    report.failed = told.failed;
                    report.error = Some(format!("internal error: {message}"));
                }
            }
            report
        })
        .collect();
    JobsReport { ran_at, jobs }
}

impl Invoicer {
    /// The first instant of `day` in the company's time zone (UTC before
    /// first-run setup): what `invoicer jobs run --once --now DAY` sets its
    /// clock to, so the jobs see that day as "today" wherever the company is.
    pub fn start_of_company_day(&self, day: NaiveDate) -> AppResult<DateTime<Utc>> {
        let tz = self
            .store
            .read(|tx| tx.company())?
            .map_or(chrono_tz::Tz::UTC, |c| c.timezone);
        // Where clocks jump forward at midnight the day starts at the first
        // hour that exists.
        Ok((0..24)
            .filter_map(|hour| {
                let time = NaiveTime::from_hms_opt(hour, 0, 0)?;
                match tz.from_local_datetime(&day.and_time(time)) {
                    LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t),
                    LocalResult::None => None,
                }
            })
            .next()
            .map_or_else(
                || day.and_time(NaiveTime::MIN).and_utc(),
                |t| t.with_timezone(&Utc),
            ))
    }
}
