//! Recurring schedules with the real `invoicer` binary on a real data
//! folder, the clock moved with `jobs run --once --now DATE` (never a
//! sleep): catch-up after the app was closed, a SIGKILL in the middle of
//! catch-up (the process frozen at a fault point, killed, restarted), and
//! the CLI's errors naming the line and field.

mod common;

use common::{cli, frozen, init, json, refused, sigkill, zoe_in_california};
use serde_json::Value;
use std::path::Path;

/// A company mailing from billing@acme.test (through the outbox folder),
/// Zoë in California, and a monthly schedule anchored on Jan 31 that issues
/// and sends, tested and enabled. Returns the schedule id.
fn monthly_from_jan_31(d: &Path) -> String {
    init(d, "Acme Billing", "US", Some("CA"), "USD");
    json(d, &["settings", "set", "email", "billing@acme.test"]);
    zoe_in_california(d);
    let s = json(
        d,
        &[
            "schedule",
            "add",
            "--customer",
            "1",
            "--line",
            "Monthly retainer|1|500.00",
            "--every",
            "monthly",
            "--anchor",
            "2027-01-31",
            "--send",
        ],
    );
    assert_eq!(s["state"], "disabled");
    let id = s["id"].to_string();
    let run = json(d, &["schedule", "test", &id]);
    assert_eq!(run["outcome"], "queued_for_sending");
    let on = json(d, &["schedule", "resume", &id]);
    assert_eq!(on["state"], "active");
    id
}

fn invoices(d: &Path) -> Vec<Value> {
    let mut items = json(d, &["invoice", "list", "--page-size", "1000"])["items"]
        .as_array()
        .unwrap()
        .clone();
    items.sort_by_key(|i| i["id"].as_i64().unwrap());
    items
}

/// (issue date, number) of every invoice, in id order.
fn dated_numbers(d: &Path) -> Vec<(String, String)> {
    invoices(d)
        .iter()
        .map(|i| {
            (
                i["issue_date"].as_str().unwrap().to_string(),
                i["number"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn expected_five() -> Vec<(String, String)> {
    [
        "2027-01-31",
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
        "2027-05-31",
    ]
    .iter()
    .enumerate()
    .map(|(i, day)| (day.to_string(), format!("INV-2027-{:05}", i + 1)))
    .collect()
}

fn run_jobs(d: &Path, now: &str) -> Value {
    json(d, &["jobs", "run", "--once", "--now", now])
}

/// The database is intact and the audit chain verifies.
fn intact(d: &Path) {
    let db = rusqlite::Connection::open(d.join("invoicer.db")).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let occurrences: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM schedule_occurrences WHERE invoice_id IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(occurrences as usize, invoices(d).len());
    assert!(cli(d)
        .args(["audit", "verify"])
        .output()
        .unwrap()
        .status
        .success());
}

/// The `.eml` files of the outbox folder.
/// Subjects of the emails in the outbox folder.
fn subjects(d: &Path) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(d.join("outbox")) else {
        return Vec::new();
    };
    dir.filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            text.lines()
                .find_map(|l| l.strip_prefix("Subject: ").map(str::to_string))
        })
        .collect()
}

/// How many invoice emails the outbox folder holds.
fn emails(d: &Path) -> usize {
    subjects(d)
        .iter()
        .filter(|s| s.starts_with("Invoice "))
        .count()
}

/// The reminders in the outbox folder: only the first invoice, really
/// issued on its period's day, is overdue by the time the app reopens;
/// the caught-up ones are issued that day, so the steps that fell due
/// before it are skipped, never sent.
fn assert_one_reminder_for_the_first_invoice(d: &Path) {
    let reminders: Vec<String> = subjects(d)
        .into_iter()
        .filter(|s| !s.starts_with("Invoice "))
        .collect();
    assert_eq!(reminders.len(), 1, "{reminders:?}");
    assert!(reminders[0].contains("INV-2027-00001"), "{reminders:?}");
}

#[test]
fn periods_missed_while_closed_are_each_invoiced_once_dated_to_their_periods_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    monthly_from_jan_31(d);
    run_jobs(d, "2027-01-31");
    assert_eq!(invoices(d).len(), 1);
    // Closed from the 2nd to the 5th period.
    let r = run_jobs(d, "2027-06-02");
    assert_eq!(r["jobs"][0]["job"], "recurring_schedules");
    assert_eq!(r["jobs"][0]["done"], 4, "{r}");
    run_jobs(d, "2027-06-02");
    assert_eq!(dated_numbers(d), expected_five());
    assert_eq!(emails(d), 5, "each emailed once");
    assert_one_reminder_for_the_first_invoice(d);
    intact(d);
}

/// Freezes the catch-up run at `point`, kills it, restarts, and checks that
/// every period was made once with gapless numbers and one email each.
fn killed_in_catch_up_at(point: &str, committed_before_kill: usize) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    monthly_from_jan_31(d);
    run_jobs(d, "2027-01-31");
    sigkill(frozen(
        d,
        &["jobs", "run", "--once", "--now", "2027-06-02"],
        point,
    ));
    assert_eq!(
        invoices(d).len(),
        1 + committed_before_kill,
        "only whole occurrences survive the kill"
    );
    // The next start makes the rest; further starts make nothing.
    run_jobs(d, "2027-06-02");
    run_jobs(d, "2027-06-03");
    assert_eq!(dated_numbers(d), expected_five());
    assert_eq!(emails(d), 5);
    assert_one_reminder_for_the_first_invoice(d);
    intact(d);
}

