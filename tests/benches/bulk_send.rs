//! Bulk send end to end, in process through the app's API: a generated
//! export of 10,000 rows (≈3,300 invoices of three lines each) is checked
//! (`check_bulk_file`: read, detect, map, validate), started
//! (`start_bulk_job`: checked again, plan written), run (`run_bulk_jobs`:
//! per invoice one write transaction that creates the customer and the
//! invoice, numbers it, renders and archives its PDF and queues its email)
//! and sent (`run_jobs_once`: the outbox's pass to Postfix's `smtp-sink` on
//! 127.0.0.1, as `outbox_send` does).
//!
//! Prints the time of each phase, the PDF rendering alone (a few hundred
//! drafts of the same invoices rendered again, outside any transaction),
//! the total wall time, the CPU time per invoice and the peak memory
//! (VmHWM). Then the same file on a fresh company as the desktop app runs
//! it: started, then left to the background jobs (bulk send and the outbox
//! sender on their own threads, so sending overlaps making), timed until
//! the last email was accepted. Asserts only that every invoice was made
//! and every email sent.
//!
//! By default the approval threshold is raised so that every invoice is
//! issued, rendered and emailed (the heaviest run); with
//! `BULK_BENCH_DEFAULT_THRESHOLD=1` the company keeps its 10,000 threshold
//! and the invoices over it wait for approval instead. `BULK_BENCH_ROWS`
//! changes the row count, `BULK_BENCH_RENDERS` the renders timed alone.
//!
//! ```text
//! cargo bench -p invoicer-tests --bench bulk_send
//! ```

use invoicer_app::api::*;
use invoicer_app::ChannelSink;
use invoicer_domain::delivery::DeliveryStatus;
use invoicer_test_smtp::{process_cpu_time as cpu_time, Behaviour, TestSmtp};
use invoicer_tests::Fixture;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The process's peak resident memory so far, in MB (VmHWM).
fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Wall and CPU time of `f`.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let cpu = cpu_time();
    let started = Instant::now();
    let out = f();
    (out, started.elapsed(), cpu_time() - cpu)
}

