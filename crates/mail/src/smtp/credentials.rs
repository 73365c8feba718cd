//! The SMTP password, which must never be printed, and the rule that keeps
//! it off the wire in plain text.

use std::fmt;
use std::net::IpAddr;

/// An SMTP password from the OS keychain. Its `Debug` and `Display` print
/// `***`, so no log line, error or panic message can show it.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpPassword(String);

impl SmtpPassword {
    /// Wraps the password.
    pub fn new(password: impl Into<String>) -> SmtpPassword {
        SmtpPassword(password.into())
    }

    /// The password itself, for the AUTH command only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SmtpPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for SmtpPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Whether `host` names this machine: `localhost` or a loopback address
/// (127.0.0.0/8, ::1). Only then does a password sent without encryption
/// stay on the machine. A host name that merely resolves to a loopback
/// address does not count: what it resolves to can change.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim().trim_end_matches('.');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Decides whether the password for `username` may be sent to `host` on a
/// connection that is (or is not) `encrypted`, and says why not. AUTH PLAIN
/// and LOGIN carry the password merely base64-encoded, so on a plain
/// connection anyone on the path could read it.
pub fn password_may_be_sent(host: &str, username: &str, encrypted: bool) -> Result<(), String> {
    if encrypted || is_loopback_host(host) {
        return Ok(());
    }
    Err(format!(
        "Invoicer will not send the password of {username:?} to {host} over an unencrypted \
         connection; choose security \"starttls\" or \"tls\" (only a server on this machine, \
         such as 127.0.0.1, may be signed in to without encryption)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_prints() {
        let p = SmtpPassword::new("hunter2");
        assert_eq!(format!("{p} {p:?}"), "*** ***");
        assert_eq!(format!("{:?}", Some(p.clone())), "Some(***)");
        assert_eq!(p.expose(), "hunter2");
    }

    #[test]
    fn a_password_goes_in_plain_text_only_to_this_machine() {
        for host in [
            "127.0.0.1",
            "127.8.9.10",
            "::1",
            "[::1]",
            "localhost",
            "LOCALHOST.",
        ] {
            assert!(password_may_be_sent(host, "me", false).is_ok(), "{host}");
        }
        for host in [
            "smtp.example.com",
            "10.0.0.5",
            "192.168.1.2",
            "localhost.example.com",
            "::2",
        ] {
            let refused = password_may_be_sent(host, "me", false).unwrap_err();
            assert!(refused.contains("unencrypted"), "{refused}");
            assert!(refused.contains(host), "{refused}");
            // Encrypted, any host may have it.
            assert!(password_may_be_sent(host, "me", true).is_ok());
        }
    }
}
