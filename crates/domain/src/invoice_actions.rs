//! What a signed-in person may do with an invoice now, and why not when not.
//!
//! This is the one place that combines the rules an invoice action must pass:
//! the role ([`Role::allows`]), the state machine ([`InvoiceStatus::apply`]),
//! four eyes ([`four_eyes_refusal`]) and the approval threshold
//! ([`ApprovalDecision`]). The use cases call [`check`] before they change an
//! invoice, and every invoice the app hands out carries [`allowed_actions`],
//! so the screen shows exactly what the backend would accept.

use crate::approval::{four_eyes_refusal, ApprovalDecision, MissingRate};
use crate::authorization::{Permission, Role};
use crate::invoice::Invoice;
use crate::lifecycle::{InvoiceEvent, InvoiceStatus};
use crate::DomainError;
use serde::{Deserialize, Serialize};

/// Something a person can do with one invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceAction {
    /// Change its content (a pending or approved invoice goes back to draft).
    Edit,
    /// Number, archive and freeze it.
    Issue,
    /// Send it to an approver.
    Submit,
    /// Accept it as an approver.
    Approve,
    /// Send it back to its maker as an approver.
    Reject,
    /// Withdraw an approval request or an approval.
    SendBack,
    /// Cancel an issued invoice, keeping its number.
    Void,
    /// Record money received against it.
    RecordPayment,
    /// Email it (its archived PDF and payment link) to the customer; an
    /// issued invoice can be sent again.
    Send,
    /// Issue it and queue its email in one step.
    IssueAndSend,
    /// Issue a credit note against it.
    CreditNote,
    /// Record money paid back to the customer.
    Refund,
}

/// Every action, in the order a screen lists them.
pub const ALL_ACTIONS: [InvoiceAction; 12] = [
    InvoiceAction::Edit,
    InvoiceAction::Issue,
    InvoiceAction::IssueAndSend,
    InvoiceAction::Submit,
    InvoiceAction::Approve,
    InvoiceAction::Reject,
    InvoiceAction::SendBack,
    InvoiceAction::Void,
    InvoiceAction::RecordPayment,
    InvoiceAction::Send,
    InvoiceAction::CreditNote,
    InvoiceAction::Refund,
];

impl InvoiceAction {
    /// The permission the action needs.
    fn permission(self) -> Permission {
        match self {
            InvoiceAction::Approve | InvoiceAction::Reject => Permission::Approve,
            _ => Permission::ManageInvoices,
        }
    }

    /// The lifecycle event the action applies, `None` for actions not built yet.
    fn event(self) -> Option<InvoiceEvent> {
        Some(match self {
            InvoiceAction::Edit => InvoiceEvent::Edit,
            InvoiceAction::Issue | InvoiceAction::IssueAndSend => InvoiceEvent::Issue,
            InvoiceAction::Submit => InvoiceEvent::SubmitForApproval,
            InvoiceAction::Approve => InvoiceEvent::Approve,
            InvoiceAction::Reject => InvoiceEvent::Reject,
            InvoiceAction::SendBack => InvoiceEvent::SendBackToDraft,
            InvoiceAction::Void => InvoiceEvent::Void,
            // Whether this payment settles the invoice does not change whether
            // one may be recorded.
            InvoiceAction::RecordPayment => InvoiceEvent::Payment { settles: false },
            InvoiceAction::CreditNote => InvoiceEvent::Credit,
            InvoiceAction::Refund => InvoiceEvent::Refund,
            InvoiceAction::Send => return None,
        })
    }

    /// Issuing, with or without sending.
    fn issues(self) -> bool {
        matches!(self, InvoiceAction::Issue | InvoiceAction::IssueAndSend)
    }
}

/// Who is acting: the signed-in user's id (for four eyes) and role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// The user's stored id.
    pub user_id: i64,
    /// The user's role.
    pub role: Role,
}

/// Why an action is refused, as a stable code a screen can branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalCode {
    /// The invoice's state does not allow it.
    WrongState,
    /// The signed-in role does not allow it.
    Role,
    /// The approver made or last edited the invoice.
    FourEyes,
    /// The total reaches the approval threshold, so it must be approved first.
    NeedsApproval,
    /// The invoice's currency has no exchange rate in force on its issue date.
    MissingRate,
    /// The feature is not built yet.
    NotAvailable,
}

