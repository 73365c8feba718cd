//! The hand-computed book the automation and exceptions reports are
//! checked on, shared by the app test (tests/tests/reports_ops.rs), the CLI
//! test (crates/cli/tests/report_ops.rs) and the IPC test
//! (src-tauri/tests/report_ops_commands.rs), each including this file, so
//! the three read exactly the same data.
//!
//! On a fixture whose clock is moved by hand: invoices from four origins,
//! emails sent after known minutes (one retried, one failed, one unknown —
//! the sender's outcomes recorded through the store's own compare-and-set),
//! reminders at steps 1–3 with some paid within 7 days, approvals decided
//! after known hours, a stale approval, disputes near and past their
//! window, a bulk job with an invalid row, a schedule that failed and a
//! customer whose source went quiet. The clock ends on 2026-12-23 09:00 UTC.

#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use invoicer_app::api::*;
use invoicer_app::{ApiCall, Idempotency, Session};
use invoicer_domain::delivery::{DeliveryStatus, SmtpReply};
use invoicer_store::{DeliveryChange, Store};
use invoicer_tests::{line, Fixture};

pub fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

pub fn at(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, h, min, 0).unwrap()
}

/// What the book holds, by the names the module comment uses.
pub struct Book {
    pub f: Fixture,
    pub ann: Session,
    pub ben: Session,
    pub sam: Session,
    pub m1: i64,
    pub m2: i64,
    pub m3: i64,
    pub m4: i64,
    pub x1: i64,
    pub x2: i64,
    pub x3: i64,
    pub a1: i64,
    pub b1: i64,
    pub b2: i64,
    pub bulk_job: i64,
    pub broken_schedule: i64,
    pub quiet_customer: i64,
    pub m3_delivery: i64,
    pub m4_delivery: i64,
}

/// A manual invoice of the fixture's customer, due 10 days after issue,
/// issued and queued for sending now.
fn sent_manual(f: &Fixture) -> i64 {
    let mut d = f.draft();
    d.terms_days = Some(10);
    let id = f.app.create_invoice(&f.admin, &d).unwrap().id;
    f.app.issue_and_send_invoice(&f.admin, id).unwrap();
    id
}

/// A draft over the approval threshold (15,000.00 + tax) by `who`, issued:
/// it waits for approval.
fn submitted_big(f: &Fixture, who: &Session) -> i64 {
    let mut d = f.draft();
    d.lines = vec![line("Platform", "100", "150.00", None)];
    let id = f.app.create_invoice(who, &d).unwrap().id;
    let screen = f.app.issue_invoice(who, id).unwrap();
    assert_eq!(screen.invoice.status.as_str(), "pending_approval");
    id
}

fn delivery_of(f: &Fixture, invoice_id: i64) -> i64 {
    let list = f
        .app
        .deliveries(
            &f.admin,
            &DeliveryFilter {
                invoice_id: Some(invoice_id),
                ..DeliveryFilter::default()
            },
        )
        .unwrap();
    list.rows[0].id
}

/// Records a sender's attempt through the store's own compare-and-set, as
/// the outbox sender does: `queued` → `sending` → `to`.
fn attempt(
    store: &Store,
    id: i64,
    to: DeliveryStatus,
    reply: Option<SmtpReply>,
    now: DateTime<Utc>,
) {
    store
        .write(|tx| {
            assert!(tx.change_delivery(
                &DeliveryChange {
                    id,
                    from: DeliveryStatus::Queued,
                    to: DeliveryStatus::Sending,
                    starts_attempt: true,
                    resets_attempts: false,
                    next_attempt_at: None,
                    reply: None,
                    message_id: None,
                },
                now,
            )?);
            assert!(tx.change_delivery(
                &DeliveryChange {
                    id,
                    from: DeliveryStatus::Sending,
                    to,
                    starts_attempt: false,
                    resets_attempts: false,
                    next_attempt_at: Some(now),
                    reply: reply.as_ref(),
                    message_id: None,
                },
                now,
            )?);
            Ok::<_, invoicer_store::StoreError>(())
        })
        .unwrap();
}

