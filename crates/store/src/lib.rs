//! Invoicer's persistence: one SQLite file, migrations applied at open, and
//! repositories that speak domain types.
//!
//! Architecture invariant: SQL never leaves this crate. Callers run their work
//! inside [`Store::write`] or [`Store::read`] and call typed methods on [`Tx`];
//! every state change and its audit event share one transaction.

mod audit;
mod codec;
mod company;
mod customers;
mod documents;
mod error;
mod invoice_query;
mod invoices;
mod migrations;
mod numbering;
mod payments;
mod tax_rates;
mod templates;
mod users;

pub use error::StoreError;
pub use invoice_query::{InvoiceFilter, InvoiceListRow, InvoiceSort, StatusFilter};
pub use invoices::InvoiceRecord;
pub use templates::{TemplateSummary, TemplateVersionRecord};
pub use users::StoredUser;

use rusqlite::{Connection, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// How long a writer waits for another writer (another window, the CLI, a job)
/// before giving up with "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(15);

/// The database. Cheap to share behind an `Arc`; each method takes its own
/// connection lock, so reads are not blocked by a long write (WAL mode).
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
}

/// An open transaction; all repository methods live here.
pub struct Tx<'a> {
    conn: &'a Connection,
}

impl Store {
    /// Opens (creating if needed) the database file and applies pending migrations.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Io {
                path: dir.to_path_buf(),
                source: e,
            })?;
        }
        let mut writer = connect(path)?;
        migrations::apply(&mut writer)?;
        // Refreshes the planner's statistics where they are stale, so list
        // queries pick the index that walks in sort order (SQLite's advice
        // for long-lived connections).
        writer.execute_batch("PRAGMA optimize = 0x10002;")?;
        let reader = connect(path)?;
        Ok(Store {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
            reader: Mutex::new(reader),
        })
    }

    /// Refreshes the query planner's statistics, e.g. after a bulk import.
    pub fn optimize(&self) -> Result<(), StoreError> {
        let conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        conn.execute_batch("PRAGMA optimize = 0x10002;")?;
        Ok(())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` in a write transaction (taken immediately, so concurrent
    /// writers queue instead of failing half-way). Commits when `f` returns
    /// `Ok`; rolls back on `Err`, leaving nothing half-written.
    pub fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&Tx { conn: &tx })?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Runs `f` in a read transaction: a consistent snapshot.
    pub fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.reader.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(StoreError::from)?;
        let out = f(&Tx { conn: &tx })?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }
}

fn connect(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(conn)
}
