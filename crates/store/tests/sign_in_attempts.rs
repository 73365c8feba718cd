//! Failed sign-ins on a real SQLite file: counted, kept across reopening, and
//! cleared; and migration 0008 bringing stored emails to their one form.

use chrono::{TimeZone, Utc};
use invoicer_domain::authorization::Role;
use invoicer_store::Store;

fn at(sec: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, sec).unwrap()
}

#[test]
fn failures_are_counted_kept_across_reopening_and_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoicer.db");
    {
        let store = Store::open(&path).unwrap();
        for s in 1..=3 {
            let f = store
                .write(|tx| tx.record_sign_in_failure("a@acme.test", at(s)))
                .unwrap();
            assert_eq!(f.count, s);
        }
    }
    let store = Store::open(&path).unwrap();
    let f = store
        .read(|tx| tx.sign_in_failures("a@acme.test"))
        .unwrap()
        .unwrap();
    assert_eq!((f.count, f.last_at), (3, at(3)));
    assert_eq!(
        store.read(|tx| tx.sign_in_failures("b@acme.test")).unwrap(),
        None
    );
    store
        .write(|tx| tx.clear_sign_in_failures("a@acme.test"))
        .unwrap();
    assert_eq!(
        store.read(|tx| tx.sign_in_failures("a@acme.test")).unwrap(),
        None
    );
}

#[test]
fn migration_0008_lowercases_stored_emails() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoicer.db");
    {
        let store = Store::open(&path).unwrap();
        store
            .write(|tx| {
                tx.insert_user("Old@Acme.TEST", "Old", Role::Admin, "hash", at(0))
                    .map(drop)
            })
            .unwrap();
    }
    // Back to schema 7, with the email as older versions kept it: the tables
    // of 0008 and every later migration are dropped, so they apply again.
    let conn = rusqlite::Connection::open(&path).unwrap();
    // Migration 0027 only widens api_events' outcome check (dropped with
    // the table below, it is widened again). Migration 0026's copies, their
    // triggers, view and indexes, then
    // 0025's tables, column and indexes, 0024's report indexes
    // and triggers, 0023's usage thresholds, 0022's event rules and events
    // log, 0021's API keys, 0020's index and 0019's schedule tables first:
    // they refer to the older tables and columns.
    conn.execute_batch(
        "DROP INDEX deliveries_created_invoice; DROP TRIGGER invoices_settled_on_to_reminders; DROP TRIGGER reminders_invoice_settled_on_insert; DROP INDEX reminders_recorded_settled; ALTER TABLE reminders DROP COLUMN invoice_settled_on; DROP TRIGGER deliveries_seconds_to_sent_update; DROP TRIGGER deliveries_seconds_to_sent_insert; DROP VIEW invoice_seconds_to_sent; DROP INDEX invoices_created_sent; ALTER TABLE invoices DROP COLUMN seconds_to_sent; DROP TABLE approval_rounds; DROP TABLE trigger_failures; DROP INDEX api_events_reference; ALTER TABLE customers DROP COLUMN source_seen_at; DROP TRIGGER invoices_settled_on_set; DROP TRIGGER invoices_settled_on_clear; DROP INDEX invoices_aging_open; DROP INDEX invoices_sales_by_day; DROP INDEX invoices_settled; DROP INDEX payments_by_date; DROP INDEX refunds_by_date; DROP INDEX credit_notes_by_date; ALTER TABLE invoices DROP COLUMN settled_on; DROP TABLE usage_entries; DROP TABLE usage_billings; DROP TABLE usage_thresholds; DROP TABLE api_events; DROP TABLE event_rules; DROP TABLE api_idempotency_keys; DROP INDEX invoices_due_open; DROP TABLE schedule_occurrences; DROP TABLE schedule_lines; DROP TABLE schedules;",
    )
    .unwrap();
    conn.execute_batch(
        "DROP TABLE statement_line_candidates; DROP TABLE statement_lines; DROP TABLE statement_profiles; DROP TABLE reminders; DROP TABLE disputes; DROP INDEX invoices_reminder_scan; ALTER TABLE customers DROP COLUMN reminders_opt_out; DROP TABLE credit_notes; DROP TABLE refunds; ALTER TABLE payments DROP COLUMN method; ALTER TABLE invoices DROP COLUMN credited_minor; DROP TABLE approval_decisions; DROP INDEX invoices_pending_approval; ALTER TABLE invoices DROP COLUMN send_on_approval; ALTER TABLE invoices DROP COLUMN source; DROP TABLE bulk_row_errors; DROP TABLE bulk_invoice_keys; DROP TABLE bulk_invoices; DROP TABLE bulk_jobs; DROP TABLE mapping_profiles; DROP INDEX customers_external_ref; DROP INDEX customers_email_lower; ALTER TABLE customers DROP COLUMN external_ref; ALTER TABLE customers DROP COLUMN email_cc; ALTER TABLE customers DROP COLUMN email_bcc; DROP TABLE smtp_settings; DROP TABLE deliveries; DROP TABLE sign_in_attempts; PRAGMA user_version = 7;",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let user = store
        .read(|tx| tx.user_by_email("old@acme.test"))
        .unwrap()
        .unwrap();
    assert_eq!(user.user.email, "old@acme.test");
}
