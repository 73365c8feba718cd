//! The "Due & overdue" view through the app's API on a real SQLite file, the
//! clock moved by hand: which invoices it lists, in which order, with how many
//! days overdue, their reminders and disputes, and its filters and pages.

use chrono::{NaiveDate, TimeZone, Utc};
use invoicer_app::api::*;
use invoicer_app::ErrorCode;
use invoicer_domain::Decimal;
use invoicer_tests::{california_customer, Fixture};
use std::str::FromStr;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn set_day(f: &Fixture, d: NaiveDate) {
    f.clock
        .set(Utc.from_utc_datetime(&d.and_hms_opt(9, 0, 0).unwrap()));
}

/// An invoice issued on 2026-11-21 to `customer`, due `terms` days later.
fn issued(f: &Fixture, customer: i64, terms: u32) -> i64 {
    let mut draft = f.draft();
    draft.customer_id = customer;
    draft.terms_days = Some(terms);
    let d = f.app.create_invoice(&f.admin, &draft).unwrap();
    f.app.issue_invoice(&f.admin, d.id).unwrap();
    d.id
}

fn query() -> DueQuery {
    DueQuery {
        page: 1,
        page_size: 50,
        ..DueQuery::default()
    }
}

fn ids(page: &DuePage) -> Vec<i64> {
    page.items.iter().map(|r| r.id).collect()
}

fn row(page: &DuePage, id: i64) -> &DueInvoiceView {
    page.items.iter().find(|r| r.id == id).unwrap()
}

struct Book {
    /// Due 2026-12-01.
    late: i64,
    /// Due 2026-12-21.
    recent: i64,
    /// Due 2027-01-20.
    ahead: i64,
    /// Due 2026-12-21, disputed on 2026-12-31.
    disputed: i64,
    /// Due 2026-12-21, credited to zero.
    credited: i64,
    /// Due 2026-12-11, another customer's.
    other: i64,
    other_customer: i64,
}

/// The invoices above; the scheduler last ran on 2026-12-28 and today is
/// 2026-12-31.
fn book(f: &Fixture) -> Book {
    let other_customer = f
        .app
        .create_customer(&f.admin, &california_customer())
        .unwrap()
        .id;
    let b = Book {
        late: issued(f, f.customer.id, 10),
        recent: issued(f, f.customer.id, 30),
        ahead: issued(f, f.customer.id, 60),
        disputed: issued(f, f.customer.id, 30),
        credited: issued(f, f.customer.id, 30),
        other: issued(f, other_customer, 20),
        other_customer,
    };
    f.app
        .create_credit_note(
            &f.admin,
            &CreditNoteInput {
                invoice_id: b.credited,
                lines: Vec::new(),
                amount: Some(f.app.invoice(&f.admin, b.credited).unwrap().balance),
                reason: "Not delivered".into(),
                send: false,
            },
        )
        .unwrap();
    set_day(f, day(2026, 12, 28));
    f.app.run_jobs_once().unwrap();
    set_day(f, day(2026, 12, 31));
    f.app
        .dispute_invoice(&f.admin, b.disputed, "hours billed twice", None)
        .unwrap();
    b
}

#[test]
fn lists_open_invoices_most_overdue_first_with_reminders_and_disputes() {
    let f = Fixture::new();
    let b = book(&f);
    let page = f.app.due_invoices(&f.admin, &query()).unwrap();

    // Most overdue first, ties by id; not yet due at the end; the invoice
    // credited to zero owes nothing and is not listed.
    assert_eq!(ids(&page), [b.late, b.other, b.recent, b.disputed, b.ahead]);
    assert_eq!(page.total_count, 5);
    assert_eq!(page.today, day(2026, 12, 31));
    assert!(!ids(&page).contains(&b.credited));

    let late = row(&page, b.late);
    assert_eq!(late.days_overdue, 30);
    assert_eq!(late.due_date, day(2026, 12, 1));
    assert_eq!(late.currency, "USD");
    assert_eq!(
        late.balance,
        f.app.invoice(&f.admin, b.late).unwrap().balance
    );
    // On 2026-12-28 (D+27) catch-up sent step 2 and skipped step 1; step 3
    // (D+30) falls due today.
    assert_eq!(
        late.last_reminder,
        Some(DueReminderView {
            step: 2,
            on: day(2026, 12, 28)
        })
    );
    assert_eq!(
        late.next_reminder,
        Some(DueReminderView {
            step: 3,
            on: day(2026, 12, 31)
        })
    );
    assert!(late.can_record_payment);

    let recent = row(&page, b.recent);
    assert_eq!(recent.days_overdue, 10);
    assert_eq!(recent.last_reminder.as_ref().map(|r| r.step), Some(1));
    assert_eq!(
        recent.next_reminder,
        Some(DueReminderView {
            step: 2,
            on: day(2027, 1, 4)
        })
    );
    assert_eq!(recent.dispute_days_left, None);

    // Disputed: no next reminder, and why, with the days left.
    let disputed = row(&page, b.disputed);
    assert_eq!(disputed.dispute_days_left, Some(30));
    assert_eq!(disputed.next_reminder, None);
    assert_eq!(
        disputed.no_reminder_reason.as_deref(),
        Some("Paused: disputed, 30 days left")
    );

    // Not yet due: a negative count, "due in 20 days".
    let ahead = row(&page, b.ahead);
    assert_eq!(ahead.days_overdue, -20);
    assert_eq!(ahead.last_reminder, None);
    assert_eq!(ahead.next_reminder.as_ref().map(|r| r.step), Some(1));

    // The dispute's window runs down as the clock moves.
    set_day(&f, day(2027, 1, 10));
    let later = f.app.due_invoices(&f.admin, &query()).unwrap();
    assert_eq!(row(&later, b.disputed).dispute_days_left, Some(20));
}

