//! The automation report's stored facts: the whole seconds read in place,
//! the approval rounds 0025 reads from the audit trail, and the copies 0026
//! keeps by triggers.

use crate::migrations::MIGRATIONS;
use rusqlite::Connection;

fn up(conn: &mut Connection, n: usize) {
    rusqlite_migration::Migrations::new(
        MIGRATIONS[..n]
            .iter()
            .map(|sql| rusqlite_migration::M::up(sql))
            .collect(),
    )
    .to_latest(conn)
    .unwrap();
}

/// Pairs of stored instants (made, sent) around every edge of whole-second
/// truncation: microseconds either side of a second, a leap day, a later
/// "sent" than made (zero), text that is not canonical.
const PAIRS: [(&str, &str); 9] = [
    ("2026-01-01T00:00:00.900000Z", "2026-01-01T00:00:01.100000Z"),
    ("2026-01-01T00:00:00.000000Z", "2026-01-01T00:00:01.999999Z"),
    ("2026-01-01T00:00:00.000001Z", "2026-01-01T00:01:00.000000Z"),
    ("2025-12-31T23:59:59.999999Z", "2026-01-01T00:00:00.000000Z"),
    ("2022-03-01T08:15:30.250000Z", "2026-11-26T09:00:00.125000Z"),
    ("2026-01-01T00:00:05.000000Z", "2026-01-01T00:00:01.000000Z"),
    ("2026-01-01T00:00:00Z", "2026-01-01T00:00:02.500000Z"),
    (
        "1969-12-31T23:59:59.500000Z",
        "2026-02-28T12:00:00.000001+01:00",
    ),
    ("2024-02-29T23:59:59.999999Z", "2024-03-01T00:00:00.000000Z"),
];

/// The whole seconds read in place between two stored instants equal
/// chrono's (`num_seconds`: the exact difference truncated toward
/// zero), never below zero, whatever the microseconds and whether the
/// text is canonical or not.
#[test]
fn whole_seconds_read_in_place_equal_chronos() {
    use crate::codec::{instant, instant_text, whole_seconds_between};
    // Text that is no instant is an error, not a figure.
    assert!(whole_seconds_between("2026-02-30T00:00:00.000000Z", "2026-03-01T00:00:00Z").is_err());
    for (from, to) in PAIRS {
        let want = (instant(to).unwrap() - instant(from).unwrap())
            .num_seconds()
            .max(0);
        assert_eq!(
            whole_seconds_between(from, to).unwrap(),
            want,
            "{from} → {to}"
        );
        // The canonical text of the same instants gives the same.
        let (f, t) = (
            instant_text(instant(from).unwrap()),
            instant_text(instant(to).unwrap()),
        );
        assert_eq!(whole_seconds_between(&f, &t).unwrap(), want, "{f} → {t}");
    }
}

