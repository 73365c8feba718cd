//! The dashboard's numbers and the lists their links open, through the app's
//! API on a real SQLite file with the clock moved by hand: each currency's
//! overdue total is the invoice list filtered to that currency and overdue,
//! and "disputes near their window's end" is "Due & overdue" filtered to
//! them — the same length and the same sum.

use chrono::{Days, NaiveDate, TimeZone, Utc};
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

/// An invoice issued today to `customer`, due `terms` days later.
fn issued(f: &Fixture, customer: i64, terms: u32) -> i64 {
    let mut draft = f.draft();
    draft.customer_id = customer;
    draft.terms_days = Some(terms);
    let d = f.app.create_invoice(&f.admin, &draft).unwrap();
    f.app.issue_invoice(&f.admin, d.id).unwrap();
    d.id
}

/// The invoice list filtered to overdue invoices in `currency`, every row.
fn overdue_in(f: &Fixture, currency: &str) -> InvoicePage {
    f.app
        .list_invoices(
            &f.admin,
            &InvoiceQuery {
                status: Some(DisplayStatus::Overdue),
                currency: Some(currency.into()),
                page_size: 500,
                ..InvoiceQuery::default()
            },
        )
        .unwrap()
}

fn ids(page: &InvoicePage) -> Vec<i64> {
    let mut ids: Vec<i64> = page.items.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids
}

#[test]
fn each_currencys_overdue_total_is_the_list_its_link_opens() {
    let f = Fixture::new();
    let mut euro = california_customer();
    euro.name = "Euro Buyer".into();
    euro.currency = Some("EUR".into());
    let euro = f.app.create_customer(&f.admin, &euro).unwrap().id;
    // Issuing in EUR checks the approval threshold in USD, at this rate.
    let mut company = f.app.company(&f.admin).unwrap();
    company.exchange_rates.push(ExchangeRateView {
        currency: "EUR".into(),
        rate: "1.10".into(),
        valid_from: day(2026, 1, 1),
    });
    f.app.update_company(&f.admin, &company).unwrap();
    // Issued on 2026-11-21: USD due in 10 and 20 days, one not due until
    // 2027; EUR due in 15 days, and one partly paid.
    let usd_late = issued(&f, f.customer.id, 10);
    let usd_later = issued(&f, f.customer.id, 20);
    let usd_current = issued(&f, f.customer.id, 60);
    let eur_late = issued(&f, euro, 15);
    let eur_part_paid = issued(&f, euro, 15);
    f.app
        .record_payment(
            &f.admin,
            &PaymentInput {
                invoice_id: eur_part_paid,
                amount: "100.00".into(),
                date: day(2026, 11, 25),
                method: None,
                reference: None,
            },
        )
        .unwrap();
    set_day(&f, day(2026, 12, 20));

    let dashboard = f.app.dashboard(&f.admin).unwrap();
    let mut currencies: Vec<&str> = dashboard
        .overdue
        .iter()
        .map(|c| c.currency.as_str())
        .collect();
    currencies.sort_unstable();
    assert_eq!(currencies, ["EUR", "USD"]);
    for figure in &dashboard.overdue {
        let list = overdue_in(&f, &figure.currency);
        assert_eq!(list.total_count, figure.count, "{}", figure.currency);
        let sum: Decimal = list
            .items
            .iter()
            .map(|r| Decimal::from_str(&r.balance).unwrap())
            .sum();
        assert_eq!(
            sum,
            Decimal::from_str(&figure.amount).unwrap(),
            "{}",
            figure.currency
        );
        assert!(list.items.iter().all(|r| r.currency == figure.currency));
    }
    assert_eq!(ids(&overdue_in(&f, "USD")), [usd_late, usd_later]);
    assert_eq!(ids(&overdue_in(&f, "eur")), [eur_late, eur_part_paid]);
    // The currency filter alone keeps invoices that are not overdue too.
    let all_usd = f
        .app
        .list_invoices(
            &f.admin,
            &InvoiceQuery {
                currency: Some("USD".into()),
                ..InvoiceQuery::default()
            },
        )
        .unwrap();
    assert_eq!(ids(&all_usd), [usd_late, usd_later, usd_current]);
}

