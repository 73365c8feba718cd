//! Recurring schedules through the app's one API on a real data folder, the
//! clock moved by hand (never a sleep): months counted from the anchor,
//! catch-up after the app was closed, pause and resume, skip, the test run
//! that writes nothing, the approval rules of the `recurring` source and
//! proration to the cent.

use chrono::{NaiveDate, TimeZone, Utc};
use invoicer_app::api::*;
use invoicer_app::ErrorCode;
use invoicer_tests::{line, Fixture};

mod database;
use database::{audit_events, row_counts};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Moves the clock to 09:00 UTC on `d` (the company's time zone is UTC).
fn at(f: &Fixture, d: NaiveDate) {
    f.clock
        .set(Utc.from_utc_datetime(&d.and_hms_opt(9, 0, 0).unwrap()));
}

fn monthly(f: &Fixture, anchor: NaiveDate, price: &str, mode: &str) -> ScheduleInput {
    ScheduleInput {
        name: "Retainer".into(),
        customer_id: f.customer.id,
        lines: vec![line("Monthly retainer", "1", price, None)],
        currency: None,
        template: None,
        terms_days: Some(14),
        frequency: "monthly".into(),
        interval: None,
        anchor,
        starts_on: None,
        until: None,
        count: None,
        prorate: None,
        mode: mode.into(),
    }
}

/// A schedule created, tested and enabled.
fn enabled(f: &Fixture, input: &ScheduleInput) -> ScheduleView {
    let s = f.app.create_schedule(&f.admin, input).unwrap();
    f.app.test_schedule(&f.admin, s.id).unwrap();
    f.app.resume_schedule(&f.admin, s.id).unwrap()
}

fn invoices(f: &Fixture) -> Vec<InvoiceDetail> {
    let page = f
        .app
        .list_invoices(
            &f.admin,
            &InvoiceQuery {
                page_size: 1000,
                ..InvoiceQuery::default()
            },
        )
        .unwrap();
    let mut all: Vec<_> = page
        .items
        .iter()
        .map(|i| f.app.invoice(&f.admin, i.id).unwrap())
        .collect();
    all.sort_by_key(|i| i.id);
    all
}

#[test]
fn anchored_on_jan_31_the_preview_bills_feb_29_in_a_leap_year_then_mar_31() {
    let f = Fixture::new();
    let s = f
        .app
        .create_schedule(&f.admin, &monthly(&f, day(2028, 1, 31), "500.00", "draft"))
        .unwrap();
    let before = row_counts(&f, &[]);
    let preview = f.app.preview_schedule(&f.admin, s.id).unwrap();
    assert_eq!(row_counts(&f, &[]), before, "the preview writes nothing");
    assert_eq!(preview.len(), 12);
    let dates: Vec<_> = preview.iter().take(4).map(|o| o.invoice_date).collect();
    assert_eq!(
        dates,
        [
            day(2028, 1, 31),
            day(2028, 2, 29),
            day(2028, 3, 31),
            day(2028, 4, 30)
        ]
    );
    // 500.00 plus California's 8.25 % every month.
    assert!(preview.iter().all(|o| o.total == "541.25"), "{preview:?}");
    assert_eq!(preview[1].due_date, day(2028, 3, 14));
}

#[test]
fn after_the_app_was_closed_every_missed_period_is_invoiced_once_dated_to_its_period() {
    let f = Fixture::new();
    f.set_up_email();
    let s = enabled(
        &f,
        &monthly(&f, day(2027, 1, 31), "500.00", "issue_and_send"),
    );
    at(&f, day(2027, 1, 31));
    f.app.run_jobs_once().unwrap();
    assert_eq!(invoices(&f).len(), 1);
    // Closed from the 2nd to the 5th period; opened on June 2nd.
    at(&f, day(2027, 6, 2));
    f.app.run_jobs_once().unwrap();
    f.app.run_jobs_once().unwrap();
    let all = invoices(&f);
    let got: Vec<_> = all
        .iter()
        .map(|i| (i.issue_date, i.number.clone().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            (day(2027, 1, 31), "INV-2027-00001".to_string()),
            (day(2027, 2, 28), "INV-2027-00002".to_string()),
            (day(2027, 3, 31), "INV-2027-00003".to_string()),
            (day(2027, 4, 30), "INV-2027-00004".to_string()),
            (day(2027, 5, 31), "INV-2027-00005".to_string()),
        ]
    );
    assert!(all.iter().all(|i| i.status == InvoiceStatus::Issued));
    // Each was emailed once, through the outbox. The first invoice, issued
    // on its day in January, is long overdue by June and gets one reminder;
    // the caught-up ones are issued today, so no reminder goes with them.
    let subjects: Vec<String> = f
        .outbox_files()
        .iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(p).ok()?;
            text.lines()
                .find_map(|l| l.strip_prefix("Subject: ").map(str::to_string))
        })
        .collect();
    let (invoice_emails, reminders): (Vec<&String>, Vec<&String>) =
        subjects.iter().partition(|s| s.starts_with("Invoice "));
    assert_eq!(invoice_emails.len(), 5, "{subjects:?}");
    assert_eq!(reminders.len(), 1, "{subjects:?}");
    assert!(reminders[0].contains("INV-2027-00001"), "{subjects:?}");
    let made: Vec<bool> = audit_events(&f, &format!("schedule:{}", s.id))
        .into_iter()
        .filter(|(a, _)| a == "schedule.occurrence_made")
        .map(|(_, d)| d["caught_up"].as_bool().unwrap())
        .collect();
    assert_eq!(made, [false, true, true, true, true]);
    // The invoice names the schedule and period that made it.
    let trigger = f.app.invoice_trigger(&f.admin, all[1].id).unwrap();
    assert_eq!(trigger.source, "recurring");
    assert_eq!(trigger.schedule_id, Some(s.id));
    assert_eq!(trigger.schedule_name.as_deref(), Some("Retainer"));
    assert_eq!(trigger.period_start, Some(day(2027, 2, 28)));
}

