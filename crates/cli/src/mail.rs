//! The outbox and SMTP commands: `deliveries …`, `smtp …`, and what
//! `invoice send` prints.

use crate::output::Output;
use clap::Subcommand;
use invoicer_app::api::*;
use invoicer_app::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use std::io::Read;

/// What `invoice send` and `invoice issue --send` print: the queued delivery.
pub fn queued(screen: InvoiceScreen) -> AppResult<Output> {
    // An invoice that meets an approval rule waits instead; its final
    // approval sends it.
    if screen.invoice.status == InvoiceStatus::PendingApproval {
        return Ok(Output::Invoice(Box::new(screen.invoice)));
    }
    let d =
        screen.deliveries.into_iter().next().ok_or_else(|| {
            ApiError::new(ErrorCode::Internal, "the invoice's email was not queued")
        })?;
    Ok(Output::Delivery(Box::new(d)))
}

/// `invoicer deliveries …`
pub fn deliveries(app: &Invoicer, s: &Session, cmd: DeliveriesCommand) -> AppResult<Output> {
    Ok(match cmd {
        DeliveriesCommand::List {
            status,
            needs_a_person,
            invoice,
            limit,
        } => {
            let status = status
                .map(|t| {
                    serde_json::from_value::<DeliveryStatus>(serde_json::Value::String(
                        t.trim().to_ascii_lowercase(),
                    ))
                    .map_err(|_| {
                        ApiError::field(
                            "status",
                            &t,
                            "must be queued, sending, sent, retrying, failed or unknown",
                        )
                    })
                })
                .transpose()?;
            Output::Deliveries(app.deliveries(
                s,
                &DeliveryFilter {
                    status,
                    needs_a_person,
                    invoice_id: invoice,
                    limit: Some(limit),
                },
            )?)
        }
        DeliveriesCommand::Retry { id } => Output::Delivery(Box::new(app.resend_delivery(s, id)?)),
        DeliveriesCommand::MarkSent { id } => {
            Output::Delivery(Box::new(app.mark_delivery_sent(s, id)?))
        }
    })
}

/// `invoicer smtp …`
pub fn smtp(app: &Invoicer, s: &Session, cmd: SmtpCommand) -> AppResult<Output> {
    Ok(match cmd {
        SmtpCommand::Show => Output::EmailSettings(app.email_settings(s)?),
        SmtpCommand::Set {
            host,
            port,
            security,
            username,
        } => {
            let security = SmtpSecurity::parse(&security).ok_or_else(|| {
                ApiError::field("security", &security, "must be starttls, tls or none")
            })?;
            Output::EmailSettings(app.save_smtp_settings(
                s,
                &SmtpSettingsInput {
                    host,
                    port: port.unwrap_or_else(|| security.default_port()),
                    security,
                    username,
                    password: None,
                },
            )?)
        }
        SmtpCommand::SetPassword => {
            let current = app.email_settings(s)?;
            let (Some(host), Some(port), Some(security)) =
                (current.host, current.port, current.security)
            else {
                return Err(ApiError::new(
                    ErrorCode::InvalidState,
                    "no SMTP server is configured; set one first with `invoicer smtp set`",
                ));
            };
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .map_err(|e| {
                    ApiError::new(
                        ErrorCode::Internal,
                        format!("cannot read standard input: {e}"),
                    )
                })?;
            // One trailing line break is how `echo` and a terminal end input;
            // it is not part of the password.
            let password = password
                .strip_suffix('\n')
                .map(|p| p.strip_suffix('\r').unwrap_or(p))
                .unwrap_or(&password)
                .to_string();
            if password.is_empty() {
                return Err(ApiError::field(
                    "password",
                    "",
                    "is empty; pipe the password on standard input",
                ));
            }
            Output::EmailSettings(app.save_smtp_settings(
                s,
                &SmtpSettingsInput {
                    host,
                    port,
                    security,
                    username: current.username,
                    password: Some(password),
                },
            )?)
        }
        SmtpCommand::Clear => Output::EmailSettings(app.clear_smtp_settings(s)?),
        SmtpCommand::Test { to } => Output::TestEmail(Box::new(app.send_test_email(s, &to)?)),
    })
}

