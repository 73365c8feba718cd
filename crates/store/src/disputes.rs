//! Disputes (migration 0017): at most one open per invoice (a partial unique
//! index), resolved once as upheld or rejected. The invoice's `disputed_on`
//! column follows the open dispute, so the invoice list shows it.

use crate::codec::{corrupt, date, instant, instant_text};
use crate::{StoreError, Tx};
use chrono::{DateTime, Days, NaiveDate, Utc};
use invoicer_domain::dispute::{Dispute, DisputeOutcome, WINDOW_DAYS};
use invoicer_domain::reminder_schedule::DisputeState;
use rusqlite::{OptionalExtension, Row};

const COLUMNS: &str =
    "id, invoice_id, reason, opened_on, window_days, opened_by, opened_at, outcome, resolved_on";

impl Tx<'_> {
    /// Opens a dispute; `None` when the invoice already has an open one.
    pub fn open_dispute(
        &self,
        invoice_id: i64,
        reason: &str,
        opened_on: NaiveDate,
        window_days: u32,
        opened_by: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "INSERT INTO disputes (invoice_id, reason, opened_on, window_days, opened_by, opened_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT DO NOTHING
                 RETURNING id",
                (
                    invoice_id,
                    reason,
                    opened_on.to_string(),
                    window_days,
                    opened_by,
                    instant_text(at),
                ),
                |r| r.get(0),
            )
            .optional()?;
        if id.is_some() {
            self.conn.execute(
                "UPDATE invoices SET disputed_on = ?2 WHERE id = ?1",
                (invoice_id, opened_on.to_string()),
            )?;
        }
        Ok(id)
    }

    /// Resolves the invoice's open dispute; `false` when none is open (e.g.
    /// someone resolved it first).
    pub fn resolve_dispute(
        &self,
        invoice_id: i64,
        outcome: DisputeOutcome,
        on: NaiveDate,
        by: &str,
    ) -> Result<bool, StoreError> {
        let changed = self.conn.execute(
            "UPDATE disputes SET outcome = ?2, resolved_on = ?3, resolved_by = ?4
             WHERE invoice_id = ?1 AND outcome IS NULL",
            (invoice_id, outcome.as_str(), on.to_string(), by),
        )? == 1;
        if changed {
            self.conn.execute(
                "UPDATE invoices SET disputed_on = NULL WHERE id = ?1",
                [invoice_id],
            )?;
        }
        Ok(changed)
    }

    /// The invoice's latest dispute, open or resolved.
    pub fn latest_dispute(&self, invoice_id: i64) -> Result<Option<Dispute>, StoreError> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM disputes WHERE invoice_id = ?1 ORDER BY id DESC LIMIT 1"
                ),
                [invoice_id],
                raw,
            )
            .optional()?
            .map(RawDispute::into_dispute)
            .transpose()
    }

    /// Where the invoice's disputes leave its reminders: open pauses them,
    /// an upheld one stops them, otherwise they run.
    pub fn dispute_state(&self, invoice_id: i64) -> Result<DisputeState, StoreError> {
        let (open, upheld): (i64, i64) = self.conn.query_row(
            "SELECT COALESCE(SUM(CASE WHEN outcome IS NULL THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN outcome = 'upheld' THEN 1 ELSE 0 END), 0)
             FROM disputes WHERE invoice_id = ?1",
            [invoice_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(if open > 0 {
            DisputeState::Open
        } else if upheld > 0 {
            DisputeState::Upheld
        } else {
            DisputeState::None
        })
    }

    /// Open disputes whose window ended before `today`, oldest first: the
    /// exceptions view's list.
    pub fn disputes_past_window(&self, today: NaiveDate) -> Result<Vec<Dispute>, StoreError> {
        // Only disputes opened before the shortest window could have ended
        // are read; the window of each is then checked on the domain type,
        // so no SQL date arithmetic (which differs between databases) is
        // needed.
        let opened_before = today
            .checked_sub_days(Days::new(u64::from(*WINDOW_DAYS.start())))
            .unwrap_or(NaiveDate::MIN);
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM disputes WHERE outcome IS NULL AND opened_on < ?1
             ORDER BY opened_on, id"
        ))?;
        let rows = st
            .query_map([opened_before.to_string()], raw)?
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::new();
        for r in rows {
            let d = r.into_dispute()?;
            if d.past_window(today) {
                out.push(d);
            }
        }
        Ok(out)
    }

    /// Open disputes whose window ends on or before `day` (ended ones
    /// included), soonest end first: the dashboard's "disputes near their
    /// window's end" with `day` = today + 7.
    pub fn open_disputes_ending_by(&self, day: NaiveDate) -> Result<Vec<Dispute>, StoreError> {
        // As above: a window is at least the shortest one long, so only
        // disputes opened that long before `day` can end by it; each
        // window is then checked on the domain type.
        let opened_by = day
            .checked_sub_days(Days::new(u64::from(*WINDOW_DAYS.start())))
            .unwrap_or(NaiveDate::MIN);
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM disputes WHERE outcome IS NULL AND opened_on <= ?1
             ORDER BY opened_on, id"
        ))?;
        let rows = st
            .query_map([opened_by.to_string()], raw)?
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::new();
        for r in rows {
            let d = r.into_dispute()?;
            if d.window_ends_on() <= day {
                out.push(d);
            }
        }
        out.sort_by_key(|d| (d.window_ends_on(), d.id));
        Ok(out)
    }
}

struct RawDispute {
    id: i64,
    invoice_id: i64,
    reason: String,
    opened_on: String,
    window_days: u32,
    opened_by: String,
    opened_at: String,
    outcome: Option<String>,
    resolved_on: Option<String>,
}

fn raw(r: &Row<'_>) -> rusqlite::Result<RawDispute> {
    Ok(RawDispute {
        id: r.get(0)?,
        invoice_id: r.get(1)?,
        reason: r.get(2)?,
        opened_on: r.get(3)?,
        window_days: r.get(4)?,
        opened_by: r.get(5)?,
        opened_at: r.get(6)?,
        outcome: r.get(7)?,
        resolved_on: r.get(8)?,
    })
}

impl RawDispute {
    fn into_dispute(self) -> Result<Dispute, StoreError> {
        let resolution = match (self.outcome.as_deref(), self.resolved_on.as_deref()) {
            (Some(o), Some(on)) => Some((
                DisputeOutcome::parse(o).ok_or_else(|| corrupt("dispute outcome", o))?,
                date(on)?,
            )),
            (None, None) => None,
            (o, _) => return Err(corrupt("dispute resolution", o.unwrap_or("(none)"))),
        };
        Ok(Dispute {
            id: self.id,
            invoice_id: self.invoice_id,
            reason: self.reason,
            opened_on: date(&self.opened_on)?,
            window_days: self.window_days,
            opened_by: self.opened_by,
            opened_at: instant(&self.opened_at)?,
            resolution,
        })
    }
}
