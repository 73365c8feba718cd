//! Invoicer's mail layer, the only crate that knows SMTP and MIME.
//!
//! - [`OutgoingEmail`] → a MIME message ([`message::format`]): plain text and
//!   HTML alternatives, the invoice PDF attached, Reply-To, Cc and Bcc, a
//!   Message-ID and a Date from the caller's clock. Addresses are checked and
//!   header text with line breaks is refused, so no input can add a header.
//! - [`OutboxFolder`]: the embedded default transport, `.eml` files a person
//!   can open in a mail client, written whole or not at all.
//!
//! SMTP (lettre with rustls) arrives with the sender job. Per ARCHITECTURE.md
//! this crate depends only on `invoicer-domain` among the workspace crates;
//! the app composes it with the store's outbox, whose idempotency key
//! (invoice, kind, step) keeps a retry or a crash from sending twice.

pub mod message;
pub mod outbox_folder;
pub mod transport;

pub use message::{Attachment, MailError, OutgoingEmail, Party};
pub use outbox_folder::OutboxFolder;
pub use transport::{Accepted, Transport};
