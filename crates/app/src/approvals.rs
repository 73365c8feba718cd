//! The approval gate shared by submit and issue: the domain's decision on an
//! invoice, turned into the refusals a person sees and the figures the audit keeps.

use crate::api::FieldErrorView;
use crate::{ApiError, AppResult, ErrorCode};
use invoicer_domain::approval::{four_eyes_refusal, ApprovalDecision};
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice::Invoice;
use invoicer_domain::lifecycle::InvoiceStatus;

/// The decision for `inv` under `settings`, or an `invalid_state` error when
/// its currency has no exchange rate in force on its issue date.
pub(crate) fn decision(settings: &CompanySettings, inv: &Invoice) -> AppResult<ApprovalDecision> {
    settings
        .approval_decision(
            inv.totals.total,
            inv.content.currency,
            inv.content.issue_date,
        )
        .map_err(|missing| {
            let mut e = ApiError::new(ErrorCode::InvalidState, missing.to_string());
            e.details = Some(vec![FieldErrorView {
                field: "exchange_rates".into(),
                message: format!(
                    "{} has no rate in force on {}",
                    missing.currency, missing.date
                ),
            }]);
            e
        })
}

/// Checks that `inv` may be issued without (further) approval and returns the
/// decision's figures for the `invoice.issued` event. A draft whose converted
/// total reaches the threshold is refused; an approved invoice was already
/// decided, so its figures are recorded when they can still be computed.
pub(crate) fn issue_gate(
    settings: &CompanySettings,
    inv: &Invoice,
) -> AppResult<serde_json::Value> {
    if inv.status != InvoiceStatus::Draft {
        return Ok(decision(settings, inv)
            .map(|d| d.to_json())
            .unwrap_or(serde_json::Value::Null));
    }
    let d = decision(settings, inv)?;
    if d.needs_approval {
        let mut e = ApiError::new(
            ErrorCode::InvalidState,
            format!(
                "this invoice's total of {} reaches the approval threshold of {} {}; submit it for approval first",
                d.describe(),
                d.threshold,
                d.company_currency
            ),
        );
        e.details = Some(details(&d));
        return Err(e);
    }
    Ok(d.to_json())
}

/// Refuses an approver who made or last edited the invoice (`forbidden`).
pub(crate) fn check_four_eyes(inv: &Invoice, approver: i64) -> AppResult<()> {
    match four_eyes_refusal(inv.created_by, inv.last_edited_by, approver) {
        Some(why) => Err(ApiError::new(ErrorCode::Forbidden, why)),
        None => Ok(()),
    }
}

/// The decision's figures as error details, one per figure.
fn details(d: &ApprovalDecision) -> Vec<FieldErrorView> {
    let mut out = vec![FieldErrorView {
        field: "total".into(),
        message: format!("{} {}", d.total, d.currency),
    }];
    if let Some(r) = &d.rate {
        out.push(FieldErrorView {
            field: "exchange_rate".into(),
            message: format!(
                "{} {} per {} from {}",
                r.rate, d.company_currency, d.currency, r.valid_from
            ),
        });
    }
    out.push(FieldErrorView {
        field: "converted_total".into(),
        message: format!("{} {}", d.converted_total, d.company_currency),
    });
    out.push(FieldErrorView {
        field: "threshold".into(),
        message: format!("{} {}", d.threshold, d.company_currency),
    });
    out
}
