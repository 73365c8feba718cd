//! Numbered SQL migrations, embedded in the binary and applied at open.
//! Files are only ever added; an applied migration is never edited.

use crate::StoreError;
use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_templates.sql"),
    include_str!("../migrations/0003_list_indexes.sql"),
    include_str!("../migrations/0004_invoice_search.sql"),
    include_str!("../migrations/0006_last_editor.sql"),
];

/// Brings the schema up to date.
pub(crate) fn apply(conn: &mut Connection) -> Result<(), StoreError> {
    let migrations = Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect());
    migrations.to_latest(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        let migrations = rusqlite_migration::Migrations::new(
            super::MIGRATIONS
                .iter()
                .map(|sql| rusqlite_migration::M::up(sql))
                .collect(),
        );
        assert!(migrations.validate().is_ok());
    }
}
