//! The approval decision shared by submit and issue: the domain's decision on
//! an invoice, as the figures the audit keeps or the refusal of a missing rate.

use crate::api::ErrorDetail;
use crate::{ApiError, AppResult, ErrorCode};
use invoicer_domain::approval::{ApprovalDecision, MissingRate};
use invoicer_domain::approval_rules::InvoiceFacts;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice::Invoice;
use invoicer_store::Tx;

/// The decision for `inv` under `settings`, or an `invalid_state` error when
/// its currency has no exchange rate in force on its issue date.
pub(crate) fn decision(settings: &CompanySettings, inv: &Invoice) -> AppResult<ApprovalDecision> {
    settings
        .approval_decision(
            inv.totals.total,
            inv.content.currency,
            inv.content.issue_date,
        )
        .map_err(missing_rate)
}

/// The decision for `inv` with every fact the rules can use: its customer,
/// its template and how it was made (read from the store), so customer,
/// template and trigger-source rules apply too.
pub(crate) fn decision_in(
    tx: &Tx<'_>,
    settings: &CompanySettings,
    inv: &Invoice,
) -> AppResult<ApprovalDecision> {
    let origin = tx.invoice_origin(inv.id)?.unwrap_or_default();
    settings
        .approval_decision_for(&InvoiceFacts {
            total: inv.totals.total,
            currency: inv.content.currency,
            date: inv.content.issue_date,
            customer_id: inv.content.customer.id,
            template: inv.template.as_ref().map(|t| t.name.clone()),
            source: origin.source,
        })
        .map_err(missing_rate)
}

/// A missing exchange rate as the error a use case returns, naming the field.
fn missing_rate(missing: MissingRate) -> ApiError {
    let mut e = ApiError::new(ErrorCode::InvalidState, missing.to_string());
    e.details = Some(vec![ErrorDetail::new(
        "exchange_rates",
        format!(
            "{} has no rate in force on {}",
            missing.currency, missing.date
        ),
    )]);
    e
}

/// The decision's figures for the `invoice.issued` event, when they can be
/// computed. Whether the invoice may be issued at all is decided by
/// `invoice_actions::check`, before this is asked.
pub(crate) fn issue_figures(settings: &CompanySettings, inv: &Invoice) -> serde_json::Value {
    decision(settings, inv)
        .map(|d| d.to_json())
        .unwrap_or(serde_json::Value::Null)
}