fn main() {
    let rows = env_number("BULK_BENCH_ROWS", 10_000);
    let renders = env_number("BULK_BENCH_RENDERS", 300);
    let default_threshold = std::env::var_os("BULK_BENCH_DEFAULT_THRESHOLD").is_some();
    let sink = TestSmtp::start(Behaviour::Sink);
    let (f, input) = company_with_file(sink.port(), rows, default_threshold);

    let wall = Instant::now();
    let cpu_start = cpu_time();
    let ((check, job), read_wall, read_cpu) = timed(|| {
        let check = f.app.check_bulk_file(&f.admin, &input).expect("check");
        assert!(check.needs_confirmation.is_empty(), "{check:?}");
        let job = f
            .app
            .start_bulk_job(
                &f.admin,
                &BulkStartInput {
                    check: input.clone(),
                    sha256: check.sha256.clone(),
                    send: true,
                    throttle_per_minute: None,
                },
            )
            .expect("start");
        (check, job)
    });
    let after_read = peak_mb();
    let invoices = check.invoices as usize;
    println!(
        "read + validate: {} rows, {invoices} invoices ({} need approval) — check {:.2} s wall, {:.2} s CPU (the check and the start each read the file)",
        check.rows,
        check.needs_approval,
        read_wall.as_secs_f64(),
        read_cpu.as_secs_f64()
    );

    let (summary, make_wall, make_cpu) =
        timed(|| f.app.run_bulk_jobs().expect("run").expect("the lock"));
    assert_eq!(summary.handled as usize, invoices);
    assert_eq!(summary.failed, 0, "none failed");
    let after_make = peak_mb();
    println!(
        "create + issue + PDF + queue: {invoices} invoices in {:.2} s wall ({:.0}/s), {:.2} s CPU",
        make_wall.as_secs_f64(),
        invoices as f64 / make_wall.as_secs_f64(),
        make_cpu.as_secs_f64()
    );

    // One pass of the sender takes a batch of due emails; the desktop
    // app's sender takes the next batch at once, so this runs passes until
    // one finds nothing left.
    let ((sent, failed, passes), send_wall, send_cpu) = timed(|| {
        let (mut sent, mut failed, mut passes) = (0, 0, 0);
        loop {
            let report = f.app.run_jobs_once().expect("sender pass");
            let sender = report
                .jobs
                .iter()
                .find(|j| j.job == "outbox_sender")
                .expect("the sender ran");
            if sender.done == 0 {
                return (sent, failed, passes);
            }
            sent += sender.done;
            failed += sender.failed;
            passes += 1;
        }
    });
    let counts = f
        .app
        .bulk_job_report(
            &f.admin,
            &BulkReportQuery {
                job_id: job.id,
                status: None,
                after_position: None,
                limit: Some(1),
            },
        )
        .expect("report")
        .job
        .counts;
    assert_eq!(sent, counts.queued_for_sending, "every email attempted");
    assert_eq!(failed, 0, "none failed");
    let total_wall = wall.elapsed();
    let total_cpu = cpu_time() - cpu_start;
    let peak = peak_mb();
    println!(
        "SMTP: {sent} emails in {passes} passes of the sender, {:.2} s wall ({:.0}/s), {:.2} s CPU",
        send_wall.as_secs_f64(),
        f64::from(sent) / send_wall.as_secs_f64(),
        send_cpu.as_secs_f64()
    );
    println!(
        "issued and queued {}, awaiting approval {}, invalid {}",
        counts.queued_for_sending, counts.awaiting_approval, counts.invalid
    );
    println!(
        "total: {:.2} s wall (budget 20 s), {:.2} s CPU = {:.2} ms CPU per invoice; peak memory {:.0} MB (budget 300 MB; {:.0} MB after the check, {:.0} MB after the run)",
        total_wall.as_secs_f64(),
        total_cpu.as_secs_f64(),
        total_cpu.as_secs_f64() * 1000.0 / invoices as f64,
        peak,
        after_read,
        after_make
    );

    // The PDF alone: drafts with the same customers and lines as the first
    // issued invoices, each rendered fresh by `invoice_pdf` (a draft's PDF
    // is never archived), outside any write transaction.
    let page = f
        .app
        .list_invoices(
            &f.admin,
            &InvoiceQuery {
                status: Some(DisplayStatus::Issued),
                page_size: renders as u32,
                ..InvoiceQuery::default()
            },
        )
        .expect("issued invoices");
    let drafts: Vec<i64> = page
        .items
        .iter()
        .map(|i| {
            let inv = f.app.invoice(&f.admin, i.id).expect("invoice");
            let draft = DraftInput {
                customer_id: inv.customer.id,
                issue_date: Some(inv.issue_date),
                terms_days: Some(inv.terms_days),
                notes: None,
                template: None,
                lines: inv
                    .lines
                    .iter()
                    .map(|l| LineInput {
                        description: l.description.clone(),
                        quantity: l.quantity.clone(),
                        unit_price: l.unit_price.clone(),
                        discount_percent: l.discount_percent.clone(),
                        tax_rate_id: l.tax_rate_id,
                        proration: None,
                        tax_exempt_reason: l.tax_exempt_reason.clone(),
                    })
                    .collect(),
            };
            f.app.create_invoice(&f.admin, &draft).expect("draft").id
        })
        .collect();
    let (bytes, pdf_wall, pdf_cpu) = timed(|| {
        drafts
            .iter()
            .map(|&id| f.app.invoice_pdf(&f.admin, id).expect("pdf").bytes.len())
            .sum::<usize>()
    });
    let n = drafts.len().max(1) as f64;
    println!(
        "PDF alone: {} renders in {:.2} s ({:.2} ms wall, {:.2} ms CPU each, {:.1} KB each) ≈ {:.2} s of the run for {} issued invoices",
        drafts.len(),
        pdf_wall.as_secs_f64(),
        pdf_wall.as_secs_f64() * 1000.0 / n,
        pdf_cpu.as_secs_f64() * 1000.0 / n,
        bytes as f64 / n / 1024.0,
        pdf_wall.as_secs_f64() / n * f64::from(counts.queued_for_sending),
        counts.queued_for_sending
    );
    drop(f);

    desktop_run(sink.port(), rows, default_threshold);
}

