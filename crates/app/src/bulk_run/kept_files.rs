//! The copy of every file a bulk job runs from, kept in the data folder
//! under its SHA-256 (`bulk-files/<sha256>.csv`), so that a job resumes from
//! exactly the bytes it was checked with, even after the user moved,
//! edited or deleted the file they picked.

use crate::{ApiError, AppResult, ErrorCode, Invoicer};
use std::io::Write;
use std::path::PathBuf;

impl Invoicer {
    fn kept_file_path(&self, sha256: &str) -> PathBuf {
        self.data_dir
            .join("bulk-files")
            .join(format!("{sha256}.csv"))
    }

    /// Keeps `bytes` (whose SHA-256 is `sha256`) for the jobs that run from
    /// them. Written to a temporary file, flushed to disk and renamed, so a
    /// crash leaves either the whole copy or none; an existing copy is the
    /// same bytes and is left as it is.
    pub(super) fn keep_bulk_file(&self, sha256: &str, bytes: &[u8]) -> AppResult<()> {
        let path = self.kept_file_path(sha256);
        if path.exists() {
            return Ok(());
        }
        let io = |e: std::io::Error| {
            ApiError::new(
                ErrorCode::Internal,
                format!("cannot keep a copy of the file in {}: {e}", path.display()),
            )
        };
        let dir = path.parent().map(PathBuf::from).unwrap_or_default();
        std::fs::create_dir_all(&dir).map_err(io)?;
        let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(io)?;
        tmp.write_all(bytes).map_err(io)?;
        tmp.as_file().sync_all().map_err(io)?;
        tmp.persist(&path).map_err(|e| io(e.error))?;
        Ok(())
    }

    /// The kept bytes of the file with `sha256`, checked against it.
    pub(super) fn kept_bulk_file(&self, sha256: &str) -> AppResult<Vec<u8>> {
        let path = self.kept_file_path(sha256);
        let bytes = std::fs::read(&path).map_err(|e| {
            ApiError::new(
                ErrorCode::InvalidState,
                format!(
                    "the copy of the job's file ({}) cannot be read: {e}; send the file again",
                    path.display()
                ),
            )
        })?;
        if crate::invoice_pdf::sha256_hex(&bytes) != sha256 {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                format!(
                    "the copy of the job's file ({}) was changed; send the file again",
                    path.display()
                ),
            ));
        }
        Ok(bytes)
    }
}
