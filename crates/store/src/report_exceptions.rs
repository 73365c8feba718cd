//! The exceptions report's lists — each a count and its oldest rows up to a
//! limit — and the trigger failures the jobs record (migration 0025).

use crate::codec::instant;
use crate::codec::instant_text;
use crate::report_ops::{scope_clause, OpsScope};
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::Row;

/// A delivery that needs a person, with what identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionDelivery {
    /// The delivery.
    pub id: i64,
    /// Its invoice.
    pub invoice_id: i64,
    /// The invoice's number.
    pub invoice_number: Option<String>,
    /// The invoice's customer.
    pub customer_id: i64,
    /// Its name.
    pub customer_name: String,
    /// `invoice`, `reminder`, `credit_note`, …
    pub kind: String,
    /// The reminder step, or 0.
    pub step: u32,
    /// Attempts made.
    pub attempts: u32,
    /// The server's last reply, when there was one.
    pub last_reply: Option<(i64, String)>,
    /// When it last changed (when it failed or became unknown).
    pub since: DateTime<Utc>,
}

/// A row error of a bulk job that still shows its errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionBulkRow {
    /// The stored error's id.
    pub id: i64,
    /// Its job.
    pub job_id: i64,
    /// The job's file.
    pub file_name: String,
    /// When the job started.
    pub started_at: DateTime<Utc>,
    /// The file's line.
    pub line: u32,
    /// The column, when one is to blame.
    pub column: Option<String>,
    /// The value read.
    pub value: String,
    /// Why it is wrong.
    pub reason: String,
}

/// An invoice waiting for approval since `since`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingInvoice {
    /// The invoice.
    pub invoice_id: i64,
    /// Its customer.
    pub customer_id: i64,
    /// Its name.
    pub customer_name: String,
    /// Currency (ISO code).
    pub currency: String,
    /// Total in minor units.
    pub total_minor: i64,
    /// When it was submitted (the open round's start).
    pub since: DateTime<Utc>,
}

/// A customer fed by a source that has not spoken of it since `since`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleCustomer {
    /// The customer.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its id in the source.
    pub external_ref: String,
    /// When the source last sent something about it (else its creation).
    pub since: DateTime<Utc>,
}

/// A trigger that failed to make its invoice and has not succeeded since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerFailure {
    /// The row.
    pub id: i64,
    /// `schedule`, `threshold` or `event`.
    pub trigger_kind: String,
    /// The schedule's (threshold's, rule's) id.
    pub trigger_id: i64,
    /// The customer it bills, when known.
    pub customer_id: Option<i64>,
    /// What it is ("schedule Hosting, period 2026-03-01").
    pub what: String,
    /// The error's code.
    pub error_code: String,
    /// The error's message.
    pub error_message: String,
    /// How many runs failed in a row.
    pub failures: u32,
    /// The first failure.
    pub since: DateTime<Utc>,
    /// The latest failure.
    pub last_failed_at: DateTime<Utc>,
}

/// What a trigger failure records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTriggerFailure<'a> {
    /// `schedule`, `threshold` or `event`.
    pub trigger_kind: &'a str,
    /// The trigger's id.
    pub trigger_id: i64,
    /// The customer it bills, when known.
    pub customer_id: Option<i64>,
    /// What it is, in words.
    pub what: &'a str,
    /// The error's code.
    pub error_code: &'a str,
    /// The error's message.
    pub error_message: &'a str,
}

/// An event the API refused that was not accepted since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedEvent {
    /// The log row.
    pub id: i64,
    /// When it arrived.
    pub received_at: DateTime<Utc>,
    /// Its type as sent.
    pub event_type: String,
    /// The sender's reference, if any.
    pub reference: Option<String>,
    /// The refusal's code (`validation`, `trigger_disabled`, …).
    pub error_code: String,
    /// The refusal's sentence.
    pub error_message: String,
}

