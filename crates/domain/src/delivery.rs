//! Deliveries: one email the outbox owes someone, and the states it moves
//! through until a person can stop thinking about it.
//!
//! The rule that keeps a crash from sending an email twice lives here: a
//! delivery is marked `sending` before the SMTP transaction starts, and a
//! `sending` delivery found at start-up (the process died mid-send, so the
//! server may or may not have accepted it) becomes `unknown`. Nothing retries
//! an `unknown` delivery by itself; a person decides to resend it or to mark
//! it sent.

use crate::error::DomainError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why an email is sent. With the invoice and the step it makes the
/// delivery's idempotency key, unique in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryKind {
    /// The invoice itself, with its PDF.
    Invoice,
    /// A payment reminder; the step is the reminder's number.
    Reminder,
    /// A receipt for a payment.
    Receipt,
    /// A test email from the settings, tied to no invoice.
    Test,
    /// A credit note of the invoice, with its PDF; the step is the credit
    /// note's id.
    CreditNote,
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its first attempt.
    Queued,
    /// An attempt is under way: the SMTP transaction may have started.
    Sending,
    /// The server accepted the message.
    Sent,
    /// An attempt failed temporarily; another is scheduled.
    Retrying,
    /// It will not be sent without a person asking again.
    Failed,
    /// An attempt was cut off after the server may have accepted the
    /// message; a person decides whether to resend it.
    Unknown,
}

/// Who receives a delivery. Addresses are validated before anything is
/// queued, so what is stored is what is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recipients {
    /// The `To` addresses.
    pub to: Vec<String>,
    /// The `Cc` addresses.
    pub cc: Vec<String>,
    /// The `Bcc` addresses.
    pub bcc: Vec<String>,
}

/// A server's answer to an attempt, as shown to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpReply {
    /// The three-digit SMTP reply code.
    pub code: u16,
    /// The server's text.
    pub text: String,
}

/// A delivery to queue. `(invoice_id, kind, step)` is its idempotency key:
/// queueing the same key twice queues it once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDelivery {
    /// The invoice it belongs to (none for a test email).
    pub invoice_id: Option<i64>,
    /// Why it is sent.
    pub kind: DeliveryKind,
    /// Which one of its kind: 0 for an invoice's first sending, the reminder
    /// number for reminders, one more for each deliberate resend.
    pub step: u32,
    /// Who receives it.
    pub recipients: Recipients,
}

/// A delivery as the outbox holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The stored id.
    pub id: i64,
    /// The invoice it belongs to (none for a test email).
    pub invoice_id: Option<i64>,
    /// Why it is sent.
    pub kind: DeliveryKind,
    /// Which one of its kind (see [`NewDelivery::step`]).
    pub step: u32,
    /// Who receives it.
    pub recipients: Recipients,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts started so far.
    pub attempts: u32,
    /// When the sender may try next (for `retrying`).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The server's last answer, if any.
    pub last_reply: Option<SmtpReply>,
    /// The Message-ID of the last message handed to the server.
    pub message_id: Option<String>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When its status last changed.
    pub updated_at: DateTime<Utc>,
}

/// What happens to a delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryEvent {
    /// The sender takes it for an attempt, before talking to the server.
    Claim,
    /// The server accepted the message.
    Accepted,
    /// The attempt failed and the retry policy schedules another at this time.
    RetryAt(DateTime<Utc>),
    /// The attempt failed for good (a permanent reply, or no attempts left).
    GiveUp,
    /// The attempt ended without knowing whether the server accepted the
    /// message: the connection dropped after the data was sent, or the
    /// process died while the delivery was `sending`.
    Interrupted,
    /// A person asks for it to be sent again (after `failed` or `unknown`).
    Resend,
    /// A person confirms an `unknown` delivery did arrive.
    MarkSent,
}

impl DeliveryEvent {
    /// The event's name in refusals.
    fn name(&self) -> &'static str {
        match self {
            DeliveryEvent::Claim => "send",
            DeliveryEvent::Accepted => "mark accepted",
            DeliveryEvent::RetryAt(_) => "schedule a retry",
            DeliveryEvent::GiveUp => "give up",
            DeliveryEvent::Interrupted => "mark interrupted",
            DeliveryEvent::Resend => "resend",
            DeliveryEvent::MarkSent => "mark sent",
        }
    }
}

