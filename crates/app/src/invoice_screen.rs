//! The invoice screen read in one transaction, and the domain's action rules
//! applied by the use cases that change an invoice.

use crate::api::InvoiceScreen;
use crate::drafts::load;
use crate::error::ErrorDetail;
use crate::invoice_pdf::not_initialized;
use crate::views::{audit_view, invoice_detail, payment_view};
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use invoicer_domain::authorization::Permission;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice::Invoice;
use invoicer_domain::invoice_actions::{check, Actor, InvoiceAction, Refusal, RefusalCode};
use invoicer_store::Tx;

impl Invoicer {
    /// Everything the invoice screen shows — the invoice with the actions the
    /// signed-in person may take, its payments and its activity — read in one
    /// transaction, so the parts always agree with each other.
    pub fn invoice_screen(&self, session: &Session, id: i64) -> AppResult<InvoiceScreen> {
        session.require(Permission::View)?;
        self.store.read(|tx| self.screen_in(tx, session, id))
    }

    /// [`Invoicer::invoice_screen`] inside the caller's transaction.
    pub(crate) fn screen_in(
        &self,
        tx: &Tx<'_>,
        session: &Session,
        id: i64,
    ) -> AppResult<InvoiceScreen> {
        let settings = tx.company()?.ok_or_else(not_initialized)?;
        let today = self.clock.today(settings.timezone);
        let inv = load(tx, id)?;
        let email = |user: i64| -> AppResult<String> {
            Ok(tx.user(user)?.map(|u| u.email).unwrap_or_default())
        };
        let c = inv.content.currency;
        let mut payments = Vec::new();
        for p in tx.payments(id, c)? {
            payments.push(payment_view(&p, c, &email(p.recorded_by)?));
        }
        let activity = tx
            .audit_for_entity(&format!("invoice:{id}"))?
            .iter()
            .map(audit_view)
            .collect();
        let mut invoice = invoice_detail(
            &inv,
            today,
            &email(inv.created_by)?,
            &settings,
            session.acting(),
            self.cached_payment_link_key().as_deref(),
        );
        invoice.approval = crate::approval_flow::status_view(tx, &settings, &inv)?;
        crate::approval_flow::refine_decide_actions(tx, session, &inv, &mut invoice)?;
        crate::refunds::refine_void_action(tx, &inv, &mut invoice.allowed_actions)?;
        Ok(InvoiceScreen {
            invoice,
            payments,
            refunds: crate::refunds::invoice_refunds(tx, &inv)?,
            credit_notes: crate::credit_notes::invoice_credit_notes(tx, &inv)?,
            activity,
            deliveries: crate::deliveries::invoice_deliveries(tx, id)?,
            reminders: match inv.number {
                Some(_) => Some(self.reminders_panel_in(tx, session, &settings, &inv)?),
                None => None,
            },
        })
    }
}

/// Refuses `action` on `inv` unless the domain's rules allow it for the
/// signed-in person: the same rules that compute the screen's allowed actions.
pub(crate) fn require_action(
    session: &Session,
    settings: &CompanySettings,
    inv: &Invoice,
    action: InvoiceAction,
) -> AppResult<()> {
    require_action_by(session.acting(), settings, inv, action)
}

/// [`require_action`] for an actor that is not a signed-in session: a
/// background job acting for the user who started it.
pub(crate) fn require_action_by(
    actor: Actor,
    settings: &CompanySettings,
    inv: &Invoice,
    action: InvoiceAction,
) -> AppResult<()> {
    check(inv, actor, action, || {
        settings.approval_decision(
            inv.totals.total,
            inv.content.currency,
            inv.content.issue_date,
        )
    })
    .map_err(refused)
}

/// A refusal as the error a use case returns; a threshold refusal carries its
/// figures as the one detail, so the UI never reads them out of the sentence.
pub(crate) fn refused(r: Refusal) -> ApiError {
    let code = match r.code {
        RefusalCode::Role | RefusalCode::FourEyes => ErrorCode::Forbidden,
        RefusalCode::NeedsApproval => ErrorCode::ApprovalRequired,
        RefusalCode::WrongState | RefusalCode::MissingRate | RefusalCode::NotAvailable => {
            ErrorCode::InvalidState
        }
    };
    let field = match r.code {
        RefusalCode::NeedsApproval => Some("total"),
        RefusalCode::MissingRate => Some("exchange_rates"),
        _ => None,
    };
    let mut e = ApiError::new(code, r.message.clone());
    if let Some(field) = field {
        e.details = Some(vec![ErrorDetail {
            approval: r.approval.map(|a| (*a).into()),
            ..ErrorDetail::new(field, r.message)
        }]);
    }
    e
}
