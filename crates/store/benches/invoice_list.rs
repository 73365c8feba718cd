//! How fast the invoice list answers one page with 100,000 invoices stored:
//! the first page, a deep page, the overdue filter, a search and a count-heavy
//! customer filter. Run with `cargo bench -p invoicer-store`.

mod seed;

use chrono::NaiveDate;
use criterion::{criterion_main, Criterion};
use invoicer_domain::lifecycle::{DisplayStatus, InvoiceStatus};
use invoicer_store::{InvoiceFilter, InvoiceSort, StatusFilter, Store};
use seed::Seed;

const INVOICES: usize = 100_000;

fn seed(store: &Store) {
    let data = Seed {
        customers: 1000,
        invoices: INVOICES,
        lines: 3,
    };
    // A quarter stay drafts, a quarter are paid, the rest are open.
    data.write(store, |tx, id, i, at| {
        if i % 4 != 0 {
            tx.mark_issued(id, &format!("INV-{i:06}"), at, None, None)?;
        }
        if i % 4 == 2 {
            tx.set_invoice_status(id, InvoiceStatus::Paid)?;
        }
        Ok(())
    });
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoicer.db");
    let t = std::time::Instant::now();
    seed(&Store::open(&path).unwrap());
    eprintln!(
        "seeded {INVOICES} invoices (300k lines) in {:?}",
        t.elapsed()
    );
    // Reopening refreshes the planner's statistics, as the app's next start does.
    let t = std::time::Instant::now();
    let store = Store::open(&path).unwrap();
    eprintln!(
        "reopened with stale statistics (ANALYZE runs) in {:?}",
        t.elapsed()
    );
    let t = std::time::Instant::now();
    drop(Store::open(&path).unwrap());
    eprintln!("reopened with fresh statistics in {:?}", t.elapsed());
    let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
    let page = |f: InvoiceFilter| store.read(|tx| tx.list_invoices(&f, today)).unwrap();
    let base = InvoiceFilter {
        limit: 50,
        descending: true,
        ..InvoiceFilter::default()
    };
    let mut g = c.benchmark_group("invoice_list_100k");
    g.bench_function("first_page_by_issue_date", |b| {
        b.iter(|| page(base.clone()))
    });
    g.bench_function("page_1000_by_issue_date", |b| {
        b.iter(|| {
            page(InvoiceFilter {
                offset: 50 * 999,
                ..base.clone()
            })
        })
    });
    g.bench_function("overdue_filter", |b| {
        b.iter(|| {
            page(InvoiceFilter {
                status: Some(StatusFilter::Display(DisplayStatus::Overdue)),
                sort: InvoiceSort::DueDate,
                ..base.clone()
            })
        })
    });
    g.bench_function("search_customer_name", |b| {
        b.iter(|| {
            page(InvoiceFilter {
                search: Some("Globex 42".into()),
                ..base.clone()
            })
        })
    });
    g.bench_function("sort_by_customer", |b| {
        b.iter(|| {
            page(InvoiceFilter {
                sort: InvoiceSort::Customer,
                ..base.clone()
            })
        })
    });
    g.finish();
}

// criterion_group! generates an undocumented public function.
#[allow(missing_docs)]
mod group {
    criterion::criterion_group!(benches, super::bench);
}
criterion_main!(group::benches);
