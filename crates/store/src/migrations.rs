//! Numbered SQL migrations, embedded in the binary and applied at open.
//! Files are only ever added; an applied migration is never edited.

use crate::StoreError;
use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_templates.sql"),
    include_str!("../migrations/0003_list_indexes.sql"),
    include_str!("../migrations/0004_invoice_search.sql"),
    include_str!("../migrations/0005_stacked_taxes.sql"),
    include_str!("../migrations/0006_last_editor.sql"),
    include_str!("../migrations/0007_audit_append_only.sql"),
    include_str!("../migrations/0008_sign_in_attempts.sql"),
    include_str!("../migrations/0009_outbox.sql"),
    include_str!("../migrations/0010_smtp_settings.sql"),
    include_str!("../migrations/0011_customer_copies.sql"),
    include_str!("../migrations/0012_customer_external_ref.sql"),
    include_str!("../migrations/0013_bulk.sql"),
    include_str!("../migrations/0014_bulk_send_emails.sql"),
    include_str!("../migrations/0015_approvals.sql"),
    include_str!("../migrations/0016_credit_notes.sql"),
    include_str!("../migrations/0017_reminders.sql"),
    include_str!("../migrations/0018_reconciliation.sql"),
    include_str!("../migrations/0019_schedules.sql"),
    include_str!("../migrations/0020_due_overdue.sql"),
    include_str!("../migrations/0021_api.sql"),
    include_str!("../migrations/0022_event_rules.sql"),
    include_str!("../migrations/0023_usage_thresholds.sql"),
    include_str!("../migrations/0024_reports.sql"),
    include_str!("../migrations/0025_report_ops.sql"),
    include_str!("../migrations/0026_report_speed.sql"),
    include_str!("../migrations/0027_usage_events_log.sql"),
    include_str!("../migrations/0028_report_filter_indexes.sql"),
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

    #[test]
    fn invoices_made_before_the_last_editor_was_recorded_take_their_maker() {
        let up = |n: usize| {
            rusqlite_migration::Migrations::new(
                super::MIGRATIONS[..n]
                    .iter()
                    .map(|sql| rusqlite_migration::M::up(sql))
                    .collect(),
            )
        };
        let before = super::MIGRATIONS
            .iter()
            .position(|sql| sql.contains("last_edited_by"))
            .expect("the last-editor migration");
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        up(before).to_latest(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO users (id, email, name, role, password_hash, created_at)
                 VALUES (7, 'maker@acme.test', 'Maker', 'specialist', 'x', '2026-01-01T00:00:00Z');
             INSERT INTO customers (id, name, email, address, city, postal_code, country, created_at)
                 VALUES (1, 'C', 'c@acme.test', 'a', 'b', '1', 'US', '2026-01-01T00:00:00Z');
             INSERT INTO invoices (status, customer_id, customer_name, customer, currency, issue_date,
                 terms_days, due_date, rounding_scope, rounding_mode, subtotal_minor, discount_minor,
                 tax_minor, total_minor, created_by, created_at)
                 VALUES ('pending_approval', 1, 'C', '{}', 'USD', '2026-01-01', 30, '2026-01-31',
                 'per_line', 'half_up', 0, 0, 0, 0, 7, '2026-01-01T00:00:00Z');",
        )
        .unwrap();
        up(super::MIGRATIONS.len()).to_latest(&mut conn).unwrap();
        let editor: i64 = conn
            .query_row("SELECT last_edited_by FROM invoices", [], |r| r.get(0))
            .unwrap();
        assert_eq!(editor, 7);
    }

    #[test]
    fn the_outbox_keeps_its_rows_and_learns_credit_notes_in_0016() {
        let up = |n: usize| {
            rusqlite_migration::Migrations::new(
                super::MIGRATIONS[..n]
                    .iter()
                    .map(|sql| rusqlite_migration::M::up(sql))
                    .collect(),
            )
        };
        let before = super::MIGRATIONS
            .iter()
            .position(|sql| sql.contains("CREATE TABLE credit_notes"))
            .expect("the credit-note migration");
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        up(before).to_latest(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO deliveries (id, invoice_id, kind, step, to_addresses, status, attempts,
                 created_at, updated_at)
                 VALUES (5, NULL, 'test', 0, 'a@acme.test', 'sent', 1,
                 '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z');",
        )
        .unwrap();
        up(super::MIGRATIONS.len()).to_latest(&mut conn).unwrap();
        let kept: (String, String, u32) = conn
            .query_row(
                "SELECT kind, status, attempts FROM deliveries WHERE id = 5",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(kept, ("test".into(), "sent".into(), 1));
        conn.execute(
            "INSERT INTO deliveries (invoice_id, kind, step, to_addresses, status, created_at, updated_at)
             VALUES (NULL, 'credit_note', 3, 'a@acme.test', 'queued', 'x', 'x')",
            [],
        )
        .unwrap();
        let refused = conn.execute(
            "INSERT INTO deliveries (invoice_id, kind, step, to_addresses, status, created_at, updated_at)
             VALUES (NULL, 'fax', 0, 'a@acme.test', 'queued', 'x', 'x')",
            [],
        );
        assert!(refused.is_err());
    }

    #[test]
    fn invoices_may_name_a_threshold_as_their_source_from_0023_and_nothing_else_new() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        super::apply(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO users (id, email, name, role, password_hash, created_at)
                 VALUES (7, 'maker@acme.test', 'Maker', 'specialist', 'x', '2026-01-01T00:00:00Z');
             INSERT INTO customers (id, name, email, address, city, postal_code, country, created_at)
                 VALUES (1, 'C', 'c@acme.test', 'a', 'b', '1', 'US', '2026-01-01T00:00:00Z');",
        )
        .unwrap();
        let insert = |source: &str| {
            conn.execute(
                "INSERT INTO invoices (status, customer_id, customer_name, customer, currency,
                     issue_date, terms_days, due_date, rounding_scope, rounding_mode,
                     subtotal_minor, discount_minor, tax_minor, total_minor, created_by,
                     created_at, source)
                 VALUES ('draft', 1, 'C', '{}', 'USD', '2026-01-01', 30, '2026-01-31',
                     'per_line', 'half_up', 0, 0, 0, 0, 7, '2026-01-01T00:00:00Z', ?1)",
                [source],
            )
        };
        insert("threshold").expect("a threshold's invoice is stored");
        insert("recurring").expect("older sources still are");
        assert!(
            insert("telepathy").is_err(),
            "the check still refuses the rest"
        );
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }

    #[test]
    fn the_events_log_may_say_an_event_was_accepted_from_0027_and_nothing_else_new() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap();
        super::apply(&mut conn).unwrap();
        let insert = |outcome: &str| {
            conn.execute(
                "INSERT INTO api_events (received_at, event_type, outcome)
                 VALUES ('2026-01-01T00:00:00Z', 'usage.recorded', ?1)",
                [outcome],
            )
        };
        insert("accepted").expect("a usage event recorded without an invoice is logged");
        insert("refused").expect("older outcomes still are");
        insert("dry_run").expect("the last of the older outcomes too");
        assert!(
            insert("telepathy").is_err(),
            "the check still refuses the rest"
        );
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
    }
}
