//! One worker per data folder. The outbox sender holds an exclusive lock on
//! `outbox-sender.lock` while it works, so a second process (the CLI's
//! `jobs run --once` next to the desktop app) neither sends the same queue
//! nor mistakes the other's in-flight delivery for one a crash interrupted.
//! The bulk runner holds `bulk-runner.lock` for the same reason: a job left
//! `running` is an orphan to resume only when no live process holds it.
//! The operating system releases a lock when its process dies, even by
//! SIGKILL, which is exactly when recovery must run.

use crate::{ApiError, AppResult, ErrorCode, Invoicer};
use std::fs::{File, OpenOptions, TryLockError};

/// The held lock; dropping it releases it.
#[derive(Debug)]
pub(crate) struct ProcessLock {
    _file: File,
}

impl Invoicer {
    /// Takes the sender lock, or `None` when another process holds it.
    pub(crate) fn try_sender_lock(&self) -> AppResult<Option<ProcessLock>> {
        self.try_process_lock("outbox-sender.lock")
    }

    /// Takes the lock in the data folder named `file_name`, or `None` when
    /// another process (or another holder in this one) has it.
    pub(crate) fn try_process_lock(&self, file_name: &str) -> AppResult<Option<ProcessLock>> {
        let path = self.data_dir.join(file_name);
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
            Ok(()) => Ok(Some(ProcessLock { _file: file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(ApiError::new(
                ErrorCode::Internal,
                format!("cannot lock {}: {e}", path.display()),
            )),
        }
    }
}
