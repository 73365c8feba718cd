//! How fast the invoice list answers one page with 100,000 invoices stored:
//! the first page, a deep page, the overdue filter, a search and a count-heavy
//! customer filter. Run with `cargo bench -p invoicer-store`.

use chrono::{Days, NaiveDate, TimeZone, Utc};
use criterion::{criterion_main, Criterion};
use invoicer_domain::customer::Customer;
use invoicer_domain::invoice::InvoiceContent;
use invoicer_domain::lifecycle::{DisplayStatus, InvoiceStatus};
use invoicer_domain::line::LineItem;
use invoicer_domain::money::{RoundingMode, RoundingScope};
use invoicer_domain::{Currency, Decimal};
use invoicer_store::{InvoiceFilter, InvoiceRecord, InvoiceSort, StatusFilter, Store, StoreError};

const INVOICES: usize = 100_000;

fn seed(store: &Store) {
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
    let usd = Currency::from_code("USD").unwrap();
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    store
        .write(|tx| {
            let user = tx.insert_user(
                "bench@acme.test",
                "Bench",
                invoicer_domain::authorization::Role::Admin,
                "x",
                at,
            )?;
            let mut customers = Vec::new();
            for i in 0..1000 {
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
                let lines: Vec<LineItem> = (0..3)
                    .map(|k| LineItem {
                        description: format!("Service {k}"),
                        quantity: Decimal::from(1 + (i % 7) as i64),
                        unit_price: Decimal::new(4999 + k, 2),
                        discount_percent: None,
                        taxes: Vec::new(),
                        tax_exemption: None,
                        proration: None,
                    })
                    .collect();
                let content = InvoiceContent {
                    customer: customers[i % customers.len()].clone(),
                    currency: usd,
                    issue_date: start.checked_add_days(Days::new((i % 600) as u64)).unwrap(),
                    terms_days: 30,
                    notes: None,
                    lines,
                };
                let totals = content.totals(RoundingScope::PerLine, RoundingMode::HalfUp);
                let id = tx.insert_invoice(
                    InvoiceRecord {
                        content: &content,
                        totals: &totals,
                        rounding_scope: RoundingScope::PerLine,
                        rounding_mode: RoundingMode::HalfUp,
                    },
                    user.id,
                    at,
                )?;
                if i % 4 != 0 {
                    tx.mark_issued(id, &format!("INV-{i:06}"), at, None, None)?;
                }
                if i % 4 == 2 {
                    tx.set_invoice_status(id, InvoiceStatus::Paid)?;
                }
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
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
