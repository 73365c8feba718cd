//! Invoicer's mail layer, the only crate that will know SMTP.
//!
//! It is deliberately empty until the Delivery issue: it will hold the lettre
//! transports (SMTP, and an outbox folder used until SMTP is configured) and
//! the keyring-backed credentials. Per ARCHITECTURE.md it may depend only on
//! `invoicer-domain`; the app composes it with the store's outbox table, whose
//! idempotency key (invoice, kind, step) keeps a retry or a crash from sending
//! an email twice.
