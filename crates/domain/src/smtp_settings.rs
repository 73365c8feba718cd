//! How the outbox reaches an SMTP server: host, port, security and user name.
//!
//! The password is not here on purpose: it lives in the OS keychain and is
//! handed to the mail transport at send time, so no stored or logged value
//! of this type can leak it.

use crate::validation::ValidationErrors;
use serde::{Deserialize, Serialize};

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SmtpSecurity {
    /// A plain connection upgraded with STARTTLS before authenticating;
    /// refused if the server does not offer it (usually port 587).
    Starttls,
    /// TLS from the first byte ("implicit TLS", usually port 465).
    Tls,
    /// No encryption at all: only for a relay on the same machine or a
    /// trusted network (port 25).
    None,
}

impl SmtpSecurity {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            SmtpSecurity::Starttls => "starttls",
            SmtpSecurity::Tls => "tls",
            SmtpSecurity::None => "none",
        }
    }

    /// Reads a stored or typed name.
    pub fn parse(text: &str) -> Option<SmtpSecurity> {
        match text.trim().to_ascii_lowercase().as_str() {
            "starttls" => Some(SmtpSecurity::Starttls),
            "tls" | "ssl" | "implicit" => Some(SmtpSecurity::Tls),
            "none" | "plain" => Some(SmtpSecurity::None),
            _ => None,
        }
    }

    /// The port servers usually listen on for this security.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        }
    }
}

/// The SMTP server the outbox sends through, when one is configured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmtpSettings {
    /// The server's host name or IP address.
    pub host: String,
    /// The TCP port.
    pub port: u16,
    /// How the connection is secured.
    pub security: SmtpSecurity,
    /// The user name to authenticate with; `None` sends without
    /// authenticating (a local relay).
    pub username: Option<String>,
}

impl SmtpSettings {
    /// Checks every field and reports all problems at once.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let host = self.host.trim();
        if host.is_empty() {
            errors.push("host", "", "is required");
        } else if host.len() > 253
            || !host.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '_')
            })
        {
            errors.push(
                "host",
                &self.host,
                "must be a host name or an IP address (letters, digits, dots, hyphens)",
            );
        }
        if self.port == 0 {
            errors.push("port", "0", "must be between 1 and 65535");
        }
        if let Some(user) = &self.username {
            if user.trim().is_empty() {
                errors.push(
                    "username",
                    user,
                    "must not be blank; leave it out to send without signing in",
                );
            } else if user.chars().any(char::is_control) {
                errors.push(
                    "username",
                    user,
                    "must not contain control characters or line breaks",
                );
            } else if user.len() > 320 {
                errors.push("username", "", "is longer than 320 characters");
            }
        }
        errors.into_result()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> SmtpSettings {
        SmtpSettings {
            host: "smtp.example.com".into(),
            port: 587,
            security: SmtpSecurity::Starttls,
            username: Some("billing@example.com".into()),
        }
    }

    #[test]
    fn a_plain_relay_and_a_signed_in_server_are_both_valid() {
        assert!(settings().validate().is_ok());
        let relay = SmtpSettings {
            host: "127.0.0.1".into(),
            port: 25,
            security: SmtpSecurity::None,
            username: None,
        };
        assert!(relay.validate().is_ok());
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = SmtpSettings {
            host: "smtp example\r\n.com".into(),
            port: 0,
            security: SmtpSecurity::Tls,
            username: Some("me\r\nRCPT TO:<x@y>".into()),
        };
        let errors = bad.validate().unwrap_err().errors;
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["host", "port", "username"]);
    }

    #[test]
    fn security_names_round_trip() {
        for s in [
            SmtpSecurity::Starttls,
            SmtpSecurity::Tls,
            SmtpSecurity::None,
        ] {
            assert_eq!(SmtpSecurity::parse(s.as_str()), Some(s));
        }
        assert_eq!(SmtpSecurity::parse("SSL"), Some(SmtpSecurity::Tls));
        assert_eq!(SmtpSecurity::parse("maybe"), None);
    }
}