fn pay(f: &Fixture, id: i64, amount: Option<&str>, on: NaiveDate) {
    f.clock
        .set(Utc.from_utc_datetime(&on.and_hms_opt(12, 0, 0).unwrap()));
    let amount = amount.map_or_else(
        || f.app.invoice(&f.admin, id).unwrap().balance,
        str::to_string,
    );
    f.app
        .record_payment(
            &f.admin,
            &PaymentInput {
                invoice_id: id,
                amount,
                date: on,
                method: None,
                reference: None,
            },
        )
        .unwrap();
}

fn schedule(f: &Fixture, name: &str, anchor: NaiveDate, count: Option<u32>) -> i64 {
    let s = f
        .app
        .create_schedule(
            &f.admin,
            &ScheduleInput {
                name: name.into(),
                customer_id: f.customer.id,
                lines: vec![line("Monthly retainer", "1", "500.00", None)],
                currency: None,
                template: None,
                terms_days: Some(14),
                frequency: "monthly".into(),
                interval: None,
                anchor,
                starts_on: None,
                until: None,
                count,
                prorate: None,
                mode: "issue_and_send".into(),
            },
        )
        .unwrap();
    f.app.test_schedule(&f.admin, s.id).unwrap();
    f.app.resume_schedule(&f.admin, s.id).unwrap();
    s.id
}

fn customer_fed_by(f: &Fixture, name: &str, external_ref: &str) -> i64 {
    let mut c = invoicer_tests::california_customer();
    c.name = name.into();
    c.email = format!("{external_ref}@example.test");
    c.external_ref = Some(external_ref.into());
    f.app.create_customer(&f.admin, &c).unwrap().id
}

fn set_company_email(f: &Fixture, email: Option<&str>) {
    let mut company = f.app.company(&f.admin).unwrap();
    company.email = email.map(str::to_string);
    f.app.update_company(&f.admin, &company).unwrap();
}

const BULK: &str = "invoice_ref,customer_name,email,address_line1,city,region,postal_code,country,issue_date,description,quantity,unit_price\n\
B-1,Ann Lee,ann.lee@example.test,1 Main St,San Francisco,CA,94105,US,2026-11-20,Consulting,2,100.00\n\
B-2,Cy Diaz,cy.diaz@example.test,1 Main St,San Francisco,CA,94105,US,2026-11-20,Platform licence,1,25000.00\n\
B-3,Di Eng,di.eng@example.test,1 Main St,San Francisco,CA,94105,US,2026-11-20,Support,0,80.00\n";

