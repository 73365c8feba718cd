//! The invoice lifecycle as an explicit state machine.
//!
//! ```text
//! draft ──submit──▶ pending_approval ──approve──▶ approved ──issue──▶ issued
//!   │                      └──reject──▶ rejected ──edit──▶ draft       │
//!   └──────────────────────issue (below threshold)─────────────────────┤
//! issued ──payment──▶ partially_paid ──payment──▶ paid                 │
//! issued ──void──▶ void                                                │
//! pending_approval | approved ──edit or send back──▶ draft
//! ```
//! `overdue` is not stored: it is derived from the due date and the balance.
//!
//! Only an issued invoice can be voided: it has a number and an archived PDF
//! that stay on record. An approved invoice has neither, so voiding it would
//! leave a "void" invoice with no number and no document; instead it is sent
//! back to draft (or edited, which does the same). Any edit of an invoice that
//! is waiting for, or has, an approval sends it back to draft, because the
//! approval was given to content that no longer exists.

use crate::error::DomainError;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The stored state of an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceStatus {
    /// Being prepared; freely editable; has no number.
    Draft,
    /// Waiting for an approver because its total reached the threshold.
    PendingApproval,
    /// Approved and ready to issue.
    Approved,
    /// Sent back by the approver; editing returns it to draft.
    Rejected,
    /// Issued: numbered, archived, immutable.
    Issued,
    /// Some but not all of the total has been paid.
    PartiallyPaid,
    /// Fully paid.
    Paid,
    /// Cancelled; stays on record with its number and reason.
    Void,
}

/// Something that happens to an invoice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceEvent {
    /// Its lines or header are changed.
    Edit,
    /// It is sent for approval.
    SubmitForApproval,
    /// An approver accepts it.
    Approve,
    /// An approver sends it back.
    Reject,
    /// It is numbered and archived.
    Issue,
    /// A payment is recorded; `settles` says whether the balance reaches zero.
    Payment {
        /// Whether this payment pays the invoice off.
        settles: bool,
    },
    /// A credit note is issued against it; the status that follows depends on
    /// the balance left (see `credit_note::settlement_status`).
    Credit,
    /// Money paid for it is paid back; the status that follows depends on
    /// the balance left (see `credit_note::settlement_status`).
    Refund,
    /// It is cancelled.
    Void,
    /// Its approval request or approval is withdrawn and it becomes a draft again.
    SendBackToDraft,
}

impl InvoiceEvent {
    fn verb(self) -> &'static str {
        match self {
            InvoiceEvent::Edit => "edit",
            InvoiceEvent::SubmitForApproval => "submit for approval",
            InvoiceEvent::Approve => "approve",
            InvoiceEvent::Reject => "reject",
            InvoiceEvent::Issue => "issue",
            InvoiceEvent::Payment { .. } => "record a payment on",
            InvoiceEvent::Credit => "issue a credit note for",
            InvoiceEvent::Refund => "record a refund on",
            InvoiceEvent::Void => "void",
            InvoiceEvent::SendBackToDraft => "send back to draft",
        }
    }
}

impl InvoiceStatus {
    /// The snake_case name used in storage, JSON and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::PendingApproval => "pending_approval",
            InvoiceStatus::Approved => "approved",
            InvoiceStatus::Rejected => "rejected",
            InvoiceStatus::Issued => "issued",
            InvoiceStatus::PartiallyPaid => "partially_paid",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Void => "void",
        }
    }

    /// Whether the invoice's content was approved or is waiting for approval,
    /// so that changing it withdraws that approval.
    pub fn holds_approval(self) -> bool {
        matches!(
            self,
            InvoiceStatus::PendingApproval | InvoiceStatus::Approved
        )
    }

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<InvoiceStatus> {
        ALL_STATUSES.iter().copied().find(|st| st.as_str() == s)
    }

    /// Whether the invoice has been issued (numbered and immutable).
    pub fn is_issued(self) -> bool {
        matches!(
            self,
            InvoiceStatus::Issued
                | InvoiceStatus::PartiallyPaid
                | InvoiceStatus::Paid
                | InvoiceStatus::Void
        )
    }

    /// The state after `event`, or why the event is not allowed now.
    pub fn apply(self, event: InvoiceEvent) -> Result<InvoiceStatus, DomainError> {
        use InvoiceEvent as E;
        use InvoiceStatus as S;
        let next = match (self, event) {
            (S::Draft | S::Rejected | S::PendingApproval | S::Approved, E::Edit) => Some(S::Draft),
            (S::PendingApproval | S::Approved, E::SendBackToDraft) => Some(S::Draft),
            (S::Draft, E::SubmitForApproval) => Some(S::PendingApproval),
            (S::PendingApproval, E::Approve) => Some(S::Approved),
            (S::PendingApproval, E::Reject) => Some(S::Rejected),
            (S::Draft, E::Issue) | (S::Approved, E::Issue) => Some(S::Issued),
            (S::Issued | S::PartiallyPaid, E::Payment { settles: true }) => Some(S::Paid),
            (S::Issued | S::PartiallyPaid, E::Payment { settles: false }) => Some(S::PartiallyPaid),
            (S::Issued, E::Void) => Some(S::Void),
            (S::Issued | S::PartiallyPaid | S::Paid, E::Credit | E::Refund) => Some(self),
            _ => None,
        };
        next.ok_or_else(|| DomainError::InvalidTransition {
            from: self,
            action: event.verb(),
            message: refusal(self, event),
        })
    }
}

