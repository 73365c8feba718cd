//! `invoicer bulk send FILE.csv [--dry-run]`, `bulk list`, `bulk resume`,
//! `bulk cancel` and `bulk report`: the same check, job and report the
//! desktop app shows. A row's number is its line in the file (the header
//! is line 1).

use crate::args::BulkCommand;
use crate::output::Output;
use invoicer_app::api::*;
use invoicer_app::{ApiError, AppResult, ErrorCode, Invoicer, Session};

/// Runs a `bulk` command.
pub fn run(app: &Invoicer, s: &Session, cmd: BulkCommand) -> AppResult<Output> {
    match cmd {
        BulkCommand::List => Ok(Output::BulkJobs(app.bulk_jobs(s)?)),
        BulkCommand::Resume { job_id } => {
            // A job orphaned by a killed process is still `running`; the
            // runner's recovery resumes it, so only an interrupted one needs
            // the explicit resume.
            let job = app.bulk_job_report(s, &report_query(job_id))?.job;
            if job.can_resume {
                app.resume_bulk_job(s, job_id)?;
            }
            run_to_end(app, s, job_id)
        }
        BulkCommand::Cancel { job_id } => {
            app.cancel_bulk_job(s, job_id)?;
            Ok(Output::BulkJob(Box::new(
                app.bulk_job_report(s, &report_query(job_id))?,
            )))
        }
        BulkCommand::Report { job_id, out } => {
            let report = app.bulk_job_report(s, &report_query(job_id))?;
            if let Some(path) = out {
                let csv = app.bulk_job_problems_csv(s, job_id)?;
                invoicer_app::write_document(&path, &csv)?;
            }
            Ok(Output::BulkJob(Box::new(report)))
        }
        send @ BulkCommand::Send { .. } => send_file(app, s, send),
    }
}

/// The first page of a job's report, with every failed invoice listed.
fn report_query(job_id: i64) -> BulkReportQuery {
    BulkReportQuery {
        job_id,
        status: Some("failed".into()),
        after_position: None,
        limit: Some(1_000),
    }
}

/// Runs the running jobs here, then one pass of the outbox, and reports.
fn run_to_end(app: &Invoicer, s: &Session, job_id: i64) -> AppResult<Output> {
    if app.run_bulk_jobs()?.is_none() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "another Invoicer (the desktop app or a command) is running bulk jobs in this data folder; it makes this job's invoices",
        ));
    }
    // Sends what the job queued (and anything else due); emails held by a
    // throttle or waiting for a retry go with the next `jobs run --once` or
    // the desktop app. One pass of the sender takes one batch of due emails,
    // so passes run until one attempts nothing: a file of more invoices than
    // a batch is sent whole. It ends, because each pass spends at least one
    // of the queue's limited attempts.
    while app
        .run_jobs_once()?
        .jobs
        .iter()
        .any(|j| j.job == "outbox_sender" && j.done > 0)
    {}
    Ok(Output::BulkJob(Box::new(
        app.bulk_job_report(s, &report_query(job_id))?,
    )))
}

/// `bulk send`: the check, and unless `--dry-run` the job, run to its end.
fn send_file(app: &Invoicer, s: &Session, cmd: BulkCommand) -> AppResult<Output> {
    let BulkCommand::Send {
        file,
        dry_run,
        encoding,
        delimiter,
        map,
        decimal,
        thousands,
        dates,
        profile,
        save_profile,
        no_email,
        throttle,
    } = cmd
    else {
        return Err(ApiError::new(ErrorCode::Internal, "not a send command"));
    };
    let mut input = BulkCheckInput {
        path: file.display().to_string(),
        encoding,
        delimiter,
        columns: None,
        decimal_separator: decimal,
        thousands_separator: thousands,
        date_style: dates,
        profile,
        save_profile_as: None,
    };
    if !map.is_empty() {
        // Start from the file's own mapping and change the columns named.
        let mut columns = app.check_bulk_file(s, &input)?.columns;
        for m in &map {
            let (header, field) = m.split_once('=').ok_or_else(|| {
                ApiError::field(
                    "map",
                    m,
                    "must be HEADER=field (or HEADER= to leave it out)",
                )
            })?;
            let column = columns
                .iter_mut()
                .find(|c| c.header.trim() == header.trim())
                .ok_or_else(|| ApiError::field("map", header, "is not a column of the file"))?;
            column.field = Some(field.trim().to_string()).filter(|f| !f.is_empty());
        }
        input.columns = Some(columns);
    }
    input.save_profile_as = save_profile;
    let check = app.check_bulk_file(s, &input)?;
    if dry_run || !check.needs_confirmation.is_empty() {
        return Ok(Output::BulkCheck(Box::new(check)));
    }
    input.save_profile_as = None;
    let job = app.start_bulk_job(
        s,
        &BulkStartInput {
            check: input,
            sha256: check.sha256,
            send: !no_email,
            throttle_per_minute: throttle,
        },
    )?;
    run_to_end(app, s, job.id)
}

