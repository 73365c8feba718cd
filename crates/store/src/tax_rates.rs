//! Tax rates by country and region.

use crate::codec::{decimal, opt_date};
use crate::{StoreError, Tx};
use invoicer_domain::tax::TaxRate;
use rusqlite::{OptionalExtension, Row};

const COLUMNS: &str =
    "id, country, region, name, rate, inclusive, valid_from, valid_to, compound, position, automatic";

type RawRate = (
    i64,
    String,
    Option<String>,
    String,
    String,
    bool,
    Option<String>,
    Option<String>,
    bool,
    i64,
    bool,
);

fn raw(r: &Row<'_>) -> rusqlite::Result<RawRate> {
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
    ))
}

fn finish(r: RawRate) -> Result<TaxRate, StoreError> {
    Ok(TaxRate {
        id: Some(r.0),
        country: r.1,
        region: r.2,
        name: r.3,
        rate: decimal(&r.4)?,
        inclusive: r.5,
        valid_from: opt_date(r.6)?,
        valid_to: opt_date(r.7)?,
        compound: r.8,
        position: r.9,
        automatic: r.10,
    })
}

impl Tx<'_> {
    /// Adds a rate, or replaces the one with the same country, region and name.
    pub fn upsert_tax_rate(&self, t: &TaxRate) -> Result<TaxRate, StoreError> {
        let id: i64 = self.conn.query_row(
            "INSERT INTO tax_rates (country, region, name, rate, inclusive, valid_from, valid_to,
                 compound, position, automatic)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT (country, ifnull(region, ''), name) DO UPDATE SET
                 rate = excluded.rate, inclusive = excluded.inclusive,
                 valid_from = excluded.valid_from, valid_to = excluded.valid_to,
                 compound = excluded.compound, position = excluded.position,
                 automatic = excluded.automatic
             RETURNING id",
            rusqlite::params![
                t.country,
                t.region,
                t.name,
                t.rate.to_string(),
                t.inclusive,
                t.valid_from.map(|d| d.to_string()),
                t.valid_to.map(|d| d.to_string()),
                t.compound,
                t.position,
                t.automatic
            ],
            |r| r.get(0),
        )?;
        Ok(TaxRate {
            id: Some(id),
            ..t.clone()
        })
    }

    /// The next free position in a country and region's group, so a rate
    /// added without one goes last.
    pub fn next_tax_position(
        &self,
        country: &str,
        region: Option<&str>,
    ) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT coalesce(max(position), 0) + 1 FROM tax_rates
             WHERE country = ?1 AND coalesce(region, '') = coalesce(?2, '')",
            rusqlite::params![country, region],
            |r| r.get(0),
        )?)
    }

    /// All rates, by country, region and name.
    pub fn tax_rates(&self) -> Result<Vec<TaxRate>, StoreError> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM tax_rates ORDER BY country, ifnull(region, ''), name"
        ))?;
        let rows = st.query_map([], raw)?;
        rows.map(|r| r.map_err(StoreError::from).and_then(finish))
            .collect()
    }

    /// One rate by id.
    pub fn tax_rate(&self, id: i64) -> Result<Option<TaxRate>, StoreError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM tax_rates WHERE id = ?1"),
                [id],
                raw,
            )
            .optional()?
            .map(finish)
            .transpose()
    }

    /// Deletes a rate. Invoices keep the rate they were computed with.
    pub fn delete_tax_rate(&self, id: i64) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .execute("DELETE FROM tax_rates WHERE id = ?1", [id])?
            == 1)
    }
}