#[test]
fn filters_and_pages() {
    let f = Fixture::new();
    let b = book(&f);
    let run = |q: DueQuery| f.app.due_invoices(&f.admin, &q).unwrap();

    let overdue = run(DueQuery {
        overdue_only: true,
        ..query()
    });
    assert_eq!(ids(&overdue), [b.late, b.other, b.recent, b.disputed]);

    // Due within 10 days keeps the overdue ones; within 20, the one due in 20.
    let within = |days| {
        run(DueQuery {
            due_within_days: Some(days),
            ..query()
        })
        .total_count
    };
    assert_eq!((within(10), within(20)), (4, 5));

    let theirs = run(DueQuery {
        customer_id: Some(b.other_customer),
        ..query()
    });
    assert_eq!(ids(&theirs), [b.other]);

    let in_usd = run(DueQuery {
        currency: Some("usd".into()),
        ..query()
    });
    assert_eq!(in_usd.total_count, 5);
    let in_eur = run(DueQuery {
        currency: Some("EUR".into()),
        ..query()
    });
    assert!(in_eur.items.is_empty());

    let bad = f
        .app
        .due_invoices(
            &f.admin,
            &DueQuery {
                currency: Some("DOLLARS".into()),
                ..query()
            },
        )
        .unwrap_err();
    assert_eq!(bad.code, ErrorCode::Validation);
    let detail = &bad.details.as_ref().unwrap()[0];
    assert_eq!(detail.field, "currency");

    // Pages of two never overlap and together hold every row in order.
    let mut paged = Vec::new();
    for page in 1..=3 {
        let p = run(DueQuery {
            page,
            page_size: 2,
            ..query()
        });
        assert_eq!(p.total_count, 5);
        paged.extend(ids(&p));
    }
    assert_eq!(paged, ids(&run(query())));
}

#[test]
fn a_paid_invoice_leaves_the_view_and_a_partial_payment_lowers_its_balance() {
    let f = Fixture::new();
    let b = book(&f);
    let pay = |id: i64, amount: &str| {
        f.app
            .record_payment(
                &f.admin,
                &PaymentInput {
                    invoice_id: id,
                    amount: amount.into(),
                    date: day(2026, 12, 31),
                    method: Some("bank_transfer".into()),
                    reference: None,
                },
            )
            .unwrap()
    };
    let before = f.app.invoice(&f.admin, b.late).unwrap().balance;
    pay(b.late, "100.00");
    let page = f.app.due_invoices(&f.admin, &query()).unwrap();
    let dec = |s: &str| Decimal::from_str(s).unwrap();
    assert_eq!(
        dec(&row(&page, b.late).balance),
        dec(&before) - dec("100.00")
    );
    let rest = row(&page, b.late).balance.clone();
    pay(b.late, &rest);
    let page = f.app.due_invoices(&f.admin, &query()).unwrap();
    assert!(!ids(&page).contains(&b.late));
    assert_eq!(page.total_count, 4);
}

#[test]
fn the_invoice_list_shows_a_disputed_invoice_as_disputed_with_the_days_left() {
    let f = Fixture::new();
    let b = book(&f);
    let list = |f: &Fixture| {
        f.app
            .list_invoices(
                &f.admin,
                &InvoiceQuery {
                    page_size: 50,
                    ..InvoiceQuery::default()
                },
            )
            .unwrap()
    };
    let label = |page: &InvoicePage, id: i64| {
        page.items
            .iter()
            .find(|r| r.id == id)
            .unwrap()
            .dispute_label
            .clone()
    };
    let page = list(&f);
    assert_eq!(
        label(&page, b.disputed).as_deref(),
        Some("Disputed · 30 days left")
    );
    assert_eq!(label(&page, b.late), None);
    // The Due & overdue view says the same.
    let due = f.app.due_invoices(&f.admin, &query()).unwrap();
    assert_eq!(
        row(&due, b.disputed).dispute_label.as_deref(),
        Some("Disputed · 30 days left")
    );

    // Past its window it says so; once rejected, the label goes.
    set_day(&f, day(2027, 2, 5));
    assert_eq!(
        label(&list(&f), b.disputed).as_deref(),
        Some("Disputed · past its window")
    );
    f.app
        .resolve_dispute(&f.admin, b.disputed, DisputeOutcome::Rejected)
        .unwrap();
    assert_eq!(label(&list(&f), b.disputed), None);
}

#[test]
fn a_customer_who_opted_out_is_shown_as_such_and_gets_no_next_reminder() {
    let f = Fixture::new();
    let b = book(&f);
    let switch = f
        .app
        .customer_reminders(&f.admin, b.other_customer)
        .unwrap();
    assert_eq!((switch.opt_out, switch.can_change), (false, true));
    let specialist = f.user("sam@acme.test", invoicer_app::api::Role::Specialist);
    assert!(
        f.app
            .customer_reminders(&specialist, b.other_customer)
            .unwrap()
            .can_change
    );

    f.app
        .set_customer_reminders(&f.admin, b.other_customer, true)
        .unwrap();
    assert!(
        f.app
            .customer_reminders(&f.admin, b.other_customer)
            .unwrap()
            .opt_out
    );
    let page = f.app.due_invoices(&f.admin, &query()).unwrap();
    let other = row(&page, b.other);
    assert_eq!(other.next_reminder, None);
    assert_eq!(
        other.no_reminder_reason.as_deref(),
        Some("Customer opted out")
    );

    let missing = f.app.customer_reminders(&f.admin, 9999).unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
}
