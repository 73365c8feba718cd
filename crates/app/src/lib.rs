//! Invoicer's use cases: the one API the desktop shell and the CLI call.
//!
//! Architecture invariant: this crate composes the store (and later documents
//! and mail) but knows no SQL, no Tauri and no terminal. It never reads the
//! system clock except through [`clock::SystemClock`]; every use case takes the
//! current instant from the injected [`Clock`]. Authorization is enforced here,
//! on every call, whatever the UI shows or hides.

pub mod api;
mod approval_flow;
mod approval_queue;
mod approval_settings;
mod approvals;
mod audit_key;
mod audit_trail;
mod bulk_check;
mod bulk_run;
pub mod clock;
mod company;
mod credit_note_email;
mod credit_notes;
mod customers;
mod data_dir;
mod deliveries;
mod disputes;
mod drafts;
mod due_overdue;
mod email_identity;
mod email_message;
pub mod error;
mod event_log;
mod event_mapping;
mod event_rehearsal;
mod event_rules;
pub mod events;
mod fault_points;
mod integration_events;
mod integration_reads;
mod integration_token;
mod integrity;
mod invoice_label;
mod invoice_list;
mod invoice_pdf;
mod invoice_screen;
mod issuing;
pub mod jobs;
mod mail_transport;
mod outbox_sender;
mod passwords;
mod payment_recording;
mod payments;
mod printable;
mod printed_invoice;
mod process_lock;
mod products;
mod reconciliation;
mod refunds;
mod reminder_actions;
mod reminder_settings;
mod reminders;
mod render_budget;
mod reports;
mod schedule_run;
mod schedules;
mod session;
mod settings;
mod sign_in_throttle;
mod smtp_transport;
mod tax_rates;
mod templates;
mod threshold_test_run;
mod trigger_failures;
mod trigger_invoice;
mod usage_billing;
mod usage_events;
mod usage_thresholds;
mod views;

pub use bulk_run::BulkRunSummary;
pub use clock::{Clock, ManualClock, SystemClock};
pub use data_dir::default_data_dir;
pub use error::{ApiError, ErrorCode};
pub use event_log::EVENT_LOG_RETENTION;
pub use events::{ChannelSink, EventSink};
pub use fault_points::FREEZE_AT_ENV;
pub use integration_events::{ApiCall, ApiReply, Idempotency, IDEMPOTENCY_RETENTION};
pub use integration_token::{ServingState, API_TOKEN_NAME, TOKEN_RECHECK};
pub use invoice_pdf::write_document;
pub use jobs::{JobSet, JobsReport};
pub use render_budget::{DEFAULT_RENDER_BUDGET, RENDER_BUDGET_ENV};
pub use session::Session;

use invoicer_documents::{Renderer, TemplateBundle};
use invoicer_store::Store;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The result type of every use case.
pub type AppResult<T> = Result<T, ApiError>;

/// The application: the database and the clock, opened once per process.
pub struct Invoicer {
    store: Store,
    clock: Arc<dyn Clock>,
    data_dir: PathBuf,
    /// Parsed fonts and layout resources, made once per process; shared with
    /// the threads renderings run on.
    renderer: Arc<Renderer>,
    /// How long one template rendering may take before it is given up on.
    render_budget: Duration,
    /// Parsed template versions by (name, version); versions are immutable,
    /// so a cached bundle (with its compiled templates) never goes stale.
    bundles: Mutex<HashMap<(String, u32), Arc<TemplateBundle>>>,
    /// Who hears about changes (the window, tests).
    listeners: events::Listeners,
    /// The payment-link signing key as last read from the keychain (`None`:
    /// not read yet; `Some(None)`: none stored).
    link_key: Mutex<Option<Option<Vec<u8>>>>,
    /// The running background jobs, woken when a use case queues work.
    job_wakes: jobs::JobWakes,
    /// The integration API's token as last read from the keychain, and when.
    api_token: Mutex<Option<(String, chrono::DateTime<chrono::Utc>)>>,
    /// Orders the transactions of API events whose PDF was rendered early.
    issue_queue: event_rehearsal::IssueQueue,
}

impl Invoicer {
    /// Opens (creating if needed) the data folder and its database, applying
    /// migrations.
    pub fn open(data_dir: &Path, clock: Arc<dyn Clock>) -> AppResult<Invoicer> {
        // Made now, not at the first unknown email, so that sign-in with an
        // unknown email costs the same argon2 verification as a wrong password.
        passwords::decoy_hash();
        let store = Store::open(&data_dir.join("invoicer.db"))?;
        store.set_audit_key(audit_key::from_keychain(&store, data_dir)?);
        let app = Invoicer {
            store,
            clock,
            data_dir: data_dir.to_path_buf(),
            renderer: Arc::new(Renderer::new().map_err(|e| {
                ApiError::new(
                    ErrorCode::Document,
                    format!("cannot load the bundled fonts: {e}"),
                )
            })?),
            render_budget: render_budget::configured_budget(),
            bundles: Mutex::new(HashMap::new()),
            listeners: events::Listeners::default(),
            link_key: Mutex::new(None),
            job_wakes: jobs::JobWakes::default(),
            api_token: Mutex::new(None),
            issue_queue: event_rehearsal::IssueQueue::default(),
        };
        // A database set up before the template library existed gets the
        // default templates now, so issuing always has a template to use.
        let settings = app.store.read(|tx| tx.company())?;
        let unseeded = app.store.read(|tx| tx.templates())?.is_empty();
        if let (Some(settings), true) = (settings, unseeded) {
            let now = app.clock.now();
            app.store
                .write(|tx| templates::seed_default_templates(tx, &settings.country, now))?;
        }
        Ok(app)
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The clock in use.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Sets how long one template rendering (issue, preview, validation) may
    /// take; the default is `INVOICER_RENDER_BUDGET_MS` or 10 seconds.
    pub fn set_render_budget(&mut self, budget: Duration) {
        self.render_budget = budget;
    }
}
