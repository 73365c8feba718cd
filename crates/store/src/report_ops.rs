//! The read queries of the automation report (invoices by origin, time to
//! sent, deliveries, reminders, approval rounds) and the writes that keep
//! its facts (approval rounds, when a customer's source last spoke).
//! Time differences come out as whole seconds: the time to sent is kept on
//! the invoice by migration 0026's triggers (so a range of years is one
//! index read), approval turnarounds are computed here reading the stored
//! instants in place (borrowed from the row, canonical text read by
//! position: a million allocated and chrono-parsed instants cost more than
//! the rest of the report). The percentiles over them stay with the caller,
//! in the domain's `reports::ops`.

use crate::codec::{instant_text, whole_seconds_between};
use crate::{StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use invoicer_domain::reports::ops::{DeliveryTally, StepTally};
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

/// The invoices of one source made in a range: how many, and for those
/// whose invoice email was sent, the whole seconds from each being made
/// (the trigger) to its email being sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginFigures {
    /// `manual`, `bulk`, …
    pub source: String,
    /// The invoices made.
    pub invoices: u64,
    /// One figure per invoice whose email was sent, in no particular order.
    pub seconds_to_sent: Vec<i64>,
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
    /// For each source, the invoices made in `range`: how many, and the
    /// whole seconds from each being made (the trigger) to its invoice
    /// email being sent (`invoices.seconds_to_sent` of migration 0026, kept
    /// from the delivery by triggers), for those whose email was sent.
    /// Sources with none are absent; sources come in name order.
    ///
    /// One read of one covering index, whatever the scope: the range and
    /// every filter are columns of `invoices_created_sent`.
    pub fn origin_figures(
        &self,
        range: &OpsRange,
        scope: &OpsScope,
    ) -> Result<Vec<OriginFigures>, StoreError> {
        let (cond, mut args) = scope_clause(scope, 3);
        let mut all = vec![
            Value::Text(instant_text(range.from)),
            Value::Text(instant_text(range.until)),
        ];
        all.append(&mut args);
        let mut st = self.conn.prepare(&format!(
            "SELECT i.source, i.seconds_to_sent FROM invoices i
              WHERE i.created_at >= ?1 AND i.created_at < ?2 AND {cond}"
        ))?;
        let mut by_source: Vec<OriginFigures> = Vec::new();
        let mut rows = st.query(rusqlite::params_from_iter(all))?;
        while let Some(r) = rows.next()? {
            // The source is borrowed from the row: a million rows share a
            // handful of sources, so only a new one allocates, and a short
            // list is searched faster than a map.
            let source = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
            let seconds = r
                .get_ref(1)?
                .as_i64_or_null()
                .map_err(rusqlite::Error::from)?;
            let at = match by_source.iter().position(|f| f.source == source) {
                Some(at) => at,
                None => {
                    by_source.push(OriginFigures {
                        source: source.to_string(),
                        invoices: 0,
                        seconds_to_sent: Vec::new(),
                    });
                    by_source.len() - 1
                }
            };
            let figures = &mut by_source[at];
            figures.invoices += 1;
            if let Some(s) = seconds {
                figures.seconds_to_sent.push(s);
            }
        }
        by_source.sort_by(|a, b| a.source.cmp(&b.source));
        Ok(by_source)
    }

    /// The deliveries of invoices (invoice emails, reminders, credit notes;
    /// never test emails) queued in `range`, by outcome.
    ///
    /// The range is read from the covering index deliveries_created_invoice
    /// (0026) and tallied here, each row kept or not by its invoice's id
    /// (see `invoice_set`): no row of either table is read.
    pub fn delivery_tally(
        &self,
        range: &OpsRange,
        scope: &OpsScope,
    ) -> Result<DeliveryTally, StoreError> {
        let admitted = self.admitted_invoices(scope)?;
        let mut st = self.conn.prepare(
            "SELECT d.invoice_id, d.status, d.attempts FROM deliveries d
              WHERE d.created_at >= ?1 AND d.created_at < ?2 AND d.kind <> 'test'",
        )?;
        let mut rows = st.query((instant_text(range.from), instant_text(range.until)))?;
        let mut t = DeliveryTally::default();
        while let Some(r) = rows.next()? {
            // Every delivery but a test email has an invoice.
            let Some(invoice) = r
                .get_ref(0)?
                .as_i64_or_null()
                .map_err(rusqlite::Error::from)?
            else {
                continue;
            };
            if !admitted.admits(invoice) {
                continue;
            }
            match r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)? {
                "sent" => t.sent += 1,
                "failed" => t.failed += 1,
                "unknown" => t.unknown += 1,
                _ => t.pending += 1,
            }
            if r.get_ref(2)?.as_i64().map_err(rusqlite::Error::from)? > 1 {
                t.retried += 1;
            }
        }
        Ok(t)
    }

    /// The reminders sent on the days of `range` per step, and of those
    /// how many invoices were settled (their balance reached zero: the
    /// latest payment or credit note day, `invoices.settled_on` of
    /// migration 0024, and not void; copied to the reminder by 0026) on the
    /// reminder's day or up to `days` days later; a settlement dated before
    /// the reminder was not an answer to it. Steps with none are absent;
    /// steps come in order.
    ///
    /// Read from the covering index reminders_recorded_settled (0026) and
    /// tallied here, each row kept or not by its invoice's id (see
    /// `invoice_set`).
    pub fn reminder_step_tallies(
        &self,
        range: &OpsRange,
        scope: &OpsScope,
        days: u32,
    ) -> Result<Vec<StepTally>, StoreError> {
        let admitted = self.admitted_invoices(scope)?;
        // Days are `YYYY-MM-DD` text, so they compare as text; the day
        // count between them is a difference of Julian days (whole numbers
        // for plain days, exact in a double, for any u32). PostgreSQL, on
        // DATE columns: `r.invoice_settled_on - r.recorded_on <= ?3`.
        let mut st = self.conn.prepare(
            "SELECT r.invoice_id, r.step,
                    r.invoice_settled_on >= r.recorded_on
                    AND julianday(r.invoice_settled_on) - julianday(r.recorded_on) <= ?3
               FROM reminders r
              WHERE r.outcome = 'sent' AND r.recorded_on >= ?1 AND r.recorded_on <= ?2",
        )?;
        let mut rows = st.query((
            range.from_day.to_string(),
            range.to_day.to_string(),
            i64::from(days),
        ))?;
        let mut steps: Vec<StepTally> = Vec::new();
        while let Some(r) = rows.next()? {
            if !admitted.admits(r.get(0)?) {
                continue;
            }
            let step: u32 = r.get(1)?;
            // NULL (an open or void invoice) is no answer.
            let paid = r.get::<_, Option<bool>>(2)?.unwrap_or(false);
            let at = match steps.iter().position(|t| t.step == step) {
                Some(at) => at,
                None => {
                    steps.push(StepTally {
                        step,
                        sent: 0,
                        paid_within: 0,
                    });
                    steps.len() - 1
                }
            };
            steps[at].sent += 1;
            steps[at].paid_within += u64::from(paid);
        }
        steps.sort_by_key(|t| t.step);
        Ok(steps)
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
mod tests;