/// 0025 reads the approval rounds of the past from the audit trail:
/// each submission ends at the next rejection, final approval or
/// submission; the last one without an end stays open.
#[test]
fn migration_0025_backfills_approval_rounds_from_the_audit_trail() {
    let at = MIGRATIONS
        .iter()
        .position(|sql| sql.contains("CREATE TABLE approval_rounds"))
        .expect("the report ops migration");
    let mut conn = Connection::open_in_memory().unwrap();
    up(&mut conn, at);
    let mut sql = String::from(
        "INSERT INTO users (id, email, name, role, password_hash, created_at)
             VALUES (7, 'm@acme.test', 'M', 'admin', 'x', '2026-01-01T00:00:00Z');
         INSERT INTO customers (id, name, email, address, city, postal_code, country,
             created_at, external_ref)
             VALUES (1, 'C', 'c@acme.test', 'a', 'b', '1', 'US', '2026-01-01T00:00:00Z', 'crm-1'),
                    (2, 'D', 'd@acme.test', 'a', 'b', '1', 'US', '2026-01-02T00:00:00Z', NULL);",
    );
    for (id, source) in [(1, "api"), (2, "manual"), (3, "manual")] {
        sql.push_str(&format!(
            "INSERT INTO invoices (id, status, customer_id, customer_name, customer, currency,
                 issue_date, terms_days, due_date, rounding_scope, rounding_mode,
                 subtotal_minor, discount_minor, tax_minor, total_minor, created_by,
                 created_at, source)
             VALUES ({id}, 'pending_approval', 1, 'C', '{{}}', 'USD', '2026-01-01', 30,
                 '2026-01-31', 'per_line', 'half_up', 0, 0, 0, 0, 7,
                 '2026-01-0{id}T00:00:00.000000Z', '{source}');"
        ));
    }
    let events = [
        (1, "invoice.submitted", "{}", "2026-02-01T09:00:00.000000Z"),
        (
            1,
            "invoice.approved",
            r#"{"final":false}"#,
            "2026-02-01T10:00:00.000000Z",
        ),
        (
            1,
            "invoice.approved",
            r#"{"final":true}"#,
            "2026-02-01T12:00:00.000000Z",
        ),
        (2, "invoice.submitted", "{}", "2026-02-02T09:00:00.000000Z"),
        (2, "invoice.rejected", "{}", "2026-02-03T09:00:00.000000Z"),
        (2, "invoice.submitted", "{}", "2026-02-04T09:00:00.000000Z"),
        (3, "invoice.submitted", "{}", "2026-02-05T09:00:00.000000Z"),
        (3, "invoice.submitted", "{}", "2026-02-06T09:00:00.000000Z"),
    ];
    for (seq, (invoice, action, data, at)) in events.iter().enumerate() {
        sql.push_str(&format!(
            "INSERT INTO audit_events (seq, at, actor, action, entity, data, prev_hash, hash)
             VALUES ({}, '{at}', 'm@acme.test', '{action}', 'invoice:{invoice}', '{data}',
                 'p', 'h');",
            seq + 1
        ));
    }
    conn.execute_batch(&sql).unwrap();
    up(&mut conn, MIGRATIONS.len());

    let rounds: Vec<(i64, String, Option<String>, Option<String>)> = conn
        .prepare(
            "SELECT invoice_id, submitted_at, decided_at, outcome FROM approval_rounds
              ORDER BY invoice_id, submitted_at",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let t = |s: &str| Some(format!("2026-02-{s}.000000Z"));
    assert_eq!(
        rounds,
        [
            (
                1,
                "2026-02-01T09:00:00.000000Z".into(),
                t("01T12:00:00"),
                Some("approved".into())
            ),
            (
                2,
                "2026-02-02T09:00:00.000000Z".into(),
                t("03T09:00:00"),
                Some("rejected".into())
            ),
            (2, "2026-02-04T09:00:00.000000Z".into(), None, None),
            (
                3,
                "2026-02-05T09:00:00.000000Z".into(),
                t("06T09:00:00"),
                Some("withdrawn".into())
            ),
            (3, "2026-02-06T09:00:00.000000Z".into(), None, None),
        ]
    );
    // The customer fed by a source is seen at its newest API invoice;
    // the other has no source and keeps none.
    let seen: Vec<Option<String>> = conn
        .prepare("SELECT source_seen_at FROM customers ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(seen, [Some("2026-01-01T00:00:00.000000Z".into()), None]);
}

/// The migrated schema of a fresh database, with a user and a customer.
fn fresh() -> Connection {
    let mut conn = Connection::open_in_memory().unwrap();
    up(&mut conn, MIGRATIONS.len());
    conn.execute_batch(
        "INSERT INTO users (id, email, name, role, password_hash, created_at)
             VALUES (7, 'm@acme.test', 'M', 'admin', 'x', '2026-01-01T00:00:00.000000Z');
         INSERT INTO customers (id, name, email, address, city, postal_code, country, created_at)
             VALUES (1, 'C', 'c@acme.test', 'a', 'b', '1', 'US', '2026-01-01T00:00:00.000000Z');",
    )
    .unwrap();
    conn
}

/// Stores an issued invoice of 100.00 made at `made`.
fn invoice(conn: &Connection, id: i64, made: &str) {
    conn.execute(
        "INSERT INTO invoices (id, status, customer_id, customer_name, customer, currency,
             issue_date, terms_days, due_date, rounding_scope, rounding_mode, subtotal_minor,
             discount_minor, tax_minor, total_minor, created_by, created_at, source)
         VALUES (?1, 'issued', 1, 'C', '{}', 'USD', '2026-01-01', 30, '2026-01-31',
             'per_line', 'half_up', 10000, 0, 0, 10000, 7, ?2, 'manual')",
        (id, made),
    )
    .unwrap();
}