#[test]
fn a_paused_schedule_makes_nothing_and_skips_the_paused_periods_on_resume() {
    let f = Fixture::new();
    let s = enabled(&f, &monthly(&f, day(2027, 1, 15), "500.00", "draft"));
    at(&f, day(2027, 1, 15));
    f.app.run_jobs_once().unwrap();
    at(&f, day(2027, 2, 1));
    f.app.pause_schedule(&f.admin, s.id).unwrap();
    at(&f, day(2027, 4, 20));
    f.app.run_jobs_once().unwrap();
    assert_eq!(invoices(&f).len(), 1, "nothing made while paused");
    let resumed = f.app.resume_schedule(&f.admin, s.id).unwrap();
    assert_eq!(
        (resumed.skipped, resumed.next_period),
        (3, Some(day(2027, 5, 15)))
    );
    f.app.run_jobs_once().unwrap();
    assert_eq!(invoices(&f).len(), 1, "Feb, Mar and Apr are never billed");
    at(&f, day(2027, 5, 15));
    f.app.run_jobs_once().unwrap();
    let dates: Vec<_> = invoices(&f).iter().map(|i| i.issue_date).collect();
    assert_eq!(dates, [day(2027, 1, 15), day(2027, 5, 15)]);
    assert!(invoices(&f)
        .iter()
        .all(|i| i.status == InvoiceStatus::Draft));
}

#[test]
fn a_skipped_period_is_never_made() {
    let f = Fixture::new();
    let s = enabled(&f, &monthly(&f, day(2027, 1, 10), "500.00", "draft"));
    at(&f, day(2027, 1, 10));
    f.app.run_jobs_once().unwrap();
    let skipped = f.app.skip_next_occurrence(&f.admin, s.id).unwrap();
    assert_eq!(skipped.next_period, Some(day(2027, 3, 10)));
    at(&f, day(2027, 3, 11));
    f.app.run_jobs_once().unwrap();
    f.app.run_jobs_once().unwrap();
    let dates: Vec<_> = invoices(&f).iter().map(|i| i.issue_date).collect();
    assert_eq!(dates, [day(2027, 1, 10), day(2027, 3, 10)]);
}

