//! Invoicer's persistence: one SQLite file, migrations applied at open, and
//! repositories that speak domain types.
//!
//! Architecture invariant: SQL never leaves this crate. Callers run their work
//! inside [`Store::write`] or [`Store::read`] and call typed methods on [`Tx`];
//! every state change and its audit event share one transaction.
//!
//! One writer connection takes every write; a small pool of read-only
//! connections ([`READERS`]) serves reads beside it, so a long read (an audit
//! export streaming the whole trail) holds one reader and neither blocks the
//! other readers nor the writer (WAL: readers see the snapshot they started
//! with while the writer commits).

mod api_events;
mod api_keys;
mod approvals;
mod audit;
mod bulk_jobs;
mod bulk_reports;
mod codec;
mod company;
mod credit_notes;
mod customers;
mod deliveries;
mod disputes;
mod documents;
mod due_invoices;
mod error;
mod event_rules;
mod invoice_lookup;
mod invoice_query;
mod invoice_set;
mod invoices;
mod mapping_profiles;
mod migrations;
mod numbering;
mod payments;
mod private_files;
mod products;
mod records;
mod reminders;
mod report_exceptions;
mod report_ops;
mod reports;
mod schedules;
mod sign_in_attempts;
mod smtp_settings;
mod statement_lines;
mod tax_rates;
mod templates;
mod usage_billings;
mod usage_thresholds;
mod users;

pub use api_events::{ApiEventFilter, ApiEventOutcome, LoggedApiEvent, NewApiEvent, OUTCOME_KINDS};
pub use api_keys::StoredApiResponse;
pub use bulk_jobs::{KeyClaim, PlannedBulkInvoice};
pub use bulk_reports::StoredRowError;
pub use credit_notes::NewCreditNote;
pub use deliveries::{DeliveryChange, DeliveryQuery, ListedDelivery};
pub use due_invoices::{DueFilter, DueInvoiceRow};
pub use error::StoreError;
pub use invoice_query::{InvoiceFilter, InvoiceListRow, InvoiceSort, StatusFilter};
pub use invoices::InvoiceRecord;
pub use mapping_profiles::StoredMappingProfile;
pub use reminders::{ListedReminder, ReminderCandidate};
pub use report_exceptions::{
    ExceptionBulkRow, ExceptionDelivery, NewTriggerFailure, RefusedEvent, StaleCustomer,
    TriggerFailure, WaitingInvoice,
};
pub use report_ops::{OpsRange, OpsScope, OriginFigures, RoundOutcome};
pub use reports::{AgingCell, DayAmount, OpenBalance, PaymentSpeedRow, ReportScope};
pub use schedules::{OccurrenceOutcome, StoredOccurrence};
pub use sign_in_attempts::SignInFailures;
pub use statement_lines::{NewStatementLine, StoredStatementLine};
pub use templates::{TemplateSummary, TemplateVersionRecord};
pub use usage_billings::{BillingReason, StoredUsageBilling};
pub use usage_thresholds::{NewUsageEntry, StoredUsageEntry, UsageSource};
pub use users::StoredUser;

use invoicer_domain::audit::AuditKey;
use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

/// How many read-only connections serve reads at once: enough for the screen
/// the user is on, a background job and a long export side by side, few
/// enough that idle connections cost nothing worth counting.
pub const READERS: u32 = 4;

/// How long a writer waits for another writer (another window, the CLI, a job)
/// before giving up with "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(15);

/// The database. Cheap to share behind an `Arc`. Writes take the one writer
/// connection in turn; reads take any free connection of the reader pool, so
/// reads are blocked neither by a long write nor by another long read (WAL
/// mode).
pub struct Store {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: r2d2::Pool<SqliteConnectionManager>,
    audit_key: RwLock<Option<AuditKey>>,
}

/// An open transaction; all repository methods live here.
pub struct Tx<'a> {
    conn: &'a Connection,
    /// The key that MACs appended audit events and checks them on verify.
    audit_key: Option<AuditKey>,
}