/// The one value `sql` reads for `id`.
fn read<T: rusqlite::types::FromSql>(conn: &Connection, sql: &str, id: i64) -> T {
    conn.query_row(sql, [id], |r| r.get(0)).unwrap()
}

fn seconds_to_sent(conn: &Connection, id: i64) -> Option<i64> {
    read(
        conn,
        "SELECT seconds_to_sent FROM invoices WHERE id = ?1",
        id,
    )
}

/// The time to sent that 0026's triggers keep on the invoice is, for every
/// pair, the figure Rust computes from the same two instants, to the
/// second; it follows the invoice email only (not reminders), is cleared
/// while a resend waits and takes the new moment once it is sent again.
#[test]
fn seconds_to_sent_follow_the_invoice_email_exactly() {
    use crate::codec::whole_seconds_between;
    let conn = fresh();
    for (id, (made, sent)) in (1i64..).zip(PAIRS) {
        invoice(&conn, id, made);
        conn.execute(
            "INSERT INTO deliveries (invoice_id, kind, step, to_addresses, status, attempts,
                 created_at, updated_at)
             VALUES (?1, 'invoice', 0, 'c@acme.test', 'queued', 0, ?2, ?2)",
            (id, made),
        )
        .unwrap();
        assert_eq!(seconds_to_sent(&conn, id), None, "queued: {made}");
        conn.execute(
            "UPDATE deliveries SET status = 'sent', updated_at = ?2 WHERE invoice_id = ?1",
            (id, sent),
        )
        .unwrap();
        let want = whole_seconds_between(made, sent).unwrap();
        assert_eq!(seconds_to_sent(&conn, id), Some(want), "{made} → {sent}");
    }
    // A delivery stored as sent at once (an email marked sent) counts too.
    invoice(&conn, 100, "2026-03-01T10:00:00.250000Z");
    conn.execute(
        "INSERT INTO deliveries (invoice_id, kind, step, to_addresses, status, attempts,
             created_at, updated_at)
         VALUES (100, 'invoice', 0, 'c@acme.test', 'sent', 1,
             '2026-03-01T10:00:00.250000Z', '2026-03-01T10:01:30.249999Z')",
        [],
    )
    .unwrap();
    assert_eq!(seconds_to_sent(&conn, 100), Some(89));
    // A reminder's delivery leaves the invoice's time to sent alone.
    conn.execute(
        "INSERT INTO deliveries (invoice_id, kind, step, to_addresses, status, attempts,
             created_at, updated_at)
         VALUES (100, 'reminder', 1, 'c@acme.test', 'sent', 1,
             '2026-04-01T10:00:00.000000Z', '2026-04-01T10:00:00.000000Z')",
        [],
    )
    .unwrap();
    assert_eq!(seconds_to_sent(&conn, 100), Some(89));
    // A resend: back in the queue there is no time to sent, then the new one.
    let resend = |status: &str, at: &str| {
        conn.execute(
            "UPDATE deliveries SET status = ?1, updated_at = ?2
              WHERE invoice_id = 100 AND kind = 'invoice'",
            (status, at),
        )
        .unwrap();
    };
    resend("queued", "2026-03-02T08:00:00.000000Z");
    assert_eq!(seconds_to_sent(&conn, 100), None);
    resend("failed", "2026-03-02T08:00:05.000000Z");
    assert_eq!(seconds_to_sent(&conn, 100), None);
    resend("sent", "2026-03-02T10:00:00.250000Z");
    assert_eq!(seconds_to_sent(&conn, 100), Some(24 * 3600));
}

fn reminder_settled_on(conn: &Connection, invoice_id: i64) -> Option<String> {
    read(
        conn,
        "SELECT invoice_settled_on FROM reminders WHERE invoice_id = ?1",
        invoice_id,
    )
}

