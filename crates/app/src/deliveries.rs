//! Sending invoices by email through the outbox, and what a person does with
//! deliveries that need one: resend, mark sent, the SMTP settings and the
//! test email.

use crate::api::{
    DeliveryAction, DeliveryFilter, DeliveryList, DeliveryView, EmailSettingsView, InvoiceScreen,
    SmtpReplyView, SmtpSettingsInput, TestEmailResult,
};
use crate::drafts::load;
use crate::email_message::sender;
use crate::invoice_pdf::not_initialized;
use crate::invoice_screen::require_action;
use crate::mail_transport::keychain_error;
use crate::outbox_sender::{entity, AttemptEnd};
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use chrono::{DateTime, Utc};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::company::{CompanySettings, DEFAULT_DELIVERY_ATTEMPTS};
use invoicer_domain::customer::is_plausible_email;
use invoicer_domain::delivery::{
    Delivery, DeliveryEvent, DeliveryKind, DeliveryStatus, NewDelivery, Recipients,
};
use invoicer_domain::invoice::Invoice;
use invoicer_domain::invoice_actions::InvoiceAction;
use invoicer_domain::retry_policy::RetryPolicy;
use invoicer_domain::smtp_settings::SmtpSettings;
use invoicer_domain::validation::non_blank;
use invoicer_keychain::SecretKind;
use invoicer_store::{DeliveryChange, DeliveryQuery, Tx};
use serde_json::json;

/// How many rows a delivery list shows when the filter does not say.
const DEFAULT_LIMIT: u32 = 200;

/// A delivery as the screens show it.
pub(crate) fn delivery_view_of(
    d: &Delivery,
    invoice_number: Option<String>,
    customer_name: Option<String>,
    max_attempts: u32,
) -> DeliveryView {
    let mut actions = Vec::new();
    if d.status.apply(&DeliveryEvent::Resend).is_ok() {
        actions.push(DeliveryAction::Resend);
    }
    if d.status.apply(&DeliveryEvent::MarkSent).is_ok() {
        actions.push(DeliveryAction::MarkSent);
    }
    DeliveryView {
        id: d.id,
        invoice_id: d.invoice_id,
        invoice_number,
        customer_name,
        kind: d.kind,
        step: d.step,
        to: d.recipients.to.clone(),
        cc: d.recipients.cc.clone(),
        bcc: d.recipients.bcc.clone(),
        status: d.status,
        attempts: d.attempts,
        max_attempts,
        next_attempt_at: d
            .status
            .awaits_sender()
            .then(|| d.next_attempt_at.map(|t| t.to_rfc3339()))
            .flatten(),
        last_reply: d.last_reply.as_ref().map(|r| SmtpReplyView {
            code: r.code,
            text: r.text.clone(),
        }),
        message_id: d.message_id.clone(),
        created_at: d.created_at.to_rfc3339(),
        updated_at: d.updated_at.to_rfc3339(),
        actions,
    }
}

/// The retry policy in force: the product's, with the company's number of
/// attempts.
pub(crate) fn retry_policy(tx: &Tx<'_>) -> AppResult<RetryPolicy> {
    let attempts = tx
        .company()?
        .map_or(DEFAULT_DELIVERY_ATTEMPTS, |c| c.delivery_attempts);
    Ok(RetryPolicy {
        max_attempts: attempts,
        ..RetryPolicy::default()
    })
}

/// An invoice's deliveries, newest first, for its screen.
pub(crate) fn invoice_deliveries(tx: &Tx<'_>, invoice_id: i64) -> AppResult<Vec<DeliveryView>> {
    let max = retry_policy(tx)?.max_attempts;
    Ok(tx
        .find_deliveries(&DeliveryQuery {
            invoice_id: Some(invoice_id),
            limit: DEFAULT_LIMIT,
            ..Default::default()
        })?
        .into_iter()
        .map(|l| delivery_view_of(&l.delivery, l.invoice_number, l.customer_name, max))
        .collect())
}

