//! How a message leaves: the `Transport` the outbox sender calls.
//! (Lead's stand-in until the mail slice lands; theirs replaces it.)

use crate::message::OutgoingEmail;
use crate::OutboxFolder;
use invoicer_domain::delivery::SmtpReply;
use invoicer_domain::retry_policy::AttemptFailure;
use std::path::PathBuf;

/// What the server (or the folder) said when it took the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The final reply.
    pub reply: SmtpReply,
    /// The file written, for the outbox folder.
    pub file: Option<PathBuf>,
}

/// Something that takes messages away.
pub trait Transport: Send + Sync {
    /// Hands `email` over; `delivery_id` names the outbox row.
    fn deliver(&self, email: &OutgoingEmail, delivery_id: i64) -> Result<Accepted, AttemptFailure>;
    /// Where messages go, for logs and the audit.
    fn describe(&self) -> String;
}

impl Transport for OutboxFolder {
    fn deliver(&self, email: &OutgoingEmail, delivery_id: i64) -> Result<Accepted, AttemptFailure> {
        let path = self
            .write(delivery_id, email)
            .map_err(|e| AttemptFailure::Connection(e.to_string()))?;
        Ok(Accepted {
            reply: SmtpReply {
                code: 250,
                text: format!("written to {}", path.display()),
            },
            file: Some(path),
        })
    }

    fn describe(&self) -> String {
        format!("the outbox folder {}", self.dir().display())
    }
}
