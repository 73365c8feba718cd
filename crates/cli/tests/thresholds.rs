//! Usage thresholds with the real `invoicer` binary on a real data folder:
//! a rule added, tested and enabled; hours recorded with `usage record`;
//! period ends billed by `jobs run --once --now DATE` (never a sleep), and
//! the process SIGKILLed at fault points — inside a billing's transaction
//! (invoice made, entries not yet marked; all marked, not committed) and
//! between billings — then restarted: every entry is billed exactly once,
//! numbers stay gapless and each invoice is emailed once.

mod common;

use common::{cli, frozen, init, json, refused, sigkill, zoe_in_california};
use serde_json::Value;
use std::path::Path;

/// A company mailing from billing@acme.test, Zoë in California, and a
/// monthly period-end rule from 2030-01-01 at 100.00 an hour that issues and
/// sends, tested and enabled, with one entry in each of January to April.
fn monthly_hours(d: &Path) {
    init(d, "Acme Billing", "US", Some("CA"), "USD");
    json(d, &["settings", "set", "email", "billing@acme.test"]);
    zoe_in_california(d);
    let r = json(
        d,
        &[
            "threshold",
            "add",
            "--customer",
            "1",
            "--hours",
            "--price",
            "100.00",
            "--period",
            "monthly",
            "--anchor",
            "2030-01-01",
            "--action",
            "issue_and_send",
        ],
    );
    assert_eq!(r["state"], "disabled");
    let (_, e) = refused(&mut cli(d), &["threshold", "enable", "1"]);
    assert_eq!(e["code"], "invalid_state");
    let run = json(d, &["trigger", "test", "threshold", "1"]);
    assert_eq!(run["sample"], true);
    assert_eq!(run["outcome"], "queued_for_sending");
    assert_eq!(json(d, &["threshold", "enable", "1"])["state"], "active");
    for (day, hours, reference) in [
        ("2030-01-10", "3", "TS-1"),
        ("2030-02-10", "2", "TS-2"),
        ("2030-03-10", "4", "TS-3"),
        ("2030-04-10", "1", "TS-4"),
    ] {
        let r = record(d, day, hours, reference);
        assert!(r["invoice_id"].is_null());
    }
}

fn record(d: &Path, day: &str, hours: &str, reference: &str) -> Value {
    json(
        d,
        &[
            "usage",
            "record",
            "--customer",
            "1",
            "--hours",
            hours,
            "--description",
            "Support",
            "--date",
            day,
            "--ref",
            reference,
        ],
    )
}

fn db(d: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(d.join("invoicer.db")).unwrap()
}