/// A company that mails to `port`, with the generator's exchange rates
/// (and unless `default_threshold` an approval threshold no invoice
/// reaches), and a generated file of `rows` rows in its folder.
fn company_with_file(port: u16, rows: usize, default_threshold: bool) -> (Fixture, BulkCheckInput) {
    let f = Fixture::new();
    f.set_up_email();
    f.use_smtp(port);
    let mut patch = serde_json::Map::new();
    patch.insert(
        "exchange_rates".into(),
        serde_json::json!(["EUR", "GBP", "PLN"]
            .iter()
            .map(|c| serde_json::json!({"currency": c, "rate": "1.10", "valid_from": "2026-01-01"}))
            .collect::<Vec<_>>()),
    );
    if !default_threshold {
        patch.insert("approval_threshold".into(), "1000000000".into());
    }
    f.app
        .update_settings(&f.admin, &patch)
        .expect("exchange rates and threshold");
    let file = f.dir.path().join("export.csv");
    let made = std::process::Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/bulk/gen_bulk_csv.py"))
        .arg(rows.to_string())
        .arg(&file)
        .status()
        .expect("python3 runs the generator");
    assert!(made.success());
    let input = BulkCheckInput {
        path: file.display().to_string(),
        ..BulkCheckInput::default()
    };
    (f, input)
}

/// The same file as the desktop app runs it: the job started, then the
/// background jobs (bulk send and the outbox sender, each on its thread)
/// left to it, so sending overlaps making; timed until the last email was
/// accepted.
fn desktop_run(port: u16, rows: usize, default_threshold: bool) {
    let (f, input) = company_with_file(port, rows, default_threshold);
    let Fixture {
        dir: _dir,
        app,
        admin,
        ..
    } = f;
    let app = Arc::new(app);
    let (sink, events) = ChannelSink::new();
    app.subscribe(sink);
    let cpu = cpu_time();
    let started = Instant::now();
    let check = app.check_bulk_file(&admin, &input).expect("check");
    let job = app
        .start_bulk_job(
            &admin,
            &BulkStartInput {
                check: input.clone(),
                sha256: check.sha256.clone(),
                send: true,
                throttle_per_minute: None,
            },
        )
        .expect("start");
    let query = BulkReportQuery {
        job_id: job.id,
        status: None,
        after_position: None,
        limit: Some(1),
    };
    let jobs = app.start_jobs().expect("background jobs");
    // Waits on the app's events, as the window does: the job's end, and each
    // delivery the sender marks sent.
    let mut finished = false;
    let mut sent = HashSet::new();
    let mut expected = usize::MAX;
    while !(finished && sent.len() >= expected) {
        match events.recv().expect("the app is alive") {
            AppEvent::BulkJobChanged { job_id, status }
                if job_id == job.id && status == "finished" =>
            {
                finished = true;
                let c = app
                    .bulk_job_report(&admin, &query)
                    .expect("report")
                    .job
                    .counts;
                expected = c.queued_for_sending as usize;
            }
            AppEvent::DeliveryChanged { delivery } if delivery.status == DeliveryStatus::Sent => {
                sent.insert(delivery.id);
            }
            _ => {}
        }
    }
    let counts = app
        .bulk_job_report(&admin, &query)
        .expect("report")
        .job
        .counts;
    assert_eq!(counts.sent, counts.queued_for_sending);
    let wall = started.elapsed();
    jobs.stop();
    let cpu = cpu_time() - cpu;
    println!(
        "desktop (background jobs, making and sending overlap): {} invoices made and {} emailed in {:.2} s wall, {:.2} s CPU; peak memory so far {:.0} MB",
        counts.invoices,
        counts.sent,
        wall.as_secs_f64(),
        cpu.as_secs_f64(),
        peak_mb()
    );
}