/// A job's report for people.
pub fn job_text(r: &BulkJobReport) -> String {
    let j = &r.job;
    let c = &j.counts;
    let mut out = vec![
        format!(
            "bulk job {} {}: {} ({} rows, {} invoices), started {} by {}",
            j.id, j.status, j.file_name, c.rows, c.invoices, j.started_at, j.started_by
        ),
        format!(
            "  queued for sending {} (sent {}), issued {}, waiting for approval {}, already invoiced {}, failed {}, invalid {}, pending {}",
            c.queued_for_sending,
            c.sent,
            c.issued,
            c.awaiting_approval,
            c.already_invoiced,
            c.failed,
            c.invalid,
            c.pending
        ),
    ];
    if c.already_invoiced > 0 {
        out.push(format!(
            "  {} invoices of this file were already invoiced by an earlier run; nothing was made or sent for them again",
            c.already_invoiced
        ));
    }
    for i in r.invoices.iter().filter(|i| i.status == "failed") {
        out.push(format!(
            "line {} ({}): failed: {}",
            i.first_line,
            i.invoice_key,
            i.error.as_deref().unwrap_or("")
        ));
    }
    for p in &r.problems {
        out.push(format!(
            "line {}{}: {:?} {}",
            p.line,
            p.column
                .as_deref()
                .map(|c| format!(", column {c}"))
                .unwrap_or_default(),
            p.value,
            p.reason
        ));
    }
    if u64::from(c.row_errors) > r.problems.len() as u64 {
        out.push(format!(
            "… {} problems in all; `invoicer bulk report {} --out errors.csv` writes every one",
            c.row_errors, j.id
        ));
    }
    out.join("\n")
}

/// The jobs for people, newest first.
pub fn jobs_text(jobs: &[BulkJobView]) -> String {
    if jobs.is_empty() {
        return "no bulk jobs".into();
    }
    jobs.iter()
        .map(|j| {
            format!(
                "{:>5}  {:<11} {}  {} invoices: {} queued, {} awaiting approval, {} already invoiced, {} failed, {} invalid",
                j.id,
                j.status,
                j.file_name,
                j.counts.invoices,
                j.counts.queued_for_sending,
                j.counts.awaiting_approval,
                j.counts.already_invoiced,
                j.counts.failed,
                j.counts.invalid
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The report for people.
pub fn report_text(r: &BulkCheckReport) -> String {
    let mut out = vec![format!(
        "{}{} ({}, delimiter {}, {})",
        r.file_name,
        r.profile
            .as_deref()
            .map(|p| format!(" with profile {p:?}"))
            .unwrap_or_default(),
        r.encoding,
        r.delimiter,
        if r.encoding_certain {
            "encoding certain"
        } else {
            "encoding guessed"
        }
    )];
    let mapping: Vec<String> = r
        .columns
        .iter()
        .map(|c| {
            format!(
                "  {} → {}",
                c.header,
                c.field.as_deref().unwrap_or("(left out)")
            )
        })
        .collect();
    if !r.needs_confirmation.is_empty() {
        out.push(format!(
            "to confirm first: {}",
            r.needs_confirmation.join(", ")
        ));
        out.push("mapping:".into());
        out.extend(mapping);
        out.extend(r.mapping_problems.iter().map(|p| format!("  ! {p}")));
        out.push(
            "confirm with --encoding, --map HEADER=field, --decimal/--thousands or --dates".into(),
        );
        return out.join("\n");
    }
    out.push(format!(
        "{} rows: {} invoices would be created ({} need approval, {} new customers), {} refused",
        r.rows, r.invoices, r.needs_approval, r.new_customers, r.refused_invoices
    ));
    for t in &r.totals {
        out.push(format!(
            "  {} {} in {} invoices",
            t.total, t.currency, t.invoices
        ));
    }
    for p in &r.problems {
        out.push(format!(
            "line {}{} ({}): {:?} {}",
            p.line,
            p.column
                .as_deref()
                .map(|c| format!(", column {c}"))
                .unwrap_or_default(),
            p.field,
            p.value,
            p.reason
        ));
    }
    out.push("dry run: nothing was written or sent".into());
    out.join("\n")
}