impl DeliveryKind {
    /// The snake_case name people and scripts see (as the IPC types spell it).
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryKind::Invoice => "invoice",
            DeliveryKind::Reminder => "reminder",
            DeliveryKind::Receipt => "receipt",
            DeliveryKind::Test => "test",
            DeliveryKind::CreditNote => "credit_note",
        }
    }
}

impl DeliveryStatus {
    /// The snake_case name people and scripts see (as the IPC types spell it).
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Queued => "queued",
            DeliveryStatus::Sending => "sending",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Retrying => "retrying",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Unknown => "unknown",
        }
    }

    /// The state after `event`, or why the event does not apply now.
    pub fn apply(self, event: &DeliveryEvent) -> Result<DeliveryStatus, DomainError> {
        use DeliveryEvent as E;
        use DeliveryStatus as S;
        let next = match (self, event) {
            (S::Queued | S::Retrying, E::Claim) => Some(S::Sending),
            (S::Sending, E::Accepted) => Some(S::Sent),
            (S::Sending, E::RetryAt(_)) => Some(S::Retrying),
            (S::Sending, E::GiveUp) => Some(S::Failed),
            (S::Sending, E::Interrupted) => Some(S::Unknown),
            // Only a person sends again what failed or may have arrived.
            (S::Failed | S::Unknown, E::Resend) => Some(S::Queued),
            (S::Unknown, E::MarkSent) => Some(S::Sent),
            _ => None,
        };
        next.ok_or_else(|| DomainError::InvalidDeliveryTransition {
            from: self,
            message: format!(
                "a delivery that is {} cannot {}",
                self.describe(),
                event.name()
            ),
        })
    }

    /// Whether the sender may pick it up (when its time has come).
    pub fn awaits_sender(self) -> bool {
        matches!(self, DeliveryStatus::Queued | DeliveryStatus::Retrying)
    }

    /// Whether a person has to look at it.
    pub fn needs_a_person(self) -> bool {
        matches!(self, DeliveryStatus::Failed | DeliveryStatus::Unknown)
    }

    fn describe(self) -> &'static str {
        match self {
            DeliveryStatus::Queued => "queued",
            DeliveryStatus::Sending => "being sent",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Retrying => "waiting to retry",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Unknown => "of unknown outcome",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::DeliveryEvent as E;
    use super::DeliveryStatus as S;
    use super::*;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap()
    }

    #[test]
    fn a_delivery_is_marked_sending_before_it_can_be_sent() {
        assert_eq!(S::Queued.apply(&E::Claim), Ok(S::Sending));
        assert_eq!(S::Sending.apply(&E::Accepted), Ok(S::Sent));
        assert!(S::Queued.apply(&E::Accepted).is_err());
        assert!(S::Retrying.apply(&E::Accepted).is_err());
    }

    #[test]
    fn an_interrupted_send_is_never_retried_by_itself() {
        let unknown = S::Sending.apply(&E::Interrupted).unwrap();
        assert_eq!(unknown, S::Unknown);
        assert!(!unknown.awaits_sender());
        assert!(unknown.needs_a_person());
        assert!(unknown.apply(&E::Claim).is_err());
        assert!(unknown.apply(&E::RetryAt(at())).is_err());
        // A person decides: resend or mark sent.
        assert_eq!(unknown.apply(&E::Resend), Ok(S::Queued));
        assert_eq!(unknown.apply(&E::MarkSent), Ok(S::Sent));
    }

    #[test]
    fn failures_retry_or_give_up_and_only_a_person_revives_a_failed_one() {
        let retrying = S::Sending.apply(&E::RetryAt(at())).unwrap();
        assert!(retrying.awaits_sender());
        assert_eq!(retrying.apply(&E::Claim), Ok(S::Sending));
        let failed = S::Sending.apply(&E::GiveUp).unwrap();
        assert!(!failed.awaits_sender());
        assert!(failed.apply(&E::Claim).is_err());
        assert!(failed.apply(&E::MarkSent).is_err());
        assert_eq!(failed.apply(&E::Resend), Ok(S::Queued));
    }

    #[test]
    fn a_sent_delivery_stays_sent() {
        for event in [
            E::Claim,
            E::Accepted,
            E::RetryAt(at()),
            E::GiveUp,
            E::Interrupted,
            E::Resend,
            E::MarkSent,
        ] {
            let refused = S::Sent.apply(&event).unwrap_err();
            assert!(
                refused
                    .to_string()
                    .starts_with("a delivery that is sent cannot"),
                "{refused}"
            );
        }
    }
}
