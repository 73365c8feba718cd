//! Where credit notes meet reminders: an invoice credited to zero is settled,
//! so the scheduler sends it nothing more, and the two documents name each
//! other. The clock is moved by hand; reminders go to the outbox folder.
//!
//! The fixture issues invoices on 2026-11-21 with Net 30, so D = 2026-12-21
//! and the default steps fall on D+7, D+14 and D+30.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use invoicer_app::api::*;
use invoicer_domain::lifecycle::InvoiceStatus;
use invoicer_tests::Fixture;
use mail_parser::MessageParser;

fn due_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 21).unwrap()
}

/// Moves the clock to D+`days` at 09:00 UTC and runs every job once.
fn run_on(f: &Fixture, days: i64) {
    let day = due_date() + Duration::days(days);
    f.clock
        .set(Utc.from_utc_datetime(&day.and_hms_opt(9, 0, 0).unwrap()));
    let report = f.app.run_jobs_once().unwrap();
    assert!(report.all_passes_ran(), "{report:?}");
}

/// (step, state) of the invoice's decided reminders.
fn decided(f: &Fixture, id: i64) -> Vec<(u32, String)> {
    f.app
        .invoice_reminders(&f.admin, id)
        .unwrap()
        .into_iter()
        .filter(|r| r.state != "scheduled")
        .map(|r| (r.step, r.state))
        .collect()
}

/// Subjects of the emails written to the outbox folder.
fn subjects(f: &Fixture) -> Vec<String> {
    f.outbox_files()
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).unwrap();
            let msg = MessageParser::default().parse(&bytes).unwrap();
            msg.subject().unwrap_or_default().to_string()
        })
        .collect()
}

#[test]
fn an_invoice_credited_to_zero_after_its_first_reminder_gets_no_more() {
    let f = Fixture::new();
    f.set_up_email();
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let id = f.app.issue_invoice(&f.admin, draft.id).unwrap().invoice.id;
    let number = f.app.invoice(&f.admin, id).unwrap().number.unwrap();

    run_on(&f, 7);
    assert_eq!(decided(&f, id), [(1, "sent".to_string())]);
    let reminders_sent = subjects(&f)
        .iter()
        .filter(|s| s.contains("reminder"))
        .count();
    assert_eq!(reminders_sent, 1, "{:?}", subjects(&f));

    // The customer disputes nothing; the whole invoice is credited instead.
    f.clock.advance(Duration::days(1));
    let issued = f
        .app
        .create_credit_note(
            &f.admin,
            &CreditNoteInput {
                invoice_id: id,
                lines: vec![],
                amount: None,
                reason: "Order cancelled".into(),
                send: false,
            },
        )
        .unwrap();
    assert!(
        issued.credit_note.number.starts_with("CN-"),
        "{}",
        issued.credit_note.number
    );
    assert_eq!(issued.credit_note.invoice_number, number);
    let screen = f.app.invoice_screen(&f.admin, id).unwrap();
    assert_eq!(screen.invoice.balance, "0.00");
    assert_eq!(screen.invoice.status, InvoiceStatus::Paid);
    assert_eq!(
        screen.credit_notes.len(),
        1,
        "the invoice lists its credit note"
    );

    // D+14 and D+30 pass: the settled invoice is reminded of nothing.
    run_on(&f, 14);
    run_on(&f, 30);
    run_on(&f, 45);
    assert_eq!(decided(&f, id), [(1, "sent".to_string())]);
    let reminders_after = subjects(&f)
        .iter()
        .filter(|s| s.contains("reminder"))
        .count();
    assert_eq!(reminders_after, 1, "{:?}", subjects(&f));
    assert!(
        f.app.reminders(&f.admin, true).unwrap().is_empty(),
        "nothing is listed as due"
    );
}
