//! Crash safety of bulk send, with the real `invoicer` binary and a real
//! SMTP server on loopback: `bulk send` of a generated file (50 invoices,
//! every fifth faulty, many over the approval threshold) is frozen at a
//! named point (`INVOICER_FREEZE_AT=<point>#N`) — while creating an
//! invoice, while rendering its PDF, between two invoices, while sending —
//! and killed there with SIGKILL (once, and once more while resuming). A
//! restart finishes the job, and then:
//! every valid invoice was made exactly once (no number gap, no customer
//! twice), no row is lost, no email went twice (an email the server may
//! have accepted before the kill is `unknown` and waits for a person, as in
//! `delivery_crash.rs`), the database and audit chain are intact, and
//! sending the file again makes and sends nothing.

mod bulk_files;
mod common;

use bulk_files::{
    a_second_run_makes_and_sends_nothing, company_mailing_to, deliveries, generate, intact,
    invoices, made_exactly_once, received, report, the_job,
};
use common::{frozen, json, sigkill};
use invoicer_test_smtp::{Behaviour, TestSmtp};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Child;

/// Rows of the generated file: 50 invoices of three lines each.
const ROWS: u32 = 150;

/// How the killed job is taken up again.
#[derive(Debug, Clone, Copy)]
enum Restart {
    /// `invoicer bulk resume JOB_ID`, as a person would.
    Resume,
    /// `invoicer jobs run --once`, as the next start of the app does: the
    /// bulk job first, then the outbox.
    NextStart,
}

/// A `bulk send` of `file` frozen at `point`, once it got there.
fn frozen_bulk_send(d: &Path, file: &Path, point: &str) -> Child {
    frozen(d, &["bulk", "send", file.to_str().unwrap()], point)
}

/// What the test saw of the emails once the restarted process was done.
struct Emails {
    /// Deliveries the dead process was handling: `unknown`.
    unknown: usize,
    /// Of those, how many the server had in fact accepted.
    unknown_but_arrived: usize,
}

/// Freezes a `bulk send` at `point`, kills it, takes the job up again as
/// `restart` says, and checks everything the file should have made.
fn killed_at(point: &str, restart: Restart) -> Emails {
    let server = TestSmtp::start(Behaviour::Accept);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    company_mailing_to(d, server.port());
    let g = generate(d, ROWS, 5);
    assert_eq!(g.keys.len(), 50);
    assert_eq!(g.faulty.len(), 10);

    sigkill(frozen_bulk_send(d, &g.path, point));
    let job = the_job(d);
    left_behind(d, job, point);
    match restart {
        Restart::Resume => {
            json(d, &["bulk", "resume", &job.to_string()]);
        }
        Restart::NextStart => {
            json(d, &["jobs", "run", "--once"]);
        }
    }
    // Further passes, as further starts of the app: none sends anything the
    // first did not.
    json(d, &["jobs", "run", "--once"]);
    json(d, &["jobs", "run", "--once"]);

    let issued_emails = made_exactly_once(d, job, &g);
    let emails = no_email_twice(d, &server, &issued_emails);
    // A person settles each email of unknown outcome: one that arrived is
    // marked sent, one that did not is sent again, once.
    settle_unknown(d, &server);
    let got = received(&server);
    assert_eq!(
        got.keys().cloned().collect::<BTreeSet<_>>(),
        issued_emails,
        "every issued invoice's customer got its email"
    );
    assert!(got.values().all(|&n| n == 1), "{got:?}");
    assert!(deliveries(d).iter().all(|q| q["status"] == "sent"));
    intact(d);
    a_second_run_makes_and_sends_nothing(d, &g, &server);
    intact(d);
    emails
}

/// What the killed process left: a job still `running` (an orphan) with
/// invoices to go, and only whole invoices, when killed while making them;
/// a finished job and deliveries in flight when killed while sending.
fn left_behind(d: &Path, job: i64, point: &str) {
    let r = report(d, job);
    let c = &r["job"]["counts"];
    let n = |k: &str| c[k].as_u64().unwrap() as usize;
    if point.starts_with("bulk_") {
        assert_eq!(r["job"]["status"], "running", "{r}");
        assert!(n("pending") > 0, "killed in the middle: {c}");
        assert_eq!(
            invoices(d).len(),
            n("queued_for_sending") + n("awaiting_approval"),
            "no half-made invoice: {c}"
        );
    } else {
        assert_eq!(r["job"]["status"], "finished", "{r}");
        assert!(
            deliveries(d).iter().any(|q| q["status"] == "sending"),
            "killed while sending"
        );
    }
}