/// The figures behind a `needs_approval` refusal, as decimal text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalFigures {
    /// The invoice total in its own currency.
    pub total: String,
    /// The invoice currency.
    pub currency: String,
    /// The total in the company currency.
    pub converted_total: String,
    /// The company currency, which the threshold is in.
    pub company_currency: String,
    /// The approval threshold.
    pub threshold: String,
}

impl From<&ApprovalDecision> for ApprovalFigures {
    fn from(d: &ApprovalDecision) -> Self {
        ApprovalFigures {
            total: d.total.to_string(),
            currency: d.currency.code().to_string(),
            converted_total: d.converted_total.to_string(),
            company_currency: d.company_currency.code().to_string(),
            threshold: d.threshold.to_string(),
        }
    }
}

/// Why an action is refused: a code, a sentence for a person and, for
/// `needs_approval`, the figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// The kind of refusal.
    pub code: RefusalCode,
    /// A sentence for a person.
    pub message: String,
    /// The approval figures when the code is `needs_approval` (boxed: they
    /// are rare and would make every refusal large).
    pub approval: Option<Box<ApprovalFigures>>,
}

impl Refusal {
    fn new(code: RefusalCode, message: impl Into<String>) -> Self {
        Refusal {
            code,
            message: message.into(),
            approval: None,
        }
    }
}

/// One action and whether it is available; `refusal` says why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionAvailability {
    /// The action.
    pub action: InvoiceAction,
    /// Whether the actor may do it now.
    pub allowed: bool,
    /// Why not, when not allowed.
    pub refusal: Option<Refusal>,
}

/// Whether `actor` may do `action` with `inv` now. `approval` is the
/// company's approval decision for the invoice; it is only consulted for
/// issuing and submitting, which is why callers pass it lazily.
///
/// The checks run in the order the use cases report them: role first, then
/// state, then four eyes, then the approval threshold.
pub fn check(
    inv: &Invoice,
    actor: Actor,
    action: InvoiceAction,
    approval: impl FnOnce() -> Result<ApprovalDecision, MissingRate>,
) -> Result<(), Refusal> {
    if !actor.role.allows(action.permission()) {
        // Worded as the app's permission check words every refusal by role.
        return Err(Refusal::new(
            RefusalCode::Role,
            action_role_refusal(actor.role, action),
        ));
    }
    let Some(event) = action.event() else {
        // Sending changes no lifecycle state: what exists as an issued
        // document (paid ones too, as a copy) can be emailed; drafts have no
        // archived PDF and void invoices must not reach a customer again.
        return match inv.status {
            InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid | InvoiceStatus::Paid => Ok(()),
            InvoiceStatus::Void => Err(Refusal::new(
                RefusalCode::WrongState,
                "a void invoice cannot be sent",
            )),
            _ => Err(Refusal::new(
                RefusalCode::WrongState,
                "only an issued invoice can be sent; issue it first (or use Issue & send)",
            )),
        };
    };
    if let Err(e) = inv.status.apply(event) {
        let message = match e {
            DomainError::InvalidTransition { message, .. } => message,
            other => other.to_string(),
        };
        return Err(Refusal::new(RefusalCode::WrongState, message));
    }
    if let Some(why) = money_refusal(inv, action) {
        return Err(Refusal::new(RefusalCode::WrongState, why));
    }
    if matches!(action, InvoiceAction::Approve | InvoiceAction::Reject) {
        if let Some(why) = four_eyes_refusal(inv.created_by, inv.last_edited_by, actor.user_id) {
            return Err(Refusal::new(RefusalCode::FourEyes, why));
        }
    }
    // Submitting records the decision and issuing a draft depends on it; an
    // approved invoice was already decided. Issuing a draft that meets a
    // rule is allowed: the use case submits it for approval instead, so the
    // decision is only needed here for a missing exchange rate.
    let decides =
        action == InvoiceAction::Submit || (action.issues() && inv.status == InvoiceStatus::Draft);
    if decides {
        approval().map_err(|m| Refusal::new(RefusalCode::MissingRate, m.to_string()))?;
    }
    Ok(())
}

/// Why a credit note, refund or void is refused by the invoice's figures
/// although its state allows it.
fn money_refusal(inv: &Invoice, action: InvoiceAction) -> Option<&'static str> {
    use rust_decimal::Decimal;
    match action {
        InvoiceAction::CreditNote if inv.creditable() <= Decimal::ZERO => {
            Some("this invoice is credited in full; nothing is left to credit")
        }
        InvoiceAction::Refund if inv.amount_paid <= Decimal::ZERO => {
            Some("nothing has been paid on this invoice, so there is nothing to refund")
        }
        // A void invoice is one that never counted; once money or a credit
        // note moved against it, it is corrected with a credit note instead.
        InvoiceAction::Void if inv.amount_credited > Decimal::ZERO => {
            Some("an invoice with a credit note cannot be voided; credit the rest instead")
        }
        _ => None,
    }
}

