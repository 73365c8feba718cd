//! Gapless numbering through the real issue use case, with eight threads each
//! on its own connection to one database file, as eight windows would be.

use invoicer_app::api::*;
use invoicer_app::{ErrorCode, Invoicer, ManualClock};
use invoicer_tests::{Fixture, ADMIN_PASSWORD};
use std::collections::BTreeSet;
use std::sync::Arc;

#[test]
fn eight_threads_issuing_into_one_series_leave_no_gap_and_no_duplicate() {
    let f = Fixture::new();
    let per_thread = 12;
    let ids: Vec<Vec<i64>> = (0..8)
        .map(|_| {
            (0..per_thread)
                .map(|_| f.app.create_invoice(&f.admin, &f.draft()).unwrap().id)
                .collect()
        })
        .collect();
    let numbers: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = ids
            .iter()
            .map(|mine| {
                let dir = f.dir.path().to_path_buf();
                let clock = f.clock.clone();
                s.spawn(move || {
                    let app = Invoicer::open(&dir, clock as Arc<ManualClock>).unwrap();
                    let me = app
                        .sign_in(&SignInInput {
                            email: "admin@acme.test".into(),
                            password: ADMIN_PASSWORD.into(),
                        })
                        .unwrap();
                    mine.iter()
                        .map(|id| app.issue_invoice(&me, *id).unwrap().invoice.number.unwrap())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let set: BTreeSet<&String> = numbers.iter().collect();
    assert_eq!(set.len(), numbers.len(), "duplicate invoice number");
    let expected: BTreeSet<String> = (1..=8 * per_thread)
        .map(|n| format!("INV-2026-{n:05}"))
        .collect();
    assert_eq!(set, expected.iter().collect(), "gap in the series");
    assert!(f.app.verify_audit(&f.admin).unwrap().intact);
}

/// Plants a store fault on the database file: the `invoice.issued` audit
/// event, the last write of the issuing transaction, is refused, so the issue
/// fails after its number was taken, its PDF archived and its row marked.
fn refuse_issued_events(f: &Fixture) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(f.dir.path().join("invoicer.db")).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER planted_fault BEFORE INSERT ON audit_events
         WHEN NEW.action = 'invoice.issued'
         BEGIN SELECT RAISE(ABORT, 'planted disk fault'); END;",
    )
    .unwrap();
    conn
}

#[test]
fn an_issue_that_fails_after_taking_its_number_gives_it_back() {
    let f = Fixture::new();
    let first = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let events_before = f.app.verify_audit(&f.admin).unwrap().events_checked;
    let conn = refuse_issued_events(&f);

    let err = f.app.issue_invoice(&f.admin, first.id).unwrap_err();
    assert_eq!(err.code, ErrorCode::Storage, "{err:?}");

    // Nothing of the failed issue remains: no number, no archived PDF, no event.
    let after = f.app.invoice(&f.admin, first.id).unwrap();
    assert_eq!(after.number, None);
    assert_eq!(after.status, InvoiceStatus::Draft);
    let archived: i64 = conn
        .query_row("SELECT count(*) FROM invoice_documents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(archived, 0, "a failed issue archived its PDF");
    let report = f.app.verify_audit(&f.admin).unwrap();
    assert!(report.intact, "{report:?}");
    assert_eq!(report.events_checked, events_before);

    // Once the fault is gone the same invoice, then the next, take the
    // series' first numbers: the failed issue left no gap.
    conn.execute_batch("DROP TRIGGER planted_fault").unwrap();
    let first = f.app.issue_invoice(&f.admin, first.id).unwrap().invoice;
    assert_eq!(first.number.as_deref(), Some("INV-2026-00001"));
    let second = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let second = f.app.issue_invoice(&f.admin, second.id).unwrap().invoice;
    assert_eq!(second.number.as_deref(), Some("INV-2026-00002"));
    assert!(f.app.verify_audit(&f.admin).unwrap().intact);
}
