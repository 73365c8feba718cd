//! Sending invoices by email through the outbox, and what a person does with
//! deliveries that need one.
//!
//! SKELETON: signatures fixed for the shell and the CLI; bodies land with the
//! sender job.

use crate::api::{
    DeliveryFilter, DeliveryList, DeliveryView, EmailSettingsView, InvoiceScreen,
    SmtpSettingsInput, TestEmailResult,
};
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};

fn not_yet() -> ApiError {
    ApiError::new(ErrorCode::Conflict, "email delivery is being built")
}

impl Invoicer {
    /// Queues the invoice's email (its PDF and payment link) for the sender.
    pub fn send_invoice(&self, session: &Session, id: i64) -> AppResult<InvoiceScreen> {
        let _ = (session, id);
        Err(not_yet())
    }

    /// Issues the invoice and queues its email in one transaction.
    pub fn issue_and_send_invoice(&self, session: &Session, id: i64) -> AppResult<InvoiceScreen> {
        let _ = (session, id);
        Err(not_yet())
    }

    /// The deliveries asked for, newest first, with the sidebar's counts.
    pub fn deliveries(
        &self,
        session: &Session,
        filter: &DeliveryFilter,
    ) -> AppResult<DeliveryList> {
        let _ = (session, filter);
        Err(not_yet())
    }

    /// Queues a failed or unknown delivery again.
    pub fn resend_delivery(&self, session: &Session, id: i64) -> AppResult<DeliveryView> {
        let _ = (session, id);
        Err(not_yet())
    }

    /// Confirms that a delivery of unknown outcome arrived.
    pub fn mark_delivery_sent(&self, session: &Session, id: i64) -> AppResult<DeliveryView> {
        let _ = (session, id);
        Err(not_yet())
    }

    /// Settings → Email.
    pub fn email_settings(&self, session: &Session) -> AppResult<EmailSettingsView> {
        let _ = session;
        Err(not_yet())
    }

    /// Saves the SMTP server; a given password goes to the OS keychain.
    pub fn save_smtp_settings(
        &self,
        session: &Session,
        input: &SmtpSettingsInput,
    ) -> AppResult<EmailSettingsView> {
        let _ = (session, input);
        Err(not_yet())
    }

    /// Forgets the SMTP server (and its keychain password): mail goes to the
    /// outbox folder again.
    pub fn clear_smtp_settings(&self, session: &Session) -> AppResult<EmailSettingsView> {
        let _ = session;
        Err(not_yet())
    }

    /// Makes a new random payment-link signing secret in the OS keychain.
    pub fn rotate_payment_link_secret(&self, session: &Session) -> AppResult<EmailSettingsView> {
        let _ = session;
        Err(not_yet())
    }

    /// Sends a test email to `to` now, through the configured transport.
    pub fn send_test_email(&self, session: &Session, to: &str) -> AppResult<TestEmailResult> {
        let _ = (session, to);
        Err(not_yet())
    }
}
