//! Reads a fixture's database file directly, for what the API does not
//! answer: every table's row count (to prove a test run or a preview writes
//! nothing) and an entity's audit events. It lives here rather than in the
//! crate's lib.rs because only the tests may reach SQLite past the store
//! (scripts/check_layers.py allows rusqlite as a dev-dependency only).

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use invoicer_tests::Fixture;

/// A connection to the fixture's database file.
pub fn db(f: &Fixture) -> rusqlite::Connection {
    rusqlite::Connection::open(f.dir.path().join("invoicer.db")).unwrap()
}

/// Every table's row count — SQLite's own tables, the full-text index's and
/// those named in `except` aside: what "writes nothing" is checked against.
pub fn row_counts(f: &Fixture, except: &[&str]) -> Vec<(String, i64)> {
    let db = db(f);
    let tables: Vec<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .filter(|t| {
            !t.starts_with("sqlite_") && !t.contains("fts") && !except.contains(&t.as_str())
        })
        .map(|t| {
            let n = db
                .query_row(&format!("SELECT COUNT(*) FROM \"{t}\""), [], |r| r.get(0))
                .unwrap();
            (t, n)
        })
        .collect()
}

/// The audit events about `entity` (e.g. `schedule:3`), oldest first:
/// (action, data).
pub fn audit_events(f: &Fixture, entity: &str) -> Vec<(String, serde_json::Value)> {
    db(f)
        .prepare("SELECT action, data FROM audit_events WHERE entity = ?1 ORDER BY seq")
        .unwrap()
        .query_map([entity], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })
        .unwrap()
        .map(|r| {
            let (a, d) = r.unwrap();
            (a, serde_json::from_str(&d).unwrap())
        })
        .collect()
}
