//! The outbox folder: until SMTP is configured, every email is written to
//! `outbox/` in the data folder as an `.eml` file that a person can open in
//! a mail client and send from there.

use crate::message::{format, MailError, OutgoingEmail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A folder of `.eml` files.
#[derive(Debug, Clone)]
pub struct OutboxFolder {
    dir: PathBuf,
}

impl OutboxFolder {
    /// The folder at `dir`, created when the first email is written.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        OutboxFolder { dir: dir.into() }
    }

    /// Where the files go.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `email` as `delivery-<id>.eml` and returns its path. One
    /// file per outbox delivery: writing a delivery again replaces its file
    /// instead of adding a second copy. The file appears whole or not at
    /// all: it is written beside its final name and renamed.
    pub fn write(&self, delivery_id: i64, email: &OutgoingEmail) -> Result<PathBuf, MailError> {
        let bytes = format(email, true)?;
        std::fs::create_dir_all(&self.dir)?;
        let path = self.dir.join(format!("delivery-{delivery_id}.eml"));
        let mut file = tempfile::NamedTempFile::new_in(&self.dir)?;
        file.write_all(&bytes)?;
        file.as_file().sync_all()?;
        file.persist(&path).map_err(|e| MailError::Io(e.error))?;
        Ok(path)
    }
}
