//! The SMTP transport: lettre's low-level [`SmtpConnection`] driven step by
//! step, so that a failure says whether the message data had been sent.
//!
//! lettre's own `SmtpTransport` is not used: it reports every failure alike,
//! and the outbox must tell "refused before the data" (safe to retry) from
//! "the connection broke after the data" (the server may have the message;
//! a person decides). It also sends the data in two writes, which stalls
//! each message ~40 ms (see [`data_body`]).

mod credentials;
mod data_body;
mod failure;
mod pool;

pub use credentials::{is_loopback_host, password_may_be_sent, SmtpPassword};

use crate::message::{format, MailError, OutgoingEmail};
use crate::transport::{Accepted, Transport};
use data_body::DataBody;
use invoicer_domain::delivery::SmtpReply;
use invoicer_domain::retry_policy::AttemptFailure;
use invoicer_domain::smtp_settings::{SmtpSecurity, SmtpSettings};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::Address;
use pool::Pool;
use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

/// How the SMTP transport behaves, apart from the server's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpOptions {
    /// Connections kept open and used in parallel (default 4). Each one
    /// carries one message at a time.
    pub connections: usize,
    /// The longest wait for connecting and for each reply (default 30 s).
    pub timeout: Duration,
    /// The name sent with EHLO; `None` sends this machine's host name.
    pub hello_name: Option<String>,
    /// Certificates (PEM) trusted besides the operating system's, for a
    /// server whose certificate comes from its own authority (and for
    /// tests).
    pub trusted_certificates: Vec<Vec<u8>>,
}

impl Default for SmtpOptions {
    fn default() -> Self {
        SmtpOptions {
            connections: 4,
            timeout: Duration::from_secs(30),
            hello_name: None,
            trusted_certificates: Vec::new(),
        }
    }
}

/// An SMTP server, reached through a small pool of connections. `deliver`
/// may be called from several threads at once.
pub struct SmtpRelay {
    settings: SmtpSettings,
    password: Option<SmtpPassword>,
    options: SmtpOptions,
    hello: ClientId,
    tls: OnceLock<Result<TlsParameters, String>>,
    pool: Pool,
}

impl fmt::Debug for SmtpRelay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpRelay")
            .field("settings", &self.settings)
            .field("password", &self.password)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// The code and text of a refusal Invoicer makes itself, as a mail server
/// would phrase it, when the message cannot go to this server at all.
fn local_refusal(code: u16, text: String) -> AttemptFailure {
    AttemptFailure::Reply { code, text }
}

/// A message that cannot be formatted is refused for good (`554 5.6.0`):
/// trying again sends the same bytes.
pub(crate) fn unformattable(e: &MailError) -> AttemptFailure {
    local_refusal(
        554,
        format!("5.6.0 Invoicer cannot format this message: {e}"),
    )
}

fn envelope_address(field: &str, value: &str) -> Result<Address, AttemptFailure> {
    value.parse().map_err(|e| {
        local_refusal(
            553,
            format!("5.1.3 Invoicer cannot send to or from {field} {value:?}: {e}"),
        )
    })
}

/// Why a transaction on one connection failed, and what that leaves of the
/// connection.
struct Failed {
    failure: AttemptFailure,
    /// The connection can carry another message.
    reusable: bool,
    /// The very first command on a reused connection got no answer: the
    /// server had closed it while it was idle. Nothing was sent, so a fresh
    /// connection may try again.
    stale: bool,
}

impl SmtpRelay {
    /// A transport for the server in `settings`, signing in with `password`
    /// when `settings.username` is set. Connects lazily, on the first
    /// delivery.
    pub fn new(
        settings: SmtpSettings,
        password: Option<SmtpPassword>,
        options: SmtpOptions,
    ) -> SmtpRelay {
        let hello = options
            .hello_name
            .clone()
            .map_or_else(ClientId::default, ClientId::Domain);
        let pool = Pool::new(options.connections);
        SmtpRelay {
            settings,
            password,
            options,
            hello,
            tls: OnceLock::new(),
            pool,
        }
    }

