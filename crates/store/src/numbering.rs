//! Gapless invoice numbering.
//!
//! The next value of a series is taken with one upsert inside the caller's
//! write transaction. The row is write-locked until that transaction ends, so
//! a concurrent issuer waits, and a rolled-back issue returns its number: no
//! gap, no duplicate. The statement is standard SQL (PostgreSQL runs it as is),
//! so correctness does not rest on SQLite's single writer.

use crate::{StoreError, Tx};
use rusqlite::OptionalExtension;

impl Tx<'_> {
    /// Takes the next sequence value of `series_key`, starting at 1.
    pub fn next_in_series(&self, series_key: &str) -> Result<u64, StoreError> {
        let n: i64 = self.conn.query_row(
            "INSERT INTO number_series (key, next_value) VALUES (?1, 2)
             ON CONFLICT (key) DO UPDATE SET next_value = next_value + 1
             RETURNING next_value - 1",
            [series_key],
            |r| r.get(0),
        )?;
        u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("series {series_key} at {n}")))
    }

    /// The value [`Tx::next_in_series`] would take now, without taking it: a
    /// guess for work done before the write transaction (another writer may
    /// take it first), never a number to issue with.
    pub fn peek_in_series(&self, series_key: &str) -> Result<u64, StoreError> {
        let n: Option<i64> = self
            .conn
            .query_row(
                "SELECT next_value FROM number_series WHERE key = ?1",
                [series_key],
                |r| r.get(0),
            )
            .optional()?;
        let n = n.unwrap_or(1);
        u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("series {series_key} at {n}")))
    }
}
