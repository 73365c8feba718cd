//! Gapless invoice numbering.
//!
//! The next value of a series is taken with one upsert inside the caller's
//! write transaction. The row is write-locked until that transaction ends, so
//! a concurrent issuer waits, and a rolled-back issue returns its number: no
//! gap, no duplicate. The statement is standard SQL (PostgreSQL runs it as is),
//! so correctness does not rest on SQLite's single writer.

use crate::{StoreError, Tx};

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
}
