//! Refunds — money paid back to the customer, which raises the invoice's
//! balance again or pays out a credit — and the rule that only an invoice
//! never sent may be voided.

use crate::api::{AllowedAction, InvoiceScreen, RefundInput, RefundView};
use crate::drafts::load;
use crate::invoice_pdf::not_initialized;
use crate::invoice_screen::require_action;
use crate::views::amount;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_domain::audit::{canonical_time, NewAuditEvent};
use invoicer_domain::authorization::Permission;
use invoicer_domain::credit_note::{check_refund, settlement_status, Refund};
use invoicer_domain::delivery::{DeliveryKind, DeliveryStatus};
use invoicer_domain::invoice::Invoice;
use invoicer_domain::invoice_actions::{InvoiceAction, RefusalCode};
use invoicer_domain::money::parse_decimal;
use invoicer_domain::payment::PaymentMethod;
use invoicer_domain::validation::non_blank;
use invoicer_domain::Currency;
use invoicer_store::{DeliveryQuery, Tx};
use serde_json::json;

/// Why `inv` may not be voided although its state allows it: its email went
/// out (or may have). A customer who received an invoice gets a credit note.
pub(crate) fn sent_refusal(tx: &Tx<'_>, inv: &Invoice) -> AppResult<Option<&'static str>> {
    let went_out = tx
        .find_deliveries(&DeliveryQuery {
            invoice_id: Some(inv.id),
            limit: 10_000,
            ..Default::default()
        })?
        .iter()
        .any(|l| {
            l.delivery.kind == DeliveryKind::Invoice && l.delivery.status != DeliveryStatus::Failed
        });
    Ok(went_out.then_some(
        "this invoice was emailed to the customer (or its email is on its way); correct it with a credit note instead of voiding it",
    ))
}

/// Marks the Void action unavailable on the screen when the invoice was sent.
pub(crate) fn refine_void_action(
    tx: &Tx<'_>,
    inv: &Invoice,
    actions: &mut [AllowedAction],
) -> AppResult<()> {
    for a in actions.iter_mut() {
        if a.action == InvoiceAction::Void && a.allowed {
            if let Some(why) = sent_refusal(tx, inv)? {
                a.allowed = false;
                a.reason = Some(crate::api::ActionRefusalView {
                    code: RefusalCode::WrongState,
                    message: why.to_string(),
                    approval: None,
                });
            }
        }
    }
    Ok(())
}

/// A refund as the screens show it.
pub(crate) fn refund_view(r: &Refund, c: Currency, recorded_by: &str) -> RefundView {
    RefundView {
        id: r.id,
        invoice_id: r.invoice_id,
        amount: amount(c, r.amount),
        date: r.date,
        method: r.method.as_str().to_string(),
        reference: r.reference.clone(),
        recorded_by: recorded_by.to_string(),
        recorded_at: canonical_time(r.recorded_at),
    }
}

/// An invoice's refunds as the invoice screen lists them.
pub(crate) fn invoice_refunds(tx: &Tx<'_>, inv: &Invoice) -> AppResult<Vec<RefundView>> {
    let c = inv.content.currency;
    let mut out = Vec::new();
    for r in tx.refunds(inv.id, c)? {
        let by = tx.user(r.recorded_by)?.map(|u| u.email).unwrap_or_default();
        out.push(refund_view(&r, c, &by));
    }
    Ok(out)
}

impl Invoicer {
    /// Records money paid back to the customer: at most what was paid (less
    /// earlier refunds). The balance rises by it — back to owed when a
    /// payment is returned, to zero when a credit is paid out — the status
    /// follows, and `payment.refunded` is audited.
    pub fn record_refund(
        &self,
        session: &Session,
        input: &RefundInput,
    ) -> AppResult<InvoiceScreen> {
        session.require(Permission::ManageInvoices)?;
        let amount_in = parse_decimal(&input.amount)
            .map_err(|m| ApiError::field("amount", &input.amount, &m))?;
        let method = match input.method.as_deref() {
            Some(text) => PaymentMethod::parse(text)?,
            None => PaymentMethod::default(),
        };
        let reference = non_blank(input.reference.as_deref());
        let now = self.clock.now();
        let id = input.invoice_id;
        self.store.write(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let inv = load(tx, id)?;
            require_action(session, &settings, &inv, InvoiceAction::Refund)?;
            let c = inv.content.currency;
            check_refund(amount_in, inv.amount_paid, c)?;
            let r = tx.insert_refund(
                id,
                c,
                amount_in,
                input.date,
                method,
                reference.as_deref(),
                session.user().id,
                now,
            )?;
            let after = load(tx, id)?;
            let status = settlement_status(&after);
            if status != after.status {
                tx.set_invoice_status(id, status)?;
            }
            tx.append_audit(
                NewAuditEvent::new(
                    Some(session.actor()),
                    "payment.refunded",
                    format!("invoice:{id}"),
                    json!({"refund_id": r.id, "amount": amount(c, amount_in),
                           "date": input.date.to_string(), "method": method.as_str(),
                           "reference": reference, "balance": amount(c, after.balance()),
                           "status": status.as_str()}),
                ),
                now,
            )?;
            self.screen_in(tx, session, id)
        })
    }
}

/// The error for voiding a sent invoice.
pub(crate) fn sent_void_error(why: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidState, why)
}
