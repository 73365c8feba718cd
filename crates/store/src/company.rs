//! The company's settings, stored as one JSON document.

use crate::codec::corrupt;
use crate::{StoreError, Tx};
use invoicer_domain::company::CompanySettings;
use rusqlite::OptionalExtension;

impl Tx<'_> {
    /// The company settings, or `None` before first-run setup.
    pub fn company(&self) -> Result<Option<CompanySettings>, StoreError> {
        let json: Option<String> = self
            .conn
            .query_row("SELECT settings FROM company WHERE id = 1", [], |r| {
                r.get(0)
            })
            .optional()?;
        json.map(|j| serde_json::from_str(&j).map_err(|_| corrupt("company settings", &j)))
            .transpose()
    }

    /// Saves the company settings.
    pub fn save_company(&self, settings: &CompanySettings) -> Result<(), StoreError> {
        let json =
            serde_json::to_string(settings).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        self.conn.execute(
            "INSERT INTO company (id, settings) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET settings = excluded.settings",
            [json],
        )?;
        Ok(())
    }
}