/// Bulk jobs whose errors still show: not dry runs, and not followed by a
/// finished job of the same file name (the file fixed and run again).
const SHOWING_JOBS: &str = "j.dry_run = 0 AND NOT EXISTS (
        SELECT 1 FROM bulk_jobs l
         WHERE l.file_name = j.file_name AND l.id > j.id AND l.dry_run = 0
           AND l.status = 'finished')";

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Tx<'_> {
    /// Deliveries of invoices in `status` (`failed` or `unknown`), how many
    /// and the `limit` oldest.
    pub fn exception_deliveries(
        &self,
        status: &str,
        scope: &OpsScope,
        limit: u32,
    ) -> Result<(u64, Vec<ExceptionDelivery>), StoreError> {
        let (cond, mut args) = scope_clause(scope, 2);
        let mut all = vec![Value::Text(status.to_string())];
        all.append(&mut args);
        let from = format!(
            "FROM deliveries d JOIN invoices i ON i.id = d.invoice_id
             WHERE d.status = ?1 AND {cond}"
        );
        let n: i64 = self.conn.query_row(
            &format!("SELECT COUNT(*) {from}"),
            rusqlite::params_from_iter(all.clone()),
            |r| r.get(0),
        )?;
        all.push(Value::Integer(i64::from(limit)));
        let mut st = self.conn.prepare(&format!(
            "SELECT d.id, d.invoice_id, i.number, i.customer_id, i.customer_name, d.kind, d.step,
                    d.attempts, d.last_reply_code, d.last_reply_text, d.updated_at
               {from} ORDER BY d.updated_at, d.id LIMIT ?{}",
            all.len()
        ))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(all), |r| {
                Ok((
                    (
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, String>(4)?,
                    ),
                    (
                        r.get::<_, String>(5)?,
                        r.get::<_, u32>(6)?,
                        r.get::<_, u32>(7)?,
                        r.get::<_, Option<i64>>(8)?,
                        r.get::<_, Option<String>>(9)?,
                        r.get::<_, String>(10)?,
                    ),
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let items = rows
            .into_iter()
            .map(
                |((id, invoice_id, invoice_number, customer_id, customer_name), rest)| {
                    let (kind, step, attempts, code, text, since) = rest;
                    Ok(ExceptionDelivery {
                        id,
                        invoice_id,
                        invoice_number,
                        customer_id,
                        customer_name,
                        kind,
                        step,
                        attempts,
                        last_reply: code.map(|c| (c, text.unwrap_or_default())),
                        since: instant(&since)?,
                    })
                },
            )
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((count(n), items))
    }

    /// Row errors of the bulk jobs that still show them (see
    /// [`SHOWING_JOBS`]): how many, and the `limit` oldest.
    pub fn exception_bulk_rows(
        &self,
        limit: u32,
    ) -> Result<(u64, Vec<ExceptionBulkRow>), StoreError> {
        let n: i64 = self.conn.query_row(
            &format!(
                "SELECT COUNT(*) FROM bulk_row_errors e JOIN bulk_jobs j ON j.id = e.job_id
                  WHERE {SHOWING_JOBS}"
            ),
            [],
            |r| r.get(0),
        )?;
        let mut st = self.conn.prepare(&format!(
            "SELECT e.id, e.job_id, j.file_name, j.started_at, e.line, e.column_name, e.value,
                    e.reason
               FROM bulk_row_errors e JOIN bulk_jobs j ON j.id = e.job_id
              WHERE {SHOWING_JOBS}
              ORDER BY e.job_id, e.id LIMIT ?1"
        ))?;
        let rows = st
            .query_map([limit], |r| {
                Ok((
                    (
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ),
                    (
                        r.get::<_, u32>(4)?,
                        r.get::<_, Option<String>>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                    ),
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let items = rows
            .into_iter()
            .map(
                |((id, job_id, file_name, started), (line, column, value, reason))| {
                    Ok(ExceptionBulkRow {
                        id,
                        job_id,
                        file_name,
                        started_at: instant(&started)?,
                        line,
                        column,
                        value,
                        reason,
                    })
                },
            )
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((count(n), items))
    }

    /// Events the API refused from `from` to before `until` that were not
    /// accepted since (no later event of the same type and reference made
    /// an invoice, or was recorded as usage by a threshold rule): how many,
    /// and the `limit` oldest.
    pub fn unresolved_refused_events(
        &self,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: u32,
    ) -> Result<(u64, Vec<RefusedEvent>), StoreError> {
        let rows = "FROM api_events e
              WHERE e.outcome = 'refused' AND e.received_at >= ?1 AND e.received_at < ?2
                AND NOT EXISTS (
                    SELECT 1 FROM api_events l
                     WHERE l.id > e.id AND l.event_type = e.event_type
                       AND l.reference = e.reference
                       AND l.outcome IN ('created', 'draft', 'awaiting_approval', 'accepted'))";
        let (from, until) = (instant_text(from), instant_text(until));
        let n: i64 =
            self.conn
                .query_row(&format!("SELECT COUNT(*) {rows}"), (&from, &until), |r| {
                    r.get(0)
                })?;
        let mut st = self.conn.prepare(&format!(
            "SELECT e.id, e.received_at, e.event_type, e.reference, e.error_code,
                    e.error_message
               {rows} ORDER BY e.received_at, e.id LIMIT ?3"
        ))?;
        let found = st
            .query_map((&from, &until, limit), |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let items = found
            .into_iter()
            .map(|(id, at, event_type, reference, code, message)| {
                Ok(RefusedEvent {
                    id,
                    received_at: instant(&at)?,
                    event_type,
                    reference,
                    error_code: code.unwrap_or_default(),
                    error_message: message.unwrap_or_default(),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((count(n), items))
    }

    /// The ids of the bulk jobs whose row errors still show, oldest first.
    pub fn bulk_jobs_showing_errors(&self) -> Result<Vec<i64>, StoreError> {
        let mut st = self.conn.prepare(&format!(
            "SELECT j.id FROM bulk_jobs j
              WHERE {SHOWING_JOBS}
                AND EXISTS (SELECT 1 FROM bulk_row_errors e WHERE e.job_id = j.id)
              ORDER BY j.id"
        ))?;
        let ids = st
            .query_map([], |r| r.get(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ids)
    }

    /// Invoices waiting for approval since before `before` (the open
    /// round's submission; the invoice's creation when it has none): how
    /// many, and the `limit` longest waiting.
    pub fn approvals_waiting_since(
        &self,
        before: DateTime<Utc>,
        scope: &OpsScope,
        limit: u32,
    ) -> Result<(u64, Vec<WaitingInvoice>), StoreError> {
        let (cond, mut args) = scope_clause(scope, 2);
        let mut all = vec![Value::Text(instant_text(before))];
        all.append(&mut args);
        let from = format!(
            "FROM invoices i
               LEFT JOIN approval_rounds a ON a.invoice_id = i.id AND a.outcome IS NULL
              WHERE i.status = 'pending_approval'
                AND COALESCE(a.submitted_at, i.created_at) < ?1 AND {cond}"
        );
        let n: i64 = self.conn.query_row(
            &format!("SELECT COUNT(*) {from}"),
            rusqlite::params_from_iter(all.clone()),
            |r| r.get(0),
        )?;
        all.push(Value::Integer(i64::from(limit)));
        let mut st = self.conn.prepare(&format!(
            "SELECT i.id, i.customer_id, i.customer_name, i.currency, i.total_minor,
                    COALESCE(a.submitted_at, i.created_at) AS since
               {from} ORDER BY since, i.id LIMIT ?{}",
            all.len()
        ))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(all), |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let items = rows
            .into_iter()
            .map(
                |(invoice_id, customer_id, customer_name, currency, total_minor, since)| {
                    Ok(WaitingInvoice {
                        invoice_id,
                        customer_id,
                        customer_name,
                        currency,
                        total_minor,
                        since: instant(&since)?,
                    })
                },
            )
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((count(n), items))
    }

    /// Customers fed by a source (with an external reference) that has sent
    /// nothing about them since before `before`: how many, and the `limit`
    /// longest silent.
    pub fn stale_customers(
        &self,
        before: DateTime<Utc>,
        customer_id: Option<i64>,
        limit: u32,
    ) -> Result<(u64, Vec<StaleCustomer>), StoreError> {
        let from = "FROM customers c
              WHERE c.external_ref IS NOT NULL
                AND COALESCE(c.source_seen_at, c.created_at) < ?1
                AND (?2 IS NULL OR c.id = ?2)";
        let before = instant_text(before);
        let n: i64 = self.conn.query_row(
            &format!("SELECT COUNT(*) {from}"),
            (&before, customer_id),
            |r| r.get(0),
        )?;
        let mut st = self.conn.prepare(&format!(
            "SELECT c.id, c.name, c.external_ref, COALESCE(c.source_seen_at, c.created_at) AS since
               {from} ORDER BY since, c.id LIMIT ?3"
        ))?;
        let rows = st
            .query_map((&before, customer_id, limit), |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let items = rows
            .into_iter()
            .map(|(id, name, external_ref, since)| {
                Ok(StaleCustomer {
                    id,
                    name,
                    external_ref,
                    since: instant(&since)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((count(n), items))
    }

    /// Records that a trigger failed at `at`: a new open failure, or the
    /// open one of the same trigger counted again with the newest error.
    pub fn record_trigger_failure(
        &self,
        f: &NewTriggerFailure<'_>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let at = instant_text(at);
        let updated = self.conn.execute(
            "UPDATE trigger_failures
                SET failures = failures + 1, last_failed_at = ?3, what = ?4, error_code = ?5,
                    error_message = ?6
              WHERE trigger_kind = ?1 AND trigger_id = ?2 AND resolved_at IS NULL",
            (
                f.trigger_kind,
                f.trigger_id,
                &at,
                f.what,
                f.error_code,
                f.error_message,
            ),
        )?;
        if updated == 0 {
            self.conn.execute(
                "INSERT INTO trigger_failures (trigger_kind, trigger_id, customer_id, what,
                     error_code, error_message, failed_at, last_failed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                (
                    f.trigger_kind,
                    f.trigger_id,
                    f.customer_id,
                    f.what,
                    f.error_code,
                    f.error_message,
                    &at,
                ),
            )?;
        }
        Ok(())
    }

    /// Marks the trigger's open failure resolved at `at` (a run of it
    /// succeeded); nothing when none is open.
    pub fn resolve_trigger_failure(
        &self,
        trigger_kind: &str,
        trigger_id: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE trigger_failures SET resolved_at = ?3
              WHERE trigger_kind = ?1 AND trigger_id = ?2 AND resolved_at IS NULL",
            (trigger_kind, trigger_id, instant_text(at)),
        )?;
        Ok(())
    }

    /// Triggers failing now (for one customer when given): how many, and
    /// the `limit` failing longest.
    pub fn open_trigger_failures(
        &self,
        customer_id: Option<i64>,
        limit: u32,
    ) -> Result<(u64, Vec<TriggerFailure>), StoreError> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM trigger_failures
              WHERE resolved_at IS NULL AND (?1 IS NULL OR customer_id = ?1)",
            [customer_id],
            |r| r.get(0),
        )?;
        let mut st = self.conn.prepare(
            "SELECT id, trigger_kind, trigger_id, customer_id, what, error_code, error_message,
                    failures, failed_at, last_failed_at
               FROM trigger_failures
              WHERE resolved_at IS NULL AND (?1 IS NULL OR customer_id = ?1)
              ORDER BY failed_at, id LIMIT ?2",
        )?;
        let rows = st
            .query_map((customer_id, limit), raw_failure)?
            .collect::<Result<Vec<_>, _>>()?;
        let items = rows
            .into_iter()
            .map(|r| r.into_failure())
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok((count(n), items))
    }
}

struct RawFailure {
    id: i64,
    trigger_kind: String,
    trigger_id: i64,
    customer_id: Option<i64>,
    what: String,
    error_code: String,
    error_message: String,
    failures: u32,
    failed_at: String,
    last_failed_at: String,
}

fn raw_failure(r: &Row<'_>) -> rusqlite::Result<RawFailure> {
    Ok(RawFailure {
        id: r.get(0)?,
        trigger_kind: r.get(1)?,
        trigger_id: r.get(2)?,
        customer_id: r.get(3)?,
        what: r.get(4)?,
        error_code: r.get(5)?,
        error_message: r.get(6)?,
        failures: r.get(7)?,
        failed_at: r.get(8)?,
        last_failed_at: r.get(9)?,
    })
}

impl RawFailure {
    fn into_failure(self) -> Result<TriggerFailure, StoreError> {
        Ok(TriggerFailure {
            id: self.id,
            trigger_kind: self.trigger_kind,
            trigger_id: self.trigger_id,
            customer_id: self.customer_id,
            what: self.what,
            error_code: self.error_code,
            error_message: self.error_message,
            failures: self.failures,
            since: instant(&self.failed_at)?,
            last_failed_at: instant(&self.last_failed_at)?,
        })
    }
}
