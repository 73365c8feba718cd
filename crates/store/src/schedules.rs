//! Recurring schedules (migration 0019): the schedule and its lines, and the
//! occurrence rows that make each (schedule, period start) happen once.
//!
//! How a period is made exactly once, in one write transaction:
//! 1. [`Tx::claim_schedule_period`] (`INSERT … ON CONFLICT DO NOTHING
//!    RETURNING`); only its winner goes on;
//! 2. make the invoice, then [`Tx::set_occurrence_invoice`].
//!
//! A crash rolls the claim back with the invoice, so a restart makes it.

use crate::codec::{corrupt, currency, date, decimal, instant, instant_text, opt_date};
use crate::{StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use invoicer_domain::schedule::{
    Cadence, Frequency, Period, Schedule, ScheduleEnd, ScheduleLine, ScheduleMode, ScheduleRule,
    ScheduleState, ScheduleTerms,
};
use rusqlite::{OptionalExtension, Row};

const COLUMNS: &str = "id, name, customer_id, currency, template, terms_days, frequency, \
     interval_n, anchor, starts_on, until_day, period_count, prorate, mode, state, paused_on, \
     tested_at, created_by, created_at";

/// What happened to a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OccurrenceOutcome {
    /// Its invoice was made.
    Made,
    /// It was skipped (by hand, or because the schedule was paused).
    Skipped,
}

/// One recorded period of a schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOccurrence {
    /// The schedule.
    pub schedule_id: i64,
    /// The period's start (its key).
    pub period_start: NaiveDate,
    /// The period's place, from 0.
    pub period_index: u32,
    /// Made or skipped.
    pub outcome: OccurrenceOutcome,
    /// The invoice made for it.
    pub invoice_id: Option<i64>,
    /// Whether it was made after a later period had begun.
    pub caught_up: bool,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

fn outcome_text(o: OccurrenceOutcome) -> &'static str {
    match o {
        OccurrenceOutcome::Made => "made",
        OccurrenceOutcome::Skipped => "skipped",
    }
}

fn state_text(s: ScheduleState) -> (&'static str, Option<String>) {
    match s {
        ScheduleState::Disabled => ("disabled", None),
        ScheduleState::Active => ("active", None),
        ScheduleState::Paused(on) => ("paused", Some(on.to_string())),
    }
}

fn end_columns(end: ScheduleEnd) -> (Option<String>, Option<u32>) {
    match end {
        ScheduleEnd::Never => (None, None),
        ScheduleEnd::Until(d) => (Some(d.to_string()), None),
        ScheduleEnd::Count(n) => (None, Some(n)),
    }
}

fn schedule_row(r: &Row<'_>) -> rusqlite::Result<RawSchedule> {
    Ok(RawSchedule {
        id: r.get(0)?,
        name: r.get(1)?,
        customer_id: r.get(2)?,
        currency: r.get(3)?,
        template: r.get(4)?,
        terms_days: r.get(5)?,
        frequency: r.get(6)?,
        interval: r.get(7)?,
        anchor: r.get(8)?,
        starts_on: r.get(9)?,
        until: r.get(10)?,
        count: r.get(11)?,
        prorate: r.get(12)?,
        mode: r.get(13)?,
        state: r.get(14)?,
        paused_on: r.get(15)?,
        tested_at: r.get(16)?,
        created_by: r.get(17)?,
        created_at: r.get(18)?,
    })
}

struct RawSchedule {
    id: i64,
    name: String,
    customer_id: i64,
    currency: Option<String>,
    template: Option<String>,
    terms_days: Option<u32>,
    frequency: String,
    interval: u32,
    anchor: String,
    starts_on: Option<String>,
    until: Option<String>,
    count: Option<u32>,
    prorate: bool,
    mode: String,
    state: String,
    paused_on: Option<String>,
    tested_at: Option<String>,
    created_by: i64,
    created_at: String,
}

impl RawSchedule {
    fn into_schedule(self, lines: Vec<ScheduleLine>) -> Result<Schedule, StoreError> {
        let frequency =
            Frequency::parse(&self.frequency).map_err(|_| corrupt("frequency", &self.frequency))?;
        let end = match (opt_date(self.until)?, self.count) {
            (Some(d), _) => ScheduleEnd::Until(d),
            (None, Some(n)) => ScheduleEnd::Count(n),
            (None, None) => ScheduleEnd::Never,
        };
        let state = match (self.state.as_str(), self.paused_on) {
            ("disabled", _) => ScheduleState::Disabled,
            ("active", _) => ScheduleState::Active,
            ("paused", Some(on)) => ScheduleState::Paused(date(&on)?),
            (other, _) => return Err(corrupt("schedule state", other)),
        };
        Ok(Schedule {
            id: self.id,
            terms: ScheduleTerms {
                name: self.name,
                customer_id: self.customer_id,
                lines,
                currency: self.currency.as_deref().map(currency).transpose()?,
                template: self.template,
                terms_days: self.terms_days,
                rule: ScheduleRule {
                    cadence: Cadence {
                        frequency,
                        interval: self.interval,
                    },
                    anchor: date(&self.anchor)?,
                    starts_on: opt_date(self.starts_on)?,
                    end,
                    prorate: self.prorate,
                },
                mode: ScheduleMode::parse(&self.mode).ok_or_else(|| corrupt("mode", &self.mode))?,
            },
            state,
            tested_at: self.tested_at.as_deref().map(instant).transpose()?,
            created_by: self.created_by,
            created_at: instant(&self.created_at)?,
        })
    }
}

