//! Payment reminders end to end through the app's API on a real SQLite file,
//! the clock moved by hand (never slept), and the reminder emails delivered
//! to a real SMTP server on loopback (aiosmtpd) or the outbox folder.
//!
//! The fixture issues invoices on 2026-11-21 with Net 30, so D = 2026-12-21
//! and the default steps fall on D+7, D+14 and D+30.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use invoicer_app::api::*;
use invoicer_domain::Decimal;
use invoicer_test_smtp::{Behaviour, TestSmtp};
use invoicer_tests::Fixture;
use mail_parser::MessageParser;
use std::str::FromStr;

fn due_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 21).unwrap()
}

/// Moves the clock to D+`days` at 09:00 UTC and runs every job once, as
/// `invoicer jobs run --once` does; returns the reminders this run queued
/// and the steps skipped so far.
fn run_on(f: &Fixture, days: i64) -> (usize, usize) {
    let count = |state: &str| {
        f.app
            .reminders(&f.admin, false)
            .unwrap()
            .iter()
            .filter(|r| r.state == state)
            .count()
    };
    let sent_before = count("sent");
    let day = due_date() + Duration::days(days);
    f.clock
        .set(Utc.from_utc_datetime(&day.and_hms_opt(9, 0, 0).unwrap()));
    let report = f.app.run_jobs_once().unwrap();
    assert!(report.all_passes_ran(), "{report:?}");
    assert!(
        report.jobs.iter().any(|j| j.job == "reminder_scheduler"),
        "the scheduler is a registered job"
    );
    (count("sent") - sent_before, count("skipped"))
}

/// An issued invoice (not emailed), its id.
fn issued(f: &Fixture) -> i64 {
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, draft.id).unwrap();
    draft.id
}

fn pay(f: &Fixture, id: i64, amount: Decimal, days: i64) {
    f.app
        .record_payment(
            &f.admin,
            &PaymentInput {
                invoice_id: id,
                amount: amount.to_string(),
                date: due_date() + Duration::days(days),
                method: Some("bank_transfer".into()),
                reference: None,
            },
        )
        .unwrap();
}

fn balance(f: &Fixture, id: i64) -> Decimal {
    Decimal::from_str(&f.app.invoice(&f.admin, id).unwrap().balance).unwrap()
}

/// (step, state) of the invoice's decided reminders, in step order.
fn steps(f: &Fixture, id: i64) -> Vec<(u32, String)> {
    f.app
        .invoice_reminders(&f.admin, id)
        .unwrap()
        .into_iter()
        .filter(|r| r.state != "scheduled")
        .map(|r| (r.step, r.state))
        .collect()
}

fn audit_actions(f: &Fixture, id: i64) -> Vec<String> {
    f.app
        .invoice_screen(&f.admin, id)
        .unwrap()
        .activity
        .iter()
        .map(|a| a.action.clone())
        .collect()
}

