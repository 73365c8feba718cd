//! The automation and exceptions reports and the dashboard's "needs you
//! today" on a hand-computed book, through the app's API on a real SQLite
//! file with the clock moved by hand: invoices from four origins, emails
//! sent after known minutes (one retried, one failed, one unknown),
//! reminders at steps 1–3 with some paid within 7 days, approvals decided
//! after known hours, a stale approval, disputes near and past their
//! window, a bulk job with an invalid row, a schedule that failed and a
//! customer whose source went quiet. Every figure is asserted exactly.

#[path = "../report_book.rs"]
mod report_book;

use chrono::{TimeZone, Utc};
use invoicer_app::api::*;
use invoicer_app::{ErrorCode, Session};
use invoicer_domain::delivery::DeliveryStatus;
use report_book::{at, book, day};

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
    // The reminders all went to manual invoices: none to this one.
    let sent: Vec<u64> = r.reminder_steps.iter().map(|s| s.sent).collect();
    assert_eq!(sent, [0, 0, 0]);
    // Only manual invoices: every reminder, and of the invoice emails the
    // two sent and M3's failed one (not the bulk, recurring and API ones).
    let r = report(ReportFilter {
        source: s("manual"),
        ..ReportFilter::default()
    });
    let sent: Vec<(u64, u64)> = r
        .reminder_steps
        .iter()
        .map(|s| (s.sent, s.paid_within))
        .collect();
    assert_eq!(sent, [(3, 1), (2, 1), (1, 0)]);
    assert_eq!((r.delivery.sent, r.delivery.failed), (8, 1));
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
            (K::RefusedEvent, 1),
            (K::FailedTrigger, 1),
            (K::DisputePastWindow, 1),
            (K::StaleApproval, 1),
            (K::StaleCustomer, 1),
        ]
    );
    assert_eq!(r.items.len(), 8);

    let refused = items(&r, K::RefusedEvent)[0];
    assert_eq!(refused.subject, "deal.closed_won event deal-7");
    assert!(
        refused.detail.starts_with("Refused (trigger_disabled)"),
        "{}",
        refused.detail
    );
    assert!(refused.action.starts_with("Test and enable the event rule"));
    assert_eq!(refused.since, at(11, 25, 9, 30));

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
            failed_triggers: 2,
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

    // Failed triggers: the exceptions report's failed schedules and
    // refused events.
    let r = f
        .app
        .exceptions_report(&f.admin, &ReportFilter::default(), None, None)
        .unwrap();
    let listed = items(&r, ExceptionKind::FailedTrigger).len()
        + items(&r, ExceptionKind::RefusedEvent).len();
    assert_eq!(listed as u64, n.failed_triggers);
}

#[test]
fn csv_exports_are_exact_and_neutralised() {
    let b = book();
    let f = &b.f;
    // A customer fed by a source whose name a spreadsheet would run.
    let mut c = invoicer_tests::california_customer();
    c.name = "=HYPERLINK(\"http://evil.test\")".into();
    c.email = "evil@example.test".into();
    c.external_ref = Some("crm-3".into());
    f.app.create_customer(&f.admin, &c).unwrap();
    f.clock.set(at(12, 23, 9, 1));

    let request = ReportRequest::Automation {
        filter: ReportFilter::default(),
        paid_within_days: None,
    };
    let mut out = Vec::new();
    let rows = f
        .app
        .export_report_csv(&f.admin, &request, &mut out)
        .unwrap();
    let text = String::from_utf8(out).unwrap();
    let sources = invoicer_domain::trigger_source::TriggerSource::ALL.len() as u64;
    assert_eq!(rows, 2 + 4 * sources + 7 + 3 * 3 + 4);
    assert_eq!(text.lines().count() as u64, rows + 1);
    for block in [
        "section,item,measure,value\nrange,all,from,2026-09-25\nrange,all,to,2026-12-23\n\
         origin,manual,invoices,7\norigin,manual,share_percent,63.6\n\
         origin,manual,median_minutes_to_sent,8.0\norigin,manual,p90_minutes_to_sent,9.6\n\
         origin,bulk,invoices,2\n",
        "delivery,all,sent,11\ndelivery,all,failed,1\ndelivery,all,unknown,1\n\
         delivery,all,pending,0\ndelivery,all,retried,1\ndelivery,all,success_rate_percent,84.6\n\
         delivery,all,retry_rate_percent,7.7\n\
         reminder_step,1,sent,3\nreminder_step,1,paid_within_7_days,1\n\
         reminder_step,1,paid_within_7_days_percent,33.3\n",
        "reminder_step,3,sent,1\nreminder_step,3,paid_within_7_days,0\n\
         reminder_step,3,paid_within_7_days_percent,0.0\n\
         approvals,all,decided,2\napprovals,all,pending,2\napprovals,all,median_hours,13.5\n\
         approvals,all,p90_hours,21.9\n",
    ] {
        assert!(text.contains(block), "{block}\nnot in\n{text}");
    }

    let request = ReportRequest::Exceptions {
        filter: ReportFilter::default(),
        approval_days: None,
        stale_customer_days: Some(0),
    };
    let mut out = Vec::new();
    let rows = f
        .app
        .export_report_csv(&f.admin, &request, &mut out)
        .unwrap();
    let text = String::from_utf8(out).unwrap();
    // Seven items of the book, and all three customers fed by a source as
    // stale, the new one included (a minute old).
    assert_eq!(rows, 10);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("kind,subject,detail,since,action,invoice_id,customer_id,record_id")
    );
    let evil = text
        .lines()
        .find(|l| l.contains("crm-3"))
        .expect("the customer is listed");
    // The cell starts with a quote mark, so it is text, not a formula.
    assert!(
        evil.starts_with("stale_customer,\"'=HYPERLINK(\"\"http://evil.test\"\") (crm-3)\","),
        "{evil}"
    );
    assert!(
        text.contains(&format!(
            "failed_delivery,{} to Globex,",
            f.app.invoice(&f.admin, b.m3).unwrap().number.unwrap()
        )),
        "{text}"
    );
    assert!(text.contains(",Decide the dispute: uphold or reject,"));
}