/// Sends invoice `id` its first reminder on `on`.
fn remind(conn: &Connection, id: i64, on: &str) {
    conn.execute(
        "INSERT INTO reminders (invoice_id, step, outcome, tone, due_on, recorded_on,
             balance_minor, created_at)
         VALUES (?1, 1, 'sent', 'friendly', ?2, ?2, 10000, ?2 || 'T09:00:00.000000Z')",
        (id, on),
    )
    .unwrap();
}

/// Records a payment of `minor` on `on` that brings invoice `id`'s paid
/// amount to `paid`, as the store does: the payment row, then paid_minor.
fn pay(conn: &Connection, id: i64, minor: i64, paid: i64, on: &str) {
    conn.execute(
        "INSERT INTO payments (invoice_id, amount_minor, date, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, 7, ?3 || 'T09:00:00.000000Z')",
        (id, minor, on),
    )
    .unwrap();
    conn.execute(
        "UPDATE invoices SET paid_minor = ?2 WHERE id = ?1",
        (id, paid),
    )
    .unwrap();
}

/// The settlement day 0026 copies onto each reminder follows its invoice
/// through a payment in full, a refund that reopens it and a void (after
/// which no payment answers the reminder), and a reminder of an invoice
/// already settled starts with the day.
#[test]
fn reminders_carry_their_invoices_settlement_day() {
    let conn = fresh();
    invoice(&conn, 1, "2026-01-01T09:00:00.000000Z");
    remind(&conn, 1, "2026-02-07");
    assert_eq!(reminder_settled_on(&conn, 1), None, "open");
    pay(&conn, 1, 4000, 4000, "2026-02-09");
    assert_eq!(reminder_settled_on(&conn, 1), None, "partly paid");
    pay(&conn, 1, 6000, 10000, "2026-02-12");
    assert_eq!(reminder_settled_on(&conn, 1).as_deref(), Some("2026-02-12"));
    // A refund reopens the balance.
    conn.execute("UPDATE invoices SET paid_minor = 7000 WHERE id = 1", [])
        .unwrap();
    assert_eq!(reminder_settled_on(&conn, 1), None, "refunded");
    pay(&conn, 1, 3000, 10000, "2026-02-20");
    assert_eq!(reminder_settled_on(&conn, 1).as_deref(), Some("2026-02-20"));
    conn.execute("UPDATE invoices SET status = 'void' WHERE id = 1", [])
        .unwrap();
    assert_eq!(reminder_settled_on(&conn, 1), None, "void");

    invoice(&conn, 2, "2026-01-02T09:00:00.000000Z");
    pay(&conn, 2, 10000, 10000, "2026-02-03");
    remind(&conn, 2, "2026-02-07");
    assert_eq!(reminder_settled_on(&conn, 2).as_deref(), Some("2026-02-03"));
}

/// 0026 fills both copies for the rows already stored: the time to sent
/// of every invoice whose email was sent (none for one still queued) and
/// the settlement day of every reminder (none for a void invoice's).
#[test]
fn migration_0026_fills_the_copies_for_stored_rows() {
    let at = MIGRATIONS
        .iter()
        .position(|sql| sql.contains("ADD COLUMN seconds_to_sent"))
        .expect("the report speed migration");
    let mut conn = Connection::open_in_memory().unwrap();
    up(&mut conn, at);
    conn.execute_batch(
        "INSERT INTO users (id, email, name, role, password_hash, created_at)
             VALUES (7, 'm@acme.test', 'M', 'admin', 'x', '2026-01-01T00:00:00.000000Z');
         INSERT INTO customers (id, name, email, address, city, postal_code, country, created_at)
             VALUES (1, 'C', 'c@acme.test', 'a', 'b', '1', 'US', '2026-01-01T00:00:00.000000Z');",
    )
    .unwrap();
    for id in 1..=3 {
        invoice(&conn, id, &format!("2026-01-0{id}T09:00:00.500000Z"));
    }
    conn.execute_batch(
        "INSERT INTO deliveries (invoice_id, kind, step, to_addresses, status, attempts,
             created_at, updated_at)
         VALUES (1, 'invoice', 0, 'c@acme.test', 'sent', 1,
                 '2026-01-01T09:00:00.500000Z', '2026-01-01T09:02:00.499999Z'),
                (2, 'invoice', 0, 'c@acme.test', 'queued', 0,
                 '2026-01-02T09:00:00.500000Z', '2026-01-02T09:00:00.500000Z');
         UPDATE invoices SET status = 'void' WHERE id = 3;",
    )
    .unwrap();
    pay(&conn, 1, 10000, 10000, "2026-02-02");
    remind(&conn, 1, "2026-01-31");
    remind(&conn, 3, "2026-02-02");
    // The void invoice was settled before it was voided: only the copy
    // knows to ignore that.
    conn.execute(
        "UPDATE invoices SET settled_on = '2026-02-01' WHERE id = 3",
        [],
    )
    .unwrap();
    up(&mut conn, MIGRATIONS.len());
    assert_eq!(seconds_to_sent(&conn, 1), Some(119));
    assert_eq!(seconds_to_sent(&conn, 2), None);
    assert_eq!(seconds_to_sent(&conn, 3), None);
    assert_eq!(reminder_settled_on(&conn, 1).as_deref(), Some("2026-02-02"));
    assert_eq!(reminder_settled_on(&conn, 3), None);
}