    /// The host without the brackets of an IPv6 literal, for connecting.
    fn host(&self) -> &str {
        let host = self.settings.host.trim();
        host.strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host)
    }

    fn tls(&self) -> Result<&TlsParameters, AttemptFailure> {
        self.tls
            .get_or_init(|| {
                let why = |e: lettre::transport::smtp::Error| {
                    format!("cannot set up TLS for {}: {e}", self.settings.host)
                };
                let mut builder = TlsParameters::builder(self.host().to_string());
                for pem in &self.options.trusted_certificates {
                    builder =
                        builder.add_root_certificate(Certificate::from_pem(pem).map_err(why)?);
                }
                builder.build_rustls().map_err(why)
            })
            .as_ref()
            .map_err(|e| AttemptFailure::Connection(e.clone()))
    }

    /// Opens a connection: connect (TLS first for implicit TLS), EHLO,
    /// STARTTLS when asked for, AUTH when a user name is set.
    fn open(&self) -> Result<SmtpConnection, AttemptFailure> {
        let s = &self.settings;
        let implicit = match s.security {
            SmtpSecurity::Tls => Some(self.tls()?),
            SmtpSecurity::Starttls | SmtpSecurity::None => None,
        };
        let mut conn = SmtpConnection::connect(
            (self.host(), s.port),
            Some(self.options.timeout),
            &self.hello,
            implicit,
            None,
        )
        .map_err(|e| failure::before_data(&e, &format!("connecting to {}:{}", s.host, s.port)))?;
        if s.security == SmtpSecurity::Starttls {
            if !conn.can_starttls() {
                conn.abort();
                return Err(AttemptFailure::Connection(format!(
                    "{}:{} does not offer STARTTLS, and Invoicer never falls back to an \
                     unencrypted connection; choose security \"tls\" if the server expects TLS \
                     from the start (usually port 465)",
                    s.host, s.port
                )));
            }
            let tls = self.tls()?;
            conn.starttls(tls, &self.hello)
                .map_err(|e| failure::before_data(&e, "starting TLS (STARTTLS)"))?;
        }
        if let Some(user) = &s.username {
            let Some(password) = &self.password else {
                conn.abort();
                return Err(AttemptFailure::Connection(format!(
                    "the SMTP user {user:?} is set but no password is stored for it; \
                     store one in Settings → Email"
                )));
            };
            if let Err(why) = password_may_be_sent(&s.host, user, conn.is_encrypted()) {
                conn.abort();
                return Err(AttemptFailure::Connection(why));
            }
            let credentials = Credentials::new(user.clone(), password.expose().to_string());
            if let Err(e) = conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials) {
                conn.abort();
                return Err(failure::before_data(&e, &format!("signing in as {user:?}")));
            }
        }
        Ok(conn)
    }

    /// One mail transaction on `conn`: MAIL, RCPT for each recipient, DATA,
    /// then the data in one write.
    fn transact(
        conn: &mut SmtpConnection,
        reused: bool,
        from: &Address,
        recipients: &[Address],
        bytes: &[u8],
    ) -> Result<SmtpReply, Failed> {
        let refused = |failure| Failed {
            failure,
            reusable: true,
            stale: false,
        };
        // The checks lettre's `SmtpConnection::send` makes: non-ASCII
        // addresses need SMTPUTF8, non-ASCII data needs 8BITMIME.
        let mut params = Vec::new();
        let info = conn.server_info();
        if std::iter::once(from)
            .chain(recipients)
            .any(|a| !AsRef::<str>::as_ref(a).is_ascii())
        {
            if !info.supports_feature(Extension::SmtpUtfEight) {
                return Err(refused(local_refusal(
                    553,
                    "5.6.7 the server does not accept non-ASCII addresses (no SMTPUTF8)".into(),
                )));
            }
            params.push(MailParameter::SmtpUtfEight);
        }
        if !bytes.is_ascii() {
            if !info.supports_feature(Extension::EightBitMime) {
                return Err(refused(local_refusal(
                    554,
                    "5.6.3 the message has 8-bit text and the server does not accept it \
                     (no 8BITMIME)"
                        .into(),
                )));
            }
            params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }

        if let Err(e) = conn.command(Mail::new(Some(from.clone()), params)) {
            let refusal = failure::refusal(&e);
            // 421 means the server is closing the connection.
            let closing = matches!(refusal, Some(AttemptFailure::Reply { code: 421, .. }));
            return Err(Failed {
                failure: refusal.unwrap_or_else(|| {
                    AttemptFailure::Connection(failure::describe(&e, "MAIL FROM"))
                }),
                reusable: false,
                stale: reused && (closing || failure::refusal(&e).is_none()),
            });
        }
        for to in recipients {
            if let Err(e) = conn.command(Rcpt::new(to.clone(), vec![])) {
                let failure = failure::before_data(&e, &format!("RCPT TO {to}"));
                return Err(Self::abandon(conn, failure));
            }
        }
        if let Err(e) = conn.command(Data) {
            return Err(Self::abandon(conn, failure::before_data(&e, "DATA")));
        }
        let sent = match std::str::from_utf8(bytes) {
            Ok(text) => conn.command(DataBody(text)),
            // Not UTF-8 (lettre's messages always are): lettre's own path,
            // which stuffs bytes, at the price of the stall.
            Err(_) => conn.message(bytes),
        };
        match sent {
            Ok(response) => Ok(failure::reply(&response)),
            Err(e) => {
                let failure = failure::after_data(&e);
                let reusable = matches!(failure, AttemptFailure::Reply { .. });
                Err(Failed {
                    failure,
                    reusable,
                    stale: false,
                })
            }
        }
    }

    /// Ends a transaction refused before its data: RSET keeps the
    /// connection for the next message when the server still answers.
    fn abandon(conn: &mut SmtpConnection, failure: AttemptFailure) -> Failed {
        let replied = matches!(failure, AttemptFailure::Reply { code, .. } if code != 421);
        let reusable = replied && conn.command(Rset).is_ok();
        Failed {
            failure,
            reusable,
            stale: false,
        }
    }

    /// Connects, signs in and says goodbye, for Settings' "check": the reply
    /// says what the server offered.
    pub fn test_connection(&self) -> Result<SmtpReply, AttemptFailure> {
        let mut conn = self.open()?;
        let name = conn.server_info().name().to_string();
        let encrypted = conn.is_encrypted();
        let quit = conn.quit().map_err(|e| failure::before_data(&e, "QUIT"))?;
        let signed_in = match &self.settings.username {
            Some(user) => format!("signed in as {user}"),
            None => "no sign-in".to_string(),
        };
        Ok(SmtpReply {
            code: failure::code_number(quit.code()),
            text: format!(
                "{}:{} ({name}) answered; {}, {signed_in}",
                self.settings.host,
                self.settings.port,
                if encrypted {
                    "encrypted"
                } else {
                    "not encrypted"
                }
            ),
        })
    }
}

