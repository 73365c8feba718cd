//! The log of events the local API received (`api_events`, migration
//! 0022): one row per event — type, reference, idempotency key, outcome —
//! never the token or the body. A made event is logged in the transaction
//! that made its invoice (so the log never names an invoice that rolled
//! back); a refused one, and a dry run, in a small transaction of its own
//! after the event's transaction rolled back. A replayed answer is not
//! logged again. Hours and usage events a threshold rule takes are logged
//! the same way (`usage_events.rs`): `accepted` while below the threshold,
//! the invoice when one crossed it; an event whose every entry was recorded
//! before (sent again under a new key) is a replay too. Rows older than
//! [`EVENT_LOG_RETENTION`] are pruned as new ones arrive (an indexed range
//! delete, cheap when there is nothing to delete).

use crate::api::EventInput;
use crate::integration_events::{ApiReply, MadeEvent};
use crate::trigger_invoice::TriggeredStatus;
use crate::{ApiError, AppResult, ErrorCode, Invoicer};
use chrono::{DateTime, Duration, Utc};
use invoicer_store::{ApiEventOutcome, NewApiEvent, StoreError, Tx};

/// How long the events log keeps a received event.
pub const EVENT_LOG_RETENTION: Duration = Duration::days(90);

/// An error code as its snake_case name (what the API sends).
fn error_code_name(code: ErrorCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "internal".into())
}

/// The log's outcome of an invoice a trigger made (not in a dry run).
fn triggered_outcome(
    invoice_id: i64,
    status: TriggeredStatus,
    number: Option<String>,
) -> ApiEventOutcome {
    match status {
        TriggeredStatus::Draft => ApiEventOutcome::Draft { invoice_id },
        TriggeredStatus::AwaitingApproval => ApiEventOutcome::AwaitingApproval { invoice_id },
        TriggeredStatus::Issued | TriggeredStatus::Queued(_) => {
            ApiEventOutcome::Created { invoice_id, number }
        }
    }
}

/// Logs `event` with `outcome` in `tx`, the transaction that acted on it.
fn log_event_in(
    tx: &Tx<'_>,
    event: &EventInput,
    key: &str,
    outcome: ApiEventOutcome,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    tx.prune_api_events(now - EVENT_LOG_RETENTION)?;
    tx.log_api_event(&NewApiEvent {
        received_at: now,
        event_type: event.event_type.as_str(),
        reference: event.reference.as_deref(),
        idem_key: Some(key),
        outcome,
    })?;
    Ok(())
}

/// Logs `made` in `tx`, the transaction that made its invoice.
pub(crate) fn log_made_event_in(
    tx: &Tx<'_>,
    event: &EventInput,
    key: &str,
    made: &MadeEvent,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let outcome = triggered_outcome(
        made.invoice_id,
        made.status,
        made.result.invoice.number.clone(),
    );
    log_event_in(tx, event, key, outcome, now)
}

/// Logs an hours or usage event a threshold rule took in `tx`, the
/// transaction that recorded its entries: `accepted` when they stayed below
/// the threshold, else the invoice (`billed`, with its number) they crossed
/// it with.
pub(crate) fn log_usage_event_in(
    tx: &Tx<'_>,
    event: &EventInput,
    key: &str,
    billed: Option<(i64, TriggeredStatus, Option<String>)>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let outcome = match billed {
        Some((invoice_id, status, number)) => triggered_outcome(invoice_id, status, number),
        None => ApiEventOutcome::Accepted,
    };
    log_event_in(tx, event, key, outcome, now)
}

impl Invoicer {
    /// Logs a dry run's answer (`dry_run`) or a refusal (its code and
    /// message) in its own write transaction.
    pub(crate) fn log_event_reply(
        &self,
        event: &EventInput,
        key: &str,
        reply: &AppResult<ApiReply>,
    ) {
        let outcome = match reply {
            Ok(_) => ApiEventOutcome::DryRun,
            Err(e) => ApiEventOutcome::Refused {
                code: error_code_name(e.code),
                message: e.message.clone(),
            },
        };
        self.log_received_event(
            event.event_type.as_str(),
            event.reference.as_deref(),
            Some(key),
            outcome,
        );
    }

    /// Logs an event the API received in its own write transaction. A
    /// failure to log is only traced: it must not change the answer the
    /// sender gets.
    pub fn log_received_event(
        &self,
        event_type: &str,
        reference: Option<&str>,
        key: Option<&str>,
        outcome: ApiEventOutcome,
    ) {
        let logged = self.store.write(|tx| {
            let now = self.clock.now();
            tx.prune_api_events(now - EVENT_LOG_RETENTION)?;
            tx.log_api_event(&NewApiEvent {
                received_at: now,
                event_type,
                reference,
                idem_key: key,
                outcome,
            })
        });
        if let Err(e) = logged {
            tracing::warn!(error = %e, "an API event could not be logged");
        }
    }

    /// Logs a body the API refused before it was read as an event (e.g. a
    /// malformed field), with the `type` and `reference` it names if any
    /// (`unknown` when it names no type).
    pub fn log_refused_event_body(&self, body: &[u8], key: Option<&str>, error: &ApiError) {
        let json: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
        let text = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let event_type = text("type").unwrap_or_else(|| "unknown".into());
        self.log_received_event(
            &event_type,
            text("reference").as_deref(),
            key,
            ApiEventOutcome::Refused {
                code: error_code_name(error.code),
                message: error.message.clone(),
            },
        );
    }
}