fn refusal(from: InvoiceStatus, event: InvoiceEvent) -> String {
    use InvoiceEvent as E;
    use InvoiceStatus as S;
    match (from, event) {
        (S::Void, _) => format!("cannot {} a void invoice", event.verb()),
        (s, E::Edit) if s.is_issued() => {
            "issued invoices cannot be changed; void it or issue a credit note".to_string()
        }
        (S::Approved, E::Void) => {
            "an approved invoice has not been issued, so it has no number to void; send it back to draft instead"
                .to_string()
        }
        (S::Draft | S::PendingApproval | S::Rejected, E::Void) => {
            "only issued invoices can be voided; this one has no number yet".to_string()
        }
        (S::PartiallyPaid, E::Void) => {
            "a partially paid invoice cannot be voided; refund the payments or issue a credit note"
                .to_string()
        }
        (S::Paid, E::Payment { .. }) => "this invoice is already paid in full".to_string(),
        (_, E::Credit) => "only an issued invoice can be credited; a draft is edited instead".to_string(),
        (_, E::Refund) => "refunds are only recorded on issued invoices".to_string(),
        (S::Draft, E::Payment { .. }) => {
            "payments can only be recorded on issued invoices".to_string()
        }
        (S::PendingApproval, E::Issue) => {
            "this invoice is waiting for approval and cannot be issued yet".to_string()
        }
        _ => format!("cannot {} an invoice that is {}", event.verb(), from),
    }
}

/// Every stored status, for parsing and filters.
pub const ALL_STATUSES: [InvoiceStatus; 8] = [
    InvoiceStatus::Draft,
    InvoiceStatus::PendingApproval,
    InvoiceStatus::Approved,
    InvoiceStatus::Rejected,
    InvoiceStatus::Issued,
    InvoiceStatus::PartiallyPaid,
    InvoiceStatus::Paid,
    InvoiceStatus::Void,
];

impl fmt::Display for InvoiceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str().replace('_', " "))
    }
}

/// The status a person sees: the stored status, or `overdue` when an issued
/// invoice still has a balance after its due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisplayStatus {
    /// See [`InvoiceStatus::Draft`].
    Draft,
    /// See [`InvoiceStatus::PendingApproval`].
    PendingApproval,
    /// See [`InvoiceStatus::Approved`].
    Approved,
    /// See [`InvoiceStatus::Rejected`].
    Rejected,
    /// Issued and not yet due.
    Issued,
    /// Past its due date with a balance left.
    Overdue,
    /// Partly paid and not yet due.
    PartiallyPaid,
    /// Fully paid.
    Paid,
    /// Cancelled.
    Void,
}

impl DisplayStatus {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            DisplayStatus::Overdue => "overdue",
            other => other.stored().map_or("overdue", InvoiceStatus::as_str),
        }
    }

    /// Parses the snake_case name.
    pub fn parse(s: &str) -> Option<DisplayStatus> {
        if s == "overdue" {
            return Some(DisplayStatus::Overdue);
        }
        InvoiceStatus::parse(s).map(DisplayStatus::from)
    }

    /// The stored status this display status corresponds to, `None` for overdue.
    pub fn stored(self) -> Option<InvoiceStatus> {
        Some(match self {
            DisplayStatus::Draft => InvoiceStatus::Draft,
            DisplayStatus::PendingApproval => InvoiceStatus::PendingApproval,
            DisplayStatus::Approved => InvoiceStatus::Approved,
            DisplayStatus::Rejected => InvoiceStatus::Rejected,
            DisplayStatus::Issued => InvoiceStatus::Issued,
            DisplayStatus::PartiallyPaid => InvoiceStatus::PartiallyPaid,
            DisplayStatus::Paid => InvoiceStatus::Paid,
            DisplayStatus::Void => InvoiceStatus::Void,
            DisplayStatus::Overdue => return None,
        })
    }
}

impl From<InvoiceStatus> for DisplayStatus {
    fn from(s: InvoiceStatus) -> Self {
        match s {
            InvoiceStatus::Draft => DisplayStatus::Draft,
            InvoiceStatus::PendingApproval => DisplayStatus::PendingApproval,
            InvoiceStatus::Approved => DisplayStatus::Approved,
            InvoiceStatus::Rejected => DisplayStatus::Rejected,
            InvoiceStatus::Issued => DisplayStatus::Issued,
            InvoiceStatus::PartiallyPaid => DisplayStatus::PartiallyPaid,
            InvoiceStatus::Paid => DisplayStatus::Paid,
            InvoiceStatus::Void => DisplayStatus::Void,
        }
    }
}