/// The plain-text bodies of the `.eml` files in the outbox folder.
fn outbox_bodies(f: &Fixture) -> Vec<(String, String)> {
    f.outbox_files()
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap();
            let msg = MessageParser::default().parse(&bytes).unwrap();
            (
                msg.subject().unwrap_or_default().to_string(),
                msg.body_text(0).unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn reminders_follow_the_schedule_show_the_new_balance_and_stop_when_paid() {
    let server = TestSmtp::start(Behaviour::Accept);
    let f = Fixture::new();
    f.set_up_email();
    f.use_smtp(server.port());
    let id = issued(&f);
    let number = f.app.invoice(&f.admin, id).unwrap().number.unwrap();

    assert_eq!(run_on(&f, 6).0, 0);
    assert!(server.messages().is_empty());

    assert_eq!(run_on(&f, 7).0, 1);
    let first = server.wait_for_messages(1, std::time::Duration::from_secs(30));
    let msg = MessageParser::default().parse(&first[0]).unwrap();
    assert_eq!(
        msg.subject().unwrap(),
        format!("Friendly reminder: invoice {number} is overdue")
    );
    assert!(msg.body_text(0).unwrap().contains("7 days ago"));
    assert!(
        msg.attachments().next().is_some(),
        "the invoice PDF is attached"
    );
    // Again the same day: nothing more.
    assert_eq!(run_on(&f, 7).0, 0);
    f.clock.advance(Duration::hours(6));
    f.app.run_jobs_once().unwrap();
    assert_eq!(server.messages().len(), 1);

    // Half paid: partially paid, and the next reminder asks for the rest.
    let half = (balance(&f, id) / Decimal::TWO).round_dp(2);
    pay(&f, id, half, 9);
    assert_eq!(
        f.app.invoice(&f.admin, id).unwrap().status,
        InvoiceStatus::PartiallyPaid
    );
    let left = balance(&f, id);
    assert_eq!(run_on(&f, 13).0, 0);
    assert_eq!(run_on(&f, 14).0, 1);
    let both = server.wait_for_messages(2, std::time::Duration::from_secs(30));
    let second = MessageParser::default().parse(&both[1]).unwrap();
    assert!(second.subject().unwrap().starts_with("Second reminder"));
    let text = second.body_text(0).unwrap();
    assert!(
        text.contains(&format!("${left}")),
        "the reminder asks for the new balance {left}: {text}"
    );

    // Paid in full: no step 3, ever.
    pay(&f, id, left, 15);
    assert_eq!(run_on(&f, 30).0, 0);
    assert_eq!(run_on(&f, 60).0, 0);
    assert_eq!(server.messages().len(), 2);
    assert_eq!(steps(&f, id), [(1, "sent".into()), (2, "sent".into())]);
    let actions = audit_actions(&f, id);
    assert_eq!(
        actions.iter().filter(|a| *a == "reminder.queued").count(),
        2,
        "{actions:?}"
    );
}

#[test]
fn after_downtime_only_the_latest_due_step_is_sent_and_earlier_ones_are_skipped() {
    let f = Fixture::new();
    f.set_up_email();
    let id = issued(&f);
    assert_eq!(run_on(&f, 8), (1, 0));
    // The machine was off from D+8 to D+35.
    assert_eq!(run_on(&f, 35), (1, 1));
    assert_eq!(
        steps(&f, id),
        [
            (1, "sent".into()),
            (2, "skipped".into()),
            (3, "sent".into())
        ]
    );
    let mails = outbox_bodies(&f);
    assert_eq!(mails.len(), 2, "{mails:?}");
    assert!(mails[1].0.starts_with("Final notice"), "{mails:?}");
    let actions = audit_actions(&f, id);
    assert!(
        actions.contains(&"reminder.skipped".to_string()),
        "{actions:?}"
    );
    assert_eq!(run_on(&f, 36), (0, 1));
    assert_eq!(outbox_bodies(&f).len(), 2);
}

#[test]
fn a_dispute_pauses_reminders_and_a_rejected_one_resumes_with_the_next_step_once() {
    let server = TestSmtp::start(Behaviour::Accept);
    let f = Fixture::new();
    f.set_up_email();
    f.use_smtp(server.port());
    let id = issued(&f);
    assert_eq!(run_on(&f, 7).0, 1);
    run_on(&f, 10);
    let d = f
        .app
        .dispute_invoice(&f.admin, id, "hours billed twice", None)
        .unwrap();
    assert_eq!(
        (d.state.as_str(), d.window_days, d.days_left),
        ("open", 30, 30)
    );
    assert!(f.app.invoice(&f.admin, id).unwrap().disputed);
    assert_eq!(run_on(&f, 14).0, 0);
    let shown = f.app.invoice_dispute(&f.admin, id).unwrap().unwrap();
    assert_eq!(shown.days_left, 26);
    // A second dispute while one is open is refused.
    let again = f
        .app
        .dispute_invoice(&f.admin, id, "again", None)
        .unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict);

    run_on(&f, 20);
    let r = f
        .app
        .resolve_dispute(&f.admin, id, DisputeOutcome::Rejected)
        .unwrap();
    assert_eq!(r.state, "rejected");
    assert_eq!(run_on(&f, 20).0, 1);
    assert_eq!(run_on(&f, 21).0, 0);
    let mails = server.wait_for_messages(2, std::time::Duration::from_secs(30));
    assert_eq!(mails.len(), 2);
    let second = MessageParser::default().parse(&mails[1]).unwrap();
    assert!(second.subject().unwrap().starts_with("Second reminder"));
    assert_eq!(steps(&f, id), [(1, "sent".into()), (2, "sent".into())]);
    let actions = audit_actions(&f, id);
    for a in ["invoice.disputed", "invoice.dispute_resolved"] {
        assert!(actions.contains(&a.to_string()), "{a}: {actions:?}");
    }
}

#[test]
fn an_upheld_dispute_stops_reminders_and_says_a_credit_note_is_owed() {
    let f = Fixture::new();
    f.set_up_email();
    let id = issued(&f);
    run_on(&f, 3);
    f.app
        .dispute_invoice(&f.admin, id, "never delivered", Some(45))
        .unwrap();
    let r = f
        .app
        .resolve_dispute(&f.admin, id, DisputeOutcome::Upheld)
        .unwrap();
    assert_eq!(r.state, "upheld");
    assert!(r.next.contains("credit note"), "{}", r.next);
    assert_eq!(run_on(&f, 7).0, 0);
    assert_eq!(run_on(&f, 40).0, 0);
    assert!(f.outbox_files().is_empty());
}

#[test]
fn a_dispute_left_open_past_its_window_is_listed_and_keeps_reminders_paused() {
    let f = Fixture::new();
    f.set_up_email();
    let id = issued(&f);
    run_on(&f, 1);
    let bad = f
        .app
        .dispute_invoice(&f.admin, id, "x", Some(29))
        .unwrap_err();
    assert_eq!(bad.details.as_ref().unwrap()[0].field, "days");
    f.app
        .dispute_invoice(&f.admin, id, "wrong rate", None)
        .unwrap();
    run_on(&f, 31);
    assert!(f.app.disputes_past_window(&f.admin).unwrap().is_empty());
    assert_eq!(run_on(&f, 32).0, 0);
    let late = f.app.disputes_past_window(&f.admin).unwrap();
    assert_eq!(late.len(), 1);
    assert_eq!((late[0].invoice_id, late[0].days_left), (id, -1));
    assert!(
        f.app.invoice(&f.admin, id).unwrap().disputed,
        "still shown disputed"
    );
    assert!(f.outbox_files().is_empty());
}

#[test]
fn a_customer_who_opted_out_gets_no_reminders() {
    let f = Fixture::new();
    f.set_up_email();
    let id = issued(&f);
    f.app
        .set_customer_reminders(&f.admin, f.customer.id, true)
        .unwrap();
    assert_eq!(run_on(&f, 7).0, 0);
    assert_eq!(run_on(&f, 40).0, 0);
    assert!(f.outbox_files().is_empty());
    assert!(steps(&f, id).is_empty());
    // Opting back in resumes with the latest due step only.
    f.app
        .set_customer_reminders(&f.admin, f.customer.id, false)
        .unwrap();
    assert_eq!(run_on(&f, 41), (1, 2));
    assert_eq!(outbox_bodies(&f).len(), 1);
}

#[test]
fn a_late_fee_is_noted_in_its_reminder_and_charged_once() {
    let f = Fixture::new();
    f.set_up_email();
    f.app
        .set_setting(
            &f.admin,
            "reminder_policy",
            r#"[{"offset_days":-3,"tone":"friendly"},
                {"offset_days":10,"tone":"final","late_fee":{"kind":"flat","value":"25.00"}}]"#,
        )
        .unwrap();
    let id = issued(&f);
    let owed = balance(&f, id);
    assert_eq!(run_on(&f, -4).0, 0);
    assert_eq!(run_on(&f, -3).0, 1, "a step before the due date");
    assert_eq!(run_on(&f, 10).0, 1);
    for day in [10, 11, 30, 90] {
        assert_eq!(run_on(&f, day).0, 0);
    }
    let mails = outbox_bodies(&f);
    assert_eq!(mails.len(), 2);
    assert!(!mails[0].1.contains("Late fee"), "{}", mails[0].1);
    let text = &mails[1].1;
    assert!(text.contains("Late fee: 25.00 USD"), "{text}");
    assert!(
        text.contains(&format!(
            "Total now due: {} USD",
            owed + Decimal::new(2500, 2)
        )),
        "{text}"
    );
    let fees: Vec<Option<String>> = f
        .app
        .reminders(&f.admin, false)
        .unwrap()
        .into_iter()
        .map(|r| r.late_fee)
        .collect();
    assert_eq!(fees, [Some("25.00".to_string()), None]);
}

