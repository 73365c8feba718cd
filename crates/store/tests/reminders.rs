//! Reminders and disputes on a real SQLite file: a step is recorded once per
//! invoice whatever the caller does, the scan finds only open invoices that
//! owe and whose customer did not opt out, and an invoice has at most one
//! open dispute.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use invoicer_domain::authorization::Role;
use invoicer_domain::customer::Customer;
use invoicer_domain::dispute::DisputeOutcome;
use invoicer_domain::invoice::InvoiceContent;
use invoicer_domain::lifecycle::InvoiceStatus;
use invoicer_domain::line::LineItem;
use invoicer_domain::money::{RoundingMode, RoundingScope};
use invoicer_domain::reminder_policy::ReminderTone;
use invoicer_domain::reminder_schedule::{DisputeState, RecordedReminder, StepOutcome};
use invoicer_domain::{Currency, Decimal};
use invoicer_store::{InvoiceRecord, Store, StoreError};

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn usd() -> Currency {
    Currency::from_code("USD").unwrap()
}

/// `n` invoices of one customer, issued on 2026-11-25, due 2026-12-25.
fn store_with_invoices(path: &std::path::Path, n: usize) -> (Store, i64, Vec<i64>) {
    let store = Store::open(path).unwrap();
    let (customer, ids) = store
        .write(|tx| {
            let user = tx.insert_user("admin@acme.test", "Admin", Role::Admin, "x", at())?;
            let mut customer = Customer {
                id: 0,
                name: "Ann Lee".into(),
                company: None,
                email: "ann@globex.test".into(),
                address: "1 Market St".into(),
                city: "Austin".into(),
                region: Some("TX".into()),
                postal_code: "73301".into(),
                country: "US".into(),
                tax_id: None,
                currency: None,
                template: None,
                cc: Vec::new(),
                bcc: Vec::new(),
                external_ref: None,
            };
            customer.id = tx.insert_customer(&customer, at())?;
            let content = InvoiceContent {
                customer: customer.clone(),
                currency: usd(),
                issue_date: day("2026-11-25"),
                terms_days: 30,
                notes: None,
                lines: vec![LineItem {
                    description: "Service".into(),
                    quantity: Decimal::ONE,
                    unit_price: Decimal::new(10000, 2),
                    discount_percent: None,
                    taxes: Vec::new(),
                    tax_exemption: None,
                    proration: None,
                }],
            };
            let totals = content.totals(RoundingScope::PerLine, RoundingMode::HalfUp);
            let mut ids = Vec::new();
            for _ in 0..n {
                let record = InvoiceRecord {
                    content: &content,
                    totals: &totals,
                    rounding_scope: RoundingScope::PerLine,
                    rounding_mode: RoundingMode::HalfUp,
                };
                let id = tx.insert_invoice(record, user.id, at())?;
                tx.set_invoice_status(id, InvoiceStatus::Issued)?;
                ids.push(id);
            }
            Ok::<_, StoreError>((customer.id, ids))
        })
        .unwrap();
    (store, customer, ids)
}

fn step(invoice_id: i64, step: u32, outcome: StepOutcome) -> RecordedReminder {
    RecordedReminder {
        invoice_id,
        step,
        outcome,
        tone: ReminderTone::Friendly,
        due_on: day("2027-01-01"),
        recorded_on: day("2027-01-01"),
        balance: Decimal::new(10000, 2),
        late_fee: Some(Decimal::new(500, 2)),
        delivery_id: None,
    }
}

#[test]
fn a_step_and_its_late_fee_are_recorded_once_per_invoice() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _, ids) = store_with_invoices(&dir.path().join("db"), 1);
    let id = ids[0];
    let first = store
        .write(|tx| tx.record_reminder(&step(id, 1, StepOutcome::Sent), usd(), at()))
        .unwrap();
    let again = store
        .write(|tx| tx.record_reminder(&step(id, 1, StepOutcome::Skipped), usd(), at()))
        .unwrap();
    assert!(first);
    assert!(!again, "the same step was recorded twice");
    let rows = store.read(|tx| tx.reminders_of(id)).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].outcome, StepOutcome::Sent);
    assert_eq!(rows[0].late_fee, Some(Decimal::new(500, 2)));
    // Even a writer that bypasses the store's upsert cannot add the step (and
    // so its fee) a second time.
    let raw = rusqlite::Connection::open(dir.path().join("db")).unwrap();
    let err = raw
        .execute(
            "INSERT INTO reminders (invoice_id, step, outcome, tone, due_on, recorded_on,
                 balance_minor, late_fee_minor, created_at)
             VALUES (?1, 1, 'sent', 'final', '2027-01-01', '2027-01-01', 10000, 500, 'x')",
            [id],
        )
        .unwrap_err();
    assert!(err.to_string().contains("UNIQUE"), "{err}");
}

