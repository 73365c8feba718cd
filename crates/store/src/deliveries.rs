//! The outbox: deliveries queued in the same transaction as the use case
//! that causes them, claimed by the sender, and their outcomes.
//!
//! "Exactly once" is the table's unique idempotency key, never a check then
//! an insert; every status change is a compare-and-set on the status the
//! caller read, so two senders can never both claim one delivery.

use crate::codec::{instant, instant_text};
use crate::records::enum_names::{
    delivery_kind_text, delivery_status_text, parse_delivery_kind, parse_delivery_status,
};
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use invoicer_domain::delivery::{
    Delivery, DeliveryKind, DeliveryStatus, NewDelivery, Recipients, SmtpReply,
};
use rusqlite::{OptionalExtension, Row};

const COLUMNS: &str = "id, invoice_id, kind, step, to_addresses, cc_addresses, bcc_addresses, \
     status, attempts, next_attempt_at, last_reply_code, last_reply_text, message_id, \
     created_at, updated_at";

/// One status change of a delivery, applied only if it is still `from`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryChange<'a> {
    /// The delivery.
    pub id: i64,
    /// The status the caller read; the change applies only if it still is.
    pub from: DeliveryStatus,
    /// The new status.
    pub to: DeliveryStatus,
    /// Whether this change starts an attempt (counts it).
    pub starts_attempt: bool,
    /// Whether the attempt count starts again from zero (a person asked for
    /// the delivery to be sent again, so the retry policy allows a new round).
    pub resets_attempts: bool,
    /// When the sender may try next (kept only for `retrying`).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The server's answer, when there was one.
    pub reply: Option<&'a SmtpReply>,
    /// The Message-ID handed to the server, when known.
    pub message_id: Option<&'a str>,
}

/// Which deliveries to list, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveryQuery {
    /// Only this status.
    pub status: Option<DeliveryStatus>,
    /// Only `failed` and `unknown` ones.
    pub needs_a_person: bool,
    /// Only this invoice's.
    pub invoice_id: Option<i64>,
    /// At most this many.
    pub limit: u32,
}

/// What a delivery list shows next to a delivery: its invoice's number and
/// customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedDelivery {
    /// The delivery.
    pub delivery: Delivery,
    /// Its invoice's number, once issued.
    pub invoice_number: Option<String>,
    /// Its invoice's customer name.
    pub customer_name: Option<String>,
}

