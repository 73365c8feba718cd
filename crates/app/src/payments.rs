//! Recording payments.

use crate::api::{InvoiceScreen, PaymentInput, PaymentView};
use crate::drafts::load;
use crate::invoice_pdf::not_initialized;
use crate::invoice_screen::require_action;
use crate::views::payment_view;
use crate::{ApiError, AppResult, Invoicer, Session};
use invoicer_domain::audit::NewAuditEvent;
use invoicer_domain::authorization::Permission;
use invoicer_domain::invoice_actions::InvoiceAction;
use invoicer_domain::lifecycle::InvoiceEvent;
use invoicer_domain::money::parse_decimal;
use invoicer_domain::payment::check_payment;
use invoicer_domain::validation::non_blank;
use serde_json::json;

impl Invoicer {
    /// Records a payment. Amounts above the balance are refused (see
    /// `invoicer_domain::payment::check_payment` for why).
    pub fn record_payment(
        &self,
        session: &Session,
        input: &PaymentInput,
    ) -> AppResult<InvoiceScreen> {
        session.require(Permission::ManageInvoices)?;
        let amount = parse_decimal(&input.amount)
            .map_err(|m| ApiError::field("amount", &input.amount, &m))?;
        let now = self.clock.now();
        let id = input.invoice_id;
        let reference = non_blank(input.reference.as_deref());
        self.store.write(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let inv = load(tx, id)?;
            // The state check comes first so that paying a draft says why.
            require_action(session, &settings, &inv, InvoiceAction::RecordPayment)?;
            let settles = check_payment(amount, inv.balance(), inv.content.currency)?;
            let next = inv.status.apply(InvoiceEvent::Payment { settles })?;
            let p = tx.insert_payment(
                id,
                inv.content.currency,
                amount,
                input.date,
                reference.as_deref(),
                session.user().id,
                now,
            )?;
            tx.set_invoice_status(id, next)?;
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "payment.recorded",
                    format!("invoice:{id}"),
                    json!({"payment_id": p.id, "amount": amount.to_string(), "date": input.date.to_string(),
                           "reference": reference, "balance": (inv.balance() - amount).to_string(),
                           "status": next.as_str()}),
                ),
                now,
            )?;
            self.screen_in(tx, session, id)
        })
    }

    /// An invoice's payments.
    pub fn payments(&self, session: &Session, invoice_id: i64) -> AppResult<Vec<PaymentView>> {
        session.require(Permission::View)?;
        self.store.read(|tx| {
            let inv = load(tx, invoice_id)?;
            let c = inv.content.currency;
            let mut out = Vec::new();
            for p in tx.payments(invoice_id, c)? {
                let by = tx.user(p.recorded_by)?.map(|u| u.email).unwrap_or_default();
                out.push(payment_view(&p, c, &by));
            }
            Ok(out)
        })
    }
}
