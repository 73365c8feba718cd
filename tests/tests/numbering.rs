//! Gapless numbering through the real issue use case, with eight threads each
//! on its own connection to one database file, as eight windows would be.

use invoicer_app::api::*;
use invoicer_app::{Invoicer, ManualClock};
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

#[test]
fn a_refused_issue_takes_no_number() {
    let f = Fixture::new();
    let mut big = f.draft();
    big.lines[0].quantity = "1000".into();
    let refused = f.app.create_invoice(&f.admin, &big).unwrap();
    assert!(f.app.issue_invoice(&f.admin, refused.id).is_err());
    let ok = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let ok = f.app.issue_invoice(&f.admin, ok.id).unwrap().invoice;
    assert_eq!(ok.number.as_deref(), Some("INV-2026-00001"));
}
