//! Failed sign-ins per email, kept so throttling outlives the process.

use crate::codec::{instant, instant_text};
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

/// The failed sign-ins recorded for one email since its last success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInFailures {
    /// How many in a row.
    pub count: u32,
    /// When the latest one happened.
    pub last_at: DateTime<Utc>,
}

impl Tx<'_> {
    /// The failed sign-ins for `email` (already normalised) since its last success.
    pub fn sign_in_failures(&self, email: &str) -> Result<Option<SignInFailures>, StoreError> {
        let row: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT failures, last_failure_at FROM sign_in_attempts WHERE email = ?1",
                [email],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        row.map(|(count, at)| {
            Ok(SignInFailures {
                count: u32::try_from(count).unwrap_or(u32::MAX),
                last_at: instant(&at)?,
            })
        })
        .transpose()
    }

    /// Counts one more failed sign-in for `email` at `at`; returns the new count.
    pub fn record_sign_in_failure(
        &self,
        email: &str,
        at: DateTime<Utc>,
    ) -> Result<SignInFailures, StoreError> {
        let count: i64 = self.conn.query_row(
            "INSERT INTO sign_in_attempts (email, failures, last_failure_at) VALUES (?1, 1, ?2)
             ON CONFLICT (email) DO UPDATE
                SET failures = sign_in_attempts.failures + 1, last_failure_at = excluded.last_failure_at
             RETURNING failures",
            (email, instant_text(at)),
            |r| r.get(0),
        )?;
        Ok(SignInFailures {
            count: u32::try_from(count).unwrap_or(u32::MAX),
            last_at: at,
        })
    }

    /// Forgets the failed sign-ins of `email` (after a successful one).
    pub fn clear_sign_in_failures(&self, email: &str) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM sign_in_attempts WHERE email = ?1", [email])?;
        Ok(())
    }
}
