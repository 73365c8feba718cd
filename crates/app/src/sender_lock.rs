//! One sender per data folder. The outbox sender holds an exclusive lock on
//! `outbox-sender.lock` while it works, so a second process (the CLI's
//! `jobs run --once` next to the desktop app) neither sends the same queue
//! nor mistakes the other's in-flight delivery for one a crash interrupted.
//! The operating system releases the lock when its process dies, even by
//! SIGKILL, which is exactly when recovery must run.

use crate::{ApiError, AppResult, ErrorCode, Invoicer};
use std::fs::{File, OpenOptions, TryLockError};

/// The held lock; dropping it releases it.
#[derive(Debug)]
pub(crate) struct SenderLock {
    _file: File,
}

impl Invoicer {
    /// Takes the sender lock, or `None` when another process holds it.
    pub(crate) fn try_sender_lock(&self) -> AppResult<Option<SenderLock>> {
        let path = self.data_dir.join("outbox-sender.lock");
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| {
                ApiError::new(
                    ErrorCode::Internal,
                    format!("cannot open {}: {e}", path.display()),
                )
            })?;
        match file.try_lock() {
            Ok(()) => Ok(Some(SenderLock { _file: file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(ApiError::new(
                ErrorCode::Internal,
                format!("cannot lock {}: {e}", path.display()),
            )),
        }
    }
}