/// One delivery on one line.
pub fn delivery_line(d: &DeliveryView) -> String {
    let what = match (&d.invoice_number, d.kind) {
        (Some(n), kind) => format!("{} {n}", kind.as_str()),
        (None, kind) => kind.as_str().to_string(),
    };
    let reply = d
        .last_reply
        .as_ref()
        .map(|r| format!("  [{} {}]", r.code, r.text))
        .unwrap_or_default();
    format!(
        "{:>6}  {:<8} {:<28} to {}  attempts {}/{}{}",
        d.id,
        d.status.as_str(),
        what,
        d.to.join(", "),
        d.attempts,
        d.max_attempts,
        reply
    )
}

/// The deliveries list with the counts that need a person.
pub fn deliveries_text(list: &DeliveryList) -> String {
    let mut out: Vec<String> = list.rows.iter().map(delivery_line).collect();
    if out.is_empty() {
        out.push("no deliveries".into());
    }
    out.push(format!(
        "{} failed, {} unknown (need a person)",
        list.failed, list.unknown
    ));
    out.join("\n")
}

/// Where mail goes.
pub fn email_settings_text(e: &EmailSettingsView) -> String {
    let mut out = vec![if e.smtp_configured {
        format!(
            "SMTP {}:{} ({}){}",
            e.host.as_deref().unwrap_or(""),
            e.port.unwrap_or(0),
            e.security.map(SmtpSecurity::as_str).unwrap_or(""),
            e.username
                .as_deref()
                .map(|u| format!(
                    ", user {u}, password {}",
                    if e.password_stored {
                        "stored in the OS keychain"
                    } else {
                        "not stored"
                    }
                ))
                .unwrap_or_default()
        )
    } else {
        format!("no SMTP server: mail is written to {}", e.outbox_dir)
    }];
    if !e.keychain_available {
        out.push(format!(
            "OS keychain not available: {}",
            e.keychain_problem.as_deref().unwrap_or("no answer")
        ));
    }
    out.join("\n")
}

/// What a test email did.
pub fn test_email_text(t: &TestEmailResult) -> String {
    let mut out = delivery_line(&t.delivery);
    if let Some(f) = &t.outbox_file {
        out.push_str(&format!("\nwritten to {f}"));
    }
    out
}

/// `invoicer deliveries …`.
#[derive(Debug, Subcommand)]
pub enum DeliveriesCommand {
    /// Lists deliveries, newest first.
    List {
        /// queued, sending, sent, retrying, failed or unknown.
        #[arg(long)]
        status: Option<String>,
        /// Only failed and unknown ones: those a person has to decide on.
        #[arg(long)]
        needs_a_person: bool,
        /// Only this invoice's.
        #[arg(long)]
        invoice: Option<i64>,
        /// At most this many.
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    /// Queues a failed (or unknown) delivery again.
    Retry {
        /// Delivery id.
        id: i64,
    },
    /// Confirms that a delivery of unknown outcome arrived.
    MarkSent {
        /// Delivery id.
        id: i64,
    },
}

/// `invoicer smtp …`.
#[derive(Debug, Subcommand)]
pub enum SmtpCommand {
    /// Shows where mail goes: the SMTP server or the outbox folder.
    Show,
    /// Sets the SMTP server (the password separately: `smtp set-password`).
    Set {
        /// Host name or IP address.
        #[arg(long)]
        host: String,
        /// Port; default by security: 587 (starttls), 465 (tls), 25 (none).
        #[arg(long)]
        port: Option<u16>,
        /// starttls, tls or none.
        #[arg(long, default_value = "starttls")]
        security: String,
        /// User name to sign in with; leave out for a relay without sign-in.
        #[arg(long)]
        username: Option<String>,
    },
    /// Reads the SMTP password from standard input and stores it in the OS keychain.
    SetPassword,
    /// Forgets the SMTP server and its password: mail goes to the outbox folder.
    Clear,
    /// Sends a test email now through the configured transport.
    Test {
        /// Recipient address.
        #[arg(long)]
        to: String,
    },
}