/// The sentence for an action the role does not allow.
pub fn role_refusal(role: Role) -> String {
    format!("your role ({role}) is not allowed to do this; ask an admin")
}

/// The sentence for `action` refused to `role`. Approving and rejecting say
/// who may decide instead, because the person refused is usually the maker
/// waiting for someone else's approval, and "ask an admin" would mislead.
pub fn action_role_refusal(role: Role, action: InvoiceAction) -> String {
    let verb = match action {
        InvoiceAction::Approve => "approve",
        InvoiceAction::Reject => "reject",
        _ => return role_refusal(role),
    };
    format!(
        "your role ({role}) is not allowed to {verb} invoices: only an approver or admin may, \
         and never the invoice's maker"
    )
}

/// The refusal of issuing a draft whose converted total reaches the threshold.
pub fn needs_approval(d: &ApprovalDecision) -> Refusal {
    Refusal {
        code: RefusalCode::NeedsApproval,
        message: format!(
            "this invoice's total of {} reaches the approval threshold of {} {}; submit it for approval first",
            d.describe(),
            d.threshold,
            d.company_currency
        ),
        approval: Some(Box::new(d.into())),
    }
}

/// Every action with whether `actor` may do it with `inv` now.
pub fn allowed_actions(
    inv: &Invoice,
    actor: Actor,
    approval: &Result<ApprovalDecision, MissingRate>,
) -> Vec<ActionAvailability> {
    ALL_ACTIONS
        .iter()
        .map(|&action| {
            let refusal = check(inv, actor, action, || approval.clone()).err();
            ActionAvailability {
                action,
                allowed: refusal.is_none(),
                refusal,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::approval::decide;
    use crate::customer::Customer;
    use crate::invoice::InvoiceContent;
    use crate::money::{Currency, RoundingMode, RoundingScope};
    use crate::totals::Totals;
    use chrono::{NaiveDate, TimeZone, Utc};
    use rust_decimal::Decimal;

    const MAKER: i64 = 1;
    const OTHER: i64 = 2;

    fn invoice(status: InvoiceStatus) -> Invoice {
        let usd = Currency::from_code("USD").unwrap();
        Invoice {
            id: 7,
            number: None,
            status,
            content: InvoiceContent {
                customer: Customer {
                    id: 3,
                    name: "Ada".into(),
                    company: None,
                    email: "ada@example.com".into(),
                    address: "1 Main St".into(),
                    city: "Springfield".into(),
                    region: None,
                    postal_code: "12345".into(),
                    country: "US".into(),
                    tax_id: None,
                    currency: None,
                    template: None,
                    cc: Vec::new(),
                    bcc: Vec::new(),
                    external_ref: None,
                },
                currency: usd,
                issue_date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                terms_days: 30,
                notes: None,
                lines: vec![],
            },
            rounding_scope: RoundingScope::PerLine,
            rounding_mode: RoundingMode::HalfUp,
            totals: Totals {
                lines: vec![],
                subtotal: Decimal::ZERO,
                discount_total: Decimal::ZERO,
                tax_breakdown: vec![],
                tax_total: Decimal::ZERO,
                total: Decimal::ZERO,
            },
            amount_paid: Decimal::ZERO,
            amount_credited: Decimal::ZERO,
            created_by: MAKER,
            last_edited_by: MAKER,
            created_at: Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap(),
            issued_at: None,
            void_reason: None,
            disputed_on: None,
            template: None,
            pdf_sha256: None,
        }
    }

    fn decision(total: i64) -> Result<ApprovalDecision, MissingRate> {
        let usd = Currency::from_code("USD").unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        decide(
            Decimal::from(total),
            usd,
            day,
            usd,
            Decimal::from(10_000),
            &[],
        )
    }

    fn allowed(status: InvoiceStatus, user: i64, role: Role, total: i64) -> Vec<InvoiceAction> {
        allowed_actions(
            &invoice(status),
            Actor {
                user_id: user,
                role,
            },
            &decision(total),
        )
        .into_iter()
        .filter(|a| a.allowed)
        .map(|a| a.action)
        .collect()
    }

    fn refusal(status: InvoiceStatus, user: i64, role: Role, action: InvoiceAction) -> Refusal {
        check(
            &invoice(status),
            Actor {
                user_id: user,
                role,
            },
            action,
            || decision(20_000),
        )
        .unwrap_err()
    }

    use InvoiceAction as A;
    use InvoiceStatus as S;

    #[test]
    fn a_small_draft_can_be_edited_issued_and_submitted() {
        assert_eq!(
            allowed(S::Draft, MAKER, Role::Specialist, 100),
            [A::Edit, A::Issue, A::IssueAndSend, A::Submit]
        );
    }

    #[test]
    fn a_large_draft_can_be_issued_because_issuing_submits_it() {
        assert_eq!(
            allowed(S::Draft, MAKER, Role::Specialist, 20000),
            [A::Edit, A::Issue, A::IssueAndSend, A::Submit]
        );
        let d = decision(20_000).unwrap();
        let r = needs_approval(&d);
        assert_eq!(r.code, RefusalCode::NeedsApproval);
        let figures = r.approval.unwrap();
        assert_eq!(figures.threshold, "10000");
        assert_eq!(figures.converted_total, "20000");
        assert_eq!(figures.company_currency, "USD");
        assert!(r.message.contains("approval threshold"), "{}", r.message);
    }

    #[test]
    fn only_another_approver_may_decide_on_a_pending_invoice() {
        assert_eq!(
            allowed(S::PendingApproval, OTHER, Role::Approver, 100),
            [A::Edit, A::Approve, A::Reject, A::SendBack]
        );
        assert_eq!(
            refusal(S::PendingApproval, MAKER, Role::Admin, A::Approve).code,
            RefusalCode::FourEyes
        );
        assert_eq!(
            refusal(S::PendingApproval, OTHER, Role::Specialist, A::Approve).code,
            RefusalCode::Role
        );
    }

    #[test]
    fn issued_invoices_take_payments_a_void_and_emails() {
        assert_eq!(
            allowed(S::Issued, MAKER, Role::Specialist, 100),
            [A::Void, A::RecordPayment, A::Send]
        );
        assert_eq!(
            allowed(S::PartiallyPaid, MAKER, Role::Specialist, 100),
            [A::RecordPayment, A::Send]
        );
        // A paid invoice can still be emailed as a copy; a void one cannot.
        assert_eq!(allowed(S::Paid, MAKER, Role::Admin, 100), [A::Send]);
        assert!(allowed(S::Void, MAKER, Role::Admin, 100).is_empty());
        let r = refusal(S::Paid, MAKER, Role::Admin, A::RecordPayment);
        assert_eq!(r.code, RefusalCode::WrongState);
        assert_eq!(r.message, "this invoice is already paid in full");
    }

    #[test]
    fn drafts_are_not_sent() {
        let r = refusal(S::Draft, MAKER, Role::Admin, A::Send);
        assert_eq!(r.code, RefusalCode::WrongState);
        assert!(r.message.contains("Issue & send"), "{}", r.message);
        assert_eq!(
            refusal(S::Void, MAKER, Role::Admin, A::Send).message,
            "a void invoice cannot be sent"
        );
    }

    #[test]
    fn credit_notes_and_refunds_follow_what_is_left_to_credit_and_what_was_paid() {
        let actor = Actor {
            user_id: MAKER,
            role: Role::Specialist,
        };
        let mut inv = invoice(S::PartiallyPaid);
        inv.totals.total = Decimal::from(100);
        inv.amount_paid = Decimal::from(40);
        let ok = |inv: &Invoice, a| check(inv, actor, a, || decision(100)).is_ok();
        assert!(ok(&inv, A::CreditNote));
        assert!(ok(&inv, A::Refund));
        // Credited in full: nothing more to credit, and no void.
        inv.amount_credited = Decimal::from(100);
        inv.status = S::Paid;
        let r = check(&inv, actor, A::CreditNote, || decision(100)).unwrap_err();
        assert_eq!(r.code, RefusalCode::WrongState);
        assert!(r.message.contains("credited in full"), "{}", r.message);
        // The 40 paid is owed back to the customer and may be refunded.
        assert!(ok(&inv, A::Refund));
        inv.status = S::Issued;
        inv.amount_paid = Decimal::ZERO;
        assert!(!ok(&inv, A::Refund));
        assert!(!ok(&inv, A::Void));
        assert!(!ok(&invoice(S::Draft), A::CreditNote));
    }
}