fn count(d: &Path, sql: &str) -> i64 {
    db(d).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// (issue date, number) of every invoice, in id order.
fn dated_numbers(d: &Path) -> Vec<(String, String)> {
    db(d)
        .prepare("SELECT issue_date, COALESCE(number, '') FROM invoices ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn emails(d: &Path) -> usize {
    std::fs::read_dir(d.join("outbox")).map_or(0, |dir| {
        dir.filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .count()
    })
}

/// Every entry billed by exactly one invoice, one invoice per month, each
/// line one entry, gapless numbers, one email each, an intact database and
/// audit chain.
fn billed_once_each(d: &Path) {
    assert_eq!(
        dated_numbers(d),
        [
            ("2030-01-31", "INV-2030-00001"),
            ("2030-02-28", "INV-2030-00002"),
            ("2030-03-31", "INV-2030-00003"),
            ("2030-04-30", "INV-2030-00004"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(
        count(
            d,
            "SELECT COUNT(*) FROM usage_entries WHERE invoice_id IS NULL"
        ),
        0
    );
    assert_eq!(
        count(d, "SELECT COUNT(DISTINCT invoice_id) FROM usage_entries"),
        4
    );
    assert_eq!(count(d, "SELECT COUNT(*) FROM invoice_lines"), 4);
    assert_eq!(
        count(
            d,
            "SELECT COUNT(*) FROM usage_billings WHERE invoice_id IS NOT NULL"
        ),
        4
    );
    assert_eq!(emails(d), 4, "each emailed once");
    let check: String = db(d)
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert!(cli(d)
        .args(["audit", "verify"])
        .output()
        .unwrap()
        .status
        .success());
}

fn run_jobs(d: &Path, now: &str) -> Value {
    json(d, &["jobs", "run", "--once", "--now", now])
}

#[test]
fn months_missed_while_closed_are_each_billed_once_from_their_own_entries() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    monthly_hours(d);
    let r = run_jobs(d, "2030-05-02");
    let job = r["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["job"] == "usage_thresholds")
        .unwrap()
        .clone();
    assert_eq!(job["done"], 4, "{r}");
    run_jobs(d, "2030-05-03");
    billed_once_each(d);
    let shown = json(d, &["threshold", "show", "1"]);
    assert_eq!(shown["billings"].as_array().unwrap().len(), 4);
    assert_eq!(shown["billings"][3]["caught_up"], true);
}

/// Freezes the catch-up run at `point`, kills it, restarts: only whole
/// billings survive the kill, the restart bills the rest, none twice.
fn killed_at(point: &str, committed_before_kill: usize) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    monthly_hours(d);
    sigkill(frozen(
        d,
        &["jobs", "run", "--once", "--now", "2030-05-02"],
        point,
    ));
    assert_eq!(dated_numbers(d).len(), committed_before_kill);
    assert_eq!(
        count(
            d,
            "SELECT COUNT(*) FROM usage_entries WHERE invoice_id IS NOT NULL"
        ),
        committed_before_kill as i64
    );
    run_jobs(d, "2030-05-02");
    run_jobs(d, "2030-05-03");
    billed_once_each(d);
}

#[test]
fn a_sigkill_after_the_invoice_is_made_before_its_entries_are_marked_bills_them_once() {
    killed_at("threshold_after_create#2", 1);
}

#[test]
fn a_sigkill_after_the_entries_are_marked_before_the_commit_bills_them_once() {
    killed_at("threshold_in_billing#3", 2);
}

#[test]
fn a_sigkill_between_two_billings_leaves_the_rest_to_the_restart() {
    // The first pass of the rule checks its totals (nothing crossed), then
    // bills January and February before the kill.
    killed_at("threshold_between_billings#3", 2);
}

#[test]
fn an_entry_that_crosses_the_threshold_killed_mid_billing_is_recorded_and_billed_once_on_retry() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init(d, "Acme Billing", "US", Some("CA"), "USD");
    zoe_in_california(d);
    json(
        d,
        &[
            "threshold",
            "add",
            "--customer",
            "1",
            "--hours",
            "--price",
            "100",
            "--quantity",
            "10",
            "--action",
            "issue",
        ],
    );
    json(d, &["trigger", "test", "threshold", "1"]);
    json(d, &["threshold", "enable", "1"]);
    assert!(record(d, "2030-01-02", "6", "TS-1")["invoice_id"].is_null());
    let args = [
        "usage",
        "record",
        "--customer",
        "1",
        "--hours",
        "5",
        "--description",
        "Support",
        "--date",
        "2030-01-03",
        "--ref",
        "TS-2",
    ];
    sigkill(frozen(d, &args, "threshold_after_create"));
    // Entry and invoice were one transaction: neither survived.
    assert_eq!(count(d, "SELECT COUNT(*) FROM usage_entries"), 1);
    assert_eq!(count(d, "SELECT COUNT(*) FROM invoices"), 0);
    let r = json(d, &args);
    assert_eq!(r["outcome"], "issued");
    // Numbered first: the killed attempt gave its number back.
    assert!(
        r["invoice_number"].as_str().unwrap().ends_with("-00001"),
        "{r}"
    );
    // Sent again: recorded before, nothing billed twice.
    let again = json(d, &args);
    assert_eq!(again["duplicate"], true);
    assert!(again["invoice_id"].is_null());
    assert_eq!(count(d, "SELECT COUNT(*) FROM invoices"), 1);
    assert_eq!(
        count(d, "SELECT COUNT(*) FROM usage_entries WHERE invoice_id = 1"),
        2
    );
}
