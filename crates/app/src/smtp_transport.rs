//! The SMTP transport, built from the stored settings and the keychain's
//! password: a pool of connections that the sender's workers share.

use crate::mail_transport::ChosenTransport;
use crate::AppResult;
use invoicer_domain::smtp_settings::SmtpSettings;
use invoicer_mail::{SmtpOptions, SmtpPassword, SmtpRelay};
use std::sync::Arc;

/// How many messages go out at once: one per pooled connection. Four keeps
/// a remote server's round trips overlapped without looking like a flood.
const CONNECTIONS: usize = 4;

pub(crate) fn smtp_transport(
    settings: &SmtpSettings,
    password: Option<String>,
) -> AppResult<ChosenTransport> {
    let relay = SmtpRelay::new(
        settings.clone(),
        password.map(SmtpPassword::new),
        SmtpOptions {
            connections: CONNECTIONS,
            ..SmtpOptions::default()
        },
    );
    Ok(ChosenTransport {
        transport: Arc::new(relay),
        parallel: CONNECTIONS,
        is_smtp: true,
    })
}