/// The recipients of an invoice's email, checked before anything is queued:
/// the customer's current addresses (an address corrected after issuing is
/// the one that works), the invoice's snapshot if the customer is gone.
pub(crate) fn invoice_recipients(tx: &Tx<'_>, inv: &Invoice) -> AppResult<Recipients> {
    let current = tx.customer(inv.content.customer.id)?;
    let customer = current.as_ref().unwrap_or(&inv.content.customer);
    let to = customer.email.trim().to_string();
    if !is_plausible_email(&to) {
        return Err(ApiError::field(
            "customer.email",
            &to,
            "the customer's email address is not valid; correct the customer and issue a new invoice",
        ));
    }
    Ok(Recipients {
        to: vec![to],
        cc: customer.cc.clone(),
        bcc: customer.bcc.clone(),
    })
}

impl Invoicer {
    /// Queues the invoice's email in `tx`, with its audit event: the next
    /// step of its invoice emails (0 for the first).
    pub(crate) fn enqueue_invoice_email(
        &self,
        tx: &Tx<'_>,
        actor: &str,
        settings: &CompanySettings,
        inv: &Invoice,
        now: DateTime<Utc>,
    ) -> AppResult<i64> {
        sender(settings)?;
        let recipients = invoice_recipients(tx, inv)?;
        let busy = tx
            .find_deliveries(&DeliveryQuery {
                invoice_id: Some(inv.id),
                limit: DEFAULT_LIMIT,
                ..Default::default()
            })?
            .into_iter()
            .any(|l| {
                l.delivery.kind == DeliveryKind::Invoice
                    && matches!(
                        l.delivery.status,
                        DeliveryStatus::Queued | DeliveryStatus::Sending | DeliveryStatus::Retrying
                    )
            });
        if busy {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                "this invoice's email is already on its way; see its deliveries",
            ));
        }
        let step = tx.next_delivery_step(inv.id, DeliveryKind::Invoice)?;
        let new = NewDelivery {
            invoice_id: Some(inv.id),
            kind: DeliveryKind::Invoice,
            step,
            recipients,
        };
        let id = tx.enqueue_delivery(&new, now)?.ok_or_else(|| {
            ApiError::new(ErrorCode::Conflict, "this email is already in the outbox")
        })?;
        tx.append_audit(
            NewAuditEvent::new(
                Some(actor),
                "delivery.queued",
                entity(Some(inv.id), id),
                json!({"delivery_id": id, "kind": "invoice", "step": step,
                       "to": new.recipients.to}),
            ),
            now,
        )?;
        Ok(id)
    }

    /// Queues the invoice's email (its archived PDF and payment link) for the
    /// sender. An issued invoice can be sent again; not while a sending of it
    /// is still on its way.
    pub fn send_invoice(&self, session: &Session, id: i64) -> AppResult<InvoiceScreen> {
        session.require(Permission::ManageInvoices)?;
        let now = self.clock.now();
        let (screen, delivery) = self.store.write(|tx| -> AppResult<_> {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let inv = load(tx, id)?;
            require_action(session, &settings, &inv, InvoiceAction::Send)?;
            let delivery = self.enqueue_invoice_email(tx, session.actor(), &settings, &inv, now)?;
            Ok((self.screen_in(tx, session, id)?, delivery))
        })?;
        self.publish_delivery(delivery);
        self.nudge_jobs();
        Ok(screen)
    }

    /// Issues the invoice and queues its email in one transaction: either
    /// both happen or neither.
    pub fn issue_and_send_invoice(&self, session: &Session, id: i64) -> AppResult<InvoiceScreen> {
        let screen = self.issue(session, id, true)?;
        if let Some(d) = screen.deliveries.first() {
            self.publish_delivery(d.id);
        }
        self.nudge_jobs();
        Ok(screen)
    }

    /// The deliveries asked for, newest first, with the sidebar's counts.
    pub fn deliveries(
        &self,
        session: &Session,
        filter: &DeliveryFilter,
    ) -> AppResult<DeliveryList> {
        session.require(Permission::View)?;
        self.store.read(|tx| -> AppResult<_> {
            let max = retry_policy(tx)?.max_attempts;
            let rows = tx
                .find_deliveries(&DeliveryQuery {
                    status: filter.status,
                    needs_a_person: filter.needs_a_person,
                    invoice_id: filter.invoice_id,
                    limit: filter.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, 10_000),
                })?
                .into_iter()
                .map(|l| delivery_view_of(&l.delivery, l.invoice_number, l.customer_name, max))
                .collect();
            let (failed, unknown) = tx.delivery_counts()?;
            Ok(DeliveryList {
                rows,
                failed,
                unknown,
            })
        })
    }

    /// One delivery as the screens show it.
    pub(crate) fn delivery_view_by_id(&self, id: i64) -> AppResult<Option<DeliveryView>> {
        self.store.read(|tx| -> AppResult<_> {
            let Some(d) = tx.delivery(id)? else {
                return Ok(None);
            };
            let (number, customer) = match d.invoice_id {
                Some(i) => {
                    let inv = load(tx, i)?;
                    (inv.number.clone(), Some(inv.content.customer.name.clone()))
                }
                None => (None, None),
            };
            let max = retry_policy(tx)?.max_attempts;
            Ok(Some(delivery_view_of(&d, number, customer, max)))
        })
    }

    /// Queues a failed delivery again ("Retry") or one of unknown outcome
    /// ("Resend"): a person decided, so the retry policy starts a new round.
    pub fn resend_delivery(&self, session: &Session, id: i64) -> AppResult<DeliveryView> {
        self.decide_delivery(
            session,
            id,
            DeliveryEvent::Resend,
            "delivery.resend_requested",
        )
    }

    /// Confirms that a delivery of unknown outcome arrived.
    pub fn mark_delivery_sent(&self, session: &Session, id: i64) -> AppResult<DeliveryView> {
        self.decide_delivery(session, id, DeliveryEvent::MarkSent, "delivery.marked_sent")
    }

    fn decide_delivery(
        &self,
        session: &Session,
        id: i64,
        event: DeliveryEvent,
        action: &str,
    ) -> AppResult<DeliveryView> {
        session.require(Permission::ManageInvoices)?;
        let now = self.clock.now();
        self.store.write(|tx| -> AppResult<_> {
            let d = tx
                .delivery(id)?
                .ok_or_else(|| ApiError::not_found("delivery", id))?;
            let to = d.status.apply(&event)?;
            let changed = tx.change_delivery(
                &DeliveryChange {
                    id,
                    from: d.status,
                    to,
                    starts_attempt: false,
                    resets_attempts: event == DeliveryEvent::Resend,
                    next_attempt_at: None,
                    reply: None,
                    message_id: None,
                },
                now,
            )?;
            if !changed {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "this delivery changed meanwhile; look at it again",
                ));
            }
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    action,
                    entity(d.invoice_id, id),
                    json!({"delivery_id": id, "from": d.status, "status": to,
                           "message_id": d.message_id}),
                ),
                now,
            )?;
            Ok(())
        })?;
        self.publish_delivery(id);
        self.publish_counts();
        self.delivery_view_by_id(id)?
            .ok_or_else(|| ApiError::not_found("delivery", id))
    }

    /// Settings → Email: where mail goes, and which secrets the keychain
    /// holds (never the secrets themselves).
    pub fn email_settings(&self, session: &Session) -> AppResult<EmailSettingsView> {
        session.require(Permission::View)?;
        let smtp = self.store.read(|tx| tx.smtp_settings())?;
        let keychain = invoicer_keychain::check_available();
        let stored = |kind| {
            keychain.is_ok()
                && matches!(invoicer_keychain::secret(&self.data_dir, kind), Ok(Some(_)))
        };
        Ok(EmailSettingsView {
            smtp_configured: smtp.is_some(),
            outbox_dir: self.outbox_dir().display().to_string(),
            host: smtp.as_ref().map(|s| s.host.clone()),
            port: smtp.as_ref().map(|s| s.port),
            security: smtp.as_ref().map(|s| s.security),
            username: smtp.as_ref().and_then(|s| s.username.clone()),
            password_stored: stored(SecretKind::SmtpPassword),
            payment_link_signed: stored(SecretKind::PaymentLinkKey),
            keychain_available: keychain.is_ok(),
            keychain_problem: keychain.err().map(|e| e.to_string()),
        })
    }

    /// Saves the SMTP server. A given password goes to the OS keychain
    /// first; with no keychain it is refused, never written elsewhere.
    pub fn save_smtp_settings(
        &self,
        session: &Session,
        input: &SmtpSettingsInput,
    ) -> AppResult<EmailSettingsView> {
        session.require(Permission::ManageCompany)?;
        let settings = SmtpSettings {
            host: input.host.trim().to_string(),
            port: input.port,
            security: input.security,
            username: non_blank(input.username.as_deref()),
        };
        settings.validate()?;
        let password = input.password.as_deref().filter(|p| !p.is_empty());
        if password.is_some() && settings.username.is_none() {
            return Err(ApiError::field(
                "username",
                "",
                "a password needs a user name to sign in with",
            ));
        }
        if let Some(p) = password {
            invoicer_keychain::store_secret(&self.data_dir, SecretKind::SmtpPassword, p.as_bytes())
                .map_err(|e| keychain_error(&e).with_field("password"))?;
        }
        let now = self.clock.now();
        self.store.write(|tx| -> AppResult<_> {
            tx.save_smtp_settings(Some(&settings), now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "settings.smtp_changed",
                    "settings:smtp",
                    json!({"host": settings.host, "port": settings.port,
                           "security": settings.security, "username": settings.username,
                           "password_changed": password.is_some()}),
                ),
                now,
            )?;
            Ok(())
        })?;
        self.email_settings(session)
    }

    /// Forgets the SMTP server and its password: mail goes to the outbox
    /// folder again.
    pub fn clear_smtp_settings(&self, session: &Session) -> AppResult<EmailSettingsView> {
        session.require(Permission::ManageCompany)?;
        let now = self.clock.now();
        self.store.write(|tx| -> AppResult<_> {
            tx.save_smtp_settings(None, now)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "settings.smtp_cleared",
                    "settings:smtp",
                    json!({"outbox_dir": self.outbox_dir().display().to_string()}),
                ),
                now,
            )?;
            Ok(())
        })?;
        if let Err(e) = invoicer_keychain::forget_secret(&self.data_dir, SecretKind::SmtpPassword) {
            tracing::warn!(error = %e, "the SMTP password could not be removed from the keychain");
        }
        self.email_settings(session)
    }

    /// Stores a new random payment-link signing key in the OS keychain;
    /// links sent from now on are signed with it.
    pub fn rotate_payment_link_secret(&self, session: &Session) -> AppResult<EmailSettingsView> {
        session.require(Permission::ManageCompany)?;
        let key = invoicer_keychain::random_key().map_err(|e| keychain_error(&e))?;
        invoicer_keychain::store_secret(&self.data_dir, SecretKind::PaymentLinkKey, &key)
            .map_err(|e| keychain_error(&e))?;
        // Read back, so the screens show links signed with the new key.
        self.payment_link_key();
        let now = self.clock.now();
        self.store.write(|tx| -> AppResult<_> {
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "settings.payment_link_key_rotated",
                    "settings:payment_link",
                    json!({}),
                ),
                now,
            )?;
            Ok(())
        })?;
        self.email_settings(session)
    }

    /// Sends a test email to `to` now, on this thread, through the transport
    /// in use, and says how it went. It goes through the outbox like any
    /// email, so it is audited and listed with the deliveries.
    pub fn send_test_email(&self, session: &Session, to: &str) -> AppResult<TestEmailResult> {
        session.require(Permission::ManageCompany)?;
        let to = to.trim();
        if !is_plausible_email(to) {
            return Err(ApiError::field("to", to, "is not a valid email address"));
        }
        let now = self.clock.now();
        let id = self.store.write(|tx| -> AppResult<_> {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            sender(&settings)?;
            let new = NewDelivery {
                invoice_id: None,
                kind: DeliveryKind::Test,
                step: 0,
                recipients: Recipients {
                    to: vec![to.to_string()],
                    cc: Vec::new(),
                    bcc: Vec::new(),
                },
            };
            let id = tx.enqueue_delivery(&new, now)?.ok_or_else(|| {
                ApiError::new(ErrorCode::Conflict, "this test email is already queued")
            })?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "delivery.queued",
                    entity(None, id),
                    json!({"delivery_id": id, "kind": "test", "to": [to]}),
                ),
                now,
            )?;
            Ok(id)
        })?;
        let chosen = self.mail_transport()?;
        let d = self
            .store
            .read(|tx| tx.delivery(id))?
            .ok_or_else(|| ApiError::not_found("delivery", id))?;
        let end = self.attempt_delivery(chosen.transport.as_ref(), &d, None)?;
        let delivery = self
            .delivery_view_by_id(id)?
            .ok_or_else(|| ApiError::not_found("delivery", id))?;
        let outbox_file = (end == AttemptEnd::Sent && !chosen.is_smtp).then(|| {
            self.outbox_dir()
                .join(format!("delivery-{id}.eml"))
                .display()
                .to_string()
        });
        Ok(TestEmailResult {
            delivery,
            outbox_file,
        })
    }
}
