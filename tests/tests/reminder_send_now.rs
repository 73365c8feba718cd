//! "Send reminder now" on an invoice whose steps were missed: what it sends,
//! what the Reminders panel offers and what the scheduler does for the same
//! invoice, through the app on a real SQLite file with the clock moved by
//! hand.
//!
//! The fixture's clock starts on 2026-11-21; invoices are Net 30 and the
//! company keeps the default 7/14/30-day policy.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use invoicer_app::api::*;
use invoicer_domain::Decimal;
use invoicer_tests::Fixture;
use std::str::FromStr;

/// Moves the clock to `day` at 09:00 UTC.
fn set_day(f: &Fixture, day: NaiveDate) {
    f.clock
        .set(Utc.from_utc_datetime(&day.and_hms_opt(9, 0, 0).unwrap()));
}

/// Pays a third of the invoice's balance on `day`, leaving it partly paid.
fn pay_a_third(f: &Fixture, id: i64, day: NaiveDate) {
    let balance = Decimal::from_str(&f.app.invoice(&f.admin, id).unwrap().balance).unwrap();
    f.app
        .record_payment(
            &f.admin,
            &PaymentInput {
                invoice_id: id,
                amount: (balance / Decimal::from(3)).round_dp(2).to_string(),
                date: day,
                method: Some("bank_transfer".into()),
                reference: None,
            },
        )
        .unwrap();
    assert_eq!(
        f.app.invoice(&f.admin, id).unwrap().status,
        InvoiceStatus::PartiallyPaid
    );
}

/// (step, state) of every row of the invoice's Reminders section.
fn rows(panel: &RemindersPanel) -> Vec<(u32, String)> {
    panel
        .reminders
        .iter()
        .map(|r| (r.step, r.state.clone()))
        .collect()
}

#[test]
fn send_now_on_a_partly_paid_invoice_68_days_overdue_sends_the_final_step() {
    let f = Fixture::new();
    f.set_up_email();
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, draft.id).unwrap();
    let id = draft.id;
    let due = NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
    pay_a_third(&f, id, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    // The app was closed from issue until 68 days past due: no step recorded.
    set_day(&f, due + Duration::days(68));
    let panel = f.app.reminders_panel(&f.admin, id).unwrap();
    assert!(panel.can_send_now, "{panel:?}");
    let after = f.app.send_reminder_now(&f.admin, id).unwrap();
    assert_eq!(
        rows(&after),
        [
            (1, "skipped".into()),
            (2, "skipped".into()),
            (3, "sent".into())
        ]
    );
    // The scheduler then sends the final notice once and nothing more.
    f.app.run_jobs_once().unwrap();
    f.app.run_jobs_once().unwrap();
    let mails = f.outbox_files();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = std::fs::read_to_string(&mails[0]).unwrap();
    assert!(mail.contains("Subject: Final notice"), "{mail}");
}

/// The reports fixture's N3: dated 2026-08-15 (due 2026-09-14) but entered
/// and issued only today, 2026-11-21, with 300.00 of it paid on 2026-09-30,
/// so it is partly paid and 68 days overdue. Every step (09-21, 09-28,
/// 10-14) fell due before the day it was issued.
fn back_dated_and_partly_paid(f: &Fixture) -> i64 {
    let mut draft = f.draft();
    draft.issue_date = Some(NaiveDate::from_ymd_opt(2026, 8, 15).unwrap());
    let id = f.app.create_invoice(&f.admin, &draft).unwrap().id;
    f.app.issue_invoice(&f.admin, id).unwrap();
    pay_a_third(f, id, NaiveDate::from_ymd_opt(2026, 9, 30).unwrap());
    assert_eq!(
        f.app.invoice(&f.admin, id).unwrap().due_date,
        NaiveDate::from_ymd_opt(2026, 9, 14).unwrap()
    );
    id
}