#[test]
fn the_scan_finds_open_owing_invoices_of_customers_who_did_not_opt_out() {
    let dir = tempfile::tempdir().unwrap();
    let (store, customer, ids) = store_with_invoices(&dir.path().join("db"), 3);
    store
        .write(|tx| {
            tx.set_invoice_status(ids[1], InvoiceStatus::Paid)?;
            tx.record_reminder(&step(ids[2], 1, StepOutcome::Sent), usd(), at())?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    // Before the due date plus the first offset, nothing.
    let before = store
        .read(|tx| tx.reminder_candidates(day("2026-12-24"), 3))
        .unwrap();
    assert!(before.is_empty());
    let found = store
        .read(|tx| tx.reminder_candidates(day("2027-01-01"), 3))
        .unwrap();
    let found: Vec<(i64, u32)> = found.iter().map(|c| (c.invoice_id, c.last_step)).collect();
    assert_eq!(found, [(ids[0], 0), (ids[2], 1)]);
    // An invoice whose last step is decided is no longer a candidate.
    let found = store
        .read(|tx| tx.reminder_candidates(day("2027-01-01"), 1))
        .unwrap();
    assert_eq!(found.len(), 1);
    store
        .write(|tx| tx.set_customer_reminders_opt_out(customer, true))
        .unwrap();
    assert!(store
        .read(|tx| tx.reminder_candidates(day("2027-01-01"), 3))
        .unwrap()
        .is_empty());
}

#[test]
fn an_invoice_has_one_open_dispute_and_its_resolution_decides_reminders() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _, ids) = store_with_invoices(&dir.path().join("db"), 1);
    let id = ids[0];
    let open = |on: &str| {
        store
            .write(|tx| tx.open_dispute(id, "wrong hours", day(on), 30, "a@acme.test", at()))
            .unwrap()
    };
    assert!(open("2027-01-05").is_some());
    assert!(open("2027-01-06").is_none(), "a second open dispute");
    assert_eq!(
        store.read(|tx| tx.dispute_state(id)).unwrap(),
        DisputeState::Open
    );
    let inv = store.read(|tx| tx.invoice(id)).unwrap().unwrap();
    assert_eq!(inv.disputed_on, Some(day("2027-01-05")));
    // Past its window (30 days after 5 January) it is listed.
    assert!(store
        .read(|tx| tx.disputes_past_window(day("2027-02-04")))
        .unwrap()
        .is_empty());
    let late = store
        .read(|tx| tx.disputes_past_window(day("2027-02-05")))
        .unwrap();
    assert_eq!(late.iter().map(|d| d.invoice_id).collect::<Vec<_>>(), [id]);
    let resolve = |o| {
        store
            .write(|tx| tx.resolve_dispute(id, o, day("2027-02-06"), "a@acme.test"))
            .unwrap()
    };
    assert!(resolve(DisputeOutcome::Rejected));
    assert!(!resolve(DisputeOutcome::Upheld), "resolved twice");
    assert_eq!(
        store.read(|tx| tx.dispute_state(id)).unwrap(),
        DisputeState::None
    );
    assert!(store
        .read(|tx| tx.disputes_past_window(day("2027-03-01")))
        .unwrap()
        .is_empty());
    assert!(open("2027-02-10").is_some());
    assert!(store
        .write(|tx| tx.resolve_dispute(
            id,
            DisputeOutcome::Upheld,
            day("2027-02-11"),
            "a@acme.test"
        ))
        .unwrap());
    assert_eq!(
        store.read(|tx| tx.dispute_state(id)).unwrap(),
        DisputeState::Upheld
    );
    let d = store.read(|tx| tx.latest_dispute(id)).unwrap().unwrap();
    assert_eq!(
        d.resolution,
        Some((DisputeOutcome::Upheld, day("2027-02-11")))
    );
    assert_eq!(
        store
            .read(|tx| tx.invoice(id))
            .unwrap()
            .unwrap()
            .disputed_on,
        None
    );
}
