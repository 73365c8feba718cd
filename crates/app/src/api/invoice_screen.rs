//! The invoice screen in one answer: the invoice, what the signed-in person may
//! do with it and why not, its payments and its activity. Every use case that
//! changes an invoice returns this, so the screen never fetches it again.

use super::deliveries::DeliveryView;
use super::invoices::{AuditEventView, InvoiceDetail, PaymentView};
use invoicer_domain::invoice_actions::{
    ActionAvailability, ApprovalFigures, InvoiceAction, Refusal, RefusalCode,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `InvoiceAction` as TypeScript sees it.
#[derive(TS)]
#[ts(export, rename = "InvoiceAction", rename_all = "snake_case")]
#[allow(dead_code)]
pub(crate) enum InvoiceActionTs {
    Edit,
    Issue,
    IssueAndSend,
    Submit,
    Approve,
    Reject,
    SendBack,
    Void,
    RecordPayment,
    Send,
    CreditNote,
    Refund,
}

/// `RefusalCode` as TypeScript sees it.
#[derive(TS)]
#[ts(export, rename = "RefusalCode", rename_all = "snake_case")]
#[allow(dead_code)]
pub(crate) enum RefusalCodeTs {
    WrongState,
    Role,
    FourEyes,
    NeedsApproval,
    MissingRate,
    NotAvailable,
}

/// The figures behind a `needs_approval` refusal or an `approval_required`
/// error, as decimal text: the total, the total in the company currency and
/// the threshold it reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApprovalFiguresView {
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

impl From<ApprovalFigures> for ApprovalFiguresView {
    fn from(f: ApprovalFigures) -> Self {
        ApprovalFiguresView {
            total: f.total,
            currency: f.currency,
            converted_total: f.converted_total,
            company_currency: f.company_currency,
            threshold: f.threshold,
        }
    }
}

/// Why an action is unavailable: a code to branch on and a sentence to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionRefusalView {
    /// The kind of refusal.
    #[ts(as = "RefusalCodeTs")]
    pub code: RefusalCode,
    /// A sentence for a person.
    pub message: String,
    /// The approval figures when the code is `needs_approval`.
    pub approval: Option<ApprovalFiguresView>,
}

impl From<Refusal> for ActionRefusalView {
    fn from(r: Refusal) -> Self {
        ActionRefusalView {
            code: r.code,
            message: r.message,
            approval: r.approval.map(|a| (*a).into()),
        }
    }
}

/// One action on the invoice and whether the signed-in person may take it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AllowedAction {
    /// The action.
    #[ts(as = "InvoiceActionTs")]
    pub action: InvoiceAction,
    /// Whether it is available now.
    pub allowed: bool,
    /// Why not, when it is not.
    pub reason: Option<ActionRefusalView>,
}

impl From<ActionAvailability> for AllowedAction {
    fn from(a: ActionAvailability) -> Self {
        AllowedAction {
            action: a.action,
            allowed: a.allowed,
            reason: a.refusal.map(Into::into),
        }
    }
}

/// Everything the invoice screen shows, read in one transaction.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct InvoiceScreen {
    /// The invoice, with its allowed actions and document information.
    pub invoice: InvoiceDetail,
    /// Its payments, oldest first.
    pub payments: Vec<PaymentView>,
    /// Its refunds, oldest first.
    pub refunds: Vec<super::credit_notes::RefundView>,
    /// The credit notes issued against it, oldest first.
    pub credit_notes: Vec<super::credit_notes::CreditNoteView>,
    /// Its audit events, oldest first.
    pub activity: Vec<AuditEventView>,
    /// Its emails (the invoice, reminders, receipts), newest first.
    pub deliveries: Vec<DeliveryView>,
    /// Its Reminders section, once it has a number (sent and scheduled
    /// steps, the dispute, the reminder actions allowed now), so that no
    /// second call is needed after a change.
    pub reminders: Option<super::reminders::RemindersPanel>,
}
