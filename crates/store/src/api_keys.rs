//! The local integration API's idempotency keys: the response first given
//! to a POST, kept under its `Idempotency-Key` so the same request is
//! answered the same way again.

use crate::codec::instant_text;
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use rusqlite::OptionalExtension;

/// A response kept under an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredApiResponse {
    /// A hash of the request that made it (method, path and body).
    pub request_hash: String,
    /// The HTTP status it was given with.
    pub status: u16,
    /// The response body, byte for byte.
    pub body: String,
}

impl Tx<'_> {
    /// The response kept under `key`, if any.
    pub fn api_response(&self, key: &str) -> Result<Option<StoredApiResponse>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT request_hash, status, response FROM api_idempotency_keys
                 WHERE idem_key = ?1",
                [key],
                |r| {
                    Ok(StoredApiResponse {
                        request_hash: r.get(0)?,
                        status: r.get(1)?,
                        body: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// Keeps `response` under `key`. Fails on a key already kept (the
    /// primary key), so one key can never stand for two results.
    pub fn keep_api_response(
        &self,
        key: &str,
        response: &StoredApiResponse,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO api_idempotency_keys (idem_key, request_hash, status, response, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            (
                key,
                &response.request_hash,
                response.status,
                &response.body,
                instant_text(at),
            ),
        )?;
        Ok(())
    }

    /// Forgets the keys kept before `before`; returns how many.
    pub fn prune_api_responses(&self, before: DateTime<Utc>) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "DELETE FROM api_idempotency_keys WHERE created_at < ?1",
            [instant_text(before)],
        )?)
    }
}
