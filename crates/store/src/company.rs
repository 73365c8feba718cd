//! The company's settings, stored as one JSON document in the store's own
//! versioned shape ([`crate::records::company_settings_v1`]).

use crate::records::company_settings_v1;
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
        json.as_deref()
            .map(company_settings_v1::from_json)
            .transpose()
    }

    /// Saves the company settings.
    pub fn save_company(&self, settings: &CompanySettings) -> Result<(), StoreError> {
        let json = company_settings_v1::to_json(settings)?;
        self.conn.execute(
            "INSERT INTO company (id, settings) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET settings = excluded.settings",
            [json],
        )?;
        Ok(())
    }
}
