//! The read queries of the automation report (invoices by origin, time to
//! sent, deliveries, reminders, approval rounds) and the writes that keep
//! its facts (approval rounds, when a customer's source last spoke).
//! Time differences and percentiles are computed by the caller from the
//! instants read here: SQL date arithmetic differs between databases.

use crate::codec::{date, instant, instant_text};
use crate::{StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use invoicer_domain::reports::ops::{DeliveryTally, SentReminder};
use rusqlite::types::Value;

/// The invoices a report looks at: unset fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpsScope {
    /// Only this customer's invoices.
    pub customer_id: Option<i64>,
    /// Only invoices in this currency (ISO code).
    pub currency: Option<String>,
    /// Only invoices printed with this template.
    pub template: Option<String>,
    /// Only invoices made this way (`manual`, `bulk`, …).
    pub source: Option<String>,
}

/// A range of instants, `from` included and `until` excluded, and the same
/// range as calendar days (for columns that hold days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpsRange {
    /// The first instant.
    pub from: DateTime<Utc>,
    /// The first instant after the range.
    pub until: DateTime<Utc>,
    /// The first day.
    pub from_day: NaiveDate,
    /// The last day, included.
    pub to_day: NaiveDate,
}

/// An invoice whose invoice email was sent: how it was made, when it was
/// made (the trigger) and when its email was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentInvoice {
    /// `manual`, `bulk`, …
    pub source: String,
    /// When the invoice row was made.
    pub made_at: DateTime<Utc>,
    /// When its invoice email was sent (or marked sent).
    pub sent_at: DateTime<Utc>,
}

/// A decided approval round: when it was submitted and when decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecidedRound {
    /// The submission.
    pub submitted_at: DateTime<Utc>,
    /// The final decision.
    pub decided_at: DateTime<Utc>,
}

/// How an approval round ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundOutcome {
    /// The last required approval was given.
    Approved,
    /// It was rejected.
    Rejected,
    /// An edit, or a new submission, replaced it.
    Withdrawn,
}

impl RoundOutcome {
    fn text(self) -> &'static str {
        match self {
            RoundOutcome::Approved => "approved",
            RoundOutcome::Rejected => "rejected",
            RoundOutcome::Withdrawn => "withdrawn",
        }
    }
}

/// The invoice conditions of `scope` on the alias `i`, with arguments
/// numbered from `first`.
pub(crate) fn scope_clause(scope: &OpsScope, first: usize) -> (String, Vec<Value>) {
    let mut clauses = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let mut add = |column: &str, v: Value| {
        args.push(v);
        clauses.push(format!("i.{column} = ?{}", first + args.len() - 1));
    };
    if let Some(c) = scope.customer_id {
        add("customer_id", Value::Integer(c));
    }
    if let Some(c) = &scope.currency {
        add("currency", Value::Text(c.clone()));
    }
    if let Some(t) = &scope.template {
        add("template_name", Value::Text(t.clone()));
    }
    if let Some(s) = &scope.source {
        add("source", Value::Text(s.clone()));
    }
    let sql = if clauses.is_empty() {
        "1 = 1".to_string()
    } else {
        clauses.join(" AND ")
    };
    (sql, args)
}