#[test]
fn the_reminder_policy_is_validated_when_set() {
    let f = Fixture::new();
    let err = f
        .app
        .set_setting(
            &f.admin,
            "reminder_policy",
            r#"[{"offset_days":14,"tone":"firm"},{"offset_days":7,"tone":"final"}]"#,
        )
        .unwrap_err();
    assert_eq!(
        err.details.as_ref().unwrap()[0].field,
        "reminder_policy[1].offset_days"
    );
    let err = f
        .app
        .set_setting(
            &f.admin,
            "reminder_policy",
            r#"[{"offset_days":7,"tone":"angry"}]"#,
        )
        .unwrap_err();
    assert_eq!(err.details.as_ref().unwrap()[0].field, "reminder_policy");
}

#[test]
fn reminders_list_due_shows_what_the_next_run_would_queue() {
    let f = Fixture::new();
    f.set_up_email();
    let id = issued(&f);
    run_on(&f, 6);
    assert!(f.app.reminders(&f.admin, true).unwrap().is_empty());
    // The full list shows the step ahead with its date.
    let all = f.app.reminders(&f.admin, false).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(
        (all[0].state.as_str(), all[0].step, all[0].due_on),
        ("scheduled", 1, due_date() + Duration::days(7))
    );
    let scheduled = f.app.invoice_reminders(&f.admin, id).unwrap();
    assert_eq!(scheduled.len(), 1);
    assert_eq!(
        (
            scheduled[0].step,
            scheduled[0].state.as_str(),
            scheduled[0].due_on
        ),
        (1, "scheduled", due_date() + Duration::days(7))
    );
    f.clock.advance(Duration::days(1));
    let due = f.app.reminders(&f.admin, true).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!((due[0].invoice_id, due[0].step), (id, 1));
}