#[test]
fn a_sigkill_between_two_caught_up_occurrences_leaves_the_rest_to_the_restart() {
    killed_in_catch_up_at("schedule_between_occurrences#2", 2);
}

#[test]
fn a_sigkill_inside_an_occurrence_rolls_it_back_and_the_restart_makes_it_once() {
    killed_in_catch_up_at("schedule_after_create#3", 2);
}

#[test]
fn errors_name_the_line_and_an_untested_schedule_cannot_be_enabled() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init(d, "Acme Billing", "US", Some("CA"), "USD");
    zoe_in_california(d);
    let base = [
        "schedule",
        "add",
        "--customer",
        "1",
        "--every",
        "monthly",
        "--anchor",
        "2027-01-01",
        "--line",
        "Retainer|1|500",
    ];
    let mut args = base.to_vec();
    args.extend(["--line", "Support|2|abc"]);
    let (code, e) = refused(&mut cli(d), &args);
    assert_eq!(code, 1);
    let message = e["message"].as_str().unwrap();
    assert!(
        message.starts_with("--line 2: unit price \"abc\" is not a number"),
        "{message}"
    );
    let s = json(d, &base);
    let id = s["id"].to_string();
    let (_, e) = refused(&mut cli(d), &["schedule", "resume", &id]);
    assert_eq!(e["code"], "invalid_state");
    let preview = json(d, &["schedule", "preview", &id]);
    assert_eq!(preview.as_array().unwrap().len(), 12);
    assert_eq!(preview[1]["invoice_date"], "2027-02-01");
    let text = cli(d).args(["schedule", "list"]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("disabled"), "{text}");
}

/// `schedule test ID --pdf FILE` and `trigger test schedule ID --pdf FILE`
/// are one command: both write the PDF, print the same text (heading, next
/// period, customer, template, outcome, total, where the PDF went) and the
/// same JSON, in which the PDF is given by its size and path, not its bytes.
#[test]
fn a_schedule_test_run_prints_the_same_text_and_json_under_both_commands() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let id = monthly_from_jan_31(d);
    let pdf = d.join("test-run.pdf");
    let pdf_arg = pdf.display().to_string();

    let text = |args: &[&str]| {
        let out = cli(d).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let direct = text(&["schedule", "test", &id, "--pdf", &pdf_arg]);
    let lines: Vec<&str> = direct.lines().collect();
    assert_eq!(
        lines[0], "test run — nothing was written or sent",
        "{direct}"
    );
    assert!(lines[1].starts_with("next period: "), "{direct}");
    assert!(lines[2].starts_with("customer:    Zoë"), "{direct}");
    assert!(lines[3].starts_with("template:    "), "{direct}");
    assert_eq!(
        lines[4], "would be:    queued for sending as INV-2027-00001",
        "{direct}"
    );
    assert!(
        lines[5].starts_with("total:       500.00 USD (tax "),
        "{direct}"
    );
    assert_eq!(lines[6], format!("PDF written to {pdf_arg}"), "{direct}");
    assert_eq!(
        text(&["trigger", "test", "schedule", &id, "--pdf", &pdf_arg]),
        direct
    );

    let size = std::fs::metadata(&pdf).unwrap().len();
    let run = json(d, &["schedule", "test", &id, "--pdf", &pdf_arg]);
    assert!(run.get("pdf_bytes").is_none(), "{run}");
    assert_eq!(run["pdf_size"].as_u64(), Some(size));
    assert_eq!(run["pdf_path"], pdf_arg.as_str());
    assert_eq!(
        json(d, &["trigger", "test", "schedule", &id, "--pdf", &pdf_arg]),
        run
    );
    assert_eq!(json(d, &["schedule", "test", &id])["pdf_path"], Value::Null);
}
