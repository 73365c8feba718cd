//! The credit note's email: queued through the outbox like the invoice's,
//! with the idempotency key (invoice, `credit_note`, credit note id), so each
//! credit note is emailed once whatever retries, restarts or second clicks
//! happen; the outbox sender's crash-safe states do the rest.

use crate::api::InvoiceScreen;
use crate::deliveries::invoice_recipients;
use crate::drafts::load;
use crate::email_message::{sender, text_to_html};
use crate::invoice_pdf::{file_name, not_initialized};
use crate::invoice_screen::require_action;
use crate::outbox_sender::entity;
use crate::views::amount;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use chrono::{DateTime, Utc};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::credit_note::CreditNote;
use invoicer_domain::delivery::{Delivery, DeliveryKind, NewDelivery};
use invoicer_domain::invoice::Invoice;
use invoicer_domain::invoice_actions::InvoiceAction;
use invoicer_domain::Decimal;
use invoicer_mail::Attachment;
use invoicer_store::Tx;
use serde_json::json;

/// Subject, plain text, HTML and the PDF of a credit note's email.
pub(crate) type Message = (String, String, String, Option<Attachment>);

impl Invoicer {
    /// Queues credit note `cn`'s email in `tx`, with its audit event.
    pub(crate) fn enqueue_credit_note_email(
        &self,
        tx: &Tx<'_>,
        actor: &str,
        settings: &CompanySettings,
        inv: &Invoice,
        cn: &CreditNote,
        now: DateTime<Utc>,
    ) -> AppResult<i64> {
        sender(settings)?;
        let step = u32::try_from(cn.id).map_err(|_| {
            ApiError::new(
                ErrorCode::Internal,
                format!("credit note id {} is out of range", cn.id),
            )
        })?;
        let new = NewDelivery {
            invoice_id: Some(inv.id),
            kind: DeliveryKind::CreditNote,
            step,
            recipients: invoice_recipients(tx, inv)?,
        };
        let id = tx.enqueue_delivery(&new, now)?.ok_or_else(|| {
            ApiError::new(
                ErrorCode::Conflict,
                format!(
                    "the email of credit note {} is already in the outbox",
                    cn.number
                ),
            )
        })?;
        tx.append_audit(
            NewAuditEvent::new(
                Some(actor),
                "delivery.queued",
                entity(Some(inv.id), id),
                json!({"delivery_id": id, "kind": "credit_note", "step": step,
                       "credit_note_id": cn.id, "number": cn.number,
                       "to": new.recipients.to}),
            ),
            now,
        )?;
        Ok(id)
    }

    /// Queues the email of a credit note issued without sending. A credit
    /// note is emailed once: asking again is refused with a conflict.
    pub fn send_credit_note(&self, session: &Session, id: i64) -> AppResult<InvoiceScreen> {
        session.require(Permission::ManageInvoices)?;
        let now = self.clock.now();
        let (screen, delivery) = self.store.write(|tx| -> AppResult<_> {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let cn = tx
                .credit_note(id)?
                .ok_or_else(|| ApiError::not_found("credit note", id))?;
            let inv = load(tx, cn.invoice_id)?;
            // Sending is allowed whenever the invoice could be sent.
            require_action(session, &settings, &inv, InvoiceAction::Send)?;
            let d =
                self.enqueue_credit_note_email(tx, session.actor(), &settings, &inv, &cn, now)?;
            Ok((self.screen_in(tx, session, inv.id)?, d))
        })?;
        self.publish_delivery(delivery);
        self.nudge_jobs();
        Ok(screen)
    }

    /// The message of a credit-note delivery: built from the stored credit
    /// note, with its archived PDF attached.
    pub(crate) fn credit_note_message(
        &self,
        tx: &Tx<'_>,
        settings: &CompanySettings,
        d: &Delivery,
    ) -> AppResult<Message> {
        let missing = || {
            ApiError::new(
                ErrorCode::Integrity,
                format!("delivery {} names no stored credit note", d.id),
            )
        };
        let invoice_id = d.invoice_id.ok_or_else(missing)?;
        let cn = tx
            .credit_note(i64::from(d.step))?
            .filter(|cn| cn.invoice_id == invoice_id)
            .ok_or_else(missing)?;
        let inv = load(tx, invoice_id)?;
        let (pdf, _) = tx.credit_note_pdf(cn.id)?.ok_or_else(missing)?;
        let c = inv.content.currency;
        let money = |x: Decimal| format!("{} {}", amount(c, x), c.code());
        let invoice_number = inv.number.clone().unwrap_or_default();
        let balance = inv.balance();
        let standing = if balance > Decimal::ZERO {
            format!(
                "The balance of invoice {invoice_number} is now {}.",
                money(balance)
            )
        } else if balance < Decimal::ZERO {
            format!("We owe you {}, which we will refund.", money(-balance))
        } else {
            format!("Nothing more is owed on invoice {invoice_number}.")
        };
        let subject = format!(
            "Credit note {} for invoice {invoice_number} from {}",
            cn.number, settings.name
        );
        let text = format!(
            "Dear {},\n\nplease find attached credit note {} dated {}, which corrects invoice \
             {invoice_number} by {}.\n\nReason: {}\n\n{standing}\n\nIf you have any questions, \
             simply reply to this email.\n\nKind regards,\n{}\n{}\n",
            inv.content.customer.name,
            cn.number,
            cn.issue_date,
            money(cn.amounts.total),
            cn.reason,
            settings.name,
            settings.email.as_deref().unwrap_or_default(),
        );
        let html = text_to_html(&text);
        Ok((
            subject,
            text,
            html,
            Some(Attachment {
                file_name: file_name(Some(&cn.number), cn.id),
                content_type: "application/pdf".into(),
                bytes: pdf,
            }),
        ))
    }
}
