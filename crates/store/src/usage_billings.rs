//! The billings of time and usage threshold rules (migration 0023): one row
//! per invoice a rule made, or per period end that found nothing to bill. A
//! period end's row is unique by (rule, period start) and claimed in the
//! transaction that makes its invoice, so a period is billed once.

use crate::codec::{corrupt, instant, instant_text, opt_date};
use crate::{StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use invoicer_domain::usage_threshold::Crossing;
use rusqlite::OptionalExtension;

/// Why a rule billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BillingReason {
    /// A threshold was crossed.
    Crossed(Crossing),
    /// A period ended.
    PeriodEnd,
}

impl BillingReason {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            BillingReason::Crossed(c) => c.as_str(),
            BillingReason::PeriodEnd => "period_end",
        }
    }

    fn parse(s: &str) -> Result<BillingReason, StoreError> {
        Ok(match s {
            "quantity" => BillingReason::Crossed(Crossing::Quantity),
            "amount" => BillingReason::Crossed(Crossing::Amount),
            "period_end" => BillingReason::PeriodEnd,
            other => return Err(corrupt("billing reason", other)),
        })
    }
}

/// One billing of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredUsageBilling {
    /// Its id.
    pub id: i64,
    /// The rule.
    pub rule_id: i64,
    /// The invoice made (none when a period end found nothing to bill).
    pub invoice_id: Option<i64>,
    /// Why.
    pub reason: BillingReason,
    /// The period's start, for a period end.
    pub period_start: Option<NaiveDate>,
    /// How many entries it billed.
    pub entries: u32,
    /// Whether the period was billed after the day it was due.
    pub caught_up: bool,
    /// When.
    pub billed_at: DateTime<Utc>,
}

impl Tx<'_> {
    /// Claims a billing for this transaction. For a period end the claim is
    /// unique per (rule, period start): `None` when it was claimed before.
    pub fn claim_usage_billing(
        &self,
        rule_id: i64,
        reason: BillingReason,
        period_start: Option<NaiveDate>,
        caught_up: bool,
        at: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "INSERT INTO usage_billings (rule_id, reason, period_start, entries, caught_up,
                     billed_at)
                 VALUES (?1, ?2, ?3, 0, ?4, ?5)
                 ON CONFLICT (rule_id, period_start) DO NOTHING
                 RETURNING id",
            )?
            .query_row(
                rusqlite::params![
                    rule_id,
                    reason.as_str(),
                    period_start.map(|d| d.to_string()),
                    caught_up,
                    instant_text(at)
                ],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Links a claimed billing to its invoice and entry count.
    pub fn set_usage_billing(
        &self,
        billing_id: i64,
        invoice_id: Option<i64>,
        entries: usize,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE usage_billings SET invoice_id = ?2, entries = ?3 WHERE id = ?1",
            rusqlite::params![billing_id, invoice_id, entries as i64],
        )?;
        Ok(())
    }

    /// The start of the latest period billed (or found empty) by a rule.
    pub fn last_usage_period(&self, rule_id: i64) -> Result<Option<NaiveDate>, StoreError> {
        let last: Option<String> = self.conn.query_row(
            "SELECT MAX(period_start) FROM usage_billings WHERE rule_id = ?1",
            [rule_id],
            |r| r.get(0),
        )?;
        opt_date(last)
    }

    /// A rule's billings, newest first, at most `limit`.
    pub fn usage_billings(
        &self,
        rule_id: i64,
        limit: u32,
    ) -> Result<Vec<StoredUsageBilling>, StoreError> {
        let raw = self
            .conn
            .prepare_cached(
                "SELECT id, rule_id, invoice_id, reason, period_start, entries, caught_up, billed_at
                 FROM usage_billings WHERE rule_id = ?1 ORDER BY id DESC LIMIT ?2",
            )?
            .query_map(rusqlite::params![rule_id, limit], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, u32>(5)?,
                    r.get::<_, bool>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        raw.into_iter()
            .map(
                |(id, rule_id, invoice_id, reason, start, entries, caught_up, at)| {
                    Ok(StoredUsageBilling {
                        id,
                        rule_id,
                        invoice_id,
                        reason: BillingReason::parse(&reason)?,
                        period_start: opt_date(start)?,
                        entries,
                        caught_up,
                        billed_at: instant(&at)?,
                    })
                },
            )
            .collect()
    }

    /// The rule (id, name) that made an invoice, if a threshold did.
    pub fn invoice_threshold(&self, invoice_id: i64) -> Result<Option<(i64, String)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT t.id, t.name FROM usage_billings b
                 JOIN usage_thresholds t ON t.id = b.rule_id WHERE b.invoice_id = ?1",
                [invoice_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}
