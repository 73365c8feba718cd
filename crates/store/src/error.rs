//! Store errors.

use std::path::PathBuf;
use thiserror::Error;

/// Why the store could not do what was asked.
#[derive(Debug, Error)]
pub enum StoreError {
    /// SQLite refused or failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The schema could not be brought up to date.
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// The data folder could not be created.
    #[error("cannot create {path}: {source}")]
    Io {
        /// The folder.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// No reader connection came free in time, or the pool could not open one.
    #[error("no database reader available: {0}")]
    ReaderPool(#[from] r2d2::Error),
    /// A stored value could not be read back as its domain type.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// Whether the error is a uniqueness violation (e.g. a duplicate email).
    pub fn is_unique_violation(&self) -> bool {
        matches!(
            self,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
        )
    }
}

impl StoreError {
    /// The `table.column` a uniqueness violation is about (e.g.
    /// `customers.email`), so the caller can name the field; `None` for
    /// other errors, and an empty string when SQLite gave no text. A
    /// multi-column constraint names its first column.
    pub fn unique_violation_column(&self) -> Option<String> {
        if !self.is_unique_violation() {
            return None;
        }
        let StoreError::Sqlite(rusqlite::Error::SqliteFailure(_, Some(text))) = self else {
            return Some(String::new());
        };
        // SQLite words it "UNIQUE constraint failed: customers.email[, ...]".
        // An index on expressions is named instead ("index 'name'"), which
        // names no column.
        let columns = text.rsplit(": ").next().unwrap_or_default();
        let first = columns.split(", ").next().unwrap_or_default();
        Some(if first.contains('.') {
            first.to_string()
        } else {
            String::new()
        })
    }
}

#[cfg(test)]
mod unique_violation_tests {
    use super::*;

    #[test]
    fn a_unique_violation_names_its_table_and_column() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE users (email TEXT UNIQUE); INSERT INTO users VALUES ('a@b.c');",
        )
        .unwrap();
        let e: StoreError = conn
            .execute("INSERT INTO users VALUES ('a@b.c')", [])
            .unwrap_err()
            .into();
        assert_eq!(e.unique_violation_column().as_deref(), Some("users.email"));
        let other: StoreError = conn
            .execute("INSERT INTO nowhere VALUES (1)", [])
            .unwrap_err()
            .into();
        assert_eq!(other.unique_violation_column(), None);
    }
}
