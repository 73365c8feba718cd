//! Invoice-list reads from one thread and from two threads at once, with
//! 20,000 invoices stored. With one reader connection behind a mutex the two
//! threads take turns (a pair of reads costs twice one read); with a pool of
//! readers they run side by side on two cores. Run with
//! `cargo bench -p invoicer-store --bench concurrent_reads`.

mod seed;

use chrono::NaiveDate;
use criterion::{criterion_main, Criterion};
use invoicer_store::{InvoiceFilter, Store};
use seed::Seed;
use std::time::{Duration, Instant};

const INVOICES: usize = 20_000;

fn seed(store: &Store) {
    let data = Seed {
        customers: 100,
        invoices: INVOICES,
        lines: 1,
    };
    data.write(store, |tx, id, i, at| {
        tx.mark_issued(id, &format!("INV-{i:06}"), at, None, None)
    });
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
