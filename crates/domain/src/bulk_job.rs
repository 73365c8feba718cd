//! A bulk job: one file the user sends as invoices, the states the job moves
//! through, the outcome of each invoice it makes, and the key that keeps it
//! from making any invoice twice.
//!
//! The job is persisted by the store and run by the app; here are only the
//! words and rules, so both agree on them. A job first validates the whole
//! file (nothing is created), then runs invoice by invoice in the file's
//! order. A job that stops half-way (a crash, a kill, the app closed) is
//! `interrupted` and resumes where its cursor points; re-running a file is
//! safe because every invoice carries a [`BulkRowKey`] that the store keeps
//! unique across all jobs.

pub use crate::bulk_key::{is_sha256_hex, BulkRowKey, KeySource, MAX_KEY_CHARS};
use crate::bulk_mapping::MappingProfile;
use crate::error::DomainError;
use crate::validation::ValidationErrors;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a bulk job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkJobStatus {
    /// The file is being read and every row checked; nothing is created.
    Validating,
    /// Validated; waiting for the user to start it (or it was a dry run's
    /// preview they have not acted on).
    Ready,
    /// Making, issuing and queueing invoices.
    Running,
    /// Stopped by a crash, a kill or the app closing; resumes on the next
    /// start or on "Resume".
    Interrupted,
    /// Stopped by the user; what was made stays made.
    Cancelled,
    /// Every invoice of the file has its outcome (or it was a dry run).
    Finished,
}

/// What happens to a bulk job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkJobEvent {
    /// Every row was checked and the job's plan is stored.
    Validated,
    /// The user starts making the invoices.
    Start,
    /// A dry run's report is complete; nothing will be made.
    DryRunDone,
    /// The process stopped without finishing (found at start-up).
    Interrupt,
    /// The job continues after an interruption. `validated` says whether its
    /// validation had completed: if so it goes on making invoices from its
    /// cursor, otherwise it validates again from the start (validation
    /// writes nothing but the report, so repeating it loses nothing).
    Resume {
        /// Whether the job's plan was complete when it stopped.
        validated: bool,
    },
    /// The user cancels; the invoice in hand is finished first.
    Cancel,
    /// Every planned invoice has its outcome.
    Finish,
}

impl BulkJobEvent {
    /// The event's name in refusals.
    fn name(self) -> &'static str {
        match self {
            BulkJobEvent::Validated => "finish validating",
            BulkJobEvent::Start => "start",
            BulkJobEvent::DryRunDone => "finish its dry run",
            BulkJobEvent::Interrupt => "be interrupted",
            BulkJobEvent::Resume { .. } => "resume",
            BulkJobEvent::Cancel => "be cancelled",
            BulkJobEvent::Finish => "finish",
        }
    }
}

impl BulkJobStatus {
    /// The snake_case name people and scripts see.
    pub fn as_str(self) -> &'static str {
        match self {
            BulkJobStatus::Validating => "validating",
            BulkJobStatus::Ready => "ready",
            BulkJobStatus::Running => "running",
            BulkJobStatus::Interrupted => "interrupted",
            BulkJobStatus::Cancelled => "cancelled",
            BulkJobStatus::Finished => "finished",
        }
    }

    /// The state after `event`, or why the event does not apply now.
    pub fn apply(self, event: BulkJobEvent) -> Result<BulkJobStatus, DomainError> {
        use BulkJobEvent as E;
        use BulkJobStatus as S;
        let next = match (self, event) {
            (S::Validating, E::Validated) => Some(S::Ready),
            (S::Ready, E::Start) => Some(S::Running),
            (S::Ready, E::DryRunDone) => Some(S::Finished),
            (S::Validating | S::Running, E::Interrupt) => Some(S::Interrupted),
            (S::Interrupted, E::Resume { validated: true }) => Some(S::Running),
            (S::Interrupted, E::Resume { validated: false }) => Some(S::Validating),
            (S::Validating | S::Ready | S::Running | S::Interrupted, E::Cancel) => {
                Some(S::Cancelled)
            }
            (S::Running, E::Finish) => Some(S::Finished),
            _ => None,
        };
        next.ok_or_else(|| DomainError::InvalidBulkJobTransition {
            from: self,
            message: format!(
                "a bulk job that is {} cannot {}",
                self.as_str(),
                event.name()
            ),
        })
    }

    /// Whether the job is over for good (its report will not change).
    pub fn is_final(self) -> bool {
        matches!(self, BulkJobStatus::Cancelled | BulkJobStatus::Finished)
    }
}

