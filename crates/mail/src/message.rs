//! An email as Invoicer sends it, and its MIME form.

use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::message::{Attachment as MimeAttachment, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};
use std::time::SystemTime;

/// A sender or reply-to: a display name and an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    /// The name mail clients show, e.g. the company's name.
    pub name: String,
    /// The email address.
    pub address: String,
}

/// A file sent with the email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The name the recipient sees, e.g. `INV-2026-00001.pdf`.
    pub file_name: String,
    /// Its MIME type, e.g. `application/pdf`.
    pub content_type: String,
    /// Its bytes, sent unchanged.
    pub bytes: Vec<u8>,
}

/// One email, ready to format: everything it says is decided by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingEmail {
    /// Who sends it.
    pub from: Party,
    /// Where replies go, when not to the sender.
    pub reply_to: Option<Party>,
    /// The `To` addresses (at least one).
    pub to: Vec<String>,
    /// The `Cc` addresses.
    pub cc: Vec<String>,
    /// The `Bcc` addresses.
    pub bcc: Vec<String>,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// The HTML body, sent as an alternative to the text when present.
    pub html: Option<String>,
    /// The file attached, e.g. the archived invoice PDF.
    pub attachment: Option<Attachment>,
    /// The Message-ID, angle brackets included, e.g. `<inv-12.0@acme.test>`.
    pub message_id: String,
    /// The Date header: the caller's clock, never the system's.
    pub date: DateTime<Utc>,
}

/// Why an email cannot be formatted or written.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// An address does not parse.
    #[error("{field}: {value:?} is not an email address ({reason})")]
    Address {
        /// Where it was, e.g. `cc[1]`.
        field: String,
        /// The address as given.
        value: String,
        /// The parser's reason.
        reason: String,
    },
    /// Header text holds a line break, which would start a new header.
    #[error("{field}: a line break is not allowed here")]
    LineBreak {
        /// The header's field, e.g. `subject` or `from.name`.
        field: String,
    },
    /// The email has no recipient in `To`.
    #[error("to: at least one recipient is needed")]
    NoRecipient,
    /// The attachment's MIME type does not parse.
    #[error("attachment: {0:?} is not a MIME type")]
    ContentType(String),
    /// lettre refused to build the message.
    #[error("the message cannot be built: {0}")]
    Build(String),
    /// Writing a file failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Refuses header text with a line break: CR or LF would end the header and
/// let the rest of the text be read as headers of its own.
fn single_line<'a>(field: &str, text: &'a str) -> Result<&'a str, MailError> {
    if text.contains(['\r', '\n']) {
        return Err(MailError::LineBreak {
            field: field.to_string(),
        });
    }
    Ok(text)
}

fn address(field: &str, value: &str) -> Result<Address, MailError> {
    single_line(field, value)?;
    value
        .parse()
        .map_err(|e: lettre::address::AddressError| MailError::Address {
            field: field.to_string(),
            value: value.to_string(),
            reason: e.to_string(),
        })
}

fn mailbox(field: &str, party: &Party) -> Result<Mailbox, MailError> {
    let name = single_line(&format!("{field}.name"), &party.name)?;
    let address = address(&format!("{field}.address"), &party.address)?;
    Ok(Mailbox::new(
        (!name.trim().is_empty()).then(|| name.to_string()),
        address,
    ))
}

fn mailboxes(field: &str, list: &[String]) -> Result<Vec<Mailbox>, MailError> {
    list.iter()
        .enumerate()
        .map(|(i, a)| Ok(Mailbox::new(None, address(&format!("{field}[{i}]"), a)?)))
        .collect()
}

/// The email as RFC 5322 bytes. `keep_bcc` keeps the `Bcc` header, for an
/// `.eml` file a person sends from a mail client; over SMTP the envelope
/// carries Bcc recipients and the header is left out.
pub fn format(email: &OutgoingEmail, keep_bcc: bool) -> Result<Vec<u8>, MailError> {
    Ok(build(email, keep_bcc)?.formatted())
}

fn build(email: &OutgoingEmail, keep_bcc: bool) -> Result<Message, MailError> {
    if email.to.is_empty() {
        return Err(MailError::NoRecipient);
    }
    let mut b = Message::builder()
        .from(mailbox("from", &email.from)?)
        .subject(single_line("subject", &email.subject)?)
        .message_id(Some(
            single_line("message_id", &email.message_id)?.to_string(),
        ))
        .date(SystemTime::from(email.date));
    if let Some(reply_to) = &email.reply_to {
        b = b.reply_to(mailbox("reply_to", reply_to)?);
    }
    for m in mailboxes("to", &email.to)? {
        b = b.to(m);
    }
    for m in mailboxes("cc", &email.cc)? {
        b = b.cc(m);
    }
    for m in mailboxes("bcc", &email.bcc)? {
        b = b.bcc(m);
    }
    if keep_bcc {
        b = b.keep_bcc();
    }
    let body = match &email.html {
        Some(html) => MultiPart::alternative_plain_html(email.text.clone(), html.clone()),
        None => MultiPart::mixed().singlepart(SinglePart::plain(email.text.clone())),
    };
    let body = match &email.attachment {
        Some(a) => {
            let kind = ContentType::parse(&a.content_type)
                .map_err(|_| MailError::ContentType(a.content_type.clone()))?;
            let name = single_line("attachment.file_name", &a.file_name)?;
            MultiPart::mixed()
                .multipart(body)
                .singlepart(MimeAttachment::new(name.to_string()).body(a.bytes.clone(), kind))
        }
        None => body,
    };
    b.multipart(body)
        .map_err(|e| MailError::Build(e.to_string()))
}
