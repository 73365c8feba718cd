//! What the bulk-job tests share: a store with a user and a customer, a
//! validated and started job, and a runner that makes invoices the way the
//! app's bulk job does (claim, make, record in one transaction).

// Each test file uses some of these.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use invoicer_domain::authorization::Role;
use invoicer_domain::bulk_job::{
    BulkJobEvent, BulkJobStatus, BulkOutcome, BulkRowKey, BulkRowStatus, NewBulkJob,
};
use invoicer_domain::bulk_mapping::{
    ColumnMapping, DateStyle, MappingProfile, NumberStyle, TargetField,
};
use invoicer_domain::customer::Customer;
use invoicer_domain::delivery::{DeliveryKind, NewDelivery, Recipients};
use invoicer_domain::invoice::InvoiceContent;
use invoicer_domain::line::LineItem;
use invoicer_domain::money::{RoundingMode, RoundingScope};
use invoicer_domain::{Currency, Decimal};
use invoicer_store::{InvoiceRecord, KeyClaim, PlannedBulkInvoice, Store, StoreError, Tx};
use std::path::Path;

pub fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap()
}

pub const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

pub fn profile(name: &str) -> MappingProfile {
    let column = |header: &str, field| ColumnMapping {
        header: header.into(),
        field,
    };
    MappingProfile {
        name: name.into(),
        encoding: "utf-8".into(),
        delimiter: ',',
        columns: vec![
            column("Deal ID", Some(TargetField::InvoiceKey)),
            column("Contact Email", Some(TargetField::Email)),
            column("Amount", Some(TargetField::UnitPrice)),
            column("note", None),
        ],
        numbers: NumberStyle::default(),
        dates: DateStyle::Iso,
    }
}

/// A store with a user and a customer; returns the store, the user's id and
/// the customer.
pub fn setup(path: &Path) -> (Store, i64, Customer) {
    let store = Store::open(path).unwrap();
    let (user, customer) = store
        .write(|tx| {
            let user = tx.insert_user("specialist@acme.test", "Sam", Role::Admin, "x", at())?;
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
            Ok::<_, StoreError>((user.id, customer))
        })
        .unwrap();
    (store, user, customer)
}

/// Makes a draft invoice and queues its email, as the app's bulk job does
/// in the transaction that claims the key.
pub fn make_invoice(tx: &Tx<'_>, user: i64, customer: &Customer) -> Result<i64, StoreError> {
    let content = InvoiceContent {
        customer: customer.clone(),
        currency: Currency::from_code("USD").unwrap(),
        issue_date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
        terms_days: 30,
        notes: None,
        lines: vec![LineItem {
            description: "Consulting".into(),
            quantity: Decimal::ONE,
            unit_price: Decimal::new(12_500, 2),
            discount_percent: None,
            taxes: Vec::new(),
            tax_exemption: None,
            proration: None,
        }],
    };
    let totals = content.totals(RoundingScope::PerLine, RoundingMode::HalfUp);
    let id = tx.insert_invoice(
        InvoiceRecord {
            content: &content,
            totals: &totals,
            rounding_scope: RoundingScope::PerLine,
            rounding_mode: RoundingMode::HalfUp,
        },
        user,
        at(),
    )?;
    tx.enqueue_delivery(
        &NewDelivery {
            invoice_id: Some(id),
            kind: DeliveryKind::Invoice,
            step: 0,
            recipients: Recipients {
                to: vec![customer.email.clone()],
                ..Recipients::default()
            },
        },
        at(),
    )?;
    Ok(id)
}

pub fn key(invoice_key: &str) -> BulkRowKey {
    BulkRowKey::for_invoice(SHA, None, invoice_key).unwrap()
}

/// Creates a job for the file and plans `n` invoices `D-0`… (those whose
/// index is in `invalid` invalid), validated and started.
pub fn running_job(store: &Store, user: i64, n: u32, invalid: &[u32]) -> i64 {
    store
        .write(|tx| {
            let job = tx.create_bulk_job(
                &NewBulkJob {
                    file_name: "deals.csv".into(),
                    file_sha256: SHA.into(),
                    profile: profile("HubSpot deals"),
                    started_by: user,
                    dry_run: false,
                    send: true,
                    throttle_per_minute: Some(60),
                },
                at(),
            )?;
            let plan: Vec<PlannedBulkInvoice> = (0..n)
                .map(|i| PlannedBulkInvoice {
                    position: i,
                    key: key(&format!("D-{i}")),
                    first_line: 2 + 2 * i,
                    invalid: invalid.contains(&i),
                })
                .collect();
            tx.plan_bulk_invoices(job, &plan)?;
            assert!(tx.complete_bulk_validation(job, 2 * n)?);
            let running = BulkJobStatus::Ready.apply(BulkJobEvent::Start).unwrap();
            assert!(tx.change_bulk_job_status(job, BulkJobStatus::Ready, running, at())?);
            Ok::<_, StoreError>(job)
        })
        .unwrap()
}

/// Runs the job as the app will: each pending invoice in one transaction
/// (claim, make, record). Stops after `budget` invoices, like a kill.
pub fn run(store: &Store, job: i64, user: i64, customer: &Customer, budget: usize) -> usize {
    let mut done = 0;
    while done < budget {
        let Some(next) = store
            .read(|tx| tx.pending_bulk_invoices(job, 1))
            .unwrap()
            .pop()
        else {
            break;
        };
        store
            .write(|tx| {
                let outcome = match tx.claim_bulk_invoice_key(job, &next.key)? {
                    KeyClaim::Owned => BulkOutcome::Made {
                        status: BulkRowStatus::QueuedForSending,
                        invoice_id: make_invoice(tx, user, customer)?,
                    },
                    KeyClaim::AlreadyInvoiced { invoice_id, .. } => {
                        BulkOutcome::AlreadyInvoiced { invoice_id }
                    }
                };
                assert!(tx.record_bulk_outcome(job, next.position, &outcome)?);
                Ok::<_, StoreError>(())
            })
            .unwrap();
        done += 1;
    }
    done
}

pub fn invoice_count(store: &Store) -> i64 {
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    conn.query_row("SELECT COUNT(*) FROM invoices", [], |r| r.get(0))
        .unwrap()
}
