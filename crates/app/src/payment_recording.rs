//! Recording one payment inside a write transaction the caller already holds,
//! so that recording from the invoice screen, the CLI and a confirmed bank
//! statement match all apply the same checks and leave the same audit trail.

use crate::drafts::load;
use crate::invoice_pdf::not_initialized;
use crate::invoice_screen::require_action;
use crate::{AppResult, Invoicer, Session};
use chrono::NaiveDate;
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::invoice_actions::InvoiceAction;
use invoicer_domain::lifecycle::InvoiceEvent;
use invoicer_domain::payment::{check_payment, Payment, PaymentMethod};
use invoicer_domain::Decimal;
use invoicer_store::Tx;
use serde_json::json;

impl Invoicer {
    /// Records a payment of `amount` on `invoice_id` inside `tx`: checks the
    /// signed-in person may record it and that it fits the balance, stores it,
    /// moves the invoice to partially paid or paid and audits
    /// `payment.recorded`. Nothing is written when it is refused; the caller's
    /// transaction decides whether what was written is kept.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record_payment_in(
        &self,
        tx: &Tx<'_>,
        session: &Session,
        invoice_id: i64,
        amount: Decimal,
        date: NaiveDate,
        method: PaymentMethod,
        reference: Option<&str>,
    ) -> AppResult<Payment> {
        session.require(Permission::ManageInvoices)?;
        let now = self.clock.now();
        let settings = tx.company()?.ok_or_else(not_initialized)?;
        let inv = load(tx, invoice_id)?;
        // The state check comes first so that paying a draft says why.
        require_action(session, &settings, &inv, InvoiceAction::RecordPayment)?;
        let settles = check_payment(amount, inv.balance(), inv.content.currency)?;
        let next = inv.status.apply(InvoiceEvent::Payment { settles })?;
        let p = tx.insert_payment(
            invoice_id,
            inv.content.currency,
            amount,
            date,
            method,
            reference,
            session.user().id,
            now,
        )?;
        tx.set_invoice_status(invoice_id, next)?;
        tx.append_audit(
            NewAuditEvent::new(
                Some(session.actor()),
                "payment.recorded",
                format!("invoice:{invoice_id}"),
                json!({"payment_id": p.id, "amount": amount.to_string(), "date": date.to_string(),
                       "method": method.as_str(), "reference": reference,
                       "balance": (inv.balance() - amount).to_string(), "status": next.as_str()}),
            ),
            now,
        )?;
        Ok(p)
    }
}