/// The whole book; the clock ends on 2026-12-23 at 09:00 UTC.
pub fn book() -> Book {
    let f = Fixture::new();
    f.set_up_email();
    let ann = f.user("ann@acme.test", Role::Approver);
    let ben = f.user("ben@acme.test", Role::Approver);
    let sam = f.user("sam@acme.test", Role::Specialist);
    let store = Store::open(&f.dir.path().join("invoicer.db")).unwrap();
    // Reminders 7, 14 and 19 days after the due date.
    let steps = [(7, "friendly"), (14, "firm"), (19, "final")]
        .map(|(offset_days, tone)| ReminderStepView {
            offset_days,
            tone: tone.into(),
            late_fee: None,
        })
        .to_vec();
    f.app
        .set_reminder_policy(&f.admin, &ReminderPolicyView { steps })
        .unwrap();
    // The shop's orders are issued and sent (the rule tested and enabled);
    // CRM deals are not yet (their rule stays disabled).
    f.app
        .test_event_rule(
            &f.admin,
            &EventRuleTestInput {
                event_type: "order.created".into(),
                sample_event: None,
            },
        )
        .unwrap();
    f.app
        .set_event_rule_enabled(&f.admin, "order.created", true)
        .unwrap();
    let fed = customer_fed_by(&f, "Crm Co", "crm-1");
    let quiet_customer = customer_fed_by(&f, "Old Feed", "crm-2");
    let broken_schedule = schedule(&f, "Broken", day(12, 19), None);
    schedule(&f, "Retainer", day(12, 1), Some(1));

    // 2026-11-21 09:00: M1, M3 and M4 issued and sent; M2 at 09:04.
    f.clock.set(at(11, 21, 9, 0));
    let m1 = sent_manual(&f);
    let m3 = sent_manual(&f);
    let m4 = sent_manual(&f);
    f.clock.set(at(11, 21, 9, 4));
    let m2 = sent_manual(&f);
    // 09:05: M1's first attempt is refused for now (retried at once), M3's
    // for good, and M4's connection breaks after its data.
    let now = at(11, 21, 9, 5);
    f.clock.set(now);
    let reply = |code, text: &str| {
        Some(SmtpReply {
            code,
            text: text.into(),
        })
    };
    attempt(
        &store,
        delivery_of(&f, m1),
        DeliveryStatus::Retrying,
        reply(451, "try again later"),
        now,
    );
    let m3_delivery = delivery_of(&f, m3);
    attempt(
        &store,
        m3_delivery,
        DeliveryStatus::Failed,
        reply(550, "mailbox unavailable"),
        now,
    );
    let m4_delivery = delivery_of(&f, m4);
    attempt(&store, m4_delivery, DeliveryStatus::Unknown, None, now);
    // 09:10: the sender sends M1 (its second attempt) and M2.
    f.clock.set(at(11, 21, 9, 10));
    f.app.run_jobs_once().unwrap();

    // 10:00: a bulk file — B-1 issued and queued, B-2 waits for approval,
    // B-3's quantity is refused; B-1's email leaves at 10:15.
    f.clock.set(at(11, 21, 10, 0));
    let path = f.dir.path().join("deals.csv");
    invoicer_app::write_document(&path, BULK.as_bytes()).unwrap();
    let check = BulkCheckInput {
        path: path.display().to_string(),
        ..BulkCheckInput::default()
    };
    let checked = f.app.check_bulk_file(&f.admin, &check).unwrap();
    let job = f
        .app
        .start_bulk_job(
            &f.admin,
            &BulkStartInput {
                check,
                sha256: checked.sha256,
                send: true,
                throttle_per_minute: None,
            },
        )
        .unwrap();
    f.app.run_bulk_jobs().unwrap().unwrap();
    let made = f
        .app
        .bulk_job_report(
            &f.admin,
            &BulkReportQuery {
                job_id: job.id,
                ..BulkReportQuery::default()
            },
        )
        .unwrap();
    let b1 = made.invoices[0].invoice_id.unwrap();
    let b2 = made.invoices[1].invoice_id.unwrap();
    f.clock.set(at(11, 21, 10, 15));
    f.app.run_jobs_once().unwrap();
    // 10:30: B-1 disputed with a 30-day window (ends 2026-12-21).
    f.clock.set(at(11, 21, 10, 30));
    f.app
        .dispute_invoice(&f.admin, b1, "hours billed twice", Some(30))
        .unwrap();

    // 11:00: X1 and X2 submitted; Ann approves X1 at 14:00 (3 hours) and
    // rejects X2 the next day at 11:00 (24 hours).
    f.clock.set(at(11, 21, 11, 0));
    let x1 = submitted_big(&f, &f.admin);
    let x2 = submitted_big(&f, &f.admin);
    f.clock.set(at(11, 21, 14, 0));
    f.app.approve_invoice(&ann, x1).unwrap();
    f.clock.set(at(11, 22, 11, 0));
    f.app.reject_invoice(&ann, x2, "wrong quantity").unwrap();

    // 2026-11-25 09:20: an order from Crm Co's shop (A1), sent at 09:50;
    // disputed at 10:00 with a 30-day window (ends 2026-12-25).
    f.clock.set(at(11, 25, 9, 20));
    let event: EventInput = serde_json::from_value(serde_json::json!({
        "type": "order.created",
        "customer": {"external_ref": "crm-1"},
        "lines": [{"description": "Widgets", "quantity": "3", "unit_price": "40.00"}],
    }))
    .unwrap();
    let reply = f
        .app
        .api_event(
            &event,
            &Idempotency {
                key: "order-1",
                request_hash: "h1",
            },
            &ApiCall {
                method: "POST",
                path: "/v1/events",
                token_name: Some("test"),
            },
            false,
        )
        .unwrap();
    let body: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let a1 = body["invoice"]["id"].as_i64().unwrap();
    assert_eq!(f.app.invoice(&f.admin, a1).unwrap().customer.id, fed);
    // 09:30: a won deal from the CRM, refused: its rule is not enabled.
    f.clock.set(at(11, 25, 9, 30));
    let deal: EventInput = serde_json::from_value(serde_json::json!({
        "type": "deal.closed_won",
        "reference": "deal-7",
        "customer": {"external_ref": "crm-9", "email": "buyer@crm9.test", "name": "Deal Buyer",
                     "address": "1 Main St", "city": "San Francisco", "region": "CA",
                     "postal_code": "94105", "country": "US"},
        "lines": [{"description": "Licence", "quantity": "1", "unit_price": "900.00"}],
    }))
    .unwrap();
    let refused = f.app.api_event(
        &deal,
        &Idempotency {
            key: "deal-7",
            request_hash: "h2",
        },
        &ApiCall {
            method: "POST",
            path: "/v1/events",
            token_name: Some("test"),
        },
        false,
    );
    assert!(
        refused.as_ref().map_or(true, |r| r.status >= 400),
        "{refused:?}"
    );
    f.clock.set(at(11, 25, 9, 50));
    f.app.run_jobs_once().unwrap();
    f.clock.set(at(11, 25, 10, 0));
    f.app
        .dispute_invoice(&f.admin, a1, "never delivered", Some(30))
        .unwrap();

    // 2026-12-01: the Retainer's one invoice made and sent in one run.
    f.clock.set(at(12, 1, 9, 0));
    f.app.run_jobs_once().unwrap();
    // Paid in full: M2 on 12-05 (before any reminder), M1 on 12-10.
    pay(&f, m2, None, day(12, 5));
    // 12-08: step 1 to M1, M3 and M4.
    f.clock.set(at(12, 8, 9, 0));
    f.app.run_jobs_once().unwrap();
    pay(&f, m1, None, day(12, 10));
    pay(&f, m3, Some("100.00"), day(12, 12));
    // 12-15: step 2 to M3 and M4; M4 paid in full on 12-18.
    f.clock.set(at(12, 15, 9, 0));
    f.app.run_jobs_once().unwrap();
    pay(&f, m4, None, day(12, 18));
    // 12-19: the Broken schedule's first period cannot be made (the company
    // has no sender address at that moment); it is paused afterwards.
    f.clock.set(at(12, 19, 9, 0));
    set_company_email(&f, None);
    f.app.run_jobs_once().unwrap();
    set_company_email(&f, Some("billing@acme.test"));
    f.app.pause_schedule(&f.admin, broken_schedule).unwrap();
    // 12-20: step 3 to M3.
    f.clock.set(at(12, 20, 9, 0));
    f.app.run_jobs_once().unwrap();
    // 12-22 09:00: Ann submits X3.
    f.clock.set(at(12, 22, 9, 0));
    let x3 = submitted_big(&f, &ann);
    f.clock.set(at(12, 23, 9, 0));
    Book {
        f,
        ann,
        ben,
        sam,
        m1,
        m2,
        m3,
        m4,
        x1,
        x2,
        x3,
        a1,
        b1,
        b2,
        bulk_job: job.id,
        broken_schedule,
        quiet_customer,
        m3_delivery,
        m4_delivery,
    }
}
