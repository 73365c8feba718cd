//! Payment reminders (migration 0017): the scheduler's candidate scan, each
//! decided step (sent or skipped, unique by invoice and step), and the
//! customers who opted out.
//!
//! "A step is never sent twice" is the `UNIQUE (invoice_id, step)` key:
//! recording a step is `INSERT … ON CONFLICT DO NOTHING`, never a check then
//! an insert, and the caller writes it in the same transaction as the outbox
//! delivery and the audit event.

use crate::codec::{corrupt, date};
use crate::{StoreError, Tx};
use chrono::NaiveDate;
use invoicer_domain::reminder_policy::ReminderTone;
use invoicer_domain::reminder_schedule::{RecordedReminder, StepOutcome};
use invoicer_domain::Currency;
use rusqlite::{OptionalExtension, Row};

const COLUMNS: &str = "r.invoice_id, r.step, r.outcome, r.tone, r.due_on, r.recorded_on, \
     r.balance_minor, r.late_fee_minor, r.delivery_id, i.currency";

/// An invoice the scheduler looks at: open, owing, its customer not opted
/// out, its first step reached and its last step not yet decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReminderCandidate {
    /// The invoice.
    pub invoice_id: i64,
    /// Its due date.
    pub due_date: NaiveDate,
    /// The highest step already decided (0 = none).
    pub last_step: u32,
}

/// A decided step and the number of its invoice, for lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedReminder {
    /// The step.
    pub reminder: RecordedReminder,
    /// Its invoice's number.
    pub invoice_number: Option<String>,
    /// Its invoice's customer name.
    pub customer_name: String,
    /// Its invoice's currency.
    pub currency: Currency,
}

impl Tx<'_> {
    /// The scheduler's scan, one indexed query (`invoices_reminder_scan`):
    /// issued or partially paid invoices with a balance, due on or before
    /// `latest_due` (today minus the policy's first offset), whose customer
    /// did not opt out and whose step `steps` (the policy's last) is not yet
    /// decided, in due-date order.
    pub fn reminder_candidates(
        &self,
        latest_due: NaiveDate,
        steps: u32,
    ) -> Result<Vec<ReminderCandidate>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT i.id, i.due_date,
                    COALESCE((SELECT MAX(r.step) FROM reminders r WHERE r.invoice_id = i.id), 0)
                        AS last_step
             FROM invoices i
             WHERE i.status IN ('issued', 'partially_paid')
               AND i.due_date <= ?1
               AND i.total_minor > i.paid_minor
               AND NOT EXISTS (SELECT 1 FROM customers c
                               WHERE c.id = i.customer_id AND c.reminders_opt_out = 1)",
        )?;
        let mut rows = st.query([latest_due.to_string()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let last_step: u32 = r.get(2)?;
            if last_step >= steps {
                continue;
            }
            out.push(ReminderCandidate {
                invoice_id: r.get(0)?,
                due_date: date(&r.get::<_, String>(1)?)?,
                last_step,
            });
        }
        Ok(out)
    }

    /// Records a decided step; `false` when the step of that invoice was
    /// already recorded (then nothing is written and the caller must not
    /// send it).
    pub fn record_reminder(
        &self,
        r: &RecordedReminder,
        currency: Currency,
        at: chrono::DateTime<chrono::Utc>,
    ) -> Result<bool, StoreError> {
        let balance = crate::codec::minor(currency, r.balance)?;
        let fee = r
            .late_fee
            .map(|f| crate::codec::minor(currency, f))
            .transpose()?;
        Ok(self
            .conn
            .prepare_cached(
                "INSERT INTO reminders (invoice_id, step, outcome, tone, due_on, recorded_on,
                     balance_minor, late_fee_minor, delivery_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT (invoice_id, step) DO NOTHING",
            )?
            .execute((
                r.invoice_id,
                r.step,
                r.outcome.as_str(),
                r.tone.as_str(),
                r.due_on.to_string(),
                r.recorded_on.to_string(),
                balance,
                fee,
                r.delivery_id,
                crate::codec::instant_text(at),
            ))?
            == 1)
    }

    /// The numbers of an invoice's decided steps, in order.
    pub fn recorded_steps(&self, invoice_id: i64) -> Result<Vec<u32>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT step FROM reminders WHERE invoice_id = ?1 ORDER BY step")?;
        let steps = st
            .query_map([invoice_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(steps)
    }

    /// An invoice's decided steps, in order.
    pub fn reminders_of(&self, invoice_id: i64) -> Result<Vec<RecordedReminder>, StoreError> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM reminders r JOIN invoices i ON i.id = r.invoice_id
             WHERE r.invoice_id = ?1 ORDER BY r.step"
        ))?;
        let mut rows = st.query([invoice_id])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(reminder(row)?);
        }
        Ok(out)
    }

    /// Decided steps of all invoices, newest first, at most `limit`.
    pub fn list_reminders(&self, limit: u32) -> Result<Vec<ListedReminder>, StoreError> {
        let mut st = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS}, i.number, i.customer_name
             FROM reminders r JOIN invoices i ON i.id = r.invoice_id
             ORDER BY r.id DESC LIMIT ?1"
        ))?;
        let mut rows = st.query([limit])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(ListedReminder {
                reminder: reminder(row)?,
                invoice_number: row.get(10)?,
                customer_name: row.get(11)?,
                currency: crate::codec::currency(&row.get::<_, String>(9)?)?,
            });
        }
        Ok(out)
    }

    /// Whether the customer opted out of reminders; `None` if there is no
    /// such customer.
    pub fn customer_reminders_opt_out(&self, customer_id: i64) -> Result<Option<bool>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT reminders_opt_out FROM customers WHERE id = ?1",
                [customer_id],
                |r| r.get::<_, i64>(0),
            )
            .optional()?
            .map(|v| v == 1))
    }

    /// Sets whether the customer opted out of reminders; whether the
    /// customer exists.
    pub fn set_customer_reminders_opt_out(
        &self,
        customer_id: i64,
        opt_out: bool,
    ) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "UPDATE customers SET reminders_opt_out = ?2 WHERE id = ?1",
            (customer_id, i64::from(opt_out)),
        )? == 1)
    }
}

fn reminder(row: &Row<'_>) -> Result<RecordedReminder, StoreError> {
    let currency = crate::codec::currency(&row.get::<_, String>(9)?)?;
    let outcome: String = row.get(2)?;
    let tone: String = row.get(3)?;
    Ok(RecordedReminder {
        invoice_id: row.get(0)?,
        step: row.get(1)?,
        outcome: match outcome.as_str() {
            "sent" => StepOutcome::Sent,
            "skipped" => StepOutcome::Skipped,
            other => return Err(corrupt("reminder outcome", other)),
        },
        tone: ReminderTone::parse(&tone).ok_or_else(|| corrupt("reminder tone", &tone))?,
        due_on: date(&row.get::<_, String>(4)?)?,
        recorded_on: date(&row.get::<_, String>(5)?)?,
        balance: currency.from_minor(row.get(6)?),
        late_fee: row
            .get::<_, Option<i64>>(7)?
            .map(|m| currency.from_minor(m)),
        delivery_id: row.get(8)?,
    })
}