#[test]
fn an_unknown_currency_is_refused_naming_the_field() {
    let f = Fixture::new();
    let err = f
        .app
        .list_invoices(
            &f.admin,
            &InvoiceQuery {
                currency: Some("EURO".into()),
                ..InvoiceQuery::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    let detail = &err.details.as_ref().unwrap()[0];
    assert_eq!(
        (detail.field.as_str(), detail.value.as_deref()),
        ("currency", Some("EURO"))
    );
}

#[test]
fn disputes_near_their_windows_end_are_the_list_their_link_opens() {
    let f = Fixture::new();
    // Five invoices issued on 2026-11-21, none due before 2027.
    let invoices: Vec<i64> = (0..5).map(|_| issued(&f, f.customer.id, 60)).collect();
    let [ends_in_3, ends_in_10, ended_2_ago, resolved, undisputed] = invoices[..] else {
        unreachable!()
    };
    let today = day(2027, 1, 1);
    let before = |n: u64| today.checked_sub_days(Days::new(n)).unwrap();
    // 30-day windows opened 32, 27 and 20 days before today end 2 days ago,
    // in 3 days and in 10 days; a dispute ending tomorrow is resolved.
    for (opened, invoice) in [
        (before(32), ended_2_ago),
        (before(29), resolved),
        (before(27), ends_in_3),
        (before(20), ends_in_10),
    ] {
        set_day(&f, opened);
        f.app
            .dispute_invoice(&f.admin, invoice, "hours billed twice", Some(30))
            .unwrap();
    }
    f.app
        .resolve_dispute(&f.admin, resolved, DisputeOutcome::Rejected)
        .unwrap();
    set_day(&f, today);

    let near = f
        .app
        .due_invoices(
            &f.admin,
            &DueQuery {
                dispute_window_within_days: Some(7),
                page: 1,
                page_size: 50,
                ..DueQuery::default()
            },
        )
        .unwrap();
    let mut listed: Vec<i64> = near.items.iter().map(|r| r.id).collect();
    listed.sort_unstable();
    let mut expected = vec![ends_in_3, ended_2_ago];
    expected.sort_unstable();
    assert_eq!(listed, expected);
    assert_eq!(near.total_count, 2);
    let left: Vec<Option<i64>> = near.items.iter().map(|r| r.dispute_days_left).collect();
    assert!(
        left.contains(&Some(3)) && left.contains(&Some(-2)),
        "{left:?}"
    );
    // The dashboard's count is that list's length.
    assert_eq!(f.app.disputes_near_window_end(&f.admin).unwrap(), 2);
    let dashboard = f.app.dashboard(&f.admin).unwrap();
    assert_eq!(
        dashboard.needs_you.disputes_near_window_end,
        near.total_count
    );

    // A wider window takes in the dispute ending in 10 days, never the
    // resolved one nor the invoice without a dispute.
    let wider = f
        .app
        .due_invoices(
            &f.admin,
            &DueQuery {
                dispute_window_within_days: Some(10),
                page: 1,
                page_size: 50,
                ..DueQuery::default()
            },
        )
        .unwrap();
    assert_eq!(wider.total_count, 3);
    assert!(!wider
        .items
        .iter()
        .any(|r| r.id == undisputed || r.id == resolved));

    // Three days on, the one ending in 10 days is within 7 too.
    set_day(&f, day(2027, 1, 4));
    assert_eq!(f.app.disputes_near_window_end(&f.admin).unwrap(), 3);
}

#[test]
fn a_dispute_window_filter_beyond_ten_years_is_refused_naming_the_field() {
    let f = Fixture::new();
    let err = f
        .app
        .due_invoices(
            &f.admin,
            &DueQuery {
                dispute_window_within_days: Some(100_000),
                page: 1,
                page_size: 50,
                ..DueQuery::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(
        err.details.as_ref().unwrap()[0].field,
        "dispute_window_within_days"
    );
}