/// The store counts "paid within N days after each step" in SQL, from the
/// copies 0026 keeps; the domain's `step_tallies` (`SentReminder::paid_within`)
/// is the rule. Over every mix of reminder day, settlement day (none,
/// before the reminder, on its day, up to eleven days after), void or not,
/// and N, with and without a filter, the two give the same tallies.
#[test]
fn reminder_tallies_in_sql_follow_the_domains_rule() {
    use crate::report_ops::{OpsRange, OpsScope};
    use chrono::{Days, NaiveDate, TimeZone, Utc};
    use invoicer_domain::reports::ops::{fill_steps, step_tallies, SentReminder};

    let conn = fresh();
    let day = |n: u64| {
        NaiveDate::from_ymd_opt(2026, 3, 1)
            .unwrap()
            .checked_add_days(Days::new(n))
            .unwrap()
    };
    let mut expected = Vec::new();
    let mut id = 0;
    for step in 1..=3u32 {
        for settled in [None, Some(0), Some(2), Some(3), Some(4), Some(10), Some(14)] {
            for void in [false, true] {
                id += 1;
                invoice(&conn, id, "2026-02-01T09:00:00.000000Z");
                let sent_on = day(3);
                if let Some(d) = settled {
                    pay(&conn, id, 10000, 10000, &day(d).to_string());
                }
                if void {
                    conn.execute("UPDATE invoices SET status = 'void' WHERE id = ?1", [id])
                        .unwrap();
                }
                conn.execute(
                    "INSERT INTO reminders (invoice_id, step, outcome, tone, due_on, recorded_on,
                         balance_minor, created_at)
                     VALUES (?1, ?2, 'sent', 'firm', ?3, ?3, 10000, '2026-03-04T09:00:00.000000Z')",
                    (id, step, sent_on.to_string()),
                )
                .unwrap();
                expected.push(SentReminder {
                    step,
                    sent_on,
                    settled_on: settled.filter(|_| !void).map(day),
                });
            }
        }
    }
    let tx = crate::Tx {
        conn: &conn,
        audit_key: None,
    };
    let range = OpsRange {
        from: Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap(),
        until: Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap(),
        from_day: day(0),
        to_day: day(30),
    };
    let manual = OpsScope {
        source: Some("manual".into()),
        ..OpsScope::default()
    };
    for days in [0, 1, 7, 10, 11, 30] {
        let want = step_tallies(&expected, 3, days);
        for scope in [&OpsScope::default(), &manual] {
            let got = fill_steps(&tx.reminder_step_tallies(&range, scope, days).unwrap(), 3);
            assert_eq!(got, want, "within {days} days, {scope:?}");
        }
        // At every step some reminders were answered and some were not, so
        // the comparison is never between zeros.
        assert!(want
            .iter()
            .all(|t| t.paid_within > 0 && t.paid_within < t.sent));
    }
}
