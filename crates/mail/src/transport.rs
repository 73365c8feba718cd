//! How an email leaves: the [`Transport`] the outbox sender hands each
//! delivery to, and the embedded one, the outbox folder.

use crate::message::OutgoingEmail;
use crate::outbox_folder::OutboxFolder;
use invoicer_domain::delivery::SmtpReply;
use invoicer_domain::retry_policy::AttemptFailure;
use std::path::PathBuf;

/// What a transport reports when it has taken an email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The server's final reply (for the outbox folder: `250 written to
    /// <path>`).
    pub reply: SmtpReply,
    /// The `.eml` file written, when the transport is the outbox folder.
    pub file: Option<PathBuf>,
}

/// Something that delivers emails. Implementations are shared by the
/// sender's threads, so `deliver` may run on several threads at once.
pub trait Transport: Send + Sync {
    /// Hands `email` (outbox delivery `delivery_id`) over. The error says
    /// where the attempt failed, which decides whether it is retried (see
    /// [`invoicer_domain::retry_policy`]): before the message data was sent,
    /// or after it, when the server may have accepted it.
    fn deliver(&self, email: &OutgoingEmail, delivery_id: i64) -> Result<Accepted, AttemptFailure>;

    /// Where mail goes, for logs and screens, e.g. `SMTP smtp.example.com:587
    /// (STARTTLS)`. Never holds a secret.
    fn describe(&self) -> String;
}

impl Transport for OutboxFolder {
    /// Writes the `.eml` file. A message that cannot be formatted fails like
    /// a permanent refusal (`554`); a disk error is temporary, like a
    /// connection that could not be made.
    fn deliver(&self, email: &OutgoingEmail, delivery_id: i64) -> Result<Accepted, AttemptFailure> {
        match self.write(delivery_id, email) {
            Ok(path) => Ok(Accepted {
                reply: SmtpReply {
                    code: 250,
                    text: format!("written to {}", path.display()),
                },
                file: Some(path),
            }),
            Err(crate::MailError::Io(e)) => Err(AttemptFailure::Connection(format!(
                "cannot write to the outbox folder {}: {e}",
                self.dir().display()
            ))),
            Err(e) => Err(crate::smtp::unformattable(&e)),
        }
    }

    fn describe(&self) -> String {
        format!("outbox folder {}", self.dir().display())
    }
}
