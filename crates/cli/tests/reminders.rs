//! The reminder scheduler through the real `invoicer` binary on a real data
//! folder, the day set with `jobs run --once --now DATE`, reminders mailed to
//! a real SMTP server on loopback. A scheduler process is frozen at a named
//! point (`INVOICER_FREEZE_AT`) and killed there with SIGKILL: after a
//! restart every invoice's due step arrives exactly once, none twice, none
//! dropped. Also the CLI's dispute and reminders commands.

mod common;

use common::{ca_sales_tax, cli, frozen, init, json, mail_through, sigkill, zoe_in_california};
use invoicer_test_smtp::{Behaviour, TestSmtp};
use mail_parser::MessageParser;
use std::path::Path;
use std::time::Duration;

/// A company that mails through `port`, with `n` invoices issued on
/// 2026-11-01 at Net 30, so due 2026-12-01 and step 1 falls on 2026-12-08.
fn issued_invoices(d: &Path, port: u16, n: usize) {
    init(d, "Acme", "US", Some("CA"), "USD");
    ca_sales_tax(d);
    zoe_in_california(d);
    mail_through(d, port);
    for i in 1..=n {
        json(
            d,
            &[
                "invoice",
                "create",
                "--customer",
                "1",
                "--issue-date",
                "2026-11-01",
                "--terms-days",
                "30",
                "--line",
                "Consulting|3|150.00",
            ],
        );
        json(d, &["invoice", "issue", &i.to_string()]);
    }
}

fn jobs_on(d: &Path, day: &str) -> serde_json::Value {
    json(d, &["jobs", "run", "--once", "--now", day])
}

/// The subjects of the mails the server received, sorted.
fn subjects(server: &TestSmtp) -> Vec<String> {
    let mut s: Vec<String> = server
        .messages()
        .iter()
        .map(|m| {
            MessageParser::default()
                .parse(m)
                .unwrap()
                .subject()
                .unwrap()
                .to_string()
        })
        .collect();
    s.sort();
    s
}

fn reminder_rows(d: &Path) -> Vec<(i64, u64, String)> {
    let mut rows: Vec<(i64, u64, String)> = json(d, &["reminders", "list"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["state"] != "scheduled")
        .map(|r| {
            (
                r["invoice_id"].as_i64().unwrap(),
                r["step"].as_u64().unwrap(),
                r["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn intact(d: &Path) {
    let db = rusqlite::Connection::open(d.join("invoicer.db")).unwrap();
    let check: String = db
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

fn expected_first_reminders() -> Vec<String> {
    let mut s: Vec<String> = (1..=3)
        .map(|i| format!("Friendly reminder: invoice INV-2026-0000{i} is overdue"))
        .collect();
    s.sort();
    s
}

#[test]
fn killed_between_recording_a_step_and_committing_it_the_restart_sends_each_step_once() {
    let server = TestSmtp::start(Behaviour::Accept);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    issued_invoices(d, server.port(), 3);
    // Frozen inside the second invoice's transaction, after its step, its
    // delivery and its audit event were written but before the commit.
    sigkill(frozen(
        d,
        &["jobs", "run", "--once", "--now", "2026-12-08"],
        "reminder_recorded#2",
    ));
    // The first invoice's step was committed; the second's rolled back.
    assert_eq!(reminder_rows(d), [(1, 1, "sent".to_string())]);
    assert!(server.messages().is_empty(), "the sender never ran");
    intact(d);
    jobs_on(d, "2026-12-08");
    server.wait_for_messages(3, Duration::from_secs(30));
    assert_eq!(subjects(&server), expected_first_reminders());
    jobs_on(d, "2026-12-08");
    jobs_on(d, "2026-12-09");
    assert_eq!(server.messages().len(), 3, "no step sent twice");
    assert_eq!(
        reminder_rows(d),
        [
            (1, 1, "sent".to_string()),
            (2, 1, "sent".to_string()),
            (3, 1, "sent".to_string())
        ]
    );
    intact(d);
}

#[test]
fn killed_after_committing_one_invoice_before_the_next_the_restart_drops_none() {
    let server = TestSmtp::start(Behaviour::Accept);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    issued_invoices(d, server.port(), 3);
    sigkill(frozen(
        d,
        &["jobs", "run", "--once", "--now", "2026-12-08"],
        "reminder_committed#1",
    ));
    assert_eq!(reminder_rows(d), [(1, 1, "sent".to_string())]);
    intact(d);
    // The restart comes a day later: the steps still due are sent, the one
    // already decided is not repeated.
    jobs_on(d, "2026-12-09");
    server.wait_for_messages(3, Duration::from_secs(30));
    jobs_on(d, "2026-12-09");
    assert_eq!(subjects(&server), expected_first_reminders());
    let deliveries = json(d, &["deliveries", "list"]);
    assert_eq!(
        deliveries["rows"].as_array().unwrap().len(),
        3,
        "{deliveries}"
    );
    intact(d);
}

#[test]
fn disputes_and_reminders_through_the_cli() {
    let server = TestSmtp::start(Behaviour::Accept);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    issued_invoices(d, server.port(), 1);
    jobs_on(d, "2026-12-08");
    let disputed = json(
        d,
        &[
            "invoice",
            "dispute",
            "1",
            "--reason",
            "hours billed twice",
            "--days",
            "45",
        ],
    );
    assert_eq!(disputed["state"], "open");
    assert_eq!(disputed["window_days"], 45);
    let due = json(d, &["reminders", "list", "--due"]);
    assert!(due.as_array().unwrap().is_empty(), "{due}");
    let out = cli(d)
        .args(["invoice", "resolve-dispute", "1", "--outcome", "upheld"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("credit note"), "{text}");
    jobs_on(d, "2027-01-30");
    server.wait_for_messages(1, Duration::from_secs(30));
    assert_eq!(
        server.messages().len(),
        1,
        "only the reminder before the dispute"
    );
    let listed = cli(d).args(["reminders", "list"]).output().unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.contains("INV-2026-00001 (Zoë Müller) step 1 friendly sent on 2026-12-08"),
        "{listed}"
    );
    let off = json(d, &["customer", "reminders", "1", "off"]);
    assert_eq!(off["reminders_opt_out"], true);
}

#[test]
fn the_reminder_policy_is_set_with_settings_set_and_refused_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    init(d, "Acme", "US", Some("CA"), "USD");
    let policy = r#"[{"offset_days":-3,"tone":"friendly"},{"offset_days":21,"tone":"final","late_fee":{"kind":"percent","value":"1.5"}}]"#;
    json(d, &["settings", "set", "reminder_policy", policy]);
    let shown = json(d, &["settings", "show"]);
    assert_eq!(shown["reminder_policy"][0]["offset_days"], -3);
    assert_eq!(shown["reminder_policy"][1]["late_fee"]["value"], "1.5");
    let (code, err) = common::refused(
        &mut cli(d),
        &[
            "settings",
            "set",
            "reminder_policy",
            r#"[{"offset_days":7,"tone":"firm"},{"offset_days":7,"tone":"final"}]"#,
        ],
    );
    assert_ne!(code, 0);
    assert_eq!(
        err["details"][0]["field"], "reminder_policy[1].offset_days",
        "{err}"
    );
}
