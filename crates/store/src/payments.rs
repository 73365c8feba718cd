//! Payments.

use crate::codec::{date, instant, instant_text, minor};
use crate::{StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use invoicer_domain::payment::{Payment, PaymentMethod};
use invoicer_domain::{Currency, Decimal};
use rusqlite::params;

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
        let m = minor(currency, amount)?;
        self.conn.execute(
            "INSERT INTO payments (invoice_id, amount_minor, date, method, reference, recorded_by, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![invoice_id, m, on.to_string(), method.as_str(), reference, recorded_by, instant_text(at)],
        )?;
        let id = self.conn.last_insert_rowid();
        self.conn.execute(
            "UPDATE invoices SET paid_minor = paid_minor + ?2 WHERE id = ?1",
            params![invoice_id, m],
        )?;
        Ok(Payment {
            id,
            invoice_id,
            amount,
            date: on,
            method,
            reference: reference.map(str::to_string),
            recorded_by,
            recorded_at: instant(&instant_text(at))?,
        })
    }

    /// An invoice's payments, oldest first.
    pub fn payments(
        &self,
        invoice_id: i64,
        currency: Currency,
    ) -> Result<Vec<Payment>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT id, amount_minor, date, reference, recorded_by, recorded_at, method FROM payments
             WHERE invoice_id = ?1 ORDER BY date, id",
        )?;
        let mut rows = st.query([invoice_id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(Payment {
                id: r.get(0)?,
                invoice_id,
                amount: currency.from_minor(r.get(1)?),
                date: date(&r.get::<_, String>(2)?)?,
                method: payment_method(&r.get::<_, String>(6)?)?,
                reference: r.get(3)?,
                recorded_by: r.get(4)?,
                recorded_at: instant(&r.get::<_, String>(5)?)?,
            });
        }
        Ok(out)
    }
}

/// Reads a stored payment method; the column's CHECK keeps it one of the names.
pub(crate) fn payment_method(text: &str) -> Result<PaymentMethod, StoreError> {
    PaymentMethod::parse(text).map_err(|_| StoreError::Corrupt(format!("payment method {text:?}")))
}
