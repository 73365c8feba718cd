//! Crash safety of the outbox, with the real `invoicer` binary and a real
//! SMTP server: a `jobs run --once` process is frozen at a named point
//! (`INVOICER_FREEZE_AT`) and killed there with SIGKILL. After a restart no
//! email arrives twice and none is lost without a person being asked: the
//! delivery the dead process was handling is `unknown`, never resent by
//! itself, and the database and audit chain are intact.

mod common;

use common::{ca_sales_tax, cli, frozen, init, json, mail_through, sigkill, zoe_in_california};
use invoicer_test_smtp::{Behaviour, TestSmtp};
use std::path::Path;
use std::process::Child;
use std::time::Duration;

/// A company that mails through `port`, with invoice 1 issued and queued.
fn one_invoice_queued(d: &Path, port: u16) {
    init(d, "Acme", "US", Some("CA"), "USD");
    ca_sales_tax(d);
    zoe_in_california(d);
    mail_through(d, port);
    json(
        d,
        &[
            "invoice",
            "create",
            "--customer",
            "1",
            "--line",
            "Consulting|3|150.00",
        ],
    );
    let queued = json(d, &["invoice", "issue", "1", "--send"]);
    assert_eq!(queued["status"], "queued");
}

/// A `jobs run --once` process frozen at `point`, once it got there.
fn frozen_sender(d: &Path, point: &str) -> Child {
    frozen(d, &["jobs", "run", "--once"], point)
}

fn the_delivery(d: &Path) -> serde_json::Value {
    let list = json(d, &["deliveries", "list"]);
    assert_eq!(list["rows"].as_array().unwrap().len(), 1, "{list}");
    list["rows"][0].clone()
}

fn intact(d: &Path) {
    let db = rusqlite::Connection::open(d.join("invoicer.db")).unwrap();
    let check: String = db
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let verified = cli(d).args(["audit", "verify"]).output().unwrap();
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
}

#[test]
fn killed_between_the_servers_acceptance_and_the_status_update_it_never_sends_twice() {
    let server = TestSmtp::start(Behaviour::Accept);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    one_invoice_queued(d, server.port());
    sigkill(frozen_sender(d, "after_smtp_accept"));
    assert_eq!(
        server.wait_for_messages(1, Duration::from_secs(30)).len(),
        1
    );
    // The dead process left the delivery `sending`; the next sender to start
    // makes it `unknown` and does not send it again, however often it runs.
    for _ in 0..3 {
        json(d, &["jobs", "run", "--once"]);
    }
    let delivery = the_delivery(d);
    assert_eq!(delivery["status"], "unknown", "{delivery}");
    assert_eq!(delivery["attempts"], 1);
    assert_eq!(server.messages().len(), 1, "no second copy");
    intact(d);
    // A person who saw it arrive marks it sent.
    let marked = json(d, &["deliveries", "mark-sent", "1"]);
    assert_eq!(marked["status"], "sent");
    let events = json(d, &["audit", "invoice", "1"]);
    let actions: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"delivery.interrupted"), "{actions:?}");
    assert!(actions.contains(&"delivery.marked_sent"), "{actions:?}");
}

#[test]
fn killed_after_claiming_before_the_server_it_is_unknown_and_a_resend_sends_it_once() {
    let server = TestSmtp::start(Behaviour::Accept);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    one_invoice_queued(d, server.port());
    sigkill(frozen_sender(d, "after_claim"));
    json(d, &["jobs", "run", "--once"]);
    let delivery = the_delivery(d);
    // Marked `sending` before the SMTP transaction, so after the crash the
    // outbox cannot know the server saw nothing: a person decides.
    assert_eq!(delivery["status"], "unknown", "{delivery}");
    assert!(server.messages().is_empty());
    intact(d);
    let retried = json(d, &["deliveries", "retry", "1"]);
    assert_eq!(retried["status"], "queued");
    json(d, &["jobs", "run", "--once"]);
    assert_eq!(the_delivery(d)["status"], "sent");
    assert_eq!(
        server.wait_for_messages(1, Duration::from_secs(30)).len(),
        1
    );
    json(d, &["jobs", "run", "--once"]);
    assert_eq!(server.messages().len(), 1);
}

#[test]
fn a_second_sender_beside_a_running_one_sends_nothing_and_recovers_nothing() {
    let server = TestSmtp::start(Behaviour::Accept);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    one_invoice_queued(d, server.port());
    // The first sender is alive, frozen mid-send while holding the lock.
    let first = frozen_sender(d, "after_claim");
    json(d, &["jobs", "run", "--once"]);
    assert_eq!(
        the_delivery(d)["status"],
        "sending",
        "a live sender's delivery is not taken for an interrupted one"
    );
    sigkill(first);
    json(d, &["jobs", "run", "--once"]);
    assert_eq!(the_delivery(d)["status"], "unknown");
    assert!(server.messages().is_empty());
}
