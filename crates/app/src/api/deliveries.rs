//! The outbox as the screens see it: deliveries, email settings and the test
//! email.

use invoicer_domain::delivery::{DeliveryKind, DeliveryStatus};
use invoicer_domain::smtp_settings::SmtpSecurity;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `DeliveryKind` as TypeScript sees it.
#[derive(TS)]
#[ts(export, rename = "DeliveryKind", rename_all = "snake_case")]
#[allow(dead_code)]
pub(crate) enum DeliveryKindTs {
    Invoice,
    Reminder,
    Receipt,
    Test,
    CreditNote,
}

/// `DeliveryStatus` as TypeScript sees it.
#[derive(TS)]
#[ts(export, rename = "DeliveryStatus", rename_all = "snake_case")]
#[allow(dead_code)]
pub(crate) enum DeliveryStatusTs {
    Queued,
    Sending,
    Sent,
    Retrying,
    Failed,
    Unknown,
}

/// `SmtpSecurity` as TypeScript sees it.
#[derive(TS)]
#[ts(export, rename = "SmtpSecurity", rename_all = "snake_case")]
#[allow(dead_code)]
pub(crate) enum SmtpSecurityTs {
    Starttls,
    Tls,
    None,
}

/// What a person may do with a delivery now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryAction {
    /// Queue it again: "Retry" on a failed delivery, "Resend" on one whose
    /// outcome is unknown.
    Resend,
    /// Confirm that a delivery of unknown outcome did arrive.
    MarkSent,
}

/// A server's reply as shown to a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SmtpReplyView {
    /// The three-digit SMTP code (0 when there was no reply, e.g. the
    /// connection was refused).
    pub code: u16,
    /// The server's text, or what went wrong.
    pub text: String,
}

/// One row of the Deliveries screen and of an invoice's deliveries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeliveryView {
    /// The stored id.
    pub id: i64,
    /// The invoice it delivers (none for a test email).
    pub invoice_id: Option<i64>,
    /// The invoice's number, once issued.
    pub invoice_number: Option<String>,
    /// The customer's name.
    pub customer_name: Option<String>,
    /// Why it is sent.
    #[ts(as = "DeliveryKindTs")]
    pub kind: DeliveryKind,
    /// 0 for the first sending, the reminder number for reminders, one more
    /// per deliberate resend.
    pub step: u32,
    /// `To` addresses.
    pub to: Vec<String>,
    /// `Cc` addresses.
    pub cc: Vec<String>,
    /// `Bcc` addresses.
    pub bcc: Vec<String>,
    /// Where it stands.
    #[ts(as = "DeliveryStatusTs")]
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// Attempts allowed by the retry policy.
    pub max_attempts: u32,
    /// When the next attempt is due (RFC 3339), while queued or retrying.
    pub next_attempt_at: Option<String>,
    /// The server's last answer.
    pub last_reply: Option<SmtpReplyView>,
    /// The Message-ID of the last message handed over.
    pub message_id: Option<String>,
    /// When it was queued (RFC 3339).
    pub created_at: String,
    /// When its status last changed (RFC 3339).
    pub updated_at: String,
    /// What the signed-in person may do with it now.
    pub actions: Vec<DeliveryAction>,
}

/// Which deliveries to list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeliveryFilter {
    /// Only this status.
    #[serde(default)]
    #[ts(as = "Option<DeliveryStatusTs>", optional = nullable)]
    pub status: Option<DeliveryStatus>,
    /// Only those a person has to look at (failed or unknown).
    #[serde(default)]
    pub needs_a_person: bool,
    /// Only this invoice's.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub invoice_id: Option<i64>,
    /// At most this many, newest first (default 200).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub limit: Option<u32>,
}

/// The Deliveries screen: the rows asked for and the counts the sidebar shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeliveryList {
    /// Newest first.
    pub rows: Vec<DeliveryView>,
    /// How many deliveries failed, in all.
    pub failed: u32,
    /// How many have an unknown outcome, in all.
    pub unknown: u32,
}

/// How mail leaves the app, as Settings → Email shows it. Never holds a
/// secret: only whether one is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EmailSettingsView {
    /// `true` when an SMTP server is configured; otherwise mail is written
    /// as `.eml` files to `outbox_dir`.
    pub smtp_configured: bool,
    /// The folder `.eml` files go to while no SMTP server is configured.
    pub outbox_dir: String,
    /// The SMTP server's host.
    pub host: Option<String>,
    /// The SMTP server's port.
    pub port: Option<u16>,
    /// How the connection is secured.
    #[ts(as = "Option<SmtpSecurityTs>")]
    pub security: Option<SmtpSecurity>,
    /// The user name, if the server needs one.
    pub username: Option<String>,
    /// Whether a password for that user is stored in the OS keychain.
    pub password_stored: bool,
    /// Whether a payment-link signing secret is stored in the OS keychain.
    pub payment_link_signed: bool,
    /// Whether the OS keychain answered; without it no secret can be stored
    /// (and none is ever written anywhere else).
    pub keychain_available: bool,
    /// Why the keychain is unavailable, when it is.
    pub keychain_problem: Option<String>,
}

/// Settings → Email's SMTP form.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SmtpSettingsInput {
    /// The server's host name or IP address.
    pub host: String,
    /// The TCP port.
    pub port: u16,
    /// How the connection is secured.
    #[ts(as = "SmtpSecurityTs")]
    pub security: SmtpSecurity,
    /// The user name; blank or absent sends without signing in.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub username: Option<String>,
    /// A new password, stored in the OS keychain; absent keeps the stored
    /// one. Never echoed back.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub password: Option<String>,
}

/// What "Send test email" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TestEmailResult {
    /// The test delivery, in its final state for this attempt.
    pub delivery: DeliveryView,
    /// The `.eml` file written, when no SMTP server is configured.
    pub outbox_file: Option<String>,
}
