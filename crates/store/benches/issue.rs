//! What a durable commit costs: the core of an issuing transaction (take the
//! next number of the series, append the `invoice.issued` audit event and move
//! the head), committed once per invoice, with the writer at
//! `synchronous=NORMAL` (the old setting) and at `synchronous=FULL` (what
//! the application uses, so a committed number survives a power cut).
//! PDF rendering (about 3 ms, see crates/documents/BENCHMARKS.md) is left
//! out: it does not depend on the durability setting.
//! Run with `cargo bench -p invoicer-store --bench issue`.

use chrono::{TimeZone, Utc};
use criterion::{criterion_main, BatchSize, Criterion};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_store::{Durability, Store, StoreError};

fn issue_one(store: &Store) {
    let at = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
    store
        .write(|tx| {
            let n = tx.next_in_series("INV-2026")?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some("bench@acme.test"),
                    "invoice.issued",
                    format!("invoice:{n}"),
                    serde_json::json!({"number": format!("INV-2026-{n:05}"), "total": "10.83"}),
                ),
                at,
            )?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("issue_commit");
    for (name, durability) in [("normal", Durability::Normal), ("full", Durability::Full)] {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with(&dir.path().join("invoicer.db"), durability).unwrap();
        g.bench_function(name, |b| {
            b.iter_batched(|| (), |()| issue_one(&store), BatchSize::SmallInput)
        });
    }
    g.finish();
}

// criterion_group! generates an undocumented public function.
#[allow(missing_docs)]
mod group {
    criterion::criterion_group!(benches, super::bench);
}
criterion_main!(group::benches);
