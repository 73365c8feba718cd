//! Finding an invoice by the number printed on it, for callers (the local
//! integration API) that only know the number.

use crate::{StoreError, Tx};
use rusqlite::OptionalExtension;

impl Tx<'_> {
    /// The id of the invoice numbered `number`, if one is.
    pub fn invoice_id_by_number(&self, number: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT id FROM invoices WHERE number = ?1", [number], |r| {
                r.get(0)
            })
            .optional()?)
    }
}