impl Store {
    /// Opens (creating if needed) the database file and applies pending migrations.
    ///
    /// The database holds password hashes and customer data, so a folder
    /// created here is private to the user (0700) and the database file is
    /// created, or tightened, to 0600 before SQLite opens it; SQLite gives its
    /// `-wal` and `-shm` files the database file's mode.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with(path, Durability::Full)
    }

    /// [`Store::open`] with the writer's durability chosen. The application
    /// always uses [`Durability::Full`]; the benchmarks open with
    /// [`Durability::Normal`] too, to measure what durability costs.
    pub fn open_with(path: &Path, durability: Durability) -> Result<Store, StoreError> {
        private_files::prepare(path)?;
        let mut writer = connect(path, durability)?;
        migrations::apply(&mut writer)?;
        refresh_statistics(&writer)?;
        let readers = reader_pool(path)?;
        Ok(Store {
            path: path.to_path_buf(),
            writer: Mutex::new(writer),
            readers,
            audit_key: RwLock::new(None),
        })
    }

    /// Refreshes the query planner's statistics, e.g. after a bulk import.
    pub fn optimize(&self) -> Result<(), StoreError> {
        let conn = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        conn.execute_batch("ANALYZE;")?;
        Ok(())
    }

    /// Sets the key that MACs every audit event appended from now on (and
    /// checks them on verify). `None` leaves new events unkeyed.
    pub fn set_audit_key(&self, key: Option<AuditKey>) {
        *self.audit_key.write().unwrap_or_else(|p| p.into_inner()) = key;
    }

    fn audit_key(&self) -> Option<AuditKey> {
        self.audit_key
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
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
        let out = f(&Tx {
            conn: &tx,
            audit_key: self.audit_key(),
        })?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Runs `f` in a read transaction on a free reader connection: a
    /// consistent snapshot, taken when `f` first reads. If every reader is
    /// busy it waits for one (at most [`BUSY_TIMEOUT`]). The connections are
    /// read-only, so `f` cannot write even by mistake.
    pub fn read<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Tx<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.readers.get().map_err(StoreError::from)?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Deferred)
            .map_err(StoreError::from)?;
        let out = f(&Tx {
            conn: &tx,
            audit_key: self.audit_key(),
        })?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }
}

/// Runs ANALYZE when the invoice table has grown or shrunk by half since the
/// statistics were taken. Without statistics SQLite pages a filtered list by
/// sorting every match (65 ms at 100k invoices); with them it walks the
/// (date, id) index and stops after one page (0.1 ms). ANALYZE takes about
/// 40 ms at 100k invoices, so it is not run on every open.
fn refresh_statistics(conn: &Connection) -> Result<(), StoreError> {
    let rows: i64 = conn.query_row("SELECT count(*) FROM invoices", [], |r| r.get(0))?;
    if rows < 1000 {
        return Ok(());
    }
    let has_stats: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE name = 'sqlite_stat1'",
        [],
        |r| r.get(0),
    )?;
    let recorded: Option<i64> = if has_stats {
        conn.query_row(
            "SELECT max(CAST(substr(stat, 1, instr(stat || ' ', ' ') - 1) AS INTEGER))
             FROM sqlite_stat1 WHERE tbl = 'invoices'",
            [],
            |r| r.get(0),
        )?
    } else {
        None
    };
    let stale = recorded.is_none_or(|n| rows > 2 * n || 2 * rows < n);
    if stale {
        conn.execute_batch("ANALYZE;")?;
    }
    Ok(())
}

/// How hard a connection's commits are pushed to the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// WAL + `synchronous=NORMAL`: a commit survives a crash of the program
    /// but not a power cut. The benchmarks compare it with `Full`; the
    /// readers, which commit nothing, run at NORMAL too.
    Normal,
    /// WAL + `synchronous=FULL`: the WAL is fsynced at every commit, so a
    /// committed issue (its number printed on a PDF that may already be on its
    /// way) or an enqueued email survives a power cut and the number is never
    /// handed out twice. Every write goes through this connection.
    Full,
}

/// The pool of read-only connections. They are all opened here, up front, so
/// a database that cannot be read fails at open rather than at the first
/// read; none is ever closed for idleness or age, so no background thread
/// reopens connections behind the app's back.
fn reader_pool(path: &Path) -> Result<r2d2::Pool<SqliteConnectionManager>, StoreError> {
    let manager = SqliteConnectionManager::file(path)
        .with_flags(OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .with_init(|conn| {
            conn.busy_timeout(BUSY_TIMEOUT)?;
            // The writer made the file WAL (a property of the file); a reader
            // cannot change the mode, only check it.
            let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(rusqlite::Error::InvalidParameterName(format!(
                    "reader opened a database in journal mode {mode}, not WAL"
                )));
            }
            conn.pragma_update(None, "foreign_keys", "ON")?;
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            // Belt and braces beside the read-only open: a statement that
            // would write fails instead of waiting for a lock.
            conn.pragma_update(None, "query_only", "ON")?;
            Ok(())
        });
    Ok(r2d2::Pool::builder()
        .max_size(READERS)
        .min_idle(Some(READERS))
        .idle_timeout(None)
        .max_lifetime(None)
        .connection_timeout(BUSY_TIMEOUT)
        // A local file does not go stale the way a network connection does.
        .test_on_check_out(false)
        .build(manager)?)
}

fn connect(path: &Path, durability: Durability) -> Result<Connection, StoreError> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let sync = match durability {
        Durability::Normal => "NORMAL",
        Durability::Full => "FULL",
    };
    conn.pragma_update(None, "synchronous", sync)?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A power cut must not lose a committed issue: the writer fsyncs the WAL
    /// at every commit (`synchronous` 2 = FULL), in WAL mode.
    #[test]
    fn writes_are_durable_at_commit() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("invoicer.db")).unwrap();
        let conn = store.writer.lock().unwrap();
        let sync: i64 = conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        let mode: String = conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!((sync, mode.as_str()), (2, "wal"));
    }
}
