//! The outbox end to end: 1,000 issued invoices queued by "Issue & send",
//! then drained by one pass of the sender to Postfix's smtp-sink on
//! 127.0.0.1. Each message is claimed (a committed write), built from the
//! invoice's pinned template version with its archived PDF, handed over by
//! the SMTP pool (4 connections) and recorded with its audit event (a second
//! write) — what the desktop app does for every invoice email.
//!
//! Prints the issue & queue rate, then messages/s of the sending pass and
//! the process's CPU time per message (user + system, /proc/self/stat).
//! Asserts nothing. `OUTBOX_BENCH_MESSAGES` changes the count.
//!
//! ```text
//! cargo bench -p invoicer-tests --bench outbox_send
//! ```

use invoicer_test_smtp::{process_cpu_time as cpu_time, Behaviour, TestSmtp};
use invoicer_tests::Fixture;
use std::time::Instant;

fn main() {
    let n: usize = std::env::var("OUTBOX_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let sink = TestSmtp::start(Behaviour::Sink);
    let f = Fixture::new();
    f.set_up_email();
    f.use_smtp(sink.port());

    let started = Instant::now();
    for _ in 0..n {
        let draft = f.app.create_invoice(&f.admin, &f.draft()).expect("draft");
        f.app
            .issue_and_send_invoice(&f.admin, draft.id)
            .expect("issue & send");
    }
    let issuing = started.elapsed();
    println!(
        "issue & queue: {n} invoices in {:.2} s ({:.0}/s; each renders and archives its PDF)",
        issuing.as_secs_f64(),
        n as f64 / issuing.as_secs_f64()
    );

    let cpu_before = cpu_time();
    let started = Instant::now();
    let report = f.app.run_jobs_once().expect("sender pass");
    let wall = started.elapsed();
    let cpu = cpu_time() - cpu_before;
    let sender = report
        .jobs
        .iter()
        .find(|j| j.job == "outbox_sender")
        .expect("the sender ran");
    assert_eq!(sender.done as usize, n, "every email was attempted");
    assert_eq!(sender.failed, 0, "none failed");
    let pdf_bytes = f
        .app
        .invoice_pdf(&f.admin, 1)
        .map(|p| p.bytes.len())
        .unwrap_or(0);
    println!(
        "send: {n} invoice emails (PDF {:.1} KB each) in {:.2} s = {:.0} messages/s; \
         CPU {:.0} µs per message (claim + build + SMTP + record, this process)",
        pdf_bytes as f64 / 1024.0,
        wall.as_secs_f64(),
        n as f64 / wall.as_secs_f64(),
        cpu.as_micros() as f64 / n as f64
    );
}
