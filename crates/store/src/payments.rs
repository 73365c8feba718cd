//! Payments.

use crate::codec::{date, instant, instant_text, minor};
use crate::{StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use invoicer_domain::payment::{Payment, PaymentMethod};
use invoicer_domain::{Currency, Decimal};
use rusqlite::params;

/// Which ledger money moves in. Payments and refunds have the same shape and
/// the same columns; a payment adds to what settled the invoice, a refund
/// takes it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ledger {
    /// Money received.
    Payments,
    /// Money paid back.
    Refunds,
}

impl Ledger {
    fn insert_sql(self) -> &'static str {
        match self {
            Ledger::Payments => {
                "INSERT INTO payments (invoice_id, amount_minor, date, method, reference, recorded_by, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            }
            Ledger::Refunds => {
                "INSERT INTO refunds (invoice_id, amount_minor, date, method, reference, recorded_by, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            }
        }
    }

    fn settle_sql(self) -> &'static str {
        match self {
            Ledger::Payments => "UPDATE invoices SET paid_minor = paid_minor + ?2 WHERE id = ?1",
            Ledger::Refunds => "UPDATE invoices SET paid_minor = paid_minor - ?2 WHERE id = ?1",
        }
    }

    fn list_sql(self) -> &'static str {
        match self {
            Ledger::Payments => {
                "SELECT id, amount_minor, date, method, reference, recorded_by, recorded_at FROM payments
                 WHERE invoice_id = ?1 ORDER BY date, id"
            }
            Ledger::Refunds => {
                "SELECT id, amount_minor, date, method, reference, recorded_by, recorded_at FROM refunds
                 WHERE invoice_id = ?1 ORDER BY date, id"
            }
        }
    }
}

impl Tx<'_> {
    /// Records a payment and adds it to the invoice's paid amount.
    #[allow(clippy::too_many_arguments)]
    pub fn insert_payment(
        &self,
        invoice_id: i64,
        currency: Currency,
        amount: Decimal,
        on: NaiveDate,
        method: PaymentMethod,
        reference: Option<&str>,
        recorded_by: i64,
        at: DateTime<Utc>,
    ) -> Result<Payment, StoreError> {
        let p = Payment {
            id: 0,
            invoice_id,
            amount,
            date: on,
            method,
            reference: reference.map(str::to_string),
            recorded_by,
            recorded_at: at,
        };
        self.insert_movement(Ledger::Payments, currency, p)
    }

    /// Writes `m` to `ledger` and moves the invoice's settled amount with it,
    /// in the caller's transaction; answers `m` with its id.
    pub(crate) fn insert_movement(
        &self,
        ledger: Ledger,
        currency: Currency,
        mut m: Payment,
    ) -> Result<Payment, StoreError> {
        let minor_amount = minor(currency, m.amount)?;
        let at = instant_text(m.recorded_at);
        self.conn.execute(
            ledger.insert_sql(),
            params![
                m.invoice_id,
                minor_amount,
                m.date.to_string(),
                m.method.as_str(),
                m.reference,
                m.recorded_by,
                at
            ],
        )?;
        m.id = self.conn.last_insert_rowid();
        self.conn
            .execute(ledger.settle_sql(), params![m.invoice_id, minor_amount])?;
        // Read back as stored, so the answer equals what a later read gives.
        m.recorded_at = instant(&at)?;
        Ok(m)
    }

    /// One invoice's entries of `ledger`, oldest first.
    pub(crate) fn movements(
        &self,
        ledger: Ledger,
        invoice_id: i64,
        currency: Currency,
    ) -> Result<Vec<Payment>, StoreError> {
        let mut st = self.conn.prepare_cached(ledger.list_sql())?;
        let mut rows = st.query([invoice_id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(Payment {
                id: r.get(0)?,
                invoice_id,
                amount: currency.from_minor(r.get(1)?),
                date: date(&r.get::<_, String>(2)?)?,
                method: payment_method(&r.get::<_, String>(3)?)?,
                reference: r.get(4)?,
                recorded_by: r.get(5)?,
                recorded_at: instant(&r.get::<_, String>(6)?)?,
            });
        }
        Ok(out)
    }

    /// The newest `limit` payments of every invoice, newest first, each
    /// with its invoice's currency.
    pub fn recent_payments(&self, limit: u32) -> Result<Vec<(Payment, Currency)>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT p.id, p.invoice_id, p.amount_minor, p.date, p.reference, p.recorded_by,
                    p.recorded_at, p.method, i.currency
             FROM payments p JOIN invoices i ON i.id = p.invoice_id
             ORDER BY p.date DESC, p.id DESC LIMIT ?1",
        )?;
        let mut rows = st.query([limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let c = crate::codec::currency(&r.get::<_, String>(8)?)?;
            out.push((
                Payment {
                    id: r.get(0)?,
                    invoice_id: r.get(1)?,
                    amount: c.from_minor(r.get(2)?),
                    date: date(&r.get::<_, String>(3)?)?,
                    method: payment_method(&r.get::<_, String>(7)?)?,
                    reference: r.get(4)?,
                    recorded_by: r.get(5)?,
                    recorded_at: instant(&r.get::<_, String>(6)?)?,
                },
                c,
            ));
        }
        Ok(out)
    }

    /// An invoice's payments, oldest first.
    pub fn payments(
        &self,
        invoice_id: i64,
        currency: Currency,
    ) -> Result<Vec<Payment>, StoreError> {
        self.movements(Ledger::Payments, invoice_id, currency)
    }
}

/// Reads a stored payment method; the column's CHECK keeps it one of the names.
pub(crate) fn payment_method(text: &str) -> Result<PaymentMethod, StoreError> {
    PaymentMethod::parse(text).map_err(|_| StoreError::Corrupt(format!("payment method {text:?}")))
}
