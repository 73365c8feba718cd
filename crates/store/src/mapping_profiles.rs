//! Named mapping profiles: how files of one source are read, saved so the
//! next file from it maps itself. A name is unique (a table constraint, not
//! a check then an insert).

use crate::codec::{instant, instant_text};
use crate::records::mapping_profile_v1::{from_json, to_json};
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use invoicer_domain::bulk_mapping::MappingProfile;
use rusqlite::OptionalExtension;

/// A profile as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMappingProfile {
    /// The stored id.
    pub id: i64,
    /// The profile (its name is the key people use).
    pub profile: MappingProfile,
    /// When it was last saved.
    pub updated_at: DateTime<Utc>,
}

impl Tx<'_> {
    /// Adds a profile under its name; a name already taken fails with a
    /// uniqueness violation on `mapping_profiles.name` (see
    /// [`StoreError::unique_violation_column`]).
    pub fn insert_mapping_profile(
        &self,
        profile: &MappingProfile,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "INSERT INTO mapping_profiles (name, record, updated_at) VALUES (?1, ?2, ?3)
             RETURNING id",
            (&profile.name, to_json(profile)?, instant_text(at)),
            |r| r.get(0),
        )?)
    }

    /// Saves a profile under its name, replacing the one of that name if
    /// there is one (the "Save profile" of a confirmed mapping). Returns its id.
    pub fn save_mapping_profile(
        &self,
        profile: &MappingProfile,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "INSERT INTO mapping_profiles (name, record, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET record = excluded.record,
                                              updated_at = excluded.updated_at
             RETURNING id",
            (&profile.name, to_json(profile)?, instant_text(at)),
            |r| r.get(0),
        )?)
    }

    /// The profile named `name`.
    pub fn mapping_profile(&self, name: &str) -> Result<Option<StoredMappingProfile>, StoreError> {
        self.conn
            .query_row(
                "SELECT id, record, updated_at FROM mapping_profiles WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .map(stored)
            .transpose()
    }

    /// Every profile, by name.
    pub fn mapping_profiles(&self) -> Result<Vec<StoredMappingProfile>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, record, updated_at FROM mapping_profiles ORDER BY name, id")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        rows.into_iter().map(stored).collect()
    }

    /// Deletes the profile named `name`; whether there was one. Jobs that
    /// used it keep their own copy of the mapping.
    pub fn delete_mapping_profile(&self, name: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .execute("DELETE FROM mapping_profiles WHERE name = ?1", [name])?
            == 1)
    }
}

fn stored((id, record, at): (i64, String, String)) -> Result<StoredMappingProfile, StoreError> {
    Ok(StoredMappingProfile {
        id,
        profile: from_json(&record)?,
        updated_at: instant(&at)?,
    })
}
