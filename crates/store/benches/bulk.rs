//! What a bulk job's bookkeeping costs, beside the invoices it makes:
//! claiming 10,000 invoice keys and recording their outcomes (the SQL the
//! app adds to each invoice's transaction), and reading a job's counts,
//! derived with `COUNT(*) … GROUP BY status`, at 100,000 invoices.
//! The writer runs at `synchronous=NORMAL` and 100 pairs share a commit, so
//! the figure is the statements' cost; the app's commit per invoice is
//! shared with the invoice's own writes (its cost is the `issue` bench's).
//! Run with `cargo bench -p invoicer-store --bench bulk`.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use criterion::{criterion_main, BatchSize, Criterion};
use invoicer_domain::authorization::Role;
use invoicer_domain::bulk_job::{
    BulkInvoiceFailure, BulkOutcome, BulkRowKey, BulkRowStatus, NewBulkJob,
};
use invoicer_domain::bulk_mapping::{DateStyle, MappingProfile, NumberStyle};
use invoicer_domain::customer::Customer;
use invoicer_domain::invoice::InvoiceContent;
use invoicer_domain::money::{RoundingMode, RoundingScope};
use invoicer_domain::Currency;
use invoicer_store::{Durability, InvoiceRecord, KeyClaim, PlannedBulkInvoice, Store, StoreError};
use std::cell::Cell;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap()
}

/// A store with a user and one invoice; returns both ids.
fn setup(store: &Store) -> (i64, i64) {
    store
        .write(|tx| {
            let user = tx.insert_user("bench@acme.test", "Bench", Role::Admin, "x", at())?;
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
                customer,
                currency: Currency::from_code("USD").unwrap(),
                issue_date: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
                terms_days: 30,
                notes: None,
                lines: Vec::new(),
            };
            let totals = content.totals(RoundingScope::PerLine, RoundingMode::HalfUp);
            let invoice = tx.insert_invoice(
                InvoiceRecord {
                    content: &content,
                    totals: &totals,
                    rounding_scope: RoundingScope::PerLine,
                    rounding_mode: RoundingMode::HalfUp,
                },
                user.id,
                at(),
            )?;
            Ok::<_, StoreError>((user.id, invoice))
        })
        .unwrap()
}

/// A validated job for a file with hash `n` (so every job's keys are new),
/// planning `invoices` invoices.
fn job(store: &Store, user: i64, n: u64, invoices: u32) -> (i64, String) {
    let sha = format!("{n:064x}");
    let id = store
        .write(|tx| {
            let id = tx.create_bulk_job(
                &NewBulkJob {
                    file_name: "deals.csv".into(),
                    file_sha256: sha.clone(),
                    profile: MappingProfile {
                        name: "bench".into(),
                        encoding: "utf-8".into(),
                        delimiter: ',',
                        columns: Vec::new(),
                        numbers: NumberStyle::default(),
                        dates: DateStyle::Iso,
                    },
                    started_by: user,
                    dry_run: false,
                    send: true,
                    throttle_per_minute: None,
                },
                at(),
            )?;
            let plan: Vec<PlannedBulkInvoice> = (0..invoices)
                .map(|i| PlannedBulkInvoice {
                    position: i,
                    key: BulkRowKey::for_invoice(&sha, None, &format!("D-{i}")).unwrap(),
                    first_line: 2 + 3 * i,
                    invalid: false,
                })
                .collect();
            tx.plan_bulk_invoices(id, &plan)?;
            tx.complete_bulk_validation(id, 3 * invoices)?;
            Ok::<_, StoreError>(id)
        })
        .unwrap();
    (id, sha)
}

/// Claims every key of the job and records an outcome for each: most made,
/// every tenth failed.
fn claim_and_record(store: &Store, job: i64, sha: &str, invoice: i64, invoices: u32) {
    for chunk in (0..invoices).collect::<Vec<_>>().chunks(100) {
        store
            .write(|tx| {
                for &i in chunk {
                    let key = BulkRowKey::for_invoice(sha, None, &format!("D-{i}")).unwrap();
                    assert_eq!(tx.claim_bulk_invoice_key(job, &key)?, KeyClaim::Owned);
                    let outcome = if i % 10 == 9 {
                        BulkOutcome::Failed(BulkInvoiceFailure {
                            code: "validation".into(),
                            message: "refused".into(),
                        })
                    } else {
                        BulkOutcome::Made {
                            status: BulkRowStatus::QueuedForSending,
                            invoice_id: invoice,
                        }
                    };
                    tx.record_bulk_outcome(job, i, &outcome)?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_with(&dir.path().join("invoicer.db"), Durability::Normal).unwrap();
    let (user, invoice) = setup(&store);
    let files = Cell::new(0u64);
    let mut g = c.benchmark_group("bulk");
    g.sample_size(10);
    g.bench_function("claim_and_record_10k", |b| {
        b.iter_batched(
            || {
                files.set(files.get() + 1);
                job(&store, user, files.get(), 10_000)
            },
            |(id, sha)| claim_and_record(&store, id, &sha, invoice, 10_000),
            BatchSize::PerIteration,
        )
    });
    let (big, sha) = job(&store, user, u64::MAX, 100_000);
    claim_and_record(&store, big, &sha, invoice, 60_000);
    g.bench_function("counts_of_100k_invoices", |b| {
        b.iter(|| store.read(|tx| tx.bulk_job(big)).unwrap().unwrap().counts)
    });
    g.bench_function("next_pending_page_of_100k", |b| {
        b.iter(|| store.read(|tx| tx.pending_bulk_invoices(big, 100)).unwrap())
    });
    g.finish();
}

// criterion_group! generates an undocumented public function.
#[allow(missing_docs)]
mod group {
    criterion::criterion_group!(benches, super::bench);
}
criterion_main!(group::benches);
