//! Store tests on a real SQLite file: gapless numbering under concurrent
//! writers, and the audit chain catching edited and deleted rows.

use chrono::{TimeZone, Utc};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_store::{Store, StoreError};
use std::collections::BTreeSet;
use std::sync::Arc;

fn at(sec: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, sec % 60).unwrap()
}

#[test]
fn eight_writers_on_separate_connections_leave_no_gap_and_no_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoicer.db");
    drop(Store::open(&path).unwrap());
    let taken: Vec<Vec<u64>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|t| {
                let path = path.clone();
                s.spawn(move || {
                    // Each thread is its own connection, like a second window or the CLI.
                    let store = Store::open(&path).unwrap();
                    let mut mine = Vec::new();
                    for i in 0..25u32 {
                        // Every fifth attempt fails after taking a number, like an issue
                        // whose PDF could not be rendered: its number must come back.
                        let fail = (t + i) % 5 == 0;
                        let r: Result<u64, StoreError> = store.write(|tx| {
                            let n = tx.next_in_series("INV-2026-{SEQ}")?;
                            tx.append_audit(
                                NewAuditEvent::new(
                                    Some("t"),
                                    "invoice.issued",
                                    format!("n:{n}"),
                                    serde_json::json!({}),
                                ),
                                at(i),
                            )?;
                            if fail {
                                return Err(StoreError::Corrupt("simulated failure".into()));
                            }
                            Ok(n)
                        });
                        if let Ok(n) = r {
                            mine.push(n);
                        }
                    }
                    mine
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let all: Vec<u64> = taken.into_iter().flatten().collect();
    let unique: BTreeSet<u64> = all.iter().copied().collect();
    assert_eq!(unique.len(), all.len(), "a number was handed out twice");
    let expected: BTreeSet<u64> = (1..=all.len() as u64).collect();
    assert_eq!(unique, expected, "the committed numbers have a gap");
    let store = Store::open(&path).unwrap();
    let report = store.read(|tx| tx.verify_audit(None)).unwrap();
    assert!(report.intact, "{}", report.message);
    assert_eq!(report.events_checked, all.len() as u64);
}

#[test]
fn eight_threads_sharing_one_store_leave_no_gap() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(&dir.path().join("invoicer.db")).unwrap());
    let all: Vec<u64> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..8)
            .map(|_| {
                let store = store.clone();
                s.spawn(move || {
                    (0..20)
                        .map(|_| store.write(|tx| tx.next_in_series("S")).unwrap())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let set: BTreeSet<u64> = all.iter().copied().collect();
    assert_eq!(set, (1..=160).collect());
}

fn chain_of_five() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoicer.db");
    let store = Store::open(&path).unwrap();
    for i in 1..=5u32 {
        store
            .write(|tx| {
                tx.append_audit(
                    NewAuditEvent::new(
                        Some("ada@example.com"),
                        "invoice.created",
                        format!("invoice:{i}"),
                        serde_json::json!({"total": "10.00"}),
                    ),
                    at(i),
                )
            })
            .unwrap();
    }
    (dir, path)
}

/// A raw connection to the file with the append-only triggers dropped, as
/// anyone holding the file could do.
fn attacker(path: &std::path::Path) -> rusqlite::Connection {
    let raw = rusqlite::Connection::open(path).unwrap();
    raw.execute_batch(
        "DROP TRIGGER audit_events_append_only; DROP TRIGGER audit_events_undeletable;
         DROP TRIGGER audit_head_forward_only; DROP TRIGGER audit_head_undeletable;",
    )
    .unwrap();
    raw
}

#[test]
fn triggers_refuse_to_edit_or_delete_events_or_move_the_head_back() {
    let (_dir, path) = chain_of_five();
    let raw = rusqlite::Connection::open(&path).unwrap();
    for sql in [
        "UPDATE audit_events SET actor = 'mallory@evil.test' WHERE seq = 2",
        "DELETE FROM audit_events WHERE seq = 5",
        "UPDATE audit_head SET last_seq = 4",
        "DELETE FROM audit_head",
    ] {
        let e = raw.execute(sql, []).unwrap_err().to_string();
        assert!(
            e.contains("append-only") || e.contains("audit head"),
            "{sql}: {e}"
        );
    }
    let r = Store::open(&path)
        .unwrap()
        .read(|tx| tx.verify_audit(None))
        .unwrap();
    assert!(r.intact, "{}", r.message);
}

#[test]
fn a_cut_tail_with_a_lowered_head_is_caught() {
    let (_dir, path) = chain_of_five();
    let raw = attacker(&path);
    raw.execute_batch(
        "DELETE FROM audit_events WHERE seq >= 4; UPDATE audit_head SET last_seq = 3;",
    )
    .unwrap();
    let r = Store::open(&path)
        .unwrap()
        .read(|tx| tx.verify_audit(None))
        .unwrap();
    assert!(!r.intact);
    assert_eq!(r.first_broken_seq, Some(3));
    assert!(r.message.contains("cut off"), "{}", r.message);
}

#[test]
fn a_deleted_head_is_caught() {
    let (_dir, path) = chain_of_five();
    attacker(&path)
        .execute("DELETE FROM audit_head", [])
        .unwrap();
    let r = Store::open(&path)
        .unwrap()
        .read(|tx| tx.verify_audit(None))
        .unwrap();
    assert!(!r.intact);
    assert!(r.message.contains("audit head is missing"), "{}", r.message);
}

#[test]
fn audit_verify_reports_an_intact_chain() {
    let (_dir, path) = chain_of_five();
    let r = Store::open(&path)
        .unwrap()
        .read(|tx| tx.verify_audit(None))
        .unwrap();
    assert!(r.intact);
    assert_eq!(r.events_checked, 5);
}

#[test]
fn audit_verify_catches_an_edited_row() {
    let (_dir, path) = chain_of_five();
    let raw = attacker(&path);
    raw.execute(
        "UPDATE audit_events SET data = '{\"total\":\"1.00\"}' WHERE seq = 3",
        [],
    )
    .unwrap();
    let r = Store::open(&path)
        .unwrap()
        .read(|tx| tx.verify_audit(None))
        .unwrap();
    assert!(!r.intact);
    assert_eq!(r.first_broken_seq, Some(3));
    assert!(r.message.contains("seq 3"), "{}", r.message);
}

#[test]
fn audit_verify_catches_a_deleted_row() {
    let (_dir, path) = chain_of_five();
    let raw = attacker(&path);
    raw.execute("DELETE FROM audit_events WHERE seq = 2", [])
        .unwrap();
    let r = Store::open(&path)
        .unwrap()
        .read(|tx| tx.verify_audit(None))
        .unwrap();
    assert_eq!(r.first_broken_seq, Some(2));
}

#[test]
fn audit_verify_catches_a_deleted_tail() {
    let (_dir, path) = chain_of_five();
    let raw = attacker(&path);
    raw.execute("DELETE FROM audit_events WHERE seq >= 4", [])
        .unwrap();
    let r = Store::open(&path)
        .unwrap()
        .read(|tx| tx.verify_audit(None))
        .unwrap();
    assert_eq!(r.first_broken_seq, Some(4));
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    let (_dir, path) = chain_of_five();
    let store = Store::open(&path).unwrap();
    let r: Result<(), StoreError> = store.write(|tx| {
        tx.append_audit(
            NewAuditEvent::new(None, "x", "y", serde_json::json!({})),
            at(9),
        )?;
        Err(StoreError::Corrupt("boom".into()))
    });
    assert!(r.is_err());
    let report = store.read(|tx| tx.verify_audit(None)).unwrap();
    assert!(report.intact);
    assert_eq!(report.events_checked, 5);
}
