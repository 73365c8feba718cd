//! The log of events the local API received (migration 0022): one row per
//! event with its type, reference, idempotency key and outcome — never the
//! token or the body. The Triggers screen shows a rule's recent events from
//! it and reports read the refused ones ([`Tx::refused_events_since`]).

use crate::codec::{instant, instant_text};
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};

/// What became of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiEventOutcome {
    /// Its invoice was issued (and maybe queued for sending).
    Created {
        /// The invoice.
        invoice_id: i64,
        /// Its number.
        number: Option<String>,
    },
    /// Its invoice was left a draft.
    Draft {
        /// The invoice.
        invoice_id: i64,
    },
    /// Its invoice waits for an approver.
    AwaitingApproval {
        /// The invoice.
        invoice_id: i64,
    },
    /// It was refused; nothing was made.
    Refused {
        /// The error's code (`validation`, `trigger_disabled`, …).
        code: String,
        /// The error's sentence.
        message: String,
    },
    /// A dry run: nothing was made.
    DryRun,
    /// It was taken without an invoice yet: an hours or usage event a
    /// threshold rule recorded as entries below its threshold (migration
    /// 0027).
    Accepted,
}

/// The outcome kinds, as the `outcome` column spells them.
pub const OUTCOME_KINDS: [&str; 6] = [
    "created",
    "draft",
    "awaiting_approval",
    "refused",
    "dry_run",
    "accepted",
];

impl ApiEventOutcome {
    /// The `outcome` column's text.
    pub fn kind(&self) -> &'static str {
        match self {
            ApiEventOutcome::Created { .. } => "created",
            ApiEventOutcome::Draft { .. } => "draft",
            ApiEventOutcome::AwaitingApproval { .. } => "awaiting_approval",
            ApiEventOutcome::Refused { .. } => "refused",
            ApiEventOutcome::DryRun => "dry_run",
            ApiEventOutcome::Accepted => "accepted",
        }
    }
}

/// One event as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiEvent<'a> {
    /// When it arrived (the injected clock).
    pub received_at: DateTime<Utc>,
    /// Its `type`, as sent (an unknown type is logged too).
    pub event_type: &'a str,
    /// The sender's reference, if any.
    pub reference: Option<&'a str>,
    /// Its `Idempotency-Key`.
    pub idem_key: Option<&'a str>,
    /// What became of it.
    pub outcome: ApiEventOutcome,
}

/// A logged event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedApiEvent {
    /// The row's id (newer rows have larger ids).
    pub id: i64,
    /// When it arrived.
    pub received_at: DateTime<Utc>,
    /// Its type as sent.
    pub event_type: String,
    /// The sender's reference.
    pub reference: Option<String>,
    /// Its idempotency key.
    pub idem_key: Option<String>,
    /// What became of it.
    pub outcome: ApiEventOutcome,
}

/// Which logged events to read, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiEventFilter {
    /// Only this type.
    pub event_type: Option<String>,
    /// Only refused events.
    pub refused_only: bool,
    /// Only events received at or after this instant.
    pub since: Option<DateTime<Utc>>,
    /// At most this many (1 to 500).
    pub limit: u32,
}

/// Longest stored type, reference or message; longer text is cut, since the
/// log is for people reading a list, and a sender could send megabytes.
const MAX_TEXT: usize = 500;

fn cut(s: &str) -> String {
    s.chars().take(MAX_TEXT).collect()
}

impl Tx<'_> {
    /// Logs one received event.
    pub fn log_api_event(&self, e: &NewApiEvent<'_>) -> Result<i64, StoreError> {
        let (invoice_id, number, code, message) = match &e.outcome {
            ApiEventOutcome::Created { invoice_id, number } => {
                (Some(*invoice_id), number.clone(), None, None)
            }
            ApiEventOutcome::Draft { invoice_id }
            | ApiEventOutcome::AwaitingApproval { invoice_id } => {
                (Some(*invoice_id), None, None, None)
            }
            ApiEventOutcome::Refused { code, message } => {
                (None, None, Some(cut(code)), Some(cut(message)))
            }
            ApiEventOutcome::DryRun | ApiEventOutcome::Accepted => (None, None, None, None),
        };
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO api_events (received_at, event_type, reference, idem_key, outcome,
                 invoice_id, invoice_number, error_code, error_message)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        stmt.execute((
            instant_text(e.received_at),
            cut(e.event_type),
            e.reference.map(cut),
            e.idem_key.map(cut),
            e.outcome.kind(),
            invoice_id,
            number,
            code,
            message,
        ))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Forgets events received before `before`; returns how many.
    pub fn prune_api_events(&self, before: DateTime<Utc>) -> Result<usize, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("DELETE FROM api_events WHERE received_at < ?1")?;
        Ok(stmt.execute([instant_text(before)])?)
    }

    /// Logged events matching `filter`, newest first.
    pub fn recent_api_events(
        &self,
        filter: &ApiEventFilter,
    ) -> Result<Vec<LoggedApiEvent>, StoreError> {
        let limit = filter.limit.clamp(1, 500);
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, received_at, event_type, reference, idem_key, outcome, invoice_id,
                    invoice_number, error_code, error_message
             FROM api_events
             WHERE (?1 IS NULL OR event_type = ?1)
               AND (?2 = 0 OR outcome = 'refused')
               AND (?3 IS NULL OR received_at >= ?3)
             ORDER BY received_at DESC, id DESC
             LIMIT ?4",
        )?;
        let rows = stmt
            .query_map(
                (
                    filter.event_type.as_deref(),
                    filter.refused_only,
                    filter.since.map(instant_text),
                    limit,
                ),
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, Option<i64>>(6)?,
                        r.get::<_, Option<String>>(7)?,
                        r.get::<_, Option<String>>(8)?,
                        r.get::<_, Option<String>>(9)?,
                    ))
                },
            )?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(
                |(
                    id,
                    at,
                    event_type,
                    reference,
                    idem_key,
                    kind,
                    invoice,
                    number,
                    code,
                    message,
                )| {
                    let outcome = match (kind.as_str(), invoice) {
                        ("created", Some(invoice_id)) => {
                            ApiEventOutcome::Created { invoice_id, number }
                        }
                        ("draft", Some(invoice_id)) => ApiEventOutcome::Draft { invoice_id },
                        ("awaiting_approval", Some(invoice_id)) => {
                            ApiEventOutcome::AwaitingApproval { invoice_id }
                        }
                        ("refused", _) => ApiEventOutcome::Refused {
                            code: code.unwrap_or_default(),
                            message: message.unwrap_or_default(),
                        },
                        ("dry_run", _) => ApiEventOutcome::DryRun,
                        ("accepted", _) => ApiEventOutcome::Accepted,
                        _ => return Err(crate::codec::corrupt("api event outcome", &kind)),
                    };
                    Ok(LoggedApiEvent {
                        id,
                        received_at: instant(&at)?,
                        event_type,
                        reference,
                        idem_key,
                        outcome,
                    })
                },
            )
            .collect()
    }

    /// The events the API refused since `since`, newest first (at most
    /// `limit`): what a report of refused events reads.
    pub fn refused_events_since(
        &self,
        since: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<LoggedApiEvent>, StoreError> {
        self.recent_api_events(&ApiEventFilter {
            event_type: None,
            refused_only: true,
            since: Some(since),
            limit,
        })
    }
}