impl Transport for SmtpRelay {
    fn deliver(
        &self,
        email: &OutgoingEmail,
        _delivery_id: i64,
    ) -> Result<Accepted, AttemptFailure> {
        // Bcc goes in the envelope only, never in the headers.
        let bytes = format(email, false).map_err(|e| unformattable(&e))?;
        let from = envelope_address("from", &email.from.address)?;
        let recipients = email
            .to
            .iter()
            .chain(&email.cc)
            .chain(&email.bcc)
            .map(|a| envelope_address("recipient", a))
            .collect::<Result<Vec<_>, _>>()?;

        let mut lease = self.pool.lease();
        loop {
            let reused = lease.conn.is_some();
            let mut conn = match lease.conn.take() {
                Some(conn) => conn,
                None => self.open()?,
            };
            match Self::transact(&mut conn, reused, &from, &recipients, &bytes) {
                Ok(reply) => {
                    lease.conn = Some(conn);
                    return Ok(Accepted { reply, file: None });
                }
                Err(failed) => {
                    if failed.reusable {
                        lease.conn = Some(conn);
                    } else {
                        conn.abort();
                    }
                    // A connection the server closed while idle: nothing
                    // was sent, so a fresh one tries once more.
                    if failed.stale {
                        continue;
                    }
                    return Err(failed.failure);
                }
            }
        }
    }

    fn describe(&self) -> String {
        let s = &self.settings;
        let security = match s.security {
            SmtpSecurity::Starttls => "STARTTLS",
            SmtpSecurity::Tls => "TLS",
            SmtpSecurity::None => "no encryption",
        };
        match &s.username {
            Some(user) => format!("SMTP {}:{} ({security}, as {user})", s.host, s.port),
            None => format!("SMTP {}:{} ({security})", s.host, s.port),
        }
    }
}
