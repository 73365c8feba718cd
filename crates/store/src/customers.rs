//! Customers.

use crate::codec::{corrupt, instant_text};
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use invoicer_domain::customer::Customer;
use invoicer_domain::Currency;
use rusqlite::{OptionalExtension, Row};

const COLUMNS: &str =
    "id, name, company, email, address, city, region, postal_code, country, tax_id, currency, template, \
     email_cc, email_bcc, external_ref";

/// Addresses stored one per line.
fn address_lines(text: String) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

fn row_to_customer(r: &Row<'_>) -> rusqlite::Result<(Customer, Option<String>)> {
    let currency: Option<String> = r.get(10)?;
    Ok((
        Customer {
            id: r.get(0)?,
            name: r.get(1)?,
            company: r.get(2)?,
            email: r.get(3)?,
            address: r.get(4)?,
            city: r.get(5)?,
            region: r.get(6)?,
            postal_code: r.get(7)?,
            country: r.get(8)?,
            tax_id: r.get(9)?,
            currency: None,
            template: r.get(11)?,
            cc: address_lines(r.get(12)?),
            bcc: address_lines(r.get(13)?),
            external_ref: r.get(14)?,
        },
        currency,
    ))
}

fn finish((mut c, currency): (Customer, Option<String>)) -> Result<Customer, StoreError> {
    if let Some(code) = currency {
        c.currency = Some(Currency::from_code(&code).ok_or_else(|| corrupt("currency", &code))?);
    }
    Ok(c)
}

impl Tx<'_> {
    /// Adds a checked customer and returns its id.
    pub fn insert_customer(&self, c: &Customer, at: DateTime<Utc>) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO customers (name, company, email, address, city, region, postal_code, country, tax_id, currency, created_at, template, email_cc, email_bcc, external_ref)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            rusqlite::params![
                c.name, c.company, c.email, c.address, c.city, c.region, c.postal_code, c.country,
                c.tax_id, c.currency.map(|c| c.code()), instant_text(at), c.template,
                c.cc.join("\n"), c.bcc.join("\n"), c.external_ref
            ],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Replaces a customer's data. Issued invoices keep their own snapshot.
    pub fn update_customer(&self, c: &Customer) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "UPDATE customers SET name = ?2, company = ?3, email = ?4, address = ?5, city = ?6, region = ?7,
                    postal_code = ?8, country = ?9, tax_id = ?10, currency = ?11, template = ?12,
                    email_cc = ?13, email_bcc = ?14, external_ref = ?15
             WHERE id = ?1",
            rusqlite::params![
                c.id, c.name, c.company, c.email, c.address, c.city, c.region, c.postal_code,
                c.country, c.tax_id, c.currency.map(|c| c.code()), c.template,
                c.cc.join("\n"), c.bcc.join("\n"), c.external_ref
            ],
        )?;
        Ok(n == 1)
    }

    /// A customer by id.
    pub fn customer(&self, id: i64) -> Result<Option<Customer>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"),
                [id],
                row_to_customer,
            )
            .optional()?
            .map(finish)
            .transpose()
    }

    /// The customer with this external reference, if any.
    pub fn customer_by_external_ref(
        &self,
        external_ref: &str,
    ) -> Result<Option<Customer>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM customers WHERE external_ref = ?1"),
                [external_ref],
                row_to_customer,
            )
            .optional()?
            .map(finish)
            .transpose()
    }

    /// The customers with this email, ignoring case, oldest first (an email
    /// is not unique: two contacts may share a billing inbox).
    pub fn customers_by_email(&self, email: &str) -> Result<Vec<Customer>, StoreError> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM customers WHERE lower(email) = lower(?1) ORDER BY id"
        ))?;
        let rows = st.query_map([email.trim()], row_to_customer)?;
        rows.map(|r| r.map_err(StoreError::from).and_then(finish))
            .collect()
    }

    /// Customers whose name, company or email contains `search`, by name.
    pub fn customers(&self, search: Option<&str>) -> Result<Vec<Customer>, StoreError> {
        let pattern = format!("%{}%", search.unwrap_or("").trim());
        let mut st = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM customers
             WHERE name LIKE ?1 OR ifnull(company, '') LIKE ?1 OR email LIKE ?1
             ORDER BY name COLLATE NOCASE, id"
        ))?;
        let rows = st.query_map([pattern], row_to_customer)?;
        rows.map(|r| r.map_err(StoreError::from).and_then(finish))
            .collect()
    }
}
