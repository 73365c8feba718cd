//! Reads beside reads and writes: a long read (an audit export streaming the
//! trail, paused half-way) holds one reader connection of the pool, while
//! other reads complete and writes commit. Each read sees the snapshot it
//! started with.

use chrono::{DateTime, TimeZone, Utc};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::Currency;
use invoicer_store::{InvoiceFilter, Store, StoreError, READERS};
use std::sync::mpsc;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap()
}

fn event(n: u32) -> NewAuditEvent {
    NewAuditEvent::new(
        Some("admin@acme.test"),
        "test.event",
        format!("test:{n}"),
        serde_json::json!({ "n": n }),
    )
}

/// A store with ten audit events and company settings.
fn store_with_trail(dir: &tempfile::TempDir) -> Store {
    let store = Store::open(&dir.path().join("invoicer.db")).unwrap();
    store
        .write(|tx| {
            let usd = Currency::from_code("USD").unwrap();
            tx.save_company(&CompanySettings::with_defaults(
                "Acme".into(),
                "US".into(),
                Some("CA".into()),
                usd,
            ))?;
            for n in 0..10 {
                tx.append_audit(event(n), at())?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    store
}

#[test]
fn a_paused_export_blocks_neither_other_reads_nor_a_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_trail(&dir);
    let (paused_tx, paused) = mpsc::channel::<()>();
    let (resume_tx, resume) = mpsc::channel::<()>();
    let store = &store;
    let exported = std::thread::scope(|s| {
        let export = s.spawn(move || {
            store.read(|tx| {
                let mut seen = 0;
                tx.each_audit_event(|_| {
                    seen += 1;
                    if seen == 3 {
                        // Half-way through the trail: hold the read open
                        // until the other thread has read and written.
                        paused_tx.send(()).unwrap();
                        resume.recv().unwrap();
                    }
                    Ok(true)
                })?;
                Ok::<_, StoreError>(seen)
            })
        });
        paused.recv().unwrap();

        // Another read completes while the export holds its reader: with
        // one reader connection behind a mutex this waited for the export.
        let today = at().date_naive();
        let (rows, total) = store
            .read(|tx| {
                tx.list_invoices(
                    &InvoiceFilter {
                        limit: 50,
                        ..Default::default()
                    },
                    today,
                )
            })
            .unwrap();
        assert_eq!((rows.len(), total), (0, 0));
        assert_eq!(store.read(|tx| tx.company()).unwrap().unwrap().name, "Acme");

        // A write commits and the next read sees it.
        store.write(|tx| tx.append_audit(event(10), at())).unwrap();
        let head = store.read(|tx| tx.audit_head()).unwrap().unwrap();
        assert_eq!(head.seq, 11);

        resume_tx.send(()).unwrap();
        export.join().unwrap().unwrap()
    });
    // The export read the snapshot it started with: the ten events, not the
    // one committed while it was paused.
    assert_eq!(exported, 10);
    let report = store.read(|tx| tx.verify_audit(None)).unwrap();
    assert!(report.intact, "{}", report.message);
    assert_eq!(report.events_checked, 11);
}

#[test]
fn every_reader_can_hold_a_read_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_trail(&dir);
    let readers = READERS as usize;
    // Each thread holds its read open until all of them are inside one, so
    // the test only finishes if the pool serves `READERS` reads at once.
    let barrier = std::sync::Barrier::new(readers);
    let seqs: Vec<i64> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..readers)
            .map(|_| {
                s.spawn(|| {
                    store
                        .read(|tx| {
                            let head = tx.audit_head()?;
                            barrier.wait();
                            Ok::<_, StoreError>(head.map_or(0, |h| h.seq))
                        })
                        .unwrap()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(seqs, vec![10; readers]);
}

#[test]
fn a_read_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_trail(&dir);
    // Reader connections are read-only: a write inside `read` fails and
    // changes nothing.
    let err = store
        .read(|tx| tx.append_audit(event(99), at()))
        .unwrap_err();
    assert!(err.to_string().contains("readonly"), "{err}");
    let head = store.read(|tx| tx.audit_head()).unwrap().unwrap();
    assert_eq!(head.seq, 10);
}
