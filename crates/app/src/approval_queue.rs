//! The approvers' queue: every invoice waiting for approval, oldest first,
//! with what the signed-in person may do about each, so a screen or the CLI
//! shows exactly what the backend allows.

use crate::api::{ApprovalQueue, ApprovalQueueRow};
use crate::drafts::load;
use crate::invoice_pdf::not_initialized;
use crate::invoice_screen::require_action;
use crate::{AppResult, Invoicer, Session};
use chrono::{DateTime, Utc};
use invoicer_domain::approval_record::approvers_in_force;
use invoicer_domain::approval_rules::approval_refusal;
use invoicer_domain::audit::canonical_time;
use invoicer_domain::authorization::Permission;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice_actions::InvoiceAction;
use invoicer_store::Tx;

impl Invoicer {
    /// Every invoice waiting for approval, oldest first: amounts in its
    /// currency and the company's, customer, maker, age, rule and level, and
    /// whether the signed-in person may decide it (and why not).
    pub fn approval_queue(&self, session: &Session) -> AppResult<ApprovalQueue> {
        session.require(Permission::View)?;
        let now = self.clock.now();
        self.store.read(|tx| {
            let settings = tx.company()?.ok_or_else(not_initialized)?;
            let mut rows = Vec::new();
            for id in tx.pending_approval_ids()? {
                rows.push(queue_row(tx, session, &settings, id, now)?);
            }
            let waiting_for_you =
                u32::try_from(rows.iter().filter(|r| r.can_decide).count()).unwrap_or(u32::MAX);
            Ok(ApprovalQueue {
                rows,
                waiting_for_you,
            })
        })
    }

    /// How many waiting invoices the signed-in person may decide: the
    /// sidebar's badge.
    pub fn approvals_waiting(&self, session: &Session) -> AppResult<u32> {
        Ok(self.approval_queue(session)?.waiting_for_you)
    }
}

fn queue_row(
    tx: &Tx<'_>,
    session: &Session,
    settings: &CompanySettings,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<ApprovalQueueRow> {
    let inv = load(tx, id)?;
    let origin = tx.invoice_origin(id)?.unwrap_or_default();
    let so_far = approvers_in_force(&tx.approval_decisions(id)?);
    // An invoice whose rate was removed since it was submitted stays in the
    // queue, undecidable, saying why: it must not hide the others.
    let decision = crate::approvals::decision_in(tx, settings, &inv);
    let figures = match &decision {
        Ok(d) => (
            d.converted_total.to_string(),
            d.company_currency.code().to_string(),
            d.rate.as_ref().map(|r| r.rate.to_string()),
            d.required.rule.text.clone(),
            d.required.approvers.max(1),
        ),
        Err(e) => (
            String::new(),
            settings.currency.code().to_string(),
            None,
            e.message.clone(),
            1,
        ),
    };
    let (converted_total, company_currency, exchange_rate, rule, approvers_required) = figures;
    // Submitted at: the latest request (a resubmission restarts the wait).
    let submitted = tx
        .audit_for_entity(&format!("invoice:{id}"))?
        .into_iter()
        .rev()
        .find(|e| e.action == "invoice.submitted")
        .map(|e| e.at)
        .unwrap_or(inv.created_at);
    let refusal = match require_action(session, settings, &inv, InvoiceAction::Approve)
        .and(decision.map(|_| ()))
    {
        Err(e) => Some(e.message),
        Ok(()) => approval_refusal(
            inv.created_by,
            inv.last_edited_by,
            &so_far,
            session.user().id,
        )
        .map(str::to_string),
    };
    let c = inv.content.currency;
    Ok(ApprovalQueueRow {
        invoice_id: id,
        status: inv.status,
        customer_name: inv.content.customer.name.clone(),
        total: crate::views::amount(c, inv.totals.total),
        currency: c.code().to_string(),
        converted_total,
        company_currency,
        exchange_rate,
        issue_date: inv.content.issue_date,
        maker: tx
            .user(inv.created_by)?
            .map(|u| u.email)
            .unwrap_or_default(),
        submitted_at: canonical_time(submitted),
        age_days: u32::try_from((now - submitted).num_days().max(0)).unwrap_or(u32::MAX),
        rule,
        level: u8::try_from(so_far.len() + 1).unwrap_or(u8::MAX),
        approvers_required,
        source: origin.source.as_str().to_string(),
        send_on_approval: origin.send_on_approval,
        can_decide: refusal.is_none(),
        refusal,
    })
}