/// The outcome of one invoice of a file (the rows sharing its invoice key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkRowStatus {
    /// Valid and not yet made.
    Pending,
    /// One of its rows has an error; it will not be made.
    Invalid,
    /// Made as a draft (not issued).
    Created,
    /// Issued, with nothing to send (e.g. no sending asked).
    Issued,
    /// Over the approval threshold: waiting in the approval queue, sent
    /// when approved.
    AwaitingApproval,
    /// Issued and its email queued in the outbox.
    QueuedForSending,
    /// An earlier job (or this one, before a restart) already made it.
    SkippedAlreadyInvoiced,
    /// Making it failed; nothing of it was kept.
    Failed,
}

impl BulkRowStatus {
    /// The snake_case name people and scripts see.
    pub fn as_str(self) -> &'static str {
        match self {
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

    /// Whether an invoice exists for it (made by this job).
    pub fn made_an_invoice(self) -> bool {
        matches!(
            self,
            BulkRowStatus::Created
                | BulkRowStatus::Issued
                | BulkRowStatus::AwaitingApproval
                | BulkRowStatus::QueuedForSending
        )
    }
}

/// A job to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBulkJob {
    /// The file's name as the user picked it (no folder).
    pub file_name: String,
    /// The file's SHA-256 (64 lowercase hex digits).
    pub file_sha256: String,
    /// How the file is read.
    pub profile: MappingProfile,
    /// The user who started it.
    pub started_by: i64,
    /// Whether it only validates and reports, making nothing.
    pub dry_run: bool,
    /// Whether the invoices it issues are emailed (queued in the outbox).
    pub send: bool,
    /// At most this many emails per minute, for providers with limits;
    /// `None` for no limit.
    pub throttle_per_minute: Option<u32>,
}

/// The longest file name kept, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 255;

/// The highest throttle accepted, in emails per minute: beyond it a limit
/// means nothing (the sender cannot go that fast anyway).
pub const MAX_THROTTLE_PER_MINUTE: u32 = 10_000;

impl NewBulkJob {
    /// Checks what a caller could get wrong: the file name (present, a name
    /// and not a path, not over-long), the hash's spelling, and the throttle
    /// (1 to [`MAX_THROTTLE_PER_MINUTE`]). The mapping itself is checked by
    /// whoever reads the file with it.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let name = self.file_name.as_str();
        if name.trim().is_empty() {
            errors.push("file_name", name, "is required");
        } else if name.contains(['/', '\\']) {
            errors.push("file_name", name, "must be a file's name, not a path");
        } else if name.chars().count() > MAX_FILE_NAME_CHARS {
            errors.push(
                "file_name",
                name,
                format!("is longer than {MAX_FILE_NAME_CHARS} characters"),
            );
        } else if name.chars().any(char::is_control) {
            errors.push("file_name", name, "contains a control character");
        }
        if !is_sha256_hex(&self.file_sha256) {
            errors.push(
                "file_sha256",
                self.file_sha256.as_str(),
                "must be a SHA-256 written as 64 lowercase hexadecimal digits",
            );
        }
        if let Some(t) = self.throttle_per_minute {
            if t == 0 || t > MAX_THROTTLE_PER_MINUTE {
                errors.push(
                    "throttle_per_minute",
                    t.to_string(),
                    format!("must be between 1 and {MAX_THROTTLE_PER_MINUTE} emails per minute"),
                );
            }
        }
        errors.into_result()
    }
}