#[test]
fn a_test_run_writes_and_sends_nothing_and_an_untested_schedule_cannot_be_enabled() {
    let f = Fixture::new();
    f.set_up_email();
    let s = f
        .app
        .create_schedule(
            &f.admin,
            &monthly(&f, day(2026, 11, 1), "500.00", "issue_and_send"),
        )
        .unwrap();
    assert_eq!(s.state, "disabled");
    let refused = f.app.resume_schedule(&f.admin, s.id).unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidState);
    assert!(refused.message.contains("test run"), "{}", refused.message);
    // A disabled schedule makes nothing.
    f.app.run_jobs_once().unwrap();
    assert!(invoices(&f).is_empty());

    let before = row_counts(&f, &[]);
    let run = f.app.test_schedule(&f.admin, s.id).unwrap();
    let mut after = row_counts(&f, &[]);
    assert_eq!(after, before, "row counts unchanged");
    after.clear();
    assert!(f.outbox_files().is_empty());
    assert_eq!(run.outcome, "queued_for_sending");
    assert_eq!(run.occurrence.invoice_date, day(2026, 11, 1));
    assert_eq!(run.totals.total, "541.25");
    assert_eq!(run.customer_name, f.customer.name);
    assert!(!run.needs_approval);
    assert_eq!(run.number.as_deref(), Some("INV-2026-00001"));
    let text = invoicer_tests::pdftotext(&run.pdf_bytes);
    assert!(text.contains("Monthly retainer"), "{text}");
    assert!(text.contains("541.25"), "{text}");
    // Nothing to send either, even after the outbox sender's pass.
    f.app.run_jobs_once().unwrap();
    assert!(f.outbox_files().is_empty());

    let on = f.app.resume_schedule(&f.admin, s.id).unwrap();
    assert_eq!(on.state, "active");
    f.app.run_jobs_once().unwrap();
    // The number the test run showed was never used up: the real one is it.
    assert_eq!(invoices(&f)[0].number.as_deref(), Some("INV-2026-00001"));
    assert_eq!(f.outbox_files().len(), 1);
}

#[test]
fn over_the_approval_threshold_the_invoice_waits_and_is_sent_on_approval() {
    let f = Fixture::new();
    f.set_up_email();
    let s = f
        .app
        .create_schedule(
            &f.admin,
            &monthly(&f, day(2026, 11, 1), "12000.00", "issue_and_send"),
        )
        .unwrap();
    let run = f.app.test_schedule(&f.admin, s.id).unwrap();
    assert!(run.needs_approval);
    assert_eq!(run.outcome, "awaiting_approval");
    f.app.resume_schedule(&f.admin, s.id).unwrap();
    f.app.run_jobs_once().unwrap();
    let inv = &invoices(&f)[0];
    assert_eq!(inv.status, InvoiceStatus::PendingApproval);
    assert!(f.outbox_files().is_empty());
    let approver = f.user("approver@acme.test", Role::Approver);
    f.app.approve_invoice(&approver, inv.id).unwrap();
    f.app.run_jobs_once().unwrap();
    assert_eq!(
        f.app.invoice(&f.admin, inv.id).unwrap().status,
        InvoiceStatus::Issued
    );
    assert_eq!(f.outbox_files().len(), 1, "sent on approval");
}

#[test]
fn a_first_partial_period_is_billed_by_days_to_the_cent() {
    let f = Fixture::new();
    let mut input = monthly(&f, day(2027, 4, 1), "1000.00", "draft");
    // Service starts on April 21st: 10 of April's 30 days; it ends on June
    // 10th: 10 of June's 30 days.
    input.starts_on = Some(day(2027, 4, 21));
    input.until = Some(day(2027, 6, 10));
    let s = enabled(&f, &input);
    let preview = f.app.preview_schedule(&f.admin, s.id).unwrap();
    assert_eq!(preview.len(), 3, "no period starts after the end date");
    assert!(preview[2].prorated);
    assert_eq!(
        (preview[2].billed_from, preview[2].billed_to),
        (day(2027, 6, 1), day(2027, 6, 10))
    );
    assert_eq!(preview[2].subtotal, "333.33");
    assert!(preview[0].prorated);
    assert_eq!(preview[0].invoice_date, day(2027, 4, 21));
    // 1000.00 × 10/30 = 333.33 (to the cent), plus 8.25 % tax = 27.50.
    assert_eq!(preview[0].subtotal, "333.33");
    assert_eq!(preview[0].total, "360.83");
    assert!(!preview[1].prorated);
    assert_eq!(preview[1].subtotal, "1000.00");
    at(&f, day(2027, 4, 21));
    f.app.run_jobs_once().unwrap();
    let inv = &invoices(&f)[0];
    assert_eq!(
        (inv.subtotal.as_str(), inv.total.as_str()),
        ("333.33", "360.83")
    );
}

#[test]
fn bad_input_names_its_field() {
    let f = Fixture::new();
    let mut input = monthly(&f, day(2027, 1, 1), "abc", "draft");
    input.frequency = "fortnightly".into();
    let e = f.app.create_schedule(&f.admin, &input).unwrap_err();
    let fields: Vec<_> = e.details.unwrap().iter().map(|d| d.field.clone()).collect();
    assert_eq!(fields, ["frequency", "lines[0].unit_price"]);
}
