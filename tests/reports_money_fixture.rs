//! The hand-computed reports fixture, shared by the app-level tests
//! (`tests/tests/reports_money.rs`), the CLI tests
//! (`crates/cli/tests/reports.rs`) and the IPC tests
//! (`src-tauri/tests/report_commands.rs`), each including this file by
//! path, so all three assert the same figures on the same data.
//!
//! A USD company (no tax rates, so totals are the typed amounts) with three
//! customers: Northwind (USD), Initech (EUR) and one whose company name is
//! `=HYPERLINK("http://x","y")` (USD). Today is Saturday 21 November 2026.
//! Net 30 everywhere.
//!
//! | invoice | issued | amount | due | what happened |
//! |---|---|---|---|---|
//! | N1 | 06-01 | 1,000.00 | 07-01 | paid 07-11 |
//! | N2 | 07-01 | 2,000.00 | 07-31 | paid 1,500.00 08-05 and 500.00 08-20 |
//! | N3 | 08-15 | 800.00 | 09-14 | paid 300.00 09-30 (500.00 open) |
//! | N4 | 10-01 | 1,200.00 | 10-31 | open |
//! | N5 | 11-10 | 450.00 | 12-10 | open, not yet due |
//! | N6 | 05-01 | 600.00 | 05-31 | open, disputed |
//! | N7 | 09-01 | 300.00 | — | void |
//! | N8 | 11-01 | 5,000.00 | — | draft |
//! | N9 | 09-10 | 700.00 | 10-10 | credit note 200.00 on 10-20, paid 500.00 11-02 |
//! | N10 | 10-05 | 400.00 | 11-04 | paid 400.00 11-01, refunded 150.00 11-10 |
//! | X1–X10 | 10-12 … 10-21 | 100.00 each | 11-11 … 11-20 | open |
//! | H1 | 11-01 | 250.00 | 12-01 | open (the `=HYPERLINK` customer) |
//! | I1 | 07-15 | €3,000.00 | 08-14 | paid 08-10 |
//! | I2 | 09-20 | €1,500.00 | 10-20 | paid 500.00 10-25 |
//! | I3 | 11-15 | €2,500.00 | 12-15 | open |
//!
//! N4 and N10 each have their next payment reminder sent (queued) today.

#![allow(dead_code)]

use chrono::{NaiveDate, TimeZone, Utc};
use invoicer_app::api::*;
use invoicer_app::{Invoicer, ManualClock, Session};
use std::path::Path;
use std::sync::Arc;

/// The admin's email.
pub const ADMIN_EMAIL: &str = "admin@acme.test";
/// The admin's password.
pub const ADMIN_PASSWORD: &str = "correct horse battery";
/// The `=HYPERLINK` customer's company name.
pub const FORMULA_NAME: &str = "=HYPERLINK(\"http://x\",\"y\")";

/// The fixture's data.
pub struct ReportsFixture {
    /// The app on its manual clock.
    pub app: Invoicer,
    /// The clock (today: 2026-11-21 09:00 UTC).
    pub clock: Arc<ManualClock>,
    /// The admin, signed in.
    pub admin: Session,
    /// Northwind's id.
    pub northwind: i64,
    /// Initech's id.
    pub initech: i64,
    /// The `=HYPERLINK` customer's id.
    pub formula: i64,
}

/// A day of 2026.
pub fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, d).unwrap()
}

/// 09:00 UTC on a day of 2026.
pub fn at(month: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, d, 9, 0, 0).unwrap()
}

fn customer(
    app: &Invoicer,
    s: &Session,
    company: &str,
    email: &str,
    country: &str,
    region: Option<&str>,
    currency: &str,
) -> i64 {
    let (city, postal) = if country == "DE" {
        ("Berlin", "10115")
    } else {
        ("Portland", "97201")
    };
    app.create_customer(
        s,
        &CustomerInput {
            name: "Accounts Payable".into(),
            company: Some(company.into()),
            email: email.into(),
            address: "1 Main St".into(),
            city: city.into(),
            region: region.map(Into::into),
            postal_code: postal.into(),
            country: country.into(),
            tax_id: None,
            currency: Some(currency.into()),
            template: None,
            cc: None,
            bcc: None,
            external_ref: None,
        },
    )
    .expect("customer")
    .id
}

fn draft(app: &Invoicer, s: &Session, customer_id: i64, issued: NaiveDate, amount: &str) -> i64 {
    app.create_invoice(
        s,
        &DraftInput {
            customer_id,
            issue_date: Some(issued),
            terms_days: Some(30),
            notes: None,
            template: None,
            lines: vec![LineInput {
                description: "Services".into(),
                quantity: "1".into(),
                unit_price: amount.into(),
                ..LineInput::default()
            }],
        },
    )
    .expect("draft")
    .id
}