/// How many of a job's rows and invoices are in each state. Derived from the
/// job's rows when read, so they cannot drift from them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkCounts {
    /// Data rows in the file (the header not counted); 0 until validated.
    pub rows: u32,
    /// Invoices the rows make (rows sharing an invoice key are one).
    pub invoices: u32,
    /// Made as drafts.
    pub created: u32,
    /// Issued with nothing queued.
    pub issued: u32,
    /// Waiting for approval.
    pub awaiting_approval: u32,
    /// Issued and queued in the outbox.
    pub queued_for_sending: u32,
    /// Of those queued, the emails the server has accepted.
    pub sent: u32,
    /// Invoices not made because a row is invalid.
    pub invalid: u32,
    /// Invoices an earlier job already made.
    pub already_invoiced: u32,
    /// Invoices that failed.
    pub failed: u32,
    /// Invoices not yet handled.
    pub pending: u32,
    /// Row problems the report lists.
    pub row_errors: u32,
}

/// A bulk job as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkJob {
    /// The stored id.
    pub id: i64,
    /// The file's name.
    pub file_name: String,
    /// The file's SHA-256.
    pub file_sha256: String,
    /// How the file is read.
    pub profile: MappingProfile,
    /// The user who started it.
    pub started_by: i64,
    /// Whether it only validates and reports.
    pub dry_run: bool,
    /// Whether the invoices it issues are emailed.
    pub send: bool,
    /// Emails per minute at most, if limited.
    pub throttle_per_minute: Option<u32>,
    /// Where it stands.
    pub status: BulkJobStatus,
    /// When it was started.
    pub started_at: DateTime<Utc>,
    /// When it was finished or cancelled.
    pub finished_at: Option<DateTime<Utc>>,
    /// Whether its validation completed and its plan (one row per invoice)
    /// is stored: what [`BulkJobEvent::Resume`] needs to know.
    pub validated: bool,
    /// The position (in the file's order of invoices) of the next invoice to
    /// handle: every invoice before it has its outcome.
    pub cursor: u32,
    /// Its counts, derived from its rows.
    pub counts: BulkCounts,
}

/// One problem with one row of the file, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkRowError {
    /// The row's line in the file (the header is line 1).
    pub line: u32,
    /// The column's header, when the problem is one field's.
    pub column: Option<String>,
    /// The value as the file gives it.
    pub value: String,
    /// Why it was refused, as a sentence.
    pub reason: String,
}

/// Why making one invoice of a job failed (kept on its row for the report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkInvoiceFailure {
    /// The error's code, as `ApiError` gives it (e.g. `validation`).
    pub code: String,
    /// A sentence for the user.
    pub message: String,
}

/// One invoice of a job's file and its outcome, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkInvoice {
    /// The job.
    pub job_id: i64,
    /// Its place among the file's invoices (0 for the first invoice key).
    pub position: u32,
    /// Its idempotency key.
    pub key: BulkRowKey,
    /// The line of its first row in the file (the header is line 1).
    pub first_line: u32,
    /// Its outcome so far.
    pub status: BulkRowStatus,
    /// The invoice this job made, or the one an earlier job made.
    pub invoice_id: Option<i64>,
    /// That invoice's number, once issued.
    pub invoice_number: Option<String>,
    /// Why it failed, for `failed`.
    pub failure: Option<BulkInvoiceFailure>,
}

/// What became of one pending invoice of a job, recorded in the transaction
/// that made it (or found it made).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkOutcome {
    /// This job made the invoice; `status` is one of the statuses for which
    /// [`BulkRowStatus::made_an_invoice`] holds.
    Made {
        /// How far it got: created, issued, awaiting approval or queued.
        status: BulkRowStatus,
        /// The invoice made.
        invoice_id: i64,
    },
    /// An earlier job (or this one before a restart) made it.
    AlreadyInvoiced {
        /// The invoice made before, when known.
        invoice_id: Option<i64>,
    },
    /// Making it failed; nothing of it was kept.
    Failed(BulkInvoiceFailure),
}

