//! Recording payments.

use crate::api::{InvoiceScreen, PaymentInput, PaymentView};
use crate::drafts::load;
use crate::views::payment_view;
use crate::{ApiError, AppResult, Invoicer, Session};
use invoicer_domain::authorization::Permission;
use invoicer_domain::money::parse_decimal;
use invoicer_domain::payment::PaymentMethod;
use invoicer_domain::validation::non_blank;

impl Invoicer {
    /// Records a payment. Amounts above the balance are refused (see
    /// `invoicer_domain::payment::check_payment` for why).
    pub fn record_payment(
        &self,
        session: &Session,
        input: &PaymentInput,
    ) -> AppResult<InvoiceScreen> {
        let amount = parse_decimal(&input.amount)
            .map_err(|m| ApiError::field("amount", &input.amount, &m))?;
        let method = match input.method.as_deref() {
            Some(text) => PaymentMethod::parse(text)?,
            None => PaymentMethod::default(),
        };
        let reference = non_blank(input.reference.as_deref());
        self.store.write(|tx| {
            self.record_payment_in(
                tx,
                session,
                input.invoice_id,
                amount,
                input.date,
                method,
                reference.as_deref(),
            )?;
            self.screen_in(tx, session, input.invoice_id)
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
