//! The archive of issued PDFs: written once, read back byte for byte.

use crate::{StoreError, Tx};
use rusqlite::OptionalExtension;

impl Tx<'_> {
    /// Archives an issued invoice's PDF. A second archive for the same invoice
    /// fails: archived documents are never replaced.
    pub fn archive_pdf(&self, invoice_id: i64, sha256: &str, pdf: &[u8]) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO invoice_documents (invoice_id, sha256, pdf) VALUES (?1, ?2, ?3)",
            rusqlite::params![invoice_id, sha256, pdf],
        )?;
        Ok(())
    }

    /// The archived PDF and its recorded SHA-256.
    pub fn archived_pdf(&self, invoice_id: i64) -> Result<Option<(Vec<u8>, String)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT pdf, sha256 FROM invoice_documents WHERE invoice_id = ?1",
                [invoice_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}