/// After the restart, before any person acted: each delivery is `sent`
/// (and arrived once) or `unknown` (and arrived at most once); nothing
/// else is left, and no customer got two emails.
fn no_email_twice(d: &Path, server: &TestSmtp, issued: &BTreeSet<String>) -> Emails {
    let got = received(server);
    assert!(
        got.values().all(|&n| n == 1),
        "an email went twice: {got:?}"
    );
    assert!(got.keys().all(|to| issued.contains(to)), "{got:?}");
    let mut emails = Emails {
        unknown: 0,
        unknown_but_arrived: 0,
    };
    for q in deliveries(d) {
        let to = q["to"][0].as_str().unwrap();
        match q["status"].as_str().unwrap() {
            "sent" => assert_eq!(got.get(to), Some(&1), "{q}"),
            "unknown" => {
                // Never resent by itself, however many passes ran.
                assert_eq!(q["attempts"], 1, "{q}");
                emails.unknown += 1;
                emails.unknown_but_arrived += got.get(to).copied().unwrap_or(0);
            }
            other => panic!("delivery left {other}: {q}"),
        }
    }
    emails
}

/// Marks each `unknown` delivery the server has as sent, queues the others
/// again, and runs the sender.
fn settle_unknown(d: &Path, server: &TestSmtp) {
    let got = received(server);
    for q in deliveries(d).iter().filter(|q| q["status"] == "unknown") {
        let id = q["id"].as_i64().unwrap().to_string();
        if got.contains_key(q["to"][0].as_str().unwrap()) {
            json(d, &["deliveries", "mark-sent", &id]);
        } else {
            json(d, &["deliveries", "retry", &id]);
        }
    }
    json(d, &["jobs", "run", "--once"]);
}

#[test]
fn killed_while_creating_an_invoice_the_resumed_job_makes_it_once() {
    // Inside the ninth invoice's transaction: its customer and draft are
    // written, it is not issued yet; all of it rolls back.
    let emails = killed_at("bulk_after_create#9", Restart::Resume);
    assert_eq!(emails.unknown, 0, "no email was being sent");
}

#[test]
fn killed_while_rendering_a_pdf_the_next_start_issues_it_once_without_a_gap() {
    // Inside the fourth issued invoice's transaction, its number taken,
    // just before its PDF is rendered.
    let emails = killed_at("bulk_rendering#4", Restart::NextStart);
    assert_eq!(emails.unknown, 0);
}

#[test]
fn killed_between_two_invoices_the_resumed_job_continues_after_the_last_commit() {
    let emails = killed_at("bulk_after_commit#17", Restart::Resume);
    assert_eq!(emails.unknown, 0);
}

#[test]
fn killed_after_the_server_accepted_an_email_it_is_never_sent_twice() {
    // The job finished; `bulk send`'s outbox pass is killed after the
    // server accepted the third email, before it was recorded.
    let emails = killed_at("after_smtp_accept#3", Restart::Resume);
    assert!(emails.unknown >= 1, "the email in hand is unknown");
    assert!(
        emails.unknown_but_arrived >= 1,
        "the server has it, so it must not go again by itself"
    );
}

#[test]
fn killed_after_claiming_an_email_the_next_start_leaves_it_to_a_person() {
    let emails = killed_at("after_claim#5", Restart::NextStart);
    assert!(emails.unknown >= 1, "the claimed email is unknown");
}

#[test]
fn killed_again_while_resuming_the_next_start_still_makes_each_invoice_once() {
    let server = TestSmtp::start(Behaviour::Accept);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    company_mailing_to(d, server.port());
    let g = generate(d, ROWS, 5);
    sigkill(frozen_bulk_send(d, &g.path, "bulk_rendering#3"));
    let job = the_job(d);
    left_behind(d, job, "bulk_rendering");
    // The resume dies too, in the middle of the invoices it had left.
    sigkill(frozen(
        d,
        &["bulk", "resume", &job.to_string()],
        "bulk_after_create#6",
    ));
    left_behind(d, job, "bulk_after_create");
    json(d, &["jobs", "run", "--once"]);
    json(d, &["jobs", "run", "--once"]);
    let issued_emails = made_exactly_once(d, job, &g);
    let emails = no_email_twice(d, &server, &issued_emails);
    assert_eq!(emails.unknown, 0);
    let got = received(&server);
    assert_eq!(got.keys().cloned().collect::<BTreeSet<_>>(), issued_emails);
    intact(d);
    a_second_run_makes_and_sends_nothing(d, &g, &server);
}
