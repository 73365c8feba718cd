//! Invoice-list reads from one thread and from two threads at once, with
//! 20,000 invoices stored. With one reader connection behind a mutex the two
//! threads take turns (a pair of reads costs twice one read); with a pool of
//! readers they run side by side on two cores. Run with
//! `cargo bench -p invoicer-store --bench concurrent_reads`.

use chrono::{Days, NaiveDate, TimeZone, Utc};
use criterion::{criterion_main, Criterion};
use invoicer_domain::customer::Customer;
use invoicer_domain::invoice::InvoiceContent;
use invoicer_domain::line::LineItem;
use invoicer_domain::money::{RoundingMode, RoundingScope};
use invoicer_domain::{Currency, Decimal};
use invoicer_store::{InvoiceFilter, InvoiceRecord, Store, StoreError};
use std::time::{Duration, Instant};

const INVOICES: usize = 20_000;

fn seed(store: &Store) {
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
    let usd = Currency::from_code("USD").unwrap();
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    store
        .write(|tx| {
            let role = invoicer_domain::authorization::Role::Admin;
            let user = tx.insert_user("bench@acme.test", "Bench", role, "x", at)?;
            let mut customers = Vec::new();
            for i in 0..100 {
                let mut c = Customer {
                    id: 0,
                    name: format!("Customer {i}"),
                    company: Some(format!("Globex {i}")),
                    email: format!("c{i}@example.com"),
                    address: "1 Main St".into(),
                    city: "Austin".into(),
                    region: Some("TX".into()),
                    postal_code: "73301".into(),
                    country: "US".into(),
                    tax_id: None,
                    currency: None,
                    template: None,
                };
                c.id = tx.insert_customer(&c, at)?;
                customers.push(c);
            }
            for i in 0..INVOICES {
                let content = InvoiceContent {
                    customer: customers[i % customers.len()].clone(),
                    currency: usd,
                    issue_date: start.checked_add_days(Days::new((i % 600) as u64)).unwrap(),
                    terms_days: 30,
                    notes: None,
                    lines: vec![LineItem {
                        description: "Service".into(),
                        quantity: Decimal::from(1 + (i % 7) as i64),
                        unit_price: Decimal::new(4999, 2),
                        discount_percent: None,
                        taxes: Vec::new(),
                        tax_exemption: None,
                        proration: None,
                    }],
                };
                let totals = content.totals(RoundingScope::PerLine, RoundingMode::HalfUp);
                let record = InvoiceRecord {
                    content: &content,
                    totals: &totals,
                    rounding_scope: RoundingScope::PerLine,
                    rounding_mode: RoundingMode::HalfUp,
                };
                let id = tx.insert_invoice(record, user.id, at)?;
                tx.mark_issued(id, &format!("INV-{i:06}"), at, None, None)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

/// `threads` threads each run `per_thread` list reads; the wall time of all.
fn run(store: &Store, threads: usize, per_thread: u64) -> Duration {
    let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    // A search over every invoice: a read that takes a few milliseconds, as
    // a filtered list with its count does on a large database.
    let filter = InvoiceFilter {
        search: Some("Globex 4".into()),
        limit: 50,
        ..InvoiceFilter::default()
    };
    let t = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                for _ in 0..per_thread {
                    store.read(|tx| tx.list_invoices(&filter, today)).unwrap();
                }
            });
        }
    });
    t.elapsed()
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoicer.db");
    seed(&Store::open(&path).unwrap());
    let store = Store::open(&path).unwrap();
    let mut g = c.benchmark_group("invoice_list_20k_concurrent");
    // One "iteration" is one read per thread: with two threads, two reads.
    g.bench_function("one_thread", |b| b.iter_custom(|n| run(&store, 1, n)));
    g.bench_function("two_threads", |b| b.iter_custom(|n| run(&store, 2, n)));
    g.finish();
}

fn benches() {
    let mut c = Criterion::default()
        .configure_from_args()
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    bench(&mut c);
}

criterion_main!(benches);
