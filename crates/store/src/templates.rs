//! The template library: names, immutable numbered versions, the default.
//!
//! The store keeps a version's bundle as opaque JSON; only `invoicer-documents`
//! knows what is inside.

use crate::codec::{instant, instant_text};
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};

/// One stored version of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateVersionRecord {
    /// Template name, e.g. `standard-en`.
    pub name: String,
    /// Version number, from 1.
    pub version: u32,
    /// The bundle as JSON.
    pub bundle: String,
    /// SHA-256 of the bundle's canonical JSON.
    pub checksum: String,
    /// Who saved it (email, or `system` for seeded defaults).
    pub author: String,
    /// When it was saved.
    pub created_at: DateTime<Utc>,
}

/// A template and its newest version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSummary {
    /// Template name.
    pub name: String,
    /// The newest version number.
    pub current_version: u32,
    /// Whether new invoices use it unless the customer has another.
    pub is_default: bool,
    /// Who saved the newest version.
    pub updated_by: String,
    /// When the newest version was saved.
    pub updated_at: DateTime<Utc>,
}

impl Tx<'_> {
    /// Saves a new version of `name` (creating the template if it is new) and
    /// returns its version number.
    pub fn insert_template_version(
        &self,
        name: &str,
        bundle: &str,
        checksum: &str,
        author: &str,
        at: DateTime<Utc>,
    ) -> Result<u32, StoreError> {
        self.conn.execute(
            "INSERT INTO templates (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
            [name],
        )?;
        let version: u32 = self.conn.query_row(
            "SELECT ifnull(max(version), 0) + 1 FROM template_versions WHERE name = ?1",
            [name],
            |r| r.get(0),
        )?;
        self.conn.execute(
            "INSERT INTO template_versions (name, version, bundle, checksum, author, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![name, version, bundle, checksum, author, instant_text(at)],
        )?;
        Ok(version)
    }

    /// A version of a template; the newest when `version` is `None`.
    pub fn template_version(
        &self,
        name: &str,
        version: Option<u32>,
    ) -> Result<Option<TemplateVersionRecord>, StoreError> {
        let row = self
            .conn
            .query_row(
                "SELECT name, version, bundle, checksum, author, created_at FROM template_versions
                 WHERE name = ?1 AND (?2 IS NULL OR version = ?2)
                 ORDER BY version DESC LIMIT 1",
                params![name, version],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, u32>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(name, version, bundle, checksum, author, at)| {
            Ok(TemplateVersionRecord {
                name,
                version,
                bundle,
                checksum,
                author,
                created_at: instant(&at)?,
            })
        })
        .transpose()
    }

    /// Every version of a template, newest first, without their bundles' text
    /// being parsed.
    pub fn template_history(&self, name: &str) -> Result<Vec<TemplateVersionRecord>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT name, version, bundle, checksum, author, created_at FROM template_versions
             WHERE name = ?1 ORDER BY version DESC",
        )?;
        let mut rows = st.query([name])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(TemplateVersionRecord {
                name: r.get(0)?,
                version: r.get(1)?,
                bundle: r.get(2)?,
                checksum: r.get(3)?,
                author: r.get(4)?,
                created_at: instant(&r.get::<_, String>(5)?)?,
            });
        }
        Ok(out)
    }

    /// Every template with its newest version, by name.
    pub fn templates(&self) -> Result<Vec<TemplateSummary>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT t.name, v.version, t.is_default, v.author, v.created_at
             FROM templates t
             JOIN template_versions v ON v.name = t.name
              AND v.version = (SELECT max(version) FROM template_versions WHERE name = t.name)
             ORDER BY t.name",
        )?;
        let mut rows = st.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(TemplateSummary {
                name: r.get(0)?,
                current_version: r.get(1)?,
                is_default: r.get(2)?,
                updated_by: r.get(3)?,
                updated_at: instant(&r.get::<_, String>(4)?)?,
            });
        }
        Ok(out)
    }

    /// Makes `name` the company default. Returns false if no such template.
    pub fn set_default_template(&self, name: &str) -> Result<bool, StoreError> {
        let exists: bool = self.conn.query_row(
            "SELECT count(*) > 0 FROM templates WHERE name = ?1",
            [name],
            |r| r.get(0),
        )?;
        if !exists {
            return Ok(false);
        }
        self.conn.execute(
            "UPDATE templates SET is_default = 0 WHERE is_default = 1",
            [],
        )?;
        self.conn.execute(
            "UPDATE templates SET is_default = 1 WHERE name = ?1",
            [name],
        )?;
        Ok(true)
    }

    /// The default template's name.
    pub fn default_template(&self) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT name FROM templates WHERE is_default = 1", [], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// The template a customer is invoiced with, if it has its own.
    pub fn customer_template(&self, customer_id: i64) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT template FROM customers WHERE id = ?1",
                [customer_id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }
}
