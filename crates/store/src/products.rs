//! The product catalogue.

use crate::codec::{currency, decimal};
use crate::{StoreError, Tx};
use invoicer_domain::product::Product;
use rusqlite::{params, OptionalExtension, Row};

const COLUMNS: &str = "id, name, description, unit_price, currency, tax_rate_id";

type Raw = (i64, String, String, String, String, Option<i64>);

fn raw(r: &Row<'_>) -> rusqlite::Result<Raw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn finish(r: Raw) -> Result<Product, StoreError> {
    Ok(Product {
        id: r.0,
        name: r.1,
        description: r.2,
        unit_price: decimal(&r.3)?,
        currency: currency(&r.4)?,
        tax_rate_id: r.5,
    })
}

impl Tx<'_> {
    /// Adds a product and returns its id.
    pub fn insert_product(&self, p: &Product) -> Result<i64, StoreError> {
        self.conn.execute(
            "INSERT INTO products (name, description, unit_price, currency, tax_rate_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![p.name, p.description, p.unit_price.to_string(), p.currency.code(), p.tax_rate_id],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Replaces a product; false if there is none with its id.
    pub fn update_product(&self, p: &Product) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "UPDATE products SET name = ?2, description = ?3, unit_price = ?4, currency = ?5, tax_rate_id = ?6 WHERE id = ?1",
            params![p.id, p.name, p.description, p.unit_price.to_string(), p.currency.code(), p.tax_rate_id],
        )? == 1)
    }

    /// One product.
    pub fn product(&self, id: i64) -> Result<Option<Product>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM products WHERE id = ?1"),
                [id],
                raw,
            )
            .optional()?
            .map(finish)
            .transpose()
    }

    /// Every product, by name.
    pub fn products(&self) -> Result<Vec<Product>, StoreError> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM products ORDER BY name COLLATE NOCASE, id"
        ))?;
        let rows = st.query_map([], raw)?;
        rows.map(|r| r.map_err(StoreError::from).and_then(finish))
            .collect()
    }
}
