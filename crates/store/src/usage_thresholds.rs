//! Time and usage thresholds (migration 0023): the rules and each logged
//! entry; each billing is `usage_billings.rs`'s.
//!
//! How an entry is billed exactly once, in one write transaction:
//! 1. for a period end, [`Tx::claim_usage_billing`] with the period's start
//!    (`INSERT … ON CONFLICT DO NOTHING RETURNING`); only its winner goes on;
//! 2. make the invoice from [`Tx::unbilled_usage`];
//! 3. [`Tx::bill_usage_entries`] (`UPDATE … SET invoice_id WHERE id IN (…)
//!    AND invoice_id IS NULL`): the caller checks that every entry was
//!    marked, and rolls everything back otherwise.
//!
//! A crash rolls the claim, the invoice and the marks back together.

use crate::codec::{corrupt, date, decimal, instant, instant_text, opt_date};
use crate::{StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use invoicer_domain::schedule::Frequency;
use invoicer_domain::usage_threshold::{
    Measure, PeriodEnd, ThresholdAction, ThresholdRule, ThresholdState, ThresholdTerms, UsageEntry,
};
use invoicer_domain::Decimal;
use rusqlite::{OptionalExtension, Row};

const COLUMNS: &str = "id, name, customer_id, project, measure, unit_price, description_template, \
     quantity_threshold, amount_threshold, period, period_anchor, template, terms_days, action, \
     state, tested_at, created_by, created_at";

const ENTRY_COLUMNS: &str = "id, rule_id, customer_id, project, measure, quantity, unit_price, \
     description, occurred_on, source, source_ref, invoice_id, recorded_at";

/// Where an entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageSource {
    /// A `usage.recorded` or `time.logged` event through the local API.
    Api,
    /// `invoicer usage record`.
    Cli,
    /// The desktop app.
    App,
}

impl UsageSource {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            UsageSource::Api => "api",
            UsageSource::Cli => "cli",
            UsageSource::App => "app",
        }
    }

    fn parse(s: &str) -> Result<UsageSource, StoreError> {
        Ok(match s {
            "api" => UsageSource::Api,
            "cli" => UsageSource::Cli,
            "app" => UsageSource::App,
            other => return Err(corrupt("usage source", other)),
        })
    }
}

/// An entry to record.
#[derive(Debug, Clone)]
pub struct NewUsageEntry<'a> {
    /// The rule it belongs to.
    pub rule_id: i64,
    /// The customer.
    pub customer_id: i64,
    /// Hours or units.
    pub measure: Measure,
    /// What, how many, at what price, when, for which project.
    pub entry: &'a UsageEntry,
    /// Where it came from.
    pub source: UsageSource,
    /// The sender's reference: an entry with the same source and reference
    /// is recorded once.
    pub source_ref: Option<&'a str>,
    /// Who recorded it (an email or `system:api`).
    pub recorded_by: &'a str,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUsageEntry {
    /// The entry as a rule bills it.
    pub entry: UsageEntry,
    /// Its rule.
    pub rule_id: i64,
    /// Its customer.
    pub customer_id: i64,
    /// Hours or units.
    pub measure: Measure,
    /// Where it came from.
    pub source: UsageSource,
    /// The sender's reference.
    pub source_ref: Option<String>,
    /// The invoice that billed it.
    pub invoice_id: Option<i64>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

fn dec_text(d: Option<Decimal>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn opt_decimal(s: Option<String>) -> Result<Option<Decimal>, StoreError> {
    s.as_deref().map(decimal).transpose()
}

fn measure(s: &str) -> Result<Measure, StoreError> {
    Measure::parse(s).map_err(|_| corrupt("measure", s))
}

fn rule_row(r: &Row<'_>) -> rusqlite::Result<RawRule> {
    Ok(RawRule {
        id: r.get(0)?,
        name: r.get(1)?,
        customer_id: r.get(2)?,
        project: r.get(3)?,
        measure: r.get(4)?,
        unit_price: r.get(5)?,
        description_template: r.get(6)?,
        quantity_threshold: r.get(7)?,
        amount_threshold: r.get(8)?,
        period: r.get(9)?,
        period_anchor: r.get(10)?,
        template: r.get(11)?,
        terms_days: r.get(12)?,
        action: r.get(13)?,
        state: r.get(14)?,
        tested_at: r.get(15)?,
        created_by: r.get(16)?,
        created_at: r.get(17)?,
    })
}

struct RawRule {
    id: i64,
    name: String,
    customer_id: i64,
    project: Option<String>,
    measure: String,
    unit_price: Option<String>,
    description_template: String,
    quantity_threshold: Option<String>,
    amount_threshold: Option<String>,
    period: Option<String>,
    period_anchor: Option<String>,
    template: Option<String>,
    terms_days: Option<u32>,
    action: String,
    state: String,
    tested_at: Option<String>,
    created_by: i64,
    created_at: String,
}

impl RawRule {
    fn into_rule(self) -> Result<ThresholdRule, StoreError> {
        let period = match (self.period, opt_date(self.period_anchor)?) {
            (Some(f), Some(anchor)) => Some(PeriodEnd {
                frequency: Frequency::parse(&f).map_err(|_| corrupt("period", &f))?,
                anchor,
            }),
            (None, _) => None,
            (Some(f), None) => return Err(corrupt("period without anchor", &f)),
        };
        Ok(ThresholdRule {
            id: self.id,
            terms: ThresholdTerms {
                name: self.name,
                customer_id: self.customer_id,
                project: self.project,
                measure: measure(&self.measure)?,
                unit_price: opt_decimal(self.unit_price)?,
                description_template: self.description_template,
                quantity_threshold: opt_decimal(self.quantity_threshold)?,
                amount_threshold: opt_decimal(self.amount_threshold)?,
                period,
                template: self.template,
                terms_days: self.terms_days,
                action: ThresholdAction::parse(&self.action)
                    .map_err(|_| corrupt("threshold action", &self.action))?,
            },
            state: match self.state.as_str() {
                "disabled" => ThresholdState::Disabled,
                "active" => ThresholdState::Active,
                other => return Err(corrupt("threshold state", other)),
            },
            tested_at: self.tested_at.as_deref().map(instant).transpose()?,
            created_by: self.created_by,
            created_at: instant(&self.created_at)?,
        })
    }
}

type RawEntry = (
    i64,
    i64,
    i64,
    Option<String>,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<i64>,
    String,
);

fn entry_row(r: &Row<'_>) -> rusqlite::Result<RawEntry> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
        r.get(12)?,
    ))
}