impl Tx<'_> {
    /// Queues `d` at `at`; `None` when a delivery with its idempotency key
    /// (invoice, kind, step) is already in the outbox.
    pub fn enqueue_delivery(
        &self,
        d: &NewDelivery,
        at: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        let at = instant_text(at);
        Ok(self
            .conn
            .query_row(
                "INSERT INTO deliveries (invoice_id, kind, step, to_addresses, cc_addresses,
                     bcc_addresses, status, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', ?7, ?7)
                 ON CONFLICT (invoice_id, kind, step) DO NOTHING
                 RETURNING id",
                (
                    d.invoice_id,
                    delivery_kind_text(d.kind),
                    d.step,
                    d.recipients.to.join("\n"),
                    d.recipients.cc.join("\n"),
                    d.recipients.bcc.join("\n"),
                    &at,
                ),
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Holds a queued delivery back until `at` (a throttle's slot): the
    /// sender leaves it until then. Whether it was still queued.
    pub fn hold_delivery_until(&self, id: i64, at: DateTime<Utc>) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "UPDATE deliveries SET next_attempt_at = ?2 WHERE id = ?1 AND status = 'queued'",
            )?
            .execute((id, instant_text(at)))?
            == 1)
    }

    /// The delivery with `id`.
    pub fn delivery(&self, id: i64) -> Result<Option<Delivery>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM deliveries WHERE id = ?1"),
                [id],
                raw,
            )
            .optional()?
            .map(RawDelivery::into_delivery)
            .transpose()
    }

    /// Up to `limit` deliveries the sender may attempt at `now`, oldest first.
    pub fn due_deliveries(
        &self,
        now: DateTime<Utc>,
        limit: u32,
    ) -> Result<Vec<Delivery>, StoreError> {
        self.deliveries_where(
            "(status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= ?1))
             OR (status = 'retrying' AND next_attempt_at <= ?1)",
            "id",
            (instant_text(now), limit),
        )
    }

    /// Deliveries, newest first: all of them, or those in `status`.
    pub fn list_deliveries(
        &self,
        status: Option<DeliveryStatus>,
        limit: u32,
    ) -> Result<Vec<Delivery>, StoreError> {
        self.deliveries_where(
            "?1 IS NULL OR status = ?1",
            "id DESC",
            (status.map(delivery_status_text), limit),
        )
    }

    /// Deliveries matching `q`, newest first, with their invoices' numbers
    /// and customers.
    pub fn find_deliveries(&self, q: &DeliveryQuery) -> Result<Vec<ListedDelivery>, StoreError> {
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("d.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {columns}, i.number, i.customer_name
               FROM deliveries d LEFT JOIN invoices i ON i.id = d.invoice_id
              WHERE (?1 IS NULL OR d.status = ?1)
                AND (?2 = 0 OR d.status IN ('failed', 'unknown'))
                AND (?3 IS NULL OR d.invoice_id = ?3)
              ORDER BY d.id DESC
              LIMIT ?4"
        ))?;
        let rows = stmt
            .query_map(
                (
                    q.status.map(delivery_status_text),
                    i64::from(q.needs_a_person),
                    q.invoice_id,
                    q.limit,
                ),
                |r| {
                    Ok((
                        raw(r)?,
                        r.get::<_, Option<String>>(15)?,
                        r.get::<_, Option<String>>(16)?,
                    ))
                },
            )?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter()
            .map(|(raw, invoice_number, customer_name)| {
                Ok(ListedDelivery {
                    delivery: raw.into_delivery()?,
                    invoice_number,
                    customer_name,
                })
            })
            .collect()
    }

    /// When the earliest waiting retry, or the earliest queued email held
    /// back by a throttle, is due, if any.
    pub fn next_retry_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let at: Option<String> = self.conn.query_row(
            "SELECT MIN(next_attempt_at) FROM deliveries
              WHERE status IN ('retrying', 'queued') AND next_attempt_at IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        at.as_deref().map(instant).transpose()
    }

    /// How many deliveries are `failed` and how many `unknown`.
    pub fn delivery_counts(&self) -> Result<(u32, u32), StoreError> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), 0),
                    COALESCE(SUM(CASE WHEN status = 'unknown' THEN 1 ELSE 0 END), 0)
               FROM deliveries WHERE status IN ('failed', 'unknown')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// The step a new delivery of `kind` for the invoice takes: one past the
    /// highest so far, 0 for the first.
    pub fn next_delivery_step(
        &self,
        invoice_id: i64,
        kind: DeliveryKind,
    ) -> Result<u32, StoreError> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(MAX(step) + 1, 0) FROM deliveries WHERE invoice_id = ?1 AND kind = ?2",
            (invoice_id, delivery_kind_text(kind)),
            |r| r.get(0),
        )?)
    }

    /// Applies `c` if the delivery is still in `c.from`; whether it was.
    pub fn change_delivery(
        &self,
        c: &DeliveryChange<'_>,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let next = (c.to == DeliveryStatus::Retrying)
            .then_some(c.next_attempt_at)
            .flatten();
        let changed = self.conn.execute(
            "UPDATE deliveries
                SET status = ?3,
                    attempts = CASE WHEN ?10 THEN 0 ELSE attempts END + ?4,
                    next_attempt_at = ?5,
                    last_reply_code = COALESCE(?6, last_reply_code),
                    last_reply_text = COALESCE(?7, last_reply_text),
                    message_id = COALESCE(?8, message_id),
                    updated_at = ?9
              WHERE id = ?1 AND status = ?2",
            (
                c.id,
                delivery_status_text(c.from),
                delivery_status_text(c.to),
                i64::from(c.starts_attempt),
                next.map(instant_text),
                c.reply.map(|r| r.code),
                c.reply.map(|r| r.text.as_str()),
                c.message_id,
                instant_text(at),
                c.resets_attempts,
            ),
        )?;
        Ok(changed == 1)
    }

    /// At start-up: every delivery left `sending` by a process that died
    /// mid-attempt becomes `unknown` (the server may have accepted it), for
    /// a person to resend or mark sent. Returns their ids.
    pub fn interrupt_sending_deliveries(&self, at: DateTime<Utc>) -> Result<Vec<i64>, StoreError> {
        let mut stmt = self.conn.prepare(
            "UPDATE deliveries SET status = 'unknown', updated_at = ?1
              WHERE status = 'sending'
              RETURNING id",
        )?;
        let ids = stmt
            .query_map([instant_text(at)], |r| r.get(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        Ok(ids)
    }

    fn deliveries_where(
        &self,
        condition: &str,
        order: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<Delivery>, StoreError> {
        // `condition` and `order` are this module's constants; values are
        // always bound, and the limit is ?2.
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM deliveries WHERE {condition} ORDER BY {order} LIMIT ?2"
        ))?;
        let rows = stmt
            .query_map(params, raw)?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(RawDelivery::into_delivery).collect()
    }
}

/// A row as SQLite gives it, before its text is checked.
struct RawDelivery {
    id: i64,
    invoice_id: Option<i64>,
    kind: String,
    step: u32,
    to: String,
    cc: String,
    bcc: String,
    status: String,
    attempts: u32,
    next_attempt_at: Option<String>,
    reply_code: Option<u16>,
    reply_text: Option<String>,
    message_id: Option<String>,
    created_at: String,
    updated_at: String,
}

fn raw(r: &Row<'_>) -> rusqlite::Result<RawDelivery> {
    Ok(RawDelivery {
        id: r.get(0)?,
        invoice_id: r.get(1)?,
        kind: r.get(2)?,
        step: r.get(3)?,
        to: r.get(4)?,
        cc: r.get(5)?,
        bcc: r.get(6)?,
        status: r.get(7)?,
        attempts: r.get(8)?,
        next_attempt_at: r.get(9)?,
        reply_code: r.get(10)?,
        reply_text: r.get(11)?,
        message_id: r.get(12)?,
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
    })
}

fn addresses(lines: &str) -> Vec<String> {
    lines.lines().map(str::to_string).collect()
}

impl RawDelivery {
    fn into_delivery(self) -> Result<Delivery, StoreError> {
        Ok(Delivery {
            id: self.id,
            invoice_id: self.invoice_id,
            kind: parse_delivery_kind(&self.kind)?,
            step: self.step,
            recipients: Recipients {
                to: addresses(&self.to),
                cc: addresses(&self.cc),
                bcc: addresses(&self.bcc),
            },
            status: parse_delivery_status(&self.status)?,
            attempts: self.attempts,
            next_attempt_at: self.next_attempt_at.as_deref().map(instant).transpose()?,
            last_reply: self.reply_code.map(|code| SmtpReply {
                code,
                text: self.reply_text.unwrap_or_default(),
            }),
            message_id: self.message_id,
            created_at: instant(&self.created_at)?,
            updated_at: instant(&self.updated_at)?,
        })
    }
}
