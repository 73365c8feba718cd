//! Invoicer's use cases: the one API the desktop shell and the CLI call.
//!
//! Architecture invariant: this crate composes the store (and later documents
//! and mail) but knows no SQL, no Tauri and no terminal. It never reads the
//! system clock except through [`clock::SystemClock`]; every use case takes the
//! current instant from the injected [`Clock`]. Authorization is enforced here,
//! on every call, whatever the UI shows or hides.

pub mod api;
mod audit_trail;
pub mod clock;
mod company;
mod customers;
mod data_dir;
mod drafts;
pub mod error;
mod invoice_list;
mod issuing;
mod passwords;
mod payments;
mod session;
mod tax_rates;
mod views;

pub use clock::{Clock, ManualClock, SystemClock};
pub use data_dir::default_data_dir;
pub use error::{ApiError, ErrorCode};
pub use session::Session;

use invoicer_store::Store;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The result type of every use case.
pub type AppResult<T> = Result<T, ApiError>;

/// The application: the database and the clock, opened once per process.
pub struct Invoicer {
    store: Store,
    clock: Arc<dyn Clock>,
    data_dir: PathBuf,
}

impl Invoicer {
    /// Opens (creating if needed) the data folder and its database, applying
    /// migrations.
    pub fn open(data_dir: &Path, clock: Arc<dyn Clock>) -> AppResult<Invoicer> {
        let store = Store::open(&data_dir.join("invoicer.db"))?;
        Ok(Invoicer {
            store,
            clock,
            data_dir: data_dir.to_path_buf(),
        })
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The clock in use.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }
}
