//! What the app tells the window without being asked: background changes,
//! job progress and notifications. The shell forwards each one as the Tauri
//! event named [`APP_EVENT`].

use super::deliveries::DeliveryView;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The name of the window event every [`AppEvent`] is sent under.
pub const APP_EVENT: &str = "invoicer://event";

/// Something that changed in the background.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(tag = "type", rename_all = "snake_case")]
// Events are made one at a time and dropped once told; boxing the delivery
// would only add an allocation to each.
#[allow(clippy::large_enum_variant)]
pub enum AppEvent {
    /// An invoice changed (status, payments, deliveries): a screen showing
    /// it reloads it.
    InvoiceChanged {
        /// The invoice's id.
        invoice_id: i64,
    },
    /// A delivery changed state.
    DeliveryChanged {
        /// The delivery as it is now.
        delivery: DeliveryView,
    },
    /// The counts the sidebar shows changed.
    DeliveryCounts {
        /// Failed deliveries.
        failed: u32,
        /// Deliveries of unknown outcome.
        unknown: u32,
    },
    /// A background job made progress.
    JobProgress(JobProgress),
    /// A bulk job changed: its status, or (at most a few times a second) its
    /// counts. A screen showing the job reloads its report.
    BulkJobChanged {
        /// The job's id.
        job_id: i64,
        /// Its status now (a `BulkJobView::status` name).
        status: String,
    },
    /// Something a person should know even when looking elsewhere; the shell
    /// also shows it as a desktop notification.
    Notification(NotificationView),
    /// An invoice started waiting for approval, or waits for its next level:
    /// approvers' queues and badges reload, and the shell notifies a
    /// signed-in approver.
    ApprovalRequested {
        /// The invoice's id.
        invoice_id: i64,
        /// The invoice as a person recognises it: customer and amount, and
        /// its number once issued (e.g. "Acme Ltd, 12,000.00 USD").
        label: String,
    },
    /// An approver decided on an invoice: the shell notifies its maker.
    ApprovalDecided {
        /// The invoice's id.
        invoice_id: i64,
        /// The invoice as a person recognises it: customer and amount, and
        /// its number once issued (e.g. "INV-2026-00042 · Acme Ltd, 12,000.00 USD").
        label: String,
        /// The user id of the invoice's maker, who is told.
        maker_id: i64,
        /// `approved` or `rejected`.
        decision: String,
        /// Who decided (their email).
        by: String,
        /// Why, for a rejection.
        reason: Option<String>,
    },
}

/// How far a background job is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct JobProgress {
    /// The job's name, e.g. `outbox_sender`.
    pub job: String,
    /// Units done in the current pass.
    pub done: u32,
    /// Units in the current pass.
    pub total: u32,
    /// Units per second over the current pass, as decimal text.
    pub rate_per_second: String,
    /// What it is working on, e.g. `invoice INV-2026-00042`.
    pub current: Option<String>,
    /// Units that failed in the current pass.
    pub failed: u32,
    /// Whether the pass has ended.
    pub finished: bool,
}

/// A message for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NotificationView {
    /// A short title.
    pub title: String,
    /// One or two sentences.
    pub body: String,
    /// What it is about, so a click can open it (e.g. `deliveries`).
    pub topic: String,
}
