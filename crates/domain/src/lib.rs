//! Invoicer's domain: the types and rules of invoicing.
//!
//! Architecture invariant: this crate does no I/O. It reads no files, opens no
//! sockets, runs no SQL and never reads the system clock; the current instant is
//! always passed in by the caller (see [`clock::Clock`]). Everything here can be
//! tested with plain values.

pub mod approval;
pub mod approval_record;
pub mod approval_rules;
pub mod audit;
pub mod authorization;
pub mod bulk_grouping;
pub mod bulk_job;
pub mod bulk_key;
pub mod bulk_mapping;
pub mod clock;
pub mod company;
pub mod credit_note;
pub mod customer;
pub mod delivery;
pub mod dispute;
pub mod error;
pub mod event_actions;
pub mod invoice;
pub mod invoice_actions;
pub mod lifecycle;
pub mod line;
pub mod money;
pub mod numbering;
pub mod payment;
pub mod payment_link;
pub mod product;
pub mod reconciliation;
pub mod reminder_policy;
pub mod reminder_schedule;
pub mod reports;
pub mod retry_policy;
pub mod schedule;
pub mod smtp_settings;
pub mod statement_mapping;
pub mod tax;
pub mod totals;
pub mod trigger_source;
pub mod validation;

pub use error::DomainError;
pub use money::{Currency, RoundingMode};
pub use validation::{FieldError, ValidationErrors};

/// Re-exported so every crate uses the same decimal type for money.
pub use rust_decimal::Decimal;