impl BulkOutcome {
    /// The status the invoice's row takes.
    pub fn status(&self) -> BulkRowStatus {
        match self {
            BulkOutcome::Made { status, .. } => *status,
            BulkOutcome::AlreadyInvoiced { .. } => BulkRowStatus::SkippedAlreadyInvoiced,
            BulkOutcome::Failed(_) => BulkRowStatus::Failed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BulkJobEvent as E;
    use super::BulkJobStatus as S;
    use super::*;

    const ALL_STATES: [S; 6] = [
        S::Validating,
        S::Ready,
        S::Running,
        S::Interrupted,
        S::Cancelled,
        S::Finished,
    ];

    #[test]
    fn a_job_validates_then_runs_to_the_end() {
        let ready = S::Validating.apply(E::Validated).unwrap();
        assert_eq!(ready, S::Ready);
        let running = ready.apply(E::Start).unwrap();
        assert_eq!(running, S::Running);
        assert_eq!(running.apply(E::Finish), Ok(S::Finished));
        // A dry run ends after validating and never runs.
        assert_eq!(ready.apply(E::DryRunDone), Ok(S::Finished));
        assert!(S::Validating.apply(E::Start).is_err());
        assert!(S::Validating.apply(E::Finish).is_err());
    }

    #[test]
    fn an_interrupted_job_resumes_where_its_plan_allows() {
        let stopped = S::Running.apply(E::Interrupt).unwrap();
        assert_eq!(stopped, S::Interrupted);
        assert_eq!(stopped.apply(E::Resume { validated: true }), Ok(S::Running));
        // Killed while validating: it validates again from the start.
        let stopped = S::Validating.apply(E::Interrupt).unwrap();
        assert_eq!(
            stopped.apply(E::Resume { validated: false }),
            Ok(S::Validating)
        );
        assert!(S::Running.apply(E::Resume { validated: true }).is_err());
        assert!(S::Ready.apply(E::Interrupt).is_err());
    }

    #[test]
    fn a_final_job_accepts_nothing_and_says_why() {
        let events = [
            E::Validated,
            E::Start,
            E::DryRunDone,
            E::Interrupt,
            E::Resume { validated: true },
            E::Resume { validated: false },
            E::Cancel,
            E::Finish,
        ];
        for from in ALL_STATES.into_iter().filter(|s| s.is_final()) {
            for e in events {
                let refused = from.apply(e).unwrap_err();
                assert!(
                    refused
                        .to_string()
                        .starts_with(&format!("a bulk job that is {} cannot", from.as_str())),
                    "{refused}"
                );
            }
        }
        for from in ALL_STATES.into_iter().filter(|s| !s.is_final()) {
            assert_eq!(from.apply(E::Cancel), Ok(S::Cancelled), "{from:?}");
        }
    }

    #[test]
    fn a_new_job_names_each_bad_field() {
        let profile = MappingProfile {
            name: "p".into(),
            encoding: "utf-8".into(),
            delimiter: ',',
            columns: Vec::new(),
            numbers: crate::bulk_mapping::NumberStyle::default(),
            dates: crate::bulk_mapping::DateStyle::Iso,
        };
        let good = NewBulkJob {
            file_name: "Rechnungen März.csv".into(),
            file_sha256: "0f".repeat(32),
            profile,
            started_by: 1,
            dry_run: false,
            send: true,
            throttle_per_minute: Some(60),
        };
        assert_eq!(good.validate(), Ok(()));
        let bad = NewBulkJob {
            file_name: "/home/ann/deals.csv".into(),
            file_sha256: String::new(),
            throttle_per_minute: Some(0),
            ..good.clone()
        };
        let fields: Vec<String> = bad
            .validate()
            .unwrap_err()
            .errors
            .into_iter()
            .map(|e| format!("{}={}", e.field, e.value))
            .collect();
        assert_eq!(
            fields,
            [
                "file_name=/home/ann/deals.csv",
                "file_sha256=",
                "throttle_per_minute=0"
            ]
        );
        let long = NewBulkJob {
            file_name: "a".repeat(MAX_FILE_NAME_CHARS + 1),
            throttle_per_minute: None,
            ..good
        };
        assert!(long.validate().unwrap_err().errors[0]
            .message
            .contains("longer than 255"));
    }

    #[test]
    fn only_made_invoices_count_as_made() {
        assert!(BulkRowStatus::QueuedForSending.made_an_invoice());
        assert!(BulkRowStatus::AwaitingApproval.made_an_invoice());
        assert!(!BulkRowStatus::SkippedAlreadyInvoiced.made_an_invoice());
        assert!(!BulkRowStatus::Failed.made_an_invoice());
        assert!(!BulkRowStatus::Pending.made_an_invoice());
    }
}
