//! The text each stored enum value is written as. These strings are part of
//! the database format, so they are spelled out here rather than derived
//! from the domain's serde names or `as_str`: renaming a domain variant must
//! not change what is written, and old rows must keep reading back.

use crate::codec::corrupt;
use crate::StoreError;
use invoicer_domain::approval_rules::TriggerSource;
use invoicer_domain::authorization::Role;
use invoicer_domain::bulk_job::{BulkJobStatus, BulkRowStatus};
use invoicer_domain::delivery::{DeliveryKind, DeliveryStatus};
use invoicer_domain::lifecycle::InvoiceStatus;
use invoicer_domain::money::{RoundingMode, RoundingScope};

/// The stored text of an invoice status.
pub(crate) fn status_text(s: InvoiceStatus) -> &'static str {
    match s {
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

/// An invoice status from its stored text.
pub(crate) fn parse_status(s: &str) -> Result<InvoiceStatus, StoreError> {
    Ok(match s {
        "draft" => InvoiceStatus::Draft,
        "pending_approval" => InvoiceStatus::PendingApproval,
        "approved" => InvoiceStatus::Approved,
        "rejected" => InvoiceStatus::Rejected,
        "issued" => InvoiceStatus::Issued,
        "partially_paid" => InvoiceStatus::PartiallyPaid,
        "paid" => InvoiceStatus::Paid,
        "void" => InvoiceStatus::Void,
        _ => return Err(corrupt("status", s)),
    })
}

/// The stored text of a rounding scope.
pub(crate) fn rounding_scope_text(s: RoundingScope) -> &'static str {
    match s {
        RoundingScope::PerLine => "per_line",
        RoundingScope::PerDocument => "per_document",
    }
}

/// A rounding scope from its stored text.
pub(crate) fn parse_rounding_scope(s: &str) -> Result<RoundingScope, StoreError> {
    match s {
        "per_line" => Ok(RoundingScope::PerLine),
        "per_document" => Ok(RoundingScope::PerDocument),
        _ => Err(corrupt("rounding scope", s)),
    }
}

/// The stored text of a rounding mode.
pub(crate) fn rounding_mode_text(m: RoundingMode) -> &'static str {
    match m {
        RoundingMode::HalfUp => "half_up",
        RoundingMode::HalfEven => "half_even",
    }
}

/// A rounding mode from its stored text.
pub(crate) fn parse_rounding_mode(s: &str) -> Result<RoundingMode, StoreError> {
    match s {
        "half_up" => Ok(RoundingMode::HalfUp),
        "half_even" => Ok(RoundingMode::HalfEven),
        _ => Err(corrupt("rounding mode", s)),
    }
}

/// The stored text of a role.
pub(crate) fn role_text(r: Role) -> &'static str {
    match r {
        Role::Specialist => "specialist",
        Role::Approver => "approver",
        Role::Admin => "admin",
    }
}

/// A role from its stored text.
pub(crate) fn parse_role(s: &str) -> Result<Role, StoreError> {
    match s {
        "specialist" => Ok(Role::Specialist),
        "approver" => Ok(Role::Approver),
        "admin" => Ok(Role::Admin),
        _ => Err(corrupt("role", s)),
    }
}

/// The stored text of a delivery kind.
pub(crate) fn delivery_kind_text(k: DeliveryKind) -> &'static str {
    match k {
        DeliveryKind::Invoice => "invoice",
        DeliveryKind::Reminder => "reminder",
        DeliveryKind::Receipt => "receipt",
        DeliveryKind::Test => "test",
        DeliveryKind::CreditNote => "credit_note",
    }
}

/// A delivery kind from its stored text.
pub(crate) fn parse_delivery_kind(s: &str) -> Result<DeliveryKind, StoreError> {
    Ok(match s {
        "invoice" => DeliveryKind::Invoice,
        "reminder" => DeliveryKind::Reminder,
        "receipt" => DeliveryKind::Receipt,
        "test" => DeliveryKind::Test,
        "credit_note" => DeliveryKind::CreditNote,
        _ => return Err(corrupt("delivery kind", s)),
    })
}

