//! The read queries of the automation report (invoices by origin, time to
//! sent, deliveries, reminders, approval rounds) and the writes that keep
//! its facts (approval rounds, when a customer's source last spoke).
//! Time differences are computed here as whole seconds, reading the stored
//! instants in place (borrowed from the row, canonical text read by
//! position: a million allocated and chrono-parsed instants cost more than
//! the rest of the report); the percentiles over them stay with the caller,
//! in the domain's `reports::ops`.

use crate::codec::{instant_text, whole_seconds_between};
use crate::{StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use invoicer_domain::reports::ops::{DeliveryTally, StepTally};
use rusqlite::types::Value;
use std::collections::BTreeMap;

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

/// The invoices of one source whose invoice email was sent, as the whole
/// seconds from each being made (the trigger) to its email being sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendSeconds {
    /// `manual`, `bulk`, …
    pub source: String,
    /// One figure per invoice, in no particular order.
    pub seconds: Vec<i64>,
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

    /// For each source, the invoices made in `range` whose invoice email
    /// was sent, as the whole seconds from the invoice being made (the
    /// trigger) to its email being sent (the delivery's last change, which
    /// for a `sent` delivery is the moment it was sent or marked sent).
    /// Sources with none are absent; sources come in name order.
    pub fn invoice_send_seconds(
        &self,
        range: &OpsRange,
        scope: &OpsScope,
    ) -> Result<Vec<SendSeconds>, StoreError> {
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
        let mut by_source: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        let mut rows = st.query(rusqlite::params_from_iter(all))?;
        while let Some(r) = rows.next()? {
            // The source is borrowed from the row: a million rows share a
            // handful of sources, so only a new one allocates.
            let source = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            let text = |i: usize| r.get_ref(i)?.as_str().map_err(rusqlite::Error::from);
            let seconds = whole_seconds_between(text(1)?, text(2)?)?;
            match by_source.get_mut(source) {
                Some(v) => v.push(seconds),
                None => {
                    by_source.insert(source.to_string(), vec![seconds]);
                }
            }
        }
        Ok(by_source
            .into_iter()
            .map(|(source, seconds)| SendSeconds { source, seconds })
            .collect())
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

    /// The reminders sent on the days of `range` per step, and of those
    /// how many invoices were settled (their balance reached zero: the
    /// latest payment or credit note day, `invoices.settled_on` of
    /// migration 0024, and not void) on the reminder's day or up to
    /// `days` days later; a settlement dated before the reminder was not an
    /// answer to it. Steps with none are absent; steps come in order.
    pub fn reminder_step_tallies(
        &self,
        range: &OpsRange,
        scope: &OpsScope,
        days: u32,
    ) -> Result<Vec<StepTally>, StoreError> {
        let (cond, mut args) = scope_clause(scope, 4);
        let mut all = vec![
            Value::Text(range.from_day.to_string()),
            Value::Text(range.to_day.to_string()),
            Value::Integer(i64::from(days)),
        ];
        all.append(&mut args);
        // Days are `YYYY-MM-DD` text, so they compare as text; the day
        // count between them is a difference of Julian days (whole numbers
        // for plain days, exact in a double, for any u32). PostgreSQL, on
        // DATE columns: `i.settled_on - r.recorded_on <= ?3`.
        let mut st = self.conn.prepare(&format!(
            "SELECT r.step, COUNT(*),
                    SUM(CASE WHEN i.status <> 'void' AND i.settled_on >= r.recorded_on
                              AND julianday(i.settled_on) - julianday(r.recorded_on) <= ?3
                             THEN 1 ELSE 0 END)
               FROM reminders r JOIN invoices i ON i.id = r.invoice_id
              WHERE r.outcome = 'sent' AND r.recorded_on >= ?1 AND r.recorded_on <= ?2
                AND {cond}
              GROUP BY r.step ORDER BY r.step"
        ))?;
        let rows = st
            .query_map(rusqlite::params_from_iter(all), |r| {
                Ok((
                    r.get::<_, u32>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows
            .into_iter()
            .map(|(step, sent, paid)| StepTally {
                step,
                sent: u64::try_from(sent).unwrap_or(0),
                paid_within: u64::try_from(paid).unwrap_or(0),
            })
            .collect())
    }

    /// Approval rounds decided (approved or rejected) in `range`: the whole
    /// seconds from each submission to its final decision, in no
    /// particular order.
    pub fn approval_round_seconds(
        &self,
        range: &OpsRange,
        scope: &OpsScope,
    ) -> Result<Vec<i64>, StoreError> {
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
        let mut seconds = Vec::new();
        let mut rows = st.query(rusqlite::params_from_iter(all))?;
        while let Some(r) = rows.next()? {
            let text = |i: usize| r.get_ref(i)?.as_str().map_err(rusqlite::Error::from);
            seconds.push(whole_seconds_between(text(0)?, text(1)?)?);
        }
        Ok(seconds)
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

    /// The whole seconds read in place between two stored instants equal
    /// chrono's (`num_seconds`: the exact difference truncated toward
    /// zero), never below zero, whatever the microseconds and whether the
    /// text is canonical or not.
    #[test]
    fn whole_seconds_read_in_place_equal_chronos() {
        use crate::codec::{instant, instant_text, whole_seconds_between};
        let pairs = [
            ("2026-01-01T00:00:00.900000Z", "2026-01-01T00:00:01.100000Z"),
            ("2026-01-01T00:00:00.000000Z", "2026-01-01T00:00:01.999999Z"),
            ("2026-01-01T00:00:00.000001Z", "2026-01-01T00:01:00.000000Z"),
            ("2025-12-31T23:59:59.999999Z", "2026-01-01T00:00:00.000000Z"),
            ("2022-03-01T08:15:30.250000Z", "2026-11-26T09:00:00.125000Z"),
            ("2026-01-01T00:00:05.000000Z", "2026-01-01T00:00:01.000000Z"),
            ("2026-01-01T00:00:00Z", "2026-01-01T00:00:02.500000Z"),
            (
                "1969-12-31T23:59:59.500000Z",
                "2026-02-28T12:00:00.000001+01:00",
            ),
            ("2024-02-29T23:59:59.999999Z", "2024-03-01T00:00:00.000000Z"),
        ];
        // Text that is no instant is an error, not a figure.
        assert!(
            whole_seconds_between("2026-02-30T00:00:00.000000Z", "2026-03-01T00:00:00Z").is_err()
        );
        for (from, to) in pairs {
            let want = (instant(to).unwrap() - instant(from).unwrap())
                .num_seconds()
                .max(0);
            assert_eq!(
                whole_seconds_between(from, to).unwrap(),
                want,
                "{from} → {to}"
            );
            // The canonical text of the same instants gives the same.
            let (f, t) = (
                instant_text(instant(from).unwrap()),
                instant_text(instant(to).unwrap()),
            );
            assert_eq!(whole_seconds_between(&f, &t).unwrap(), want, "{f} → {t}");
        }
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
