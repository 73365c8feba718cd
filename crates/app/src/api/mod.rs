//! The IPC types: what the desktop UI and the CLI's `--json` output exchange
//! with the use cases. They derive `ts_rs::TS`, and the generated TypeScript
//! under `ui/src/lib/bindings/` is committed; CI fails when it drifts.
//!
//! Amounts, rates and quantities cross as decimal strings, never as floats.
//! Field names are the documentation here: each struct mirrors a form or a
//! view of the UI, and the doc comment on the struct says which.

pub use crate::error::{ApiError, ErrorCode, ErrorDetail};
pub use invoicer_domain::authorization::Role;
pub use invoicer_domain::delivery::{DeliveryKind, DeliveryStatus};
pub use invoicer_domain::dispute::DisputeOutcome;
pub use invoicer_domain::invoice_actions::{InvoiceAction, RefusalCode};
pub use invoicer_domain::lifecycle::{DisplayStatus, InvoiceStatus};
pub use invoicer_domain::money::RoundingScope;
pub use invoicer_domain::smtp_settings::SmtpSecurity;

mod approval_rules;
mod approvals;
mod bulk;
mod credit_notes;
mod customers;
mod deliveries;
mod due_overdue;
mod event_rules;
mod events;
mod integration;
mod invoice_screen;
mod invoices;
mod reconciliation;
mod reminders;
mod reports;
mod schedules;
mod session;
mod templates;
mod thresholds;

pub use approval_rules::*;
pub use approvals::*;
pub use bulk::*;
pub use credit_notes::*;
pub use customers::*;
pub use deliveries::*;
pub use due_overdue::*;
pub use event_rules::*;
pub use events::*;
pub use integration::*;
pub use invoice_screen::*;
pub use invoices::*;
pub use reconciliation::*;
pub use reminders::*;
pub use reports::*;
pub use schedules::*;
pub use session::*;
pub use templates::*;
pub use thresholds::*;
