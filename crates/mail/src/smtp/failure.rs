//! lettre's errors as the outbox needs them: where the attempt failed, and
//! whether the server answered with a reply code.

use invoicer_domain::delivery::SmtpReply;
use invoicer_domain::retry_policy::AttemptFailure;
use lettre::transport::smtp::response::{Code, Response};
use lettre::transport::smtp::Error;
use std::error::Error as _;

/// A reply code as a number.
pub(crate) fn code_number(code: Code) -> u16 {
    code.to_string().parse().unwrap_or(0)
}

/// A positive reply as the outbox stores it.
pub(crate) fn reply(response: &Response) -> SmtpReply {
    SmtpReply {
        code: code_number(response.code()),
        text: response.message().collect::<Vec<_>>().join(" "),
    }
}

/// The server's reply code and text, when the error is a 4xx or 5xx reply.
pub(crate) fn refusal(e: &Error) -> Option<AttemptFailure> {
    let code = e.status()?;
    let text = e.source().map(|s| s.to_string()).unwrap_or_default();
    Some(AttemptFailure::Reply {
        code: code_number(code),
        text,
    })
}

/// What went wrong, in words, when there was no reply code.
pub(crate) fn describe(e: &Error, step: &str) -> String {
    let mut source = e.source();
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ) {
                return format!("{step}: the server did not answer in time");
            }
        }
        source = err.source();
    }
    format!("{step}: {e}")
}

/// A failure before the message data was sent: nothing was delivered, so a
/// retry is safe.
pub(crate) fn before_data(e: &Error, step: &str) -> AttemptFailure {
    refusal(e).unwrap_or_else(|| AttemptFailure::Connection(describe(e, step)))
}

/// A failure after the message data was sent: unless the server answered
/// with a refusal, it may have accepted the message.
pub(crate) fn after_data(e: &Error) -> AttemptFailure {
    refusal(e).unwrap_or_else(|| {
        AttemptFailure::AfterData(describe(
            e,
            "the connection ended after the message was sent, before the server confirmed it",
        ))
    })
}
