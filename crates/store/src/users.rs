//! Users and their password hashes.

use crate::codec::instant_text;
use crate::records::enum_names::{parse_role, role_text};
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use invoicer_domain::authorization::{Role, User};
use rusqlite::{OptionalExtension, Row};

/// A user with the stored password hash, for sign-in.
#[derive(Debug, Clone)]
pub struct StoredUser {
    /// The user.
    pub user: User,
    /// The argon2 PHC string.
    pub password_hash: String,
}

const COLUMNS: &str = "id, email, name, role, active, password_hash";

fn row_to_user(r: &Row<'_>) -> rusqlite::Result<(User, String)> {
    let role: String = r.get(3)?;
    Ok((
        User {
            id: r.get(0)?,
            email: r.get(1)?,
            name: r.get(2)?,
            // An unreadable role gets the least rights rather than failing
            // every list of users.
            role: parse_role(&role).unwrap_or(Role::Specialist),
            active: r.get(4)?,
        },
        r.get(5)?,
    ))
}

impl Tx<'_> {
    /// Adds a user; fails with a unique violation if the email is taken.
    pub fn insert_user(
        &self,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        at: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        self.conn.execute(
            "INSERT INTO users (email, name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            (email, name, role_text(role), password_hash, instant_text(at)),
        )?;
        Ok(User {
            id: self.conn.last_insert_rowid(),
            email: email.to_string(),
            name: name.to_string(),
            role,
            active: true,
        })
    }

    /// Finds a user by email (case-insensitive) with their hash.
    pub fn user_by_email(&self, email: &str) -> Result<Option<StoredUser>, StoreError> {
        let found = self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM users WHERE email = ?1"),
                [email],
                row_to_user,
            )
            .optional()?;
        Ok(found.map(|(user, password_hash)| StoredUser {
            user,
            password_hash,
        }))
    }

    /// A user by id.
    pub fn user(&self, id: i64) -> Result<Option<User>, StoreError> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM users WHERE id = ?1"),
                [id],
                row_to_user,
            )
            .optional()?
            .map(|(u, _)| u))
    }

    /// All users, by name.
    pub fn users(&self) -> Result<Vec<User>, StoreError> {
        let mut st = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM users ORDER BY name"))?;
        let rows = st.query_map([], row_to_user)?;
        rows.map(|r| r.map(|(u, _)| u).map_err(StoreError::from))
            .collect()
    }

    /// How many users exist.
    pub fn user_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM users", [], |r| r.get(0))?)
    }

    /// Checks that a stored role parses; used by tests of corrupted data.
    pub fn user_role_text(&self, id: i64) -> Result<String, StoreError> {
        let role: String =
            self.conn
                .query_row("SELECT role FROM users WHERE id = ?1", [id], |r| r.get(0))?;
        parse_role(&role)?;
        Ok(role)
    }
}