fn into_entry(raw: RawEntry) -> Result<StoredUsageEntry, StoreError> {
    let (id, rule_id, customer_id, project, m, q, p, description, on, source, source_ref, inv, at) =
        raw;
    Ok(StoredUsageEntry {
        entry: UsageEntry {
            id,
            quantity: decimal(&q)?,
            unit_price: decimal(&p)?,
            description,
            project,
            occurred_on: date(&on)?,
        },
        rule_id,
        customer_id,
        measure: measure(&m)?,
        source: UsageSource::parse(&source)?,
        source_ref,
        invoice_id: inv,
        recorded_at: instant(&at)?,
    })
}

fn state_text(s: ThresholdState) -> &'static str {
    match s {
        ThresholdState::Disabled => "disabled",
        ThresholdState::Active => "active",
    }
}

impl Tx<'_> {
    /// Stores a new rule, disabled and untested. Returns its id.
    pub fn insert_threshold(
        &self,
        t: &ThresholdTerms,
        created_by: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "INSERT INTO usage_thresholds (name, customer_id, project, measure, unit_price,
                 description_template, quantity_threshold, amount_threshold, period, period_anchor,
                 template, terms_days, action, state, created_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 'disabled', ?14, ?15, ?15)
             RETURNING id",
            rusqlite::params![
                t.name,
                t.customer_id,
                t.project,
                t.measure.as_str(),
                dec_text(t.unit_price),
                t.description_template,
                dec_text(t.quantity_threshold),
                dec_text(t.amount_threshold),
                t.period.map(|p| p.frequency.as_str()),
                t.period.map(|p| p.anchor.to_string()),
                t.template,
                t.terms_days,
                t.action.as_str(),
                created_by,
                instant_text(at),
            ],
            |r| r.get(0),
        )?)
    }

    /// Replaces a rule's terms. The rule becomes disabled and untested: an
    /// edited rule must pass a test run again before it bills. Returns false
    /// when no rule has this id.
    pub fn update_threshold(
        &self,
        id: i64,
        t: &ThresholdTerms,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE usage_thresholds SET name = ?2, customer_id = ?3, project = ?4, measure = ?5,
                 unit_price = ?6, description_template = ?7, quantity_threshold = ?8,
                 amount_threshold = ?9, period = ?10, period_anchor = ?11, template = ?12,
                 terms_days = ?13, action = ?14, state = 'disabled', tested_at = NULL,
                 updated_at = ?15
             WHERE id = ?1",
            rusqlite::params![
                id,
                t.name,
                t.customer_id,
                t.project,
                t.measure.as_str(),
                dec_text(t.unit_price),
                t.description_template,
                dec_text(t.quantity_threshold),
                dec_text(t.amount_threshold),
                t.period.map(|p| p.frequency.as_str()),
                t.period.map(|p| p.anchor.to_string()),
                t.template,
                t.terms_days,
                t.action.as_str(),
                instant_text(at),
            ],
        )?;
        Ok(n == 1)
    }

    /// The rule with this id.
    pub fn threshold(&self, id: i64) -> Result<Option<ThresholdRule>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM usage_thresholds WHERE id = ?1"),
                [id],
                rule_row,
            )
            .optional()?
            .map(RawRule::into_rule)
            .transpose()
    }

    /// Every rule, oldest first; `active_only` keeps the active ones.
    pub fn thresholds(&self, active_only: bool) -> Result<Vec<ThresholdRule>, StoreError> {
        let sql = if active_only {
            format!("SELECT {COLUMNS} FROM usage_thresholds WHERE state = 'active' ORDER BY id")
        } else {
            format!("SELECT {COLUMNS} FROM usage_thresholds ORDER BY id")
        };
        self.conn
            .prepare(&sql)?
            .query_map([], rule_row)?
            .map(|r| r.map_err(StoreError::from).and_then(RawRule::into_rule))
            .collect()
    }

    /// The active rules of a customer and measure, oldest first.
    pub fn active_thresholds_of(
        &self,
        customer_id: i64,
        measure: Measure,
    ) -> Result<Vec<ThresholdRule>, StoreError> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM usage_thresholds
                 WHERE customer_id = ?1 AND measure = ?2 AND state = 'active' ORDER BY id"
            ))?
            .query_map(rusqlite::params![customer_id, measure.as_str()], rule_row)?
            .map(|r| r.map_err(StoreError::from).and_then(RawRule::into_rule))
            .collect()
    }

    /// Switches a rule on or off.
    pub fn set_threshold_state(
        &self,
        id: i64,
        state: ThresholdState,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE usage_thresholds SET state = ?2, updated_at = ?3 WHERE id = ?1",
            rusqlite::params![id, state_text(state), instant_text(at)],
        )?;
        Ok(())
    }

    /// Records that a test run of the rule passed.
    pub fn mark_threshold_tested(&self, id: i64, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE usage_thresholds SET tested_at = ?2 WHERE id = ?1",
            rusqlite::params![id, instant_text(at)],
        )?;
        Ok(())
    }

    /// Records an entry. `None` when an entry with the same source and
    /// reference was recorded before (an event sent again).
    pub fn insert_usage_entry(
        &self,
        e: &NewUsageEntry<'_>,
        at: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "INSERT INTO usage_entries (rule_id, customer_id, project, measure, quantity,
                     unit_price, description, occurred_on, source, source_ref, recorded_by,
                     recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT (source, source_ref) DO NOTHING
                 RETURNING id",
            )?
            .query_row(
                rusqlite::params![
                    e.rule_id,
                    e.customer_id,
                    e.entry.project,
                    e.measure.as_str(),
                    e.entry.quantity.to_string(),
                    e.entry.unit_price.to_string(),
                    e.entry.description,
                    e.entry.occurred_on.to_string(),
                    e.source.as_str(),
                    e.source_ref,
                    e.recorded_by,
                    instant_text(at),
                ],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The entry recorded under this source and reference.
    pub fn usage_entry_by_ref(
        &self,
        source: UsageSource,
        source_ref: &str,
    ) -> Result<Option<StoredUsageEntry>, StoreError> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {ENTRY_COLUMNS} FROM usage_entries WHERE source = ?1 AND source_ref = ?2"
                ),
                rusqlite::params![source.as_str(), source_ref],
                entry_row,
            )
            .optional()?
            .map(into_entry)
            .transpose()
    }

    /// The entry with this id.
    pub fn usage_entry_by_id(&self, id: i64) -> Result<Option<StoredUsageEntry>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {ENTRY_COLUMNS} FROM usage_entries WHERE id = ?1"),
                [id],
                entry_row,
            )
            .optional()?
            .map(into_entry)
            .transpose()
    }

    /// A rule's entries not yet billed, oldest first; only those that
    /// happened on or before `up_to` when given (a period's end).
    pub fn unbilled_usage(
        &self,
        rule_id: i64,
        up_to: Option<NaiveDate>,
    ) -> Result<Vec<StoredUsageEntry>, StoreError> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM usage_entries
                 WHERE rule_id = ?1 AND invoice_id IS NULL AND (?2 IS NULL OR occurred_on <= ?2)
                 ORDER BY occurred_on, id"
            ))?
            .query_map(
                rusqlite::params![rule_id, up_to.map(|d| d.to_string())],
                entry_row,
            )?
            .map(|r| r.map_err(StoreError::from).and_then(into_entry))
            .collect()
    }

    /// The entries an invoice billed, in line order.
    pub fn invoice_usage(&self, invoice_id: i64) -> Result<Vec<StoredUsageEntry>, StoreError> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {ENTRY_COLUMNS} FROM usage_entries WHERE invoice_id = ?1
                 ORDER BY occurred_on, id"
            ))?
            .query_map([invoice_id], entry_row)?
            .map(|r| r.map_err(StoreError::from).and_then(into_entry))
            .collect()
    }

    /// Marks `ids` billed by `invoice_id` where they are still unbilled.
    /// Returns how many were marked: the caller rolls back unless that is
    /// every one of them, so an entry is never on two invoices.
    pub fn bill_usage_entries(&self, ids: &[i64], invoice_id: i64) -> Result<usize, StoreError> {
        let mut marked = 0;
        // Well below SQLite's limit of bound parameters per statement.
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!(
                "UPDATE usage_entries SET invoice_id = ? WHERE id IN ({marks}) AND invoice_id IS NULL"
            );
            let params = std::iter::once(invoice_id).chain(chunk.iter().copied());
            marked += self
                .conn
                .execute(&sql, rusqlite::params_from_iter(params))?;
        }
        Ok(marked)
    }
}