fn issued(app: &Invoicer, s: &Session, customer_id: i64, on: NaiveDate, amount: &str) -> i64 {
    let id = draft(app, s, customer_id, on, amount);
    app.issue_invoice(s, id).expect("issue");
    id
}

fn pay(app: &Invoicer, s: &Session, id: i64, amount: &str, on: NaiveDate) {
    app.record_payment(
        s,
        &PaymentInput {
            invoice_id: id,
            amount: amount.into(),
            date: on,
            method: None,
            reference: None,
        },
    )
    .expect("payment");
}

/// Builds the fixture in `dir`.
pub fn build(dir: &Path) -> ReportsFixture {
    let clock = Arc::new(ManualClock::new(at(11, 21)));
    let app = Invoicer::open(dir, clock.clone()).expect("open");
    let s = app
        .setup(&SetupInput {
            company_name: "Acme Billing".into(),
            country: "US".into(),
            region: Some("OR".into()),
            currency: "USD".into(),
            admin_email: ADMIN_EMAIL.into(),
            admin_name: "Ada Admin".into(),
            admin_password: ADMIN_PASSWORD.into(),
        })
        .expect("setup");
    app.set_setting(
        &s,
        "exchange_rates",
        r#"[{"currency":"EUR","rate":"1.08","valid_from":"2026-01-01"}]"#,
    )
    .expect("rates");
    let n = customer(
        &app,
        &s,
        "Northwind",
        "ap@northwind.test",
        "US",
        Some("OR"),
        "USD",
    );
    let i = customer(&app, &s, "Initech", "ap@initech.test", "DE", None, "EUR");
    let h = customer(
        &app,
        &s,
        FORMULA_NAME,
        "ap@formula.test",
        "US",
        Some("OR"),
        "USD",
    );

    let n1 = issued(&app, &s, n, day(6, 1), "1000.00");
    pay(&app, &s, n1, "1000.00", day(7, 11));
    let n2 = issued(&app, &s, n, day(7, 1), "2000.00");
    pay(&app, &s, n2, "1500.00", day(8, 5));
    pay(&app, &s, n2, "500.00", day(8, 20));
    let n3 = issued(&app, &s, n, day(8, 15), "800.00");
    pay(&app, &s, n3, "300.00", day(9, 30));
    let n4 = issued(&app, &s, n, day(10, 1), "1200.00");
    issued(&app, &s, n, day(11, 10), "450.00");
    let n6 = issued(&app, &s, n, day(5, 1), "600.00");
    app.dispute_invoice(&s, n6, "Hours disputed", Some(90))
        .expect("dispute");
    let n7 = issued(&app, &s, n, day(9, 1), "300.00");
    app.void_invoice(
        &s,
        &VoidInput {
            invoice_id: n7,
            reason: "Billed twice".into(),
        },
    )
    .expect("void");
    draft(&app, &s, n, day(11, 1), "5000.00");
    let n9 = issued(&app, &s, n, day(9, 10), "700.00");
    // The credit note is issued on 20 October: the clock is moved there.
    clock.set(at(10, 20));
    app.create_credit_note(
        &s,
        &CreditNoteInput {
            invoice_id: n9,
            lines: Vec::new(),
            amount: Some("200.00".into()),
            reason: "Discount agreed".into(),
            send: false,
        },
    )
    .expect("credit note");
    clock.set(at(11, 21));
    pay(&app, &s, n9, "500.00", day(11, 2));
    let n10 = issued(&app, &s, n, day(10, 5), "400.00");
    pay(&app, &s, n10, "400.00", day(11, 1));
    app.record_refund(
        &s,
        &RefundInput {
            invoice_id: n10,
            amount: "150.00".into(),
            date: day(11, 10),
            method: None,
            reference: None,
        },
    )
    .expect("refund");
    for k in 0..10 {
        issued(&app, &s, n, day(10, 12 + k), "100.00");
    }
    issued(&app, &s, h, day(11, 1), "250.00");
    let i1 = issued(&app, &s, i, day(7, 15), "3000.00");
    pay(&app, &s, i1, "3000.00", day(8, 10));
    let i2 = issued(&app, &s, i, day(9, 20), "1500.00");
    pay(&app, &s, i2, "500.00", day(10, 25));
    issued(&app, &s, i, day(11, 15), "2500.00");
    // Reminders go out for two overdue invoices (queued in the outbox): a
    // reminder moves no money (a late fee is stated in its text, never added
    // to the invoice), so no figure above changes.
    app.set_setting(&s, "email", "billing@acme.test")
        .expect("company email");
    for id in [n4, n10] {
        app.send_reminder_now(&s, id).expect("reminder");
    }

    ReportsFixture {
        app,
        clock,
        admin: s,
        northwind: n,
        initech: i,
        formula: h,
    }
}