/// Whether an invoice in `status` with `balance` left is overdue on `today`.
pub fn is_overdue(
    status: InvoiceStatus,
    due_date: NaiveDate,
    balance: Decimal,
    today: NaiveDate,
) -> bool {
    matches!(status, InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid)
        && balance > Decimal::ZERO
        && today > due_date
}

/// The status to show for an invoice on `today`.
pub fn display_status(
    status: InvoiceStatus,
    due_date: NaiveDate,
    balance: Decimal,
    today: NaiveDate,
) -> DisplayStatus {
    if is_overdue(status, due_date, balance, today) {
        DisplayStatus::Overdue
    } else {
        status.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use InvoiceEvent as E;
    use InvoiceStatus as S;

    #[test]
    fn happy_paths() {
        assert_eq!(S::Draft.apply(E::Issue).unwrap(), S::Issued);
        let approved = S::Draft
            .apply(E::SubmitForApproval)
            .and_then(|s| s.apply(E::Approve))
            .unwrap();
        assert_eq!(approved.apply(E::Issue).unwrap(), S::Issued);
        let partly = S::Issued.apply(E::Payment { settles: false }).unwrap();
        assert_eq!(partly, S::PartiallyPaid);
        assert_eq!(partly.apply(E::Payment { settles: true }).unwrap(), S::Paid);
        assert_eq!(S::Rejected.apply(E::Edit).unwrap(), S::Draft);
        assert_eq!(S::Issued.apply(E::Void).unwrap(), S::Void);
    }

    #[test]
    fn editing_an_invoice_that_waits_for_or_has_an_approval_sends_it_back_to_draft() {
        for s in [S::PendingApproval, S::Approved] {
            assert!(s.holds_approval());
            assert_eq!(s.apply(E::Edit).unwrap(), S::Draft);
            assert_eq!(s.apply(E::SendBackToDraft).unwrap(), S::Draft);
        }
        assert!(S::Draft.apply(E::SendBackToDraft).is_err());
        assert!(S::Issued.apply(E::SendBackToDraft).is_err());
    }

    #[test]
    fn only_issued_invoices_can_be_voided() {
        let err = S::Approved.apply(E::Void).unwrap_err();
        assert!(err.to_string().contains("send it back to draft"), "{err}");
        for s in [
            S::Draft,
            S::PendingApproval,
            S::Rejected,
            S::Paid,
            S::PartiallyPaid,
            S::Void,
        ] {
            assert!(s.apply(E::Void).is_err(), "{s}");
        }
    }

    #[test]
    fn issued_invoices_refuse_edits_with_the_documented_message() {
        for s in [S::Issued, S::PartiallyPaid, S::Paid, S::Void] {
            let err = s.apply(E::Edit).unwrap_err();
            assert_eq!(
                err.to_string(),
                if s == S::Void {
                    "cannot edit a void invoice".to_string()
                } else {
                    "issued invoices cannot be changed; void it or issue a credit note".to_string()
                }
            );
        }
    }

    #[test]
    fn forbidden_transitions() {
        assert!(S::PendingApproval.apply(E::Issue).is_err());
        assert!(S::Draft.apply(E::Payment { settles: true }).is_err());
        assert!(S::Void.apply(E::Issue).is_err());
        assert!(S::Paid.apply(E::Void).is_err());
        assert!(S::PartiallyPaid.apply(E::Void).is_err());
        assert!(S::Draft.apply(E::Approve).is_err());
    }

    #[test]
    fn overdue_is_derived_from_due_date_and_balance() {
        let due = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let day_after = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let one = Decimal::ONE;
        assert_eq!(
            display_status(S::Issued, due, one, due),
            DisplayStatus::Issued
        );
        assert_eq!(
            display_status(S::Issued, due, one, day_after),
            DisplayStatus::Overdue
        );
        assert_eq!(
            display_status(S::PartiallyPaid, due, one, day_after),
            DisplayStatus::Overdue
        );
        assert_eq!(
            display_status(S::Paid, due, Decimal::ZERO, day_after),
            DisplayStatus::Paid
        );
        assert_eq!(
            display_status(S::Draft, due, one, day_after),
            DisplayStatus::Draft
        );
    }

    #[test]
    fn names_round_trip() {
        for s in ALL_STATUSES {
            assert_eq!(InvoiceStatus::parse(s.as_str()), Some(s));
            assert_eq!(DisplayStatus::parse(s.as_str()), Some(s.into()));
        }
        assert_eq!(
            DisplayStatus::parse("overdue"),
            Some(DisplayStatus::Overdue)
        );
        assert_eq!(DisplayStatus::Overdue.as_str(), "overdue");
    }
}
