//! Which transport the outbox uses now: the SMTP server when one is
//! configured (its password from the OS keychain), otherwise the outbox
//! folder in the data folder.

use crate::{ApiError, AppResult, ErrorCode, Invoicer};
use invoicer_keychain::{KeychainError, SecretKind};
use invoicer_mail::{OutboxFolder, Transport};
use std::path::PathBuf;
use std::sync::Arc;

/// The transport for one pass of the sender and how many messages it takes
/// at once.
pub(crate) struct ChosenTransport {
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) parallel: usize,
    /// Whether it is an SMTP server (not the outbox folder).
    pub(crate) is_smtp: bool,
}

impl Invoicer {
    /// The folder `.eml` files go to while no SMTP server is configured.
    pub(crate) fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }

    /// The transport mail leaves by now.
    pub(crate) fn mail_transport(&self) -> AppResult<ChosenTransport> {
        let Some(settings) = self.store.read(|tx| tx.smtp_settings())? else {
            return Ok(ChosenTransport {
                transport: Arc::new(OutboxFolder::new(self.outbox_dir())),
                parallel: 1,
                is_smtp: false,
            });
        };
        let password = if settings.username.is_some() {
            match invoicer_keychain::secret(&self.data_dir, SecretKind::SmtpPassword) {
                Ok(p) => p.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
                Err(e) => return Err(keychain_error(&e)),
            }
        } else {
            None
        };
        crate::smtp_transport::smtp_transport(&settings, password)
    }

    /// The payment-link signing key, read from the keychain now (the sender
    /// does at each pass, so a key rotated by another process is used), and
    /// remembered for the screens. A keychain that does not answer means
    /// unsigned links, logged, rather than no email.
    pub(crate) fn payment_link_key(&self) -> Option<Vec<u8>> {
        let key = match invoicer_keychain::secret(&self.data_dir, SecretKind::PaymentLinkKey) {
            Ok(key) => key,
            Err(e) => {
                tracing::warn!(error = %e, "payment links are sent unsigned: {e}");
                None
            }
        };
        *self.link_key.lock().unwrap_or_else(|p| p.into_inner()) = Some(key.clone());
        key
    }

    /// The payment-link signing key as last read, reading it the first time:
    /// the invoice screen shows the link the next email will carry without
    /// asking the keychain on every read.
    pub(crate) fn cached_payment_link_key(&self) -> Option<Vec<u8>> {
        let cached = self
            .link_key
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        match cached {
            Some(key) => key,
            None => self.payment_link_key(),
        }
    }
}

/// A keychain problem as the error a person sees.
pub(crate) fn keychain_error(e: &KeychainError) -> ApiError {
    ApiError::new(
        ErrorCode::KeychainUnavailable,
        format!(
            "{e}; Invoicer keeps secrets only in the OS keychain, never in its database or files"
        ),
    )
}