impl Tx<'_> {
    /// Stores a new schedule, disabled and untested. Returns its id.
    pub fn insert_schedule(
        &self,
        terms: &ScheduleTerms,
        created_by: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let r = &terms.rule;
        let (until, count) = end_columns(r.end);
        let id: i64 = self.conn.query_row(
            "INSERT INTO schedules (name, customer_id, currency, template, terms_days, frequency,
                 interval_n, anchor, starts_on, until_day, period_count, prorate, mode, state,
                 created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'disabled', ?14, ?15, ?15)
             RETURNING id",
            rusqlite::params![
                terms.name,
                terms.customer_id,
                terms.currency.map(|c| c.code()),
                terms.template,
                terms.terms_days,
                r.cadence.frequency.as_str(),
                r.cadence.interval,
                r.anchor.to_string(),
                r.starts_on.map(|d| d.to_string()),
                until,
                count,
                r.prorate,
                terms.mode.as_str(),
                created_by,
                instant_text(at),
            ],
            |row| row.get(0),
        )?;
        self.insert_schedule_lines(id, &terms.lines)?;
        Ok(id)
    }

    /// Replaces what a schedule bills and when; its state, test and
    /// recorded periods stay. Returns false when no schedule has this id.
    pub fn update_schedule(
        &self,
        id: i64,
        terms: &ScheduleTerms,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let r = &terms.rule;
        let (until, count) = end_columns(r.end);
        let n = self.conn.execute(
            "UPDATE schedules SET name = ?2, customer_id = ?3, currency = ?4, template = ?5,
                 terms_days = ?6, frequency = ?7, interval_n = ?8, anchor = ?9, starts_on = ?10,
                 until_day = ?11, period_count = ?12, prorate = ?13, mode = ?14, updated_at = ?15
             WHERE id = ?1",
            rusqlite::params![
                id,
                terms.name,
                terms.customer_id,
                terms.currency.map(|c| c.code()),
                terms.template,
                terms.terms_days,
                r.cadence.frequency.as_str(),
                r.cadence.interval,
                r.anchor.to_string(),
                r.starts_on.map(|d| d.to_string()),
                until,
                count,
                r.prorate,
                terms.mode.as_str(),
                instant_text(at),
            ],
        )?;
        if n == 0 {
            return Ok(false);
        }
        self.conn
            .execute("DELETE FROM schedule_lines WHERE schedule_id = ?1", [id])?;
        self.insert_schedule_lines(id, &terms.lines)?;
        Ok(true)
    }

    fn insert_schedule_lines(&self, id: i64, lines: &[ScheduleLine]) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO schedule_lines (schedule_id, position, description, quantity, unit_price,
                 discount_percent, tax_rate_id, tax_exempt_reason)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for (i, l) in lines.iter().enumerate() {
            stmt.execute(rusqlite::params![
                id,
                i as i64,
                l.description,
                l.quantity.to_string(),
                l.unit_price.to_string(),
                l.discount_percent.map(|d| d.to_string()),
                l.tax_rate_id,
                l.tax_exempt_reason,
            ])?;
        }
        Ok(())
    }

    fn schedule_lines(&self, id: i64) -> Result<Vec<ScheduleLine>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT description, quantity, unit_price, discount_percent, tax_rate_id,
                    tax_exempt_reason
             FROM schedule_lines WHERE schedule_id = ?1 ORDER BY position",
        )?;
        let raw = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        raw.into_iter()
            .map(
                |(description, q, p, disc, tax_rate_id, tax_exempt_reason)| {
                    Ok(ScheduleLine {
                        description,
                        quantity: decimal(&q)?,
                        unit_price: decimal(&p)?,
                        discount_percent: disc.as_deref().map(decimal).transpose()?,
                        tax_rate_id,
                        tax_exempt_reason,
                    })
                },
            )
            .collect()
    }

    /// The schedule with this id.
    pub fn schedule(&self, id: i64) -> Result<Option<Schedule>, StoreError> {
        let raw = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM schedules WHERE id = ?1"),
                [id],
                schedule_row,
            )
            .optional()?;
        match raw {
            None => Ok(None),
            Some(raw) => {
                let lines = self.schedule_lines(raw.id)?;
                raw.into_schedule(lines).map(Some)
            }
        }
    }

    /// Every schedule, oldest first; `active_only` keeps the active ones.
    pub fn schedules(&self, active_only: bool) -> Result<Vec<Schedule>, StoreError> {
        let sql = if active_only {
            format!("SELECT {COLUMNS} FROM schedules WHERE state = 'active' ORDER BY id")
        } else {
            format!("SELECT {COLUMNS} FROM schedules ORDER BY id")
        };
        let raws = self
            .conn
            .prepare(&sql)?
            .query_map([], schedule_row)?
            .collect::<Result<Vec<_>, _>>()?;
        raws.into_iter()
            .map(|raw| {
                let lines = self.schedule_lines(raw.id)?;
                raw.into_schedule(lines)
            })
            .collect()
    }

    /// Sets a schedule's state (and the day a pause began).
    pub fn set_schedule_state(
        &self,
        id: i64,
        state: ScheduleState,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let (text, paused_on) = state_text(state);
        self.conn.execute(
            "UPDATE schedules SET state = ?2, paused_on = ?3, updated_at = ?4 WHERE id = ?1",
            rusqlite::params![id, text, paused_on, instant_text(at)],
        )?;
        Ok(())
    }

    /// Records that a test run of the schedule passed.
    pub fn mark_schedule_tested(&self, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE schedules SET tested_at = ?2 WHERE id = ?1",
            rusqlite::params![id, instant_text(at)],
        )?;
        Ok(())
    }

    /// The start of the latest period recorded (made or skipped): the
    /// schedule goes on after it.
    pub fn last_schedule_period(&self, id: i64) -> Result<Option<NaiveDate>, StoreError> {
        let last: Option<String> = self.conn.query_row(
            "SELECT MAX(period_start) FROM schedule_occurrences WHERE schedule_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        opt_date(last)
    }

    /// Claims a period for this transaction: true when this call recorded
    /// it, false when it was recorded before (made or skipped).
    pub fn claim_schedule_period(
        &self,
        id: i64,
        period: &Period,
        outcome: OccurrenceOutcome,
        caught_up: bool,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let won: Option<i64> = self
            .conn
            .prepare_cached(
                "INSERT INTO schedule_occurrences
                     (schedule_id, period_start, period_index, outcome, caught_up, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (schedule_id, period_start) DO NOTHING
                 RETURNING schedule_id",
            )?
            .query_row(
                rusqlite::params![
                    id,
                    period.start.to_string(),
                    period.index,
                    outcome_text(outcome),
                    caught_up,
                    instant_text(at)
                ],
                |r| r.get(0),
            )
            .optional()?;
        Ok(won.is_some())
    }

    /// Links a claimed period to the invoice made for it.
    pub fn set_occurrence_invoice(
        &self,
        id: i64,
        period_start: NaiveDate,
        invoice_id: i64,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE schedule_occurrences SET invoice_id = ?3
             WHERE schedule_id = ?1 AND period_start = ?2",
            rusqlite::params![id, period_start.to_string(), invoice_id],
        )?;
        Ok(())
    }

    /// A schedule's recorded periods, in period order.
    pub fn schedule_occurrences(&self, id: i64) -> Result<Vec<StoredOccurrence>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT schedule_id, period_start, period_index, outcome, invoice_id, caught_up,
                    recorded_at
             FROM schedule_occurrences WHERE schedule_id = ?1 ORDER BY period_start",
        )?;
        let raw = stmt
            .query_map([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, u32>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, bool>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        raw.into_iter()
            .map(
                |(schedule_id, start, index, outcome, invoice_id, caught_up, at)| {
                    Ok(StoredOccurrence {
                        schedule_id,
                        period_start: date(&start)?,
                        period_index: index,
                        outcome: match outcome.as_str() {
                            "made" => OccurrenceOutcome::Made,
                            "skipped" => OccurrenceOutcome::Skipped,
                            other => return Err(corrupt("occurrence outcome", other)),
                        },
                        invoice_id,
                        caught_up,
                        recorded_at: instant(&at)?,
                    })
                },
            )
            .collect()
    }

    /// The schedule (id, name) and period start that made an invoice, if a
    /// schedule did.
    pub fn invoice_schedule(
        &self,
        invoice_id: i64,
    ) -> Result<Option<(i64, String, NaiveDate)>, StoreError> {
        let row: Option<(i64, String, String)> = self
            .conn
            .query_row(
                "SELECT s.id, s.name, o.period_start
                 FROM schedule_occurrences o JOIN schedules s ON s.id = o.schedule_id
                 WHERE o.invoice_id = ?1",
                [invoice_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        row.map(|(id, name, start)| Ok((id, name, date(&start)?)))
            .transpose()
    }
}