#[test]
fn send_now_on_a_back_dated_invoice_says_which_steps_fell_due_before_it_was_issued() {
    let f = Fixture::new();
    f.set_up_email();
    let id = back_dated_and_partly_paid(&f);
    let why = "steps 1 (due 2026-09-21), 2 (due 2026-09-28) and 3 (due 2026-10-14) \
               fell due on or before 2026-11-21, the day the invoice was issued";

    // Before the scheduler has looked at it, nothing is recorded: the panel
    // offers no "Send reminder now" and says why instead of showing nothing.
    let panel = f.app.reminders_panel(&f.admin, id).unwrap();
    assert!(
        !panel.can_send_now && panel.reminders.is_empty(),
        "{panel:?}"
    );
    let hold = panel.hold.expect("the panel says why nothing can be sent");
    assert!(hold.contains(why), "{hold}");
    assert!(hold.contains("none of them is recorded yet"), "{hold}");

    // The refusal says the same, and never that a step was sent or skipped.
    let refused = f.app.send_reminder_now(&f.admin, id).unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidState);
    assert!(refused.message.contains(why), "{}", refused.message);
    assert!(
        !refused.message.contains("sent or skipped"),
        "{}",
        refused.message
    );
    // It crosses IPC as {code, message, details}.
    let wire = serde_json::to_value(&refused).unwrap();
    assert_eq!(wire["code"], "invalid_state");
    assert_eq!(wire["message"], refused.message.as_str());
    assert!(wire.as_object().unwrap().contains_key("details"), "{wire}");
    // The refusal wrote nothing.
    let panel = f.app.reminders_panel(&f.admin, id).unwrap();
    assert!(panel.reminders.is_empty(), "{panel:?}");
    assert!(f.outbox_files().is_empty());

    // The scheduler records the three as skipped (documented: a back-dated
    // invoice is not reminded of steps that fell due before its issue day),
    // sends none, and the refusal then names each recorded step's state.
    f.app.run_jobs_once().unwrap();
    let panel = f.app.reminders_panel(&f.admin, id).unwrap();
    assert_eq!(
        rows(&panel),
        [
            (1, "skipped".into()),
            (2, "skipped".into()),
            (3, "skipped".into())
        ]
    );
    assert!(f.outbox_files().is_empty());
    let refused = f.app.send_reminder_now(&f.admin, id).unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidState);
    assert!(
        refused.message.contains(
            "step 1 (due 2026-09-21) was skipped on 2026-11-21; \
             step 2 (due 2026-09-28) was skipped on 2026-11-21; \
             step 3 (due 2026-10-14) was skipped on 2026-11-21"
        ),
        "{}",
        refused.message
    );
    assert_eq!(panel.hold.as_deref(), Some(refused.message.as_str()));
}

#[test]
fn send_now_after_every_step_went_out_names_each_step_and_when_it_was_sent() {
    let f = Fixture::new();
    f.set_up_email();
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, draft.id).unwrap();
    let id = draft.id;
    let due = NaiveDate::from_ymd_opt(2026, 12, 21).unwrap();
    for days in [7, 14, 30] {
        set_day(&f, due + Duration::days(days));
        f.app.run_jobs_once().unwrap();
    }
    set_day(&f, due + Duration::days(68));
    let panel = f.app.reminders_panel(&f.admin, id).unwrap();
    assert!(!panel.can_send_now);
    let refused = f.app.send_reminder_now(&f.admin, id).unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidState);
    let number = f.app.invoice(&f.admin, id).unwrap().number.unwrap();
    assert_eq!(
        refused.message,
        format!(
            "No reminder step is left to send for invoice {number}: \
             step 1 (due 2026-12-28) was sent on 2026-12-28; \
             step 2 (due 2027-01-04) was sent on 2027-01-04; \
             step 3 (due 2027-01-20) was sent on 2027-01-20."
        )
    );
    assert_eq!(panel.hold.as_deref(), Some(refused.message.as_str()));
}

#[test]
fn send_now_after_a_step_went_out_ahead_of_its_day_names_the_steps_before_it() {
    let f = Fixture::new();
    f.set_up_email();
    // Dated 2026-10-01, issued 2026-11-21: due 10-31, steps 1 (11-07) and 2
    // (11-14) fell due before it was issued, step 3 falls on 11-30.
    let mut draft = f.draft();
    draft.issue_date = Some(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
    let id = f.app.create_invoice(&f.admin, &draft).unwrap().id;
    f.app.issue_invoice(&f.admin, id).unwrap();
    let after = f.app.send_reminder_now(&f.admin, id).unwrap();
    assert_eq!(rows(&after), [(3, "sent".into())]);
    assert!(!after.can_send_now);
    let refused = f.app.send_reminder_now(&f.admin, id).unwrap_err();
    let number = f.app.invoice(&f.admin, id).unwrap().number.unwrap();
    assert_eq!(
        refused.message,
        format!(
            "No reminder step is left to send for invoice {number}: \
             step 1 (due 2026-11-07) was never recorded and is not due again, \
             because a later step was already decided; \
             step 2 (due 2026-11-14) was never recorded and is not due again, \
             because a later step was already decided; \
             step 3 (due 2026-11-30) was sent on 2026-11-21."
        )
    );
    assert_eq!(after.hold.as_deref(), Some(refused.message.as_str()));
}