/// The stored text of a delivery status.
pub(crate) fn delivery_status_text(s: DeliveryStatus) -> &'static str {
    match s {
        DeliveryStatus::Queued => "queued",
        DeliveryStatus::Sending => "sending",
        DeliveryStatus::Sent => "sent",
        DeliveryStatus::Retrying => "retrying",
        DeliveryStatus::Failed => "failed",
        DeliveryStatus::Unknown => "unknown",
    }
}

/// A delivery status from its stored text.
pub(crate) fn parse_delivery_status(s: &str) -> Result<DeliveryStatus, StoreError> {
    Ok(match s {
        "queued" => DeliveryStatus::Queued,
        "sending" => DeliveryStatus::Sending,
        "sent" => DeliveryStatus::Sent,
        "retrying" => DeliveryStatus::Retrying,
        "failed" => DeliveryStatus::Failed,
        "unknown" => DeliveryStatus::Unknown,
        _ => return Err(corrupt("delivery status", s)),
    })
}

/// The stored text of a bulk job's status.
pub(crate) fn bulk_job_status_text(s: BulkJobStatus) -> &'static str {
    match s {
        BulkJobStatus::Validating => "validating",
        BulkJobStatus::Ready => "ready",
        BulkJobStatus::Running => "running",
        BulkJobStatus::Interrupted => "interrupted",
        BulkJobStatus::Cancelled => "cancelled",
        BulkJobStatus::Finished => "finished",
    }
}

/// A bulk job's status from its stored text.
pub(crate) fn parse_bulk_job_status(s: &str) -> Result<BulkJobStatus, StoreError> {
    Ok(match s {
        "validating" => BulkJobStatus::Validating,
        "ready" => BulkJobStatus::Ready,
        "running" => BulkJobStatus::Running,
        "interrupted" => BulkJobStatus::Interrupted,
        "cancelled" => BulkJobStatus::Cancelled,
        "finished" => BulkJobStatus::Finished,
        _ => return Err(corrupt("bulk job status", s)),
    })
}

/// The stored text of a bulk invoice's status.
pub(crate) fn bulk_row_status_text(s: BulkRowStatus) -> &'static str {
    match s {
        BulkRowStatus::Pending => "pending",
        BulkRowStatus::Invalid => "invalid",
        BulkRowStatus::Created => "created",
        BulkRowStatus::Issued => "issued",
        BulkRowStatus::AwaitingApproval => "awaiting_approval",
        BulkRowStatus::QueuedForSending => "queued_for_sending",
        BulkRowStatus::SkippedAlreadyInvoiced => "skipped_already_invoiced",
        BulkRowStatus::Failed => "failed",
    }
}

/// A bulk invoice's status from its stored text.
pub(crate) fn parse_bulk_row_status(s: &str) -> Result<BulkRowStatus, StoreError> {
    Ok(match s {
        "pending" => BulkRowStatus::Pending,
        "invalid" => BulkRowStatus::Invalid,
        "created" => BulkRowStatus::Created,
        "issued" => BulkRowStatus::Issued,
        "awaiting_approval" => BulkRowStatus::AwaitingApproval,
        "queued_for_sending" => BulkRowStatus::QueuedForSending,
        "skipped_already_invoiced" => BulkRowStatus::SkippedAlreadyInvoiced,
        "failed" => BulkRowStatus::Failed,
        _ => return Err(corrupt("bulk invoice status", s)),
    })
}

/// The stored text of a trigger source (in approval rules).
pub(crate) fn trigger_source_text(s: TriggerSource) -> &'static str {
    match s {
        TriggerSource::Manual => "manual",
        TriggerSource::Bulk => "bulk",
        TriggerSource::Recurring => "recurring",
        TriggerSource::Api => "api",
        TriggerSource::Threshold => "threshold",
    }
}

