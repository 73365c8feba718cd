//! The SMTP server settings: one row or none. The password is not among
//! them; it lives in the OS keychain.

use crate::codec::instant_text;
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use invoicer_domain::smtp_settings::{SmtpSecurity, SmtpSettings};
use rusqlite::OptionalExtension;

impl Tx<'_> {
    /// The configured SMTP server, or `None` when mail goes to the outbox
    /// folder.
    pub fn smtp_settings(&self) -> Result<Option<SmtpSettings>, StoreError> {
        let row: Option<(String, u16, String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT host, port, security, username FROM smtp_settings WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        row.map(|(host, port, security, username)| {
            let security = SmtpSecurity::parse(&security).ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "smtp_settings.security: unknown value {security:?}"
                ))
            })?;
            Ok(SmtpSettings {
                host,
                port,
                security,
                username,
            })
        })
        .transpose()
    }

    /// Saves the SMTP server, or with `None` forgets it.
    pub fn save_smtp_settings(
        &self,
        settings: Option<&SmtpSettings>,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        match settings {
            None => {
                self.conn.execute("DELETE FROM smtp_settings", [])?;
            }
            Some(s) => {
                self.conn.execute(
                    "INSERT INTO smtp_settings (id, host, port, security, username, updated_at)
                     VALUES (1, ?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (id) DO UPDATE SET host = excluded.host, port = excluded.port,
                         security = excluded.security, username = excluded.username,
                         updated_at = excluded.updated_at",
                    (
                        &s.host,
                        s.port,
                        s.security.as_str(),
                        &s.username,
                        instant_text(at),
                    ),
                )?;
            }
        }
        Ok(())
    }
}