#[test]
fn the_reminder_policy_is_read_and_saved_as_typed_ipc() {
    let f = Fixture::new();
    let default = f.app.reminder_policy(&f.admin).unwrap();
    let offsets: Vec<i32> = default.steps.iter().map(|s| s.offset_days).collect();
    assert_eq!(offsets, [7, 14, 30]);
    let policy = ReminderPolicyView {
        steps: vec![
            ReminderStepView {
                offset_days: -3,
                tone: "friendly".into(),
                late_fee: None,
            },
            ReminderStepView {
                offset_days: 21,
                tone: "final".into(),
                late_fee: Some(LateFeeView {
                    kind: "percent".into(),
                    value: "1.5".into(),
                }),
            },
        ],
    };
    assert_eq!(
        f.app.set_reminder_policy(&f.admin, &policy).unwrap(),
        policy
    );
    assert_eq!(f.app.reminder_policy(&f.admin).unwrap(), policy);
    let mut bad = policy.clone();
    bad.steps[1].offset_days = -3;
    let err = f.app.set_reminder_policy(&f.admin, &bad).unwrap_err();
    assert_eq!(
        err.details.as_ref().unwrap()[0].field,
        "reminder_policy[1].offset_days"
    );
    // A specialist may read the policy but not change it.
    let specialist = f.user("sam@acme.test", Role::Specialist);
    assert_eq!(f.app.reminder_policy(&specialist).unwrap(), policy);
    let refused = f.app.set_reminder_policy(&specialist, &policy).unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
}

#[test]
fn a_reminder_queued_before_the_invoice_was_paid_is_not_sent() {
    let f = Fixture::new();
    f.set_up_email();
    // The mail server is down when step 1 is queued, so it waits in the outbox.
    f.use_smtp(invoicer_test_smtp::closed_port());
    let id = issued(&f);
    assert_eq!(run_on(&f, 7).0, 1);
    let d = &f.app.invoice_screen(&f.admin, id).unwrap().deliveries[0];
    assert_eq!(d.status, DeliveryStatus::Retrying);
    // Paid in full while the reminder waits; the server is back.
    pay(&f, id, balance(&f, id), 7);
    let server = TestSmtp::start(Behaviour::Accept);
    f.use_smtp(server.port());
    f.clock.advance(Duration::hours(3));
    f.app.run_jobs_once().unwrap();
    assert!(server.messages().is_empty(), "a paid invoice was reminded");
    let d = &f.app.invoice_screen(&f.admin, id).unwrap().deliveries[0];
    assert_eq!(d.status, DeliveryStatus::Failed);
    let reply = d.last_reply.as_ref().unwrap();
    assert!(
        reply.text.contains("no longer needs reminding"),
        "{}",
        reply.text
    );
}