/// A trigger source from its stored text.
pub(crate) fn parse_trigger_source(s: &str) -> Result<TriggerSource, StoreError> {
    Ok(match s {
        "manual" => TriggerSource::Manual,
        "bulk" => TriggerSource::Bulk,
        "recurring" => TriggerSource::Recurring,
        "api" => TriggerSource::Api,
        "threshold" => TriggerSource::Threshold,
        _ => return Err(corrupt("trigger source", s)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use invoicer_domain::lifecycle::ALL_STATUSES;

    /// The stored names are the database format: these exact strings are in
    /// every existing database, so this list may only grow.
    #[test]
    fn stored_names_are_fixed_and_read_back() {
        let statuses: Vec<&str> = ALL_STATUSES.iter().map(|s| status_text(*s)).collect();
        assert_eq!(
            statuses,
            [
                "draft",
                "pending_approval",
                "approved",
                "rejected",
                "issued",
                "partially_paid",
                "paid",
                "void"
            ]
        );
        for s in ALL_STATUSES {
            assert_eq!(parse_status(status_text(s)).unwrap(), s);
        }
        for s in [RoundingScope::PerLine, RoundingScope::PerDocument] {
            assert_eq!(parse_rounding_scope(rounding_scope_text(s)).unwrap(), s);
        }
        for m in [RoundingMode::HalfUp, RoundingMode::HalfEven] {
            assert_eq!(parse_rounding_mode(rounding_mode_text(m)).unwrap(), m);
        }
        let roles: Vec<&str> = [Role::Specialist, Role::Approver, Role::Admin]
            .into_iter()
            .map(role_text)
            .collect();
        assert_eq!(roles, ["specialist", "approver", "admin"]);
        for r in [Role::Specialist, Role::Approver, Role::Admin] {
            assert_eq!(parse_role(role_text(r)).unwrap(), r);
        }
    }

    /// The bulk names are the CHECK lists of migration 0013, in its order.
    #[test]
    fn bulk_names_are_fixed_and_read_back() {
        use BulkJobStatus as J;
        use BulkRowStatus as R;
        let jobs = [
            J::Validating,
            J::Ready,
            J::Running,
            J::Interrupted,
            J::Cancelled,
            J::Finished,
        ];
        let names: Vec<&str> = jobs.iter().map(|s| bulk_job_status_text(*s)).collect();
        assert_eq!(
            names,
            [
                "validating",
                "ready",
                "running",
                "interrupted",
                "cancelled",
                "finished"
            ]
        );
        for s in jobs {
            assert_eq!(parse_bulk_job_status(bulk_job_status_text(s)).unwrap(), s);
        }
        let rows = [
            R::Pending,
            R::Invalid,
            R::Created,
            R::Issued,
            R::AwaitingApproval,
            R::QueuedForSending,
            R::SkippedAlreadyInvoiced,
            R::Failed,
        ];
        let names: Vec<&str> = rows.iter().map(|s| bulk_row_status_text(*s)).collect();
        assert_eq!(
            names,
            [
                "pending",
                "invalid",
                "created",
                "issued",
                "awaiting_approval",
                "queued_for_sending",
                "skipped_already_invoiced",
                "failed"
            ]
        );
        for s in rows {
            assert_eq!(parse_bulk_row_status(bulk_row_status_text(s)).unwrap(), s);
        }
        assert!(matches!(
            parse_bulk_row_status("Pending"),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn an_unknown_stored_name_is_corrupt_data_not_a_panic() {
        assert!(matches!(
            parse_status("Issued"),
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(
            parse_rounding_mode("HalfUp"),
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(parse_role("root"), Err(StoreError::Corrupt(_))));
        assert!(matches!(
            parse_trigger_source("Bulk"),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn trigger_source_names_are_fixed_and_read_back() {
        let names: Vec<&str> = TriggerSource::ALL
            .into_iter()
            .map(trigger_source_text)
            .collect();
        assert_eq!(names, ["manual", "bulk", "recurring", "api", "threshold"]);
        for s in TriggerSource::ALL {
            assert_eq!(parse_trigger_source(trigger_source_text(s)).unwrap(), s);
        }
    }
}
