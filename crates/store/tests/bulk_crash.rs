//! A bulk job killed with SIGKILL while it makes invoices (mid-transaction
//! or between transactions, wherever the kill lands), resumed, killed again
//! and resumed to the end: every valid invoice of the file is made exactly
//! once, every queued email once, and the database is intact.
//!
//! The job runs in a child process: this test binary itself, running only
//! `child_runs_the_job`, which tells the parent of each committed invoice on
//! its standard output; the parent kills it after the n-th.

mod bulk_support;

use bulk_support::*;
use invoicer_domain::bulk_job::{BulkJobEvent, BulkJobStatus, BulkOutcome, BulkRowStatus};
use invoicer_store::{KeyClaim, Store, StoreError};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

const DB: &str = "INVOICER_BULK_CRASH_DB";
const JOB: &str = "INVOICER_BULK_CRASH_JOB";
const USER: &str = "INVOICER_BULK_CRASH_USER";
const CUSTOMER: &str = "INVOICER_BULK_CRASH_CUSTOMER";

/// The child: runs the job given in the environment, invoice by invoice,
/// printing `made <position>` after each commit. Without the environment
/// (a normal test run) it does nothing.
#[test]
fn child_runs_the_job() {
    let Ok(db) = std::env::var(DB) else { return };
    let var = |name: &str| -> i64 { std::env::var(name).unwrap().parse().unwrap() };
    let (job, user) = (var(JOB), var(USER));
    let store = Store::open(Path::new(&db)).unwrap();
    let customer = store
        .read(|tx| tx.customer(var(CUSTOMER)))
        .unwrap()
        .unwrap();
    loop {
        let Some(next) = store
            .read(|tx| tx.pending_bulk_invoices(job, 1))
            .unwrap()
            .pop()
        else {
            println!("done");
            return;
        };
        store
            .write(|tx| {
                let outcome = match tx.claim_bulk_invoice_key(job, &next.key)? {
                    KeyClaim::Owned => BulkOutcome::Made {
                        status: BulkRowStatus::QueuedForSending,
                        invoice_id: make_invoice(tx, user, &customer)?,
                    },
                    KeyClaim::AlreadyInvoiced { invoice_id, .. } => {
                        BulkOutcome::AlreadyInvoiced { invoice_id }
                    }
                };
                tx.record_bulk_outcome(job, next.position, &outcome)?;
                Ok::<_, StoreError>(())
            })
            .unwrap();
        println!("made {}", next.position);
    }
}

/// Runs the job in a child and kills it (SIGKILL) once it has reported
/// `after` more invoices; returns how many it reported.
fn run_child_and_kill(db: &Path, job: i64, user: i64, customer: i64, after: usize) -> usize {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_runs_the_job",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(DB, db)
        .env(JOB, job.to_string())
        .env(USER, user.to_string())
        .env(CUSTOMER, customer.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let out = BufReader::new(child.stdout.take().unwrap());
    let mut made = 0;
    for line in out.lines() {
        let line = line.unwrap();
        if line.starts_with("made ") {
            made += 1;
            if made == after {
                // The child is already at work on the next invoice.
                child.kill().unwrap();
                break;
            }
        }
        assert_ne!(line, "done", "the child finished before it was killed");
    }
    child.wait().unwrap();
    made
}

/// What the parent does at start-up: interrupted jobs found and resumed.
fn restart(db: &Path, job: i64) -> Store {
    let store = Store::open(db).unwrap();
    assert_eq!(store.write(|tx| tx.interrupt_bulk_jobs()).unwrap(), [job]);
    let stopped = store.read(|tx| tx.bulk_job(job)).unwrap().unwrap();
    let resumed = stopped
        .status
        .apply(BulkJobEvent::Resume {
            validated: stopped.validated,
        })
        .unwrap();
    assert!(store
        .write(|tx| tx.change_bulk_job_status(job, stopped.status, resumed, at()))
        .unwrap());
    store
}

#[test]
fn a_job_killed_twice_makes_every_invoice_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("invoicer.db");
    let (store, user, customer) = setup(&db);
    const INVOICES: u32 = 60;
    let job = running_job(&store, user, INVOICES, &[7, 30]);
    drop(store);

    let first = run_child_and_kill(&db, job, user, customer.id, 11);
    drop(restart(&db, job));
    let second = run_child_and_kill(&db, job, user, customer.id, 17);
    let store = restart(&db, job);
    let rest = run(&store, job, user, &customer, usize::MAX);
    assert!(store
        .write(|tx| tx.change_bulk_job_status(
            job,
            BulkJobStatus::Running,
            BulkJobStatus::Finished,
            at()
        ))
        .unwrap());

    let done = store.read(|tx| tx.bulk_job(job)).unwrap().unwrap();
    let valid = INVOICES - 2;
    assert_eq!(
        (done.counts.queued_for_sending, done.counts.invalid),
        (valid, 2)
    );
    assert_eq!((done.counts.pending, done.counts.failed), (0, 0));
    // Each child was killed after reporting its n-th invoice, with more to
    // do; a kill may land after a commit it had no time to report, so the
    // reports add up to at most what was made.
    assert_eq!((first, second), (11, 17));
    assert!(first + second + rest <= valid as usize);
    assert_eq!(
        done.counts.already_invoiced, 0,
        "a committed invoice was not recorded"
    );
    assert_eq!(
        invoice_count(&store),
        i64::from(valid),
        "an invoice was made twice"
    );
    let emails = store.read(|tx| tx.list_deliveries(None, 1000)).unwrap();
    assert_eq!(emails.len(), valid as usize, "an email was queued twice");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let (keys, unmade): (i64, i64) = conn
        .query_row(
            "SELECT COUNT(*), COUNT(*) - COUNT(invoice_id) FROM bulk_invoice_keys",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((keys, unmade), (i64::from(valid), 0));
}
