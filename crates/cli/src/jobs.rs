//! `invoicer jobs run --once [--now DATE]`: one pass of every background job,
//! e.g. from cron. The jobs act as the system principal, so nobody signs in;
//! they only carry out what people already queued or scheduled.

use crate::args::JobsCommand;
use crate::output::Output;
use chrono::{DateTime, NaiveDate, Utc};
use invoicer_app::{
    ApiError, AppResult, ErrorCode, Invoicer, JobsReport, ManualClock, SystemClock,
};
use std::path::Path;
use std::sync::Arc;

/// When `--now` says it is.
enum Now {
    /// A calendar day: its first instant in the company's time zone.
    Day(NaiveDate),
    /// An exact instant.
    Instant(DateTime<Utc>),
}

fn parse_now(text: &str) -> AppResult<Now> {
    let trimmed = text.trim();
    if let Ok(day) = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
        return Ok(Now::Day(day));
    }
    DateTime::parse_from_rfc3339(trimmed)
        .map(|t| Now::Instant(t.with_timezone(&Utc)))
        .map_err(|_| {
            ApiError::field(
                "now",
                text,
                "is neither a day (YYYY-MM-DD) nor an RFC 3339 instant (2026-12-01T09:00:00Z)",
            )
        })
}

/// Runs one `jobs` subcommand on the data folder `dir`.
pub fn run(dir: &Path, cmd: JobsCommand) -> AppResult<Output> {
    let JobsCommand::Run { once, now } = cmd;
    if !once {
        return Err(ApiError::new(
            ErrorCode::Validation,
            "the CLI runs one pass of the jobs (`invoicer jobs run --once`, e.g. from cron); \
             the continuous runner is the desktop app's, which starts the jobs while it is open",
        ));
    }
    let now = now.as_deref().map(parse_now).transpose()?;
    let report = match now {
        None => Invoicer::open(dir, Arc::new(SystemClock))?.run_jobs_once()?,
        Some(now) => {
            let at = match now {
                // The company's time zone is known only once the app is
                // open; until then the clock reads the day's start in UTC.
                Now::Day(day) => day.and_time(chrono::NaiveTime::MIN).and_utc(),
                Now::Instant(at) => at,
            };
            let clock = Arc::new(ManualClock::new(at));
            let app = Invoicer::open(dir, clock.clone())?;
            if let Now::Day(day) = now {
                clock.set(app.start_of_company_day(day)?);
            }
            app.run_jobs_once()?
        }
    };
    Ok(Output::Jobs(report))
}

/// The report as text: one line per job.
pub fn text(report: &JobsReport) -> String {
    let mut out = vec![format!("jobs ran at {}", report.ran_at)];
    if report.jobs.is_empty() {
        out.push("no background jobs are registered".to_string());
    }
    for j in &report.jobs {
        let mut line = format!("{:<20} {} done, {} failed", j.job, j.done, j.failed);
        if let Some(next) = &j.next_due {
            line.push_str(&format!(", next run {next}"));
        }
        if let Some(error) = &j.error {
            line.push_str(&format!(" — pass failed: {error}"));
        }
        out.push(line);
    }
    out.join("\n")
}