#[test]
fn the_reminders_panel_offers_only_what_the_backend_allows_and_send_now_sends_once() {
    let f = Fixture::new();
    f.set_up_email();
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let panel = f.app.reminders_panel(&f.admin, draft.id).unwrap();
    assert!(!panel.can_mark_disputed && !panel.can_send_now, "a draft");
    let id = issued(&f);
    run_on(&f, 2);
    let panel = f.app.reminders_panel(&f.admin, id).unwrap();
    assert!(panel.can_mark_disputed && panel.can_send_now && !panel.can_resolve_dispute);
    assert_eq!(panel.reminders.len(), 1);
    assert_eq!(panel.reminders[0].state, "scheduled");

    // "Send reminder now" ahead of the step's day sends step 1 once.
    let after = f.app.send_reminder_now(&f.admin, id).unwrap();
    assert_eq!(after.reminders[0].state, "sent");
    assert_eq!(
        (after.reminders[1].step, after.reminders[1].state.as_str()),
        (2, "scheduled")
    );
    f.app.run_jobs_once().unwrap();
    assert_eq!(outbox_bodies(&f).len(), 1);
    // The scheduler does not send step 1 again on its day.
    assert_eq!(run_on(&f, 7).0, 0);

    f.app
        .dispute_invoice(&f.admin, id, "wrong rate", None)
        .unwrap();
    let panel = f.app.reminders_panel(&f.admin, id).unwrap();
    assert!(panel.can_resolve_dispute && !panel.can_mark_disputed && !panel.can_send_now);
    assert_eq!(panel.dispute.as_ref().unwrap().state, "open");
    assert!(panel.hold.as_ref().unwrap().contains("disputed"));
    let refused = f.app.send_reminder_now(&f.admin, id).unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidState);
    assert_eq!(outbox_bodies(&f).len(), 1);
}

#[test]
fn the_desktop_is_told_when_reminders_were_sent_and_not_when_none_were() {
    let f = Fixture::new();
    f.set_up_email();
    issued(&f);
    let (sink, events) = invoicer_app::ChannelSink::new();
    f.app.subscribe(sink);
    let reminders_told = |events: &std::sync::mpsc::Receiver<AppEvent>| {
        events
            .try_iter()
            .filter_map(|e| match e {
                AppEvent::Notification(n) if n.topic == "reminders" => Some(n.body),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    run_on(&f, 6);
    assert!(reminders_told(&events).is_empty());
    run_on(&f, 7);
    assert_eq!(
        reminders_told(&events),
        ["1 payment reminder was queued for overdue invoices."]
    );
    run_on(&f, 7);
    assert!(reminders_told(&events).is_empty());
}

#[test]
fn a_back_dated_invoice_is_not_reminded_of_steps_that_fell_due_before_it_was_issued() {
    let f = Fixture::new();
    f.set_up_email();
    // Issued on 2026-11-21 but dated 2026-09-01: due 2026-10-01, so every
    // default step (10-08, 10-15, 10-31) fell due before it was issued.
    let mut draft = f.draft();
    draft.issue_date = Some(NaiveDate::from_ymd_opt(2026, 9, 1).unwrap());
    let id = f.app.create_invoice(&f.admin, &draft).unwrap().id;
    f.app.issue_invoice(&f.admin, id).unwrap();
    f.app.run_jobs_once().unwrap();
    f.clock.advance(Duration::days(3));
    f.app.run_jobs_once().unwrap();
    assert!(f.outbox_files().is_empty(), "reminded in the same breath");
    assert_eq!(
        steps(&f, id),
        [
            (1, "skipped".into()),
            (2, "skipped".into()),
            (3, "skipped".into())
        ]
    );
}
