//! The automation and exceptions reports and the dashboard's "needs you
//! today" on a hand-computed book, through the app's API on a real SQLite
//! file with the clock moved by hand: invoices from four origins, emails
//! sent after known minutes (one retried, one failed, one unknown),
//! reminders at steps 1–3 with some paid within 7 days, approvals decided
//! after known hours, a stale approval, disputes near and past their
//! window, a bulk job with an invalid row, a schedule that failed and a
//! customer whose source went quiet. Every figure is asserted exactly.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use invoicer_app::api::*;
use invoicer_app::{ApiCall, ErrorCode, Idempotency, Session};
use invoicer_domain::delivery::{DeliveryStatus, SmtpReply};
use invoicer_store::{DeliveryChange, Store};
use invoicer_tests::{line, Fixture};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn at(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, h, min, 0).unwrap()
}

/// What the book holds, by the names the module comment uses.
#[allow(dead_code)]
struct Book {
    f: Fixture,
    ann: Session,
    ben: Session,
    sam: Session,
    m1: i64,
    m2: i64,
    m3: i64,
    m4: i64,
    x1: i64,
    x2: i64,
    x3: i64,
    a1: i64,
    b1: i64,
    b2: i64,
    bulk_job: i64,
    broken_schedule: i64,
    quiet_customer: i64,
    m3_delivery: i64,
    m4_delivery: i64,
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
fn book() -> Book {
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

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[test]
fn automation_report_figures_are_exact() {
    let b = book();
    let r =
        b.f.app
            .automation_report(&b.f.admin, &ReportFilter::default(), None)
            .unwrap();
    assert_eq!((r.from, r.to), (day(9, 25), day(12, 23)));
    let origins: Vec<_> = r
        .by_origin
        .iter()
        .map(|o| {
            (
                o.source.as_str(),
                o.invoices,
                o.share.as_str(),
                o.median_minutes_to_sent.clone(),
                o.p90_minutes_to_sent.clone(),
            )
        })
        .collect();
    // Manual: M1..M4, X1..X3 (7 of 11); sent after 10 and 6 minutes:
    // median 8.0, p90 6 + 0.9 × 4 = 9.6. Bulk: B-1 and B-2, B-1 sent after
    // 15. Recurring: made and sent in one run. API: sent after 30.
    assert_eq!(
        origins[..4],
        [
            ("manual", 7, "63.6", s("8.0"), s("9.6")),
            ("bulk", 2, "18.2", s("15.0"), s("15.0")),
            ("recurring", 1, "9.1", s("0.0"), s("0.0")),
            ("api", 1, "9.1", s("30.0"), s("30.0")),
        ]
    );
    // Every other origin (thresholds, once they exist) is listed with zero.
    assert!(origins[4..].iter().all(|o| o.1 == 0 && o.3.is_none()));

    // Five invoice emails sent and six reminders; M3's failed, M4's
    // unknown; M1's needed two attempts: 11 / 13 and 1 / 13.
    let d = &r.delivery;
    assert_eq!(
        (d.sent, d.failed, d.unknown, d.pending, d.retried),
        (11, 1, 1, 0, 1)
    );
    assert_eq!(
        (d.success_rate.as_deref(), d.retry_rate.as_deref()),
        (Some("84.6"), Some("7.7"))
    );

    // Step 1 to M1, M3, M4 on 12-08: M1 paid 12-10 (within 7), M4 only on
    // 12-18. Step 2 to M3, M4 on 12-15: M4 paid 12-18. Step 3 to M3.
    assert_eq!(r.paid_within_days, 7);
    let steps: Vec<_> = r
        .reminder_steps
        .iter()
        .map(|s| (s.step, s.sent, s.paid_within, s.paid_within_share.clone()))
        .collect();
    assert_eq!(
        steps,
        [
            (1, 3, 1, s("33.3")),
            (2, 2, 1, s("50.0")),
            (3, 1, 0, s("0.0"))
        ]
    );

    // X1 approved after 3 hours, X2 rejected after 24: median 13.5, p90
    // 3 + 0.9 × 21 = 21.9; B-2 and X3 wait.
    let a = &r.approvals;
    assert_eq!((a.decided, a.pending), (2, 2));
    assert_eq!(
        (a.median_hours.as_deref(), a.p90_hours.as_deref()),
        (Some("13.5"), Some("21.9"))
    );

    // Paid within 8 days: M4's payment 3 days after step 2 and 10 after
    // step 1 — still only step 2's.
    let r =
        b.f.app
            .automation_report(&b.f.admin, &ReportFilter::default(), Some(10))
            .unwrap();
    assert_eq!(r.reminder_steps[0].paid_within, 2);
    assert_eq!(r.paid_within_days, 10);
}

#[test]
fn automation_report_filters_by_range_source_and_customer() {
    let b = book();
    let report = |filter: ReportFilter| b.f.app.automation_report(&b.sam, &filter, None).unwrap();
    // Only 2026-11-25 onwards: A1, R1 and X3 were made then.
    let r = report(ReportFilter {
        from: Some(day(11, 25)),
        ..ReportFilter::default()
    });
    let made: Vec<u64> = r.by_origin.iter().map(|o| o.invoices).collect();
    assert_eq!(made[..4], [1, 0, 1, 1]);
    // Reminders by the day they were sent: only step 3 on 12-20.
    let r = report(ReportFilter {
        from: Some(day(12, 16)),
        to: Some(day(12, 20)),
        ..ReportFilter::default()
    });
    let sent: Vec<u64> = r.reminder_steps.iter().map(|s| s.sent).collect();
    assert_eq!(sent, [0, 0, 1]);
    // Only API invoices: one, all of its share.
    let r = report(ReportFilter {
        source: s("api"),
        ..ReportFilter::default()
    });
    assert_eq!(r.by_origin[3].share, "100.0");
    assert_eq!(r.delivery.sent, 1);
    // A refused filter names its field, value and why.
    let e =
        b.f.app
            .automation_report(
                &b.sam,
                &ReportFilter {
                    source: s("fax"),
                    ..ReportFilter::default()
                },
                None,
            )
            .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(e.details.as_ref().unwrap()[0].field, "source");
    assert_eq!(e.details.as_ref().unwrap()[0].value.as_deref(), Some("fax"));
    let e =
        b.f.app
            .automation_report(
                &b.sam,
                &ReportFilter {
                    from: Some(day(12, 24)),
                    to: Some(day(12, 1)),
                    ..ReportFilter::default()
                },
                None,
            )
            .unwrap_err();
    assert_eq!(e.details.as_ref().unwrap()[0].field, "from");
}

fn count(r: &ExceptionsReport, kind: ExceptionKind) -> u64 {
    r.counts.iter().find(|c| c.kind == kind).unwrap().count
}

fn items(r: &ExceptionsReport, kind: ExceptionKind) -> Vec<&ExceptionItem> {
    r.items.iter().filter(|i| i.kind == kind).collect()
}

#[test]
fn exceptions_name_each_problem_and_the_action_that_resolves_it() {
    let b = book();
    let r =
        b.f.app
            .exceptions_report(&b.f.admin, &ReportFilter::default(), None, Some(30))
            .unwrap();
    assert_eq!(r.as_of, day(12, 23));
    use ExceptionKind as K;
    let counts: Vec<(K, u64)> = r.counts.iter().map(|c| (c.kind, c.count)).collect();
    assert_eq!(
        counts,
        [
            (K::FailedDelivery, 1),
            (K::UnknownDelivery, 1),
            (K::InvalidBulkRow, 1),
            (K::RefusedEvent, 0),
            (K::FailedTrigger, 1),
            (K::DisputePastWindow, 1),
            (K::StaleApproval, 1),
            (K::StaleCustomer, 1),
        ]
    );
    assert_eq!(r.items.len(), 7);

    let failed = items(&r, K::FailedDelivery)[0];
    assert_eq!(
        (failed.invoice_id, failed.record_id),
        (Some(b.m3), Some(b.m3_delivery))
    );
    assert!(
        failed.subject.starts_with("INV-2026-"),
        "{}",
        failed.subject
    );
    assert!(
        failed.detail.contains("550 mailbox unavailable"),
        "{}",
        failed.detail
    );
    assert!(failed.action.starts_with("Retry the delivery"));
    assert_eq!(failed.since, at(11, 21, 9, 5));
    let unknown = items(&r, K::UnknownDelivery)[0];
    assert_eq!(unknown.record_id, Some(b.m4_delivery));
    assert!(unknown.action.contains("mark it sent or retry"));

    let row = items(&r, K::InvalidBulkRow)[0];
    assert_eq!(row.record_id, Some(b.bulk_job));
    assert_eq!(row.subject, "deals.csv, row 4");
    assert_eq!(row.action, "Fix row 4's quantity and re-run the file");

    let trigger = items(&r, K::FailedTrigger)[0];
    assert_eq!(trigger.record_id, Some(b.broken_schedule));
    assert_eq!(trigger.subject, "schedule Broken, period 2026-12-19");
    assert!(
        trigger.detail.contains("company's email address"),
        "{}",
        trigger.detail
    );
    assert!(trigger.action.contains("test the schedule"));

    let dispute = items(&r, K::DisputePastWindow)[0];
    assert_eq!(dispute.invoice_id, Some(b.b1));
    assert!(
        dispute.detail.contains("ended on 2026-12-21, 2 days ago"),
        "{}",
        dispute.detail
    );
    assert_eq!(dispute.action, "Decide the dispute: uphold or reject");

    // B-2 has waited since 2026-11-21 10:00; X3 only a day.
    let stale = items(&r, K::StaleApproval)[0];
    assert_eq!(stale.invoice_id, Some(b.b2));
    assert_eq!(stale.since, at(11, 21, 10, 0));
    assert!(
        stale.detail.starts_with("Waiting for approval for 31 days"),
        "{}",
        stale.detail
    );
    assert_eq!(stale.action, "Approve or reject");

    // Crm Co's source spoke on 11-25 (A1); Old Feed's never since 11-21.
    let quiet = items(&r, K::StaleCustomer)[0];
    assert_eq!(quiet.customer_id, Some(b.quiet_customer));
    assert_eq!(quiet.subject, "Old Feed (crm-2)");

    // Four weeks' wait: Crm Co is quiet too; with the default 90 nobody is.
    let r =
        b.f.app
            .exceptions_report(&b.f.admin, &ReportFilter::default(), Some(40), Some(20))
            .unwrap();
    assert_eq!(count(&r, K::StaleCustomer), 2);
    assert_eq!(count(&r, K::StaleApproval), 0);
    let r =
        b.f.app
            .exceptions_report(&b.sam, &ReportFilter::default(), None, None)
            .unwrap();
    assert_eq!(count(&r, K::StaleCustomer), 0);
    // As of the day before B-1's window ended, its dispute is not past it.
    let r =
        b.f.app
            .exceptions_report(
                &b.sam,
                &ReportFilter {
                    as_of: Some(day(12, 21)),
                    ..ReportFilter::default()
                },
                None,
                None,
            )
            .unwrap();
    assert_eq!(count(&r, K::DisputePastWindow), 0);
    // A customer filter keeps that customer's invoices only.
    let r =
        b.f.app
            .exceptions_report(
                &b.sam,
                &ReportFilter {
                    customer_id: Some(b.f.customer.id),
                    ..ReportFilter::default()
                },
                None,
                None,
            )
            .unwrap();
    assert_eq!(count(&r, K::FailedDelivery), 1);
    assert_eq!(count(&r, K::DisputePastWindow), 0);
    assert_eq!(count(&r, K::StaleApproval), 0);
}

#[test]
fn a_schedule_that_works_again_leaves_the_exceptions() {
    let b = book();
    b.f.app
        .resume_schedule(&b.f.admin, b.broken_schedule)
        .unwrap();
    // The paused period is recorded skipped on resume; the next one, on
    // 2027-01-19, is made and resolves the failure.
    b.f.clock
        .set(Utc.with_ymd_and_hms(2027, 1, 19, 9, 0, 0).unwrap());
    b.f.app.run_jobs_once().unwrap();
    let r =
        b.f.app
            .exceptions_report(&b.f.admin, &ReportFilter::default(), None, None)
            .unwrap();
    assert_eq!(count(&r, ExceptionKind::FailedTrigger), 0);
    assert_eq!(
        b.f.app.needs_you_today(&b.f.admin).unwrap().failed_triggers,
        0
    );
}

#[test]
fn needs_you_today_counts_equal_the_lists_behind_them() {
    let b = book();
    let f = &b.f;
    let n = f.app.needs_you_today(&f.admin).unwrap();
    assert_eq!(
        n,
        NeedsYouToday {
            approvals_waiting: 1,
            failed_deliveries: 1,
            unknown_deliveries: 1,
            disputes_near_window_end: 2,
            bulk_rows_with_errors: 1,
            failed_triggers: 1,
        }
    );

    // Approvals: the queue's rows the person may decide.
    for who in [&f.admin, &b.ann, &b.ben, &b.sam] {
        let queue = f.app.approval_queue(who).unwrap();
        let may = queue.rows.iter().filter(|r| r.can_decide).count() as u64;
        assert_eq!(f.app.needs_you_today(who).unwrap().approvals_waiting, may);
    }
    // Ann made X3, the admin (through the bulk job) B-2: each may give the
    // other's; Ben both; the specialist none.
    let waiting = |who: &Session| f.app.needs_you_today(who).unwrap().approvals_waiting;
    assert_eq!(
        (waiting(&b.ann), waiting(&b.ben), waiting(&b.sam)),
        (1, 2, 0)
    );

    // Deliveries: the deliveries list filtered by status.
    for (status, expected) in [
        (DeliveryStatus::Failed, n.failed_deliveries),
        (DeliveryStatus::Unknown, n.unknown_deliveries),
    ] {
        let list = f
            .app
            .deliveries(
                &f.admin,
                &DeliveryFilter {
                    status: Some(status),
                    ..DeliveryFilter::default()
                },
            )
            .unwrap();
        assert_eq!(list.rows.len() as u64, expected);
    }

    // Disputes: the "Due & overdue" view's rows whose dispute window ends
    // within 7 days or has ended (B-1's ended 12-21, A1's ends 12-25).
    let page = f
        .app
        .due_invoices(
            &f.admin,
            &DueQuery {
                page: 1,
                page_size: 100,
                ..DueQuery::default()
            },
        )
        .unwrap();
    let near = page
        .items
        .iter()
        .filter(|i| i.dispute_days_left.is_some_and(|d| d <= 7))
        .count() as u64;
    assert_eq!(near, n.disputes_near_window_end);

    // Bulk rows: the problems of the job's report.
    let report = f
        .app
        .bulk_job_report(
            &f.admin,
            &BulkReportQuery {
                job_id: b.bulk_job,
                ..BulkReportQuery::default()
            },
        )
        .unwrap();
    assert_eq!(report.problems.len() as u64, n.bulk_rows_with_errors);

    // Failed triggers: the exceptions report's list of them.
    let r = f
        .app
        .exceptions_report(&f.admin, &ReportFilter::default(), None, None)
        .unwrap();
    assert_eq!(
        items(&r, ExceptionKind::FailedTrigger).len() as u64,
        n.failed_triggers
    );
}