impl Tx<'_> {
    /// Invoices made in `range` per source (`manual`, `bulk`, …); sources
    /// with none are absent.
    pub fn invoices_by_source(
        &self,
        range: &OpsRange,
        scope: &OpsScope,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let (cond, mut args) = scope_clause(scope, 3);
        let mut all = vec![
            Value::Text(instant_text(range.from)),
            Value::Text(instant_text(range.until)),
        ];
        all.append(&mut args);
        let mut st = self.conn.prepare(&format!(
            "SELECT i.source, COUNT(*) FROM invoices i
              WHERE i.created_at >= ?1 AND i.created_at < ?2 AND {cond}
              GROUP BY i.source ORDER BY i.source"
        ))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(all), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows
            .into_iter()
            .map(|(s, n)| (s, u64::try_from(n).unwrap_or(0)))
            .collect())
    }

    /// For each invoice made in `range` whose invoice email was sent: its
    /// source, when it was made (the trigger) and when the email was sent
    /// (the delivery's last change, which for a `sent` delivery is the
    /// moment it was sent or marked sent).
    pub fn invoice_send_times(
        &self,
        range: &OpsRange,
        scope: &OpsScope,
    ) -> Result<Vec<SentInvoice>, StoreError> {
        let (cond, mut args) = scope_clause(scope, 3);
        let mut all = vec![
            Value::Text(instant_text(range.from)),
            Value::Text(instant_text(range.until)),
        ];
        all.append(&mut args);
        let mut st = self.conn.prepare(&format!(
            "SELECT i.source, i.created_at, d.updated_at
               FROM invoices i JOIN deliveries d
                 ON d.invoice_id = i.id AND d.kind = 'invoice' AND d.step = 0
              WHERE i.created_at >= ?1 AND i.created_at < ?2 AND d.status = 'sent' AND {cond}"
        ))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(all), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(source, made, sent)| {
                Ok(SentInvoice {
                    source,
                    made_at: instant(&made)?,
                    sent_at: instant(&sent)?,
                })
            })
            .collect()
    }

    /// The deliveries of invoices (invoice emails, reminders, credit notes;
    /// never test emails) queued in `range`, by outcome.
    pub fn delivery_tally(
        &self,
        range: &OpsRange,
        scope: &OpsScope,
    ) -> Result<DeliveryTally, StoreError> {
        let (cond, mut args) = scope_clause(scope, 3);
        let mut all = vec![
            Value::Text(instant_text(range.from)),
            Value::Text(instant_text(range.until)),
        ];
        all.append(&mut args);
        // Without invoice filters the tally reads the covering index
        // deliveries_created alone (every non-test delivery has an invoice).
        let join = if scope == &OpsScope::default() {
            ""
        } else {
            "JOIN invoices i ON i.id = d.invoice_id"
        };
        let mut st = self.conn.prepare(&format!(
            "SELECT d.status, COUNT(*), SUM(CASE WHEN d.attempts > 1 THEN 1 ELSE 0 END)
               FROM deliveries d {join}
              WHERE d.created_at >= ?1 AND d.created_at < ?2 AND d.kind <> 'test' AND {cond}
              GROUP BY d.status"
        ))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(all), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut t = DeliveryTally::default();
        for (status, n, retried) in rows {
            let n = u64::try_from(n).unwrap_or(0);
            match status.as_str() {
                "sent" => t.sent += n,
                "failed" => t.failed += n,
                "unknown" => t.unknown += n,
                _ => t.pending += n,
            }
            t.retried += u64::try_from(retried).unwrap_or(0);
        }
        Ok(t)
    }

    /// The reminders sent on the days of `range`, each with the day its
    /// invoice was settled (its balance reached zero: the latest payment or
    /// credit note day, `invoices.settled_on` of migration 0024) when it is
    /// settled now.
    pub fn sent_reminders(
        &self,
        range: &OpsRange,
        scope: &OpsScope,
    ) -> Result<Vec<SentReminder>, StoreError> {
        let (cond, mut args) = scope_clause(scope, 3);
        let mut all = vec![
            Value::Text(range.from_day.to_string()),
            Value::Text(range.to_day.to_string()),
        ];
        all.append(&mut args);
        let mut st = self.conn.prepare(&format!(
            "SELECT r.step, r.recorded_on,
                    CASE WHEN i.status <> 'void' THEN i.settled_on END
               FROM reminders r JOIN invoices i ON i.id = r.invoice_id
              WHERE r.outcome = 'sent' AND r.recorded_on >= ?1 AND r.recorded_on <= ?2
                AND {cond}"
        ))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(all), |r| {
                Ok((
                    r.get::<_, u32>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(step, on, settled)| {
                Ok(SentReminder {
                    step,
                    sent_on: date(&on)?,
                    settled_on: settled.as_deref().map(date).transpose()?,
                })
            })
            .collect()
    }

    /// Approval rounds decided (approved or rejected) in `range`: when each
    /// was submitted and when decided.
    pub fn decided_approval_rounds(
        &self,
        range: &OpsRange,
        scope: &OpsScope,
    ) -> Result<Vec<DecidedRound>, StoreError> {
        let (cond, mut args) = scope_clause(scope, 3);
        let mut all = vec![
            Value::Text(instant_text(range.from)),
            Value::Text(instant_text(range.until)),
        ];
        all.append(&mut args);
        let mut st = self.conn.prepare(&format!(
            "SELECT a.submitted_at, a.decided_at
               FROM approval_rounds a JOIN invoices i ON i.id = a.invoice_id
              WHERE a.outcome IN ('approved', 'rejected')
                AND a.decided_at >= ?1 AND a.decided_at < ?2 AND {cond}"
        ))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(all), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(s, d)| {
                Ok(DecidedRound {
                    submitted_at: instant(&s)?,
                    decided_at: instant(&d)?,
                })
            })
            .collect()
    }

    /// How many invoices wait for approval now.
    pub fn pending_approval_count(&self, scope: &OpsScope) -> Result<u64, StoreError> {
        let (cond, args) = scope_clause(scope, 1);
        let n: i64 = self.conn.query_row(
            &format!(
                "SELECT COUNT(*) FROM invoices i WHERE i.status = 'pending_approval' AND {cond}"
            ),
            rusqlite::params_from_iter(args),
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Starts an approval round for the invoice at `at`; a round still open
    /// (its invoice was edited back to a draft) is withdrawn first.
    pub fn open_approval_round(
        &self,
        invoice_id: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.close_approval_round(invoice_id, RoundOutcome::Withdrawn, at)?;
        self.conn.execute(
            "INSERT INTO approval_rounds (invoice_id, submitted_at) VALUES (?1, ?2)",
            (invoice_id, instant_text(at)),
        )?;
        Ok(())
    }

    /// Ends the invoice's open approval round, if any, with `outcome`.
    pub fn close_approval_round(
        &self,
        invoice_id: i64,
        outcome: RoundOutcome,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE approval_rounds SET outcome = ?2, decided_at = ?3
              WHERE invoice_id = ?1 AND outcome IS NULL",
            (invoice_id, outcome.text(), instant_text(at)),
        )?;
        Ok(())
    }

    /// Notes that the customer's source (an API event, a bulk file) sent
    /// something about it at `at`, when the customer is fed by a source.
    pub fn mark_customer_source_seen(
        &self,
        customer_id: i64,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE customers SET source_seen_at = ?2
              WHERE id = ?1 AND external_ref IS NOT NULL",
            (customer_id, instant_text(at)),
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::migrations::MIGRATIONS;
    use rusqlite::Connection;

    fn up(conn: &mut Connection, n: usize) {
        rusqlite_migration::Migrations::new(
            MIGRATIONS[..n]
                .iter()
                .map(|sql| rusqlite_migration::M::up(sql))
                .collect(),
        )
        .to_latest(conn)
        .unwrap();
    }

    /// 0025 reads the approval rounds of the past from the audit trail:
    /// each submission ends at the next rejection, final approval or
    /// submission; the last one without an end stays open.
    #[test]
    fn migration_0025_backfills_approval_rounds_from_the_audit_trail() {
        let at = MIGRATIONS
            .iter()
            .position(|sql| sql.contains("CREATE TABLE approval_rounds"))
            .expect("the report ops migration");
        let mut conn = Connection::open_in_memory().unwrap();
        up(&mut conn, at);
        let mut sql = String::from(
            "INSERT INTO users (id, email, name, role, password_hash, created_at)
                 VALUES (7, 'm@acme.test', 'M', 'admin', 'x', '2026-01-01T00:00:00Z');
             INSERT INTO customers (id, name, email, address, city, postal_code, country,
                 created_at, external_ref)
                 VALUES (1, 'C', 'c@acme.test', 'a', 'b', '1', 'US', '2026-01-01T00:00:00Z', 'crm-1'),
                        (2, 'D', 'd@acme.test', 'a', 'b', '1', 'US', '2026-01-02T00:00:00Z', NULL);",
        );
        for (id, source) in [(1, "api"), (2, "manual"), (3, "manual")] {
            sql.push_str(&format!(
                "INSERT INTO invoices (id, status, customer_id, customer_name, customer, currency,
                     issue_date, terms_days, due_date, rounding_scope, rounding_mode,
                     subtotal_minor, discount_minor, tax_minor, total_minor, created_by,
                     created_at, source)
                 VALUES ({id}, 'pending_approval', 1, 'C', '{{}}', 'USD', '2026-01-01', 30,
                     '2026-01-31', 'per_line', 'half_up', 0, 0, 0, 0, 7,
                     '2026-01-0{id}T00:00:00.000000Z', '{source}');"
            ));
        }
        let events = [
            (1, "invoice.submitted", "{}", "2026-02-01T09:00:00.000000Z"),
            (
                1,
                "invoice.approved",
                r#"{"final":false}"#,
                "2026-02-01T10:00:00.000000Z",
            ),
            (
                1,
                "invoice.approved",
                r#"{"final":true}"#,
                "2026-02-01T12:00:00.000000Z",
            ),
            (2, "invoice.submitted", "{}", "2026-02-02T09:00:00.000000Z"),
            (2, "invoice.rejected", "{}", "2026-02-03T09:00:00.000000Z"),
            (2, "invoice.submitted", "{}", "2026-02-04T09:00:00.000000Z"),
            (3, "invoice.submitted", "{}", "2026-02-05T09:00:00.000000Z"),
            (3, "invoice.submitted", "{}", "2026-02-06T09:00:00.000000Z"),
        ];
        for (seq, (invoice, action, data, at)) in events.iter().enumerate() {
            sql.push_str(&format!(
                "INSERT INTO audit_events (seq, at, actor, action, entity, data, prev_hash, hash)
                 VALUES ({}, '{at}', 'm@acme.test', '{action}', 'invoice:{invoice}', '{data}',
                     'p', 'h');",
                seq + 1
            ));
        }
        conn.execute_batch(&sql).unwrap();
        up(&mut conn, MIGRATIONS.len());

        let rounds: Vec<(i64, String, Option<String>, Option<String>)> = conn
            .prepare(
                "SELECT invoice_id, submitted_at, decided_at, outcome FROM approval_rounds
                  ORDER BY invoice_id, submitted_at",
            )
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let t = |s: &str| Some(format!("2026-02-{s}.000000Z"));
        assert_eq!(
            rounds,
            [
                (
                    1,
                    "2026-02-01T09:00:00.000000Z".into(),
                    t("01T12:00:00"),
                    Some("approved".into())
                ),
                (
                    2,
                    "2026-02-02T09:00:00.000000Z".into(),
                    t("03T09:00:00"),
                    Some("rejected".into())
                ),
                (2, "2026-02-04T09:00:00.000000Z".into(), None, None),
                (
                    3,
                    "2026-02-05T09:00:00.000000Z".into(),
                    t("06T09:00:00"),
                    Some("withdrawn".into())
                ),
                (3, "2026-02-06T09:00:00.000000Z".into(), None, None),
            ]
        );
        // The customer fed by a source is seen at its newest API invoice;
        // the other has no source and keeps none.
        let seen: Vec<Option<String>> = conn
            .prepare("SELECT source_seen_at FROM customers ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(seen, [Some("2026-01-01T00:00:00.000000Z".into()), None]);
    }
}
