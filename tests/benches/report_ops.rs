//! The automation and exceptions reports and the dashboard's "needs you
//! today" over 1,000,000 invoices, through the app as the Reports screen
//! calls them.
//!
//! Seeded with bulk SQL (a throwaway database) after a real setup: 1,000,000
//! invoices made over four years (40 % manual, 30 % bulk, 20 % recurring,
//! 10 % API), 88 % paid, 2 % void, 10 % open; one invoice email each (1 %
//! failed, 0.5 % unknown, 3 % retried, sent 1 to 60 minutes after the
//! invoice was made), a payment for each paid invoice, up to three
//! reminders for every open invoice and a fifth of the paid ones, a decided
//! approval round for every twentieth invoice, 20 invoices waiting for
//! approval (made through the app, so the approvals queue can read them
//! whole), 10 bulk jobs with
//! 1,000 row errors each, 20 failing schedules, 2,000 refused events and
//! 1,000 customers, half fed by a source.
//!
//! Prints the query plans of the report's range queries and the time of
//! each of its reads alone, then best and median of 10 runs of: the
//! automation report over its default range (the last 90 days), over the
//! whole four years, over four years filtered to the one currency every
//! invoice has and to one customer, the exceptions report, and
//! needs-you-today. Target: each report ≤ 1 s. Asserts nothing about time.
//! `REPORT_OPS_BENCH_INVOICES` changes the count.
//!
//! ```text
//! cargo bench -p invoicer-tests --bench report_ops
//! ```

use chrono::{DateTime, Duration as Span, NaiveDate, TimeZone, Utc};
use invoicer_app::api::{ReportFilter, SetupInput};
use invoicer_app::{Invoicer, ManualClock};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap()
}

fn text(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S.000000Z").to_string()
}

fn seed(path: &std::path::Path, n: i64) {
    let mut db = rusqlite::Connection::open(path).unwrap();
    db.execute_batch("PRAGMA synchronous = OFF; DROP TRIGGER invoices_search_insert;")
        .unwrap();
    let tx = db.transaction().unwrap();
    {
        let mut customer = tx
            .prepare(
                "INSERT INTO customers (id, name, email, address, city, postal_code, country,
                     created_at, external_ref, source_seen_at)
                 VALUES (?1, ?2, ?3, '1 Main St', 'Austin', '73301', 'US',
                     '2022-01-01T00:00:00.000000Z', ?4, ?5)",
            )
            .unwrap();
        for c in 2..=1001i64 {
            let fed = c % 2 == 0;
            customer
                .execute((
                    c,
                    format!("Customer {c}"),
                    format!("c{c}@example.test"),
                    fed.then(|| format!("crm-{c}")),
                    fed.then(|| text(now() - Span::days(c % 200))),
                ))
                .unwrap();
        }
        let mut invoice = tx
            .prepare(
                "INSERT INTO invoices (id, number, status, customer_id, customer_name, customer,
                     currency, issue_date, terms_days, due_date, rounding_scope, rounding_mode,
                     subtotal_minor, discount_minor, tax_minor, total_minor, paid_minor,
                     created_by, created_at, last_edited_by, source, settled_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, '{}', 'USD', ?6, 30, ?7, 'per_line', 'half_up',
                     ?8, 0, 0, ?8, ?9, 1, ?10, 1, ?11, ?12)",
            )
            .unwrap();
        let mut delivery = tx
            .prepare(
                "INSERT INTO deliveries (invoice_id, kind, step, to_addresses, status, attempts,
                     created_at, updated_at)
                 VALUES (?1, ?2, ?3, 'x@example.test', ?4, ?5, ?6, ?7)",
            )
            .unwrap();
        let mut payment = tx
            .prepare(
                "INSERT INTO payments (invoice_id, amount_minor, date, recorded_by, recorded_at)
                 VALUES (?1, ?2, ?3, 1, ?4)",
            )
            .unwrap();
        let mut reminder = tx
            .prepare(
                "INSERT INTO reminders (invoice_id, step, outcome, tone, due_on, recorded_on,
                     balance_minor, created_at)
                 VALUES (?1, ?2, 'sent', 'firm', ?3, ?3, 10000, ?4)",
            )
            .unwrap();
        let mut round = tx
            .prepare(
                "INSERT INTO approval_rounds (invoice_id, submitted_at, decided_at, outcome)
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .unwrap();
        let span = Span::days(4 * 365).num_minutes();
        for id in 1..=n {
            // Made over the last four years, oldest first.
            let made = now() - Span::minutes(span - span * id / n);
            let issue = made.date_naive();
            let due = issue + Span::days(30);
            let customer = id % 1000 + 2;
            let total = 10_000 + (id % 97) * 100;
            let source = match id % 10 {
                0..=3 => "manual",
                4..=6 => "bulk",
                7 | 8 => "recurring",
                _ => "api",
            };
            let (status, paid) = match id % 50 {
                0..=4 => ("issued", 0),
                5 => ("void", 0),
                _ => ("paid", total),
            };
            let paid_on = due + Span::days(id % 20 - 5);
            invoice
                .execute((
                    id,
                    format!("INV-{id:07}"),
                    status,
                    customer,
                    format!("Customer {customer}"),
                    issue.to_string(),
                    due.to_string(),
                    total,
                    paid,
                    text(made),
                    source,
                    (status == "paid").then(|| paid_on.to_string()),
                ))
                .unwrap();
            let (state, attempts) = match id % 200 {
                0 | 1 => ("failed", 1),
                2 => ("unknown", 1),
                3..=8 => ("sent", 2),
                _ => ("sent", 1),
            };
            let sent = made + Span::minutes(1 + id % 60);
            delivery
                .execute((id, "invoice", 0, state, attempts, text(made), text(sent)))
                .unwrap();
            if status == "paid" {
                payment
                    .execute((id, total, paid_on.to_string(), text(made)))
                    .unwrap();
            }
            let reminded = status == "issued" || (status == "paid" && id % 5 == 0);
            if reminded {
                for step in 1..=3i64 {
                    let on = due + Span::days(7 * step);
                    if on <= now().date_naive() {
                        reminder
                            .execute((id, step, on.to_string(), text(made)))
                            .unwrap();
                        delivery
                            .execute((id, "reminder", step, "sent", 1, text(made), text(made)))
                            .unwrap();
                    }
                }
            }
            if id % 20 == 0 {
                let submitted = made + Span::minutes(5);
                let decided = text(submitted + Span::hours(id % 48));
                let outcome = if id % 7 == 0 { "rejected" } else { "approved" };
                round
                    .execute((id, text(submitted), decided, outcome))
                    .unwrap();
            }
        }
        let mut job = tx
            .prepare(
                "INSERT INTO bulk_jobs (id, file_name, file_sha256, profile, status, dry_run,
                     started_by, started_at)
                 VALUES (?1, ?2, ?3, '{}', 'finished', 0, 1, '2026-11-01T00:00:00.000000Z')",
            )
            .unwrap();
        let mut row_error = tx
            .prepare(
                "INSERT INTO bulk_row_errors (job_id, line, column_name, value, reason)
                 VALUES (?1, ?2, 'quantity', '0', 'must be greater than zero')",
            )
            .unwrap();
        for j in 1..=10i64 {
            job.execute((j, format!("file-{j}.csv"), format!("{j:064}")))
                .unwrap();
            for line in 2..1002i64 {
                row_error.execute((j, line)).unwrap();
            }
        }
        let mut failure = tx
            .prepare(
                "INSERT INTO trigger_failures (trigger_kind, trigger_id, customer_id, what,
                     error_code, error_message, failed_at, last_failed_at)
                 VALUES ('schedule', ?1, 2, 'schedule', 'validation', 'no sender', ?2, ?2)",
            )
            .unwrap();
        for s in 1..=20i64 {
            failure.execute((s, text(now() - Span::days(s)))).unwrap();
        }
        let mut event = tx
            .prepare(
                "INSERT INTO api_events (received_at, event_type, reference, outcome, error_code,
                     error_message)
                 VALUES (?1, 'deal.closed_won', ?2, 'refused', 'trigger_disabled', 'disabled')",
            )
            .unwrap();
        for e in 1..=2000i64 {
            event
                .execute((text(now() - Span::minutes(e * 60)), format!("deal-{e}")))
                .unwrap();
        }
    }
    tx.commit().unwrap();
    // One transaction of a million rows leaves them all in the write-ahead
    // log, which every read would then search page by page. A database that
    // grew over years was checkpointed all along (SQLite does it every
    // 1,000 pages), so the reports are timed on the checkpointed file.
    db.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    db.execute_batch("ANALYZE;").unwrap();
}

fn stats(mut runs: Vec<Duration>) -> (f64, f64) {
    runs.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(runs[0]), ms(runs[runs.len() / 2]))
}

fn time<T>(what: &str, mut f: impl FnMut() -> T) -> T {
    let mut runs = Vec::new();
    let mut last = None;
    for _ in 0..10 {
        let started = Instant::now();
        last = Some(f());
        runs.push(started.elapsed());
    }
    let (best, median) = stats(runs);
    println!("{what}: best {best:.0} ms, median {median:.0} ms");
    last.unwrap()
}

fn plans(path: &std::path::Path) {
    let db = rusqlite::Connection::open(path).unwrap();
    let from = text(now() - Span::days(90));
    let until = text(now());
    for (what, sql) in [
        (
            "origins and times to sent",
            "SELECT i.source, i.seconds_to_sent FROM invoices i
              WHERE i.created_at >= ?1 AND i.created_at < ?2",
        ),
        (
            "origins and times to sent, one currency",
            "SELECT i.source, i.seconds_to_sent FROM invoices i
              WHERE i.created_at >= ?1 AND i.created_at < ?2 AND i.currency = 'USD'",
        ),
        (
            "delivery tally",
            "SELECT d.status, COUNT(*), SUM(CASE WHEN d.attempts > 1 THEN 1 ELSE 0 END)
               FROM deliveries d
              WHERE d.created_at >= ?1 AND d.created_at < ?2 AND d.kind <> 'test'
              GROUP BY d.status",
        ),
        (
            "reminder steps",
            "SELECT r.step, COUNT(*),
                    SUM(CASE WHEN r.invoice_settled_on >= r.recorded_on
                              AND julianday(r.invoice_settled_on) - julianday(r.recorded_on) <= 7
                             THEN 1 ELSE 0 END)
               FROM reminders r
              WHERE r.outcome = 'sent' AND r.recorded_on >= substr(?1, 1, 10)
                AND r.recorded_on <= substr(?2, 1, 10)
              GROUP BY r.step",
        ),
        (
            "approval rounds",
            "SELECT a.submitted_at, a.decided_at
               FROM approval_rounds a JOIN invoices i ON i.id = a.invoice_id
              WHERE a.outcome IN ('approved', 'rejected')
                AND a.decided_at >= ?1 AND a.decided_at < ?2",
        ),
    ] {
        let mut plan = db.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let lines: Vec<String> = plan
            .query_map((&from, &until), |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        println!("plan of {what}:\n  {}", lines.join("\n  "));
    }
}

/// Each of the automation report's reads alone, over the four years.
fn parts(path: &std::path::Path) {
    use invoicer_store::{OpsRange, OpsScope, Store};
    let store = Store::open(path).unwrap();
    let range = OpsRange {
        from: now() - Span::days(5 * 365),
        until: now(),
        from_day: (now() - Span::days(5 * 365)).date_naive(),
        to_day: now().date_naive(),
    };
    let scope = OpsScope::default();
    time(
        "  invoices by source and times to sent (four years)",
        || store.read(|tx| tx.origin_figures(&range, &scope)).unwrap(),
    );
    time("  delivery tally (four years)", || {
        store.read(|tx| tx.delivery_tally(&range, &scope)).unwrap()
    });
    time("  reminder steps (four years)", || {
        store
            .read(|tx| tx.reminder_step_tallies(&range, &scope, 7))
            .unwrap()
    });
    time("  approval rounds (four years)", || {
        store
            .read(|tx| tx.approval_round_seconds(&range, &scope))
            .unwrap()
    });
}

fn main() {
    let n: i64 = std::env::var("REPORT_OPS_BENCH_INVOICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoicer.db");
    let clock = Arc::new(ManualClock::new(now()));
    {
        let app = Invoicer::open(dir.path(), clock.clone()).unwrap();
        app.setup(&SetupInput {
            company_name: "Acme".into(),
            country: "US".into(),
            region: None,
            currency: "USD".into(),
            admin_email: "admin@acme.test".into(),
            admin_name: "Admin".into(),
            admin_password: "correct-horse-1".into(),
        })
        .unwrap();
    }
    let started = Instant::now();
    seed(&path, n);
    println!(
        "seeded {n} invoices in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    plans(&path);

    parts(&path);

    let app = Invoicer::open(dir.path(), clock).unwrap();
    let admin = app
        .sign_in(&invoicer_app::api::SignInInput {
            email: "admin@acme.test".into(),
            password: "correct-horse-1".into(),
        })
        .unwrap();
    // Twenty invoices wait for approval, made as a person makes them.
    let customer = app
        .create_customer(
            &admin,
            &invoicer_app::api::CustomerInput {
                name: "Big Buyer".into(),
                company: None,
                email: "big@example.test".into(),
                address: "1 Main St".into(),
                city: "Austin".into(),
                region: Some("TX".into()),
                postal_code: "73301".into(),
                country: "US".into(),
                tax_id: None,
                currency: None,
                template: None,
                cc: None,
                bcc: None,
                external_ref: None,
            },
        )
        .unwrap();
    for _ in 0..20 {
        let draft = app
            .create_invoice(
                &admin,
                &invoicer_app::api::DraftInput {
                    customer_id: customer.id,
                    issue_date: None,
                    terms_days: None,
                    notes: None,
                    template: None,
                    lines: vec![invoicer_tests::line("Platform", "100", "150.00", None)],
                },
            )
            .unwrap();
        app.issue_invoice(&admin, draft.id).unwrap();
    }
    let r = time("automation, last 90 days", || {
        app.automation_report(&admin, &ReportFilter::default(), None)
            .unwrap()
    });
    let made: u64 = r.by_origin.iter().map(|o| o.invoices).sum();
    println!(
        "  {made} invoices, {} deliveries sent, {} reminders, {} approvals decided",
        r.delivery.sent,
        r.reminder_steps.iter().map(|s| s.sent).sum::<u64>(),
        r.approvals.decided
    );
    let all = ReportFilter {
        from: Some(NaiveDate::from_ymd_opt(2022, 1, 1).unwrap()),
        ..ReportFilter::default()
    };
    let r = time("automation, four years", || {
        app.automation_report(&admin, &all, None).unwrap()
    });
    let made: u64 = r.by_origin.iter().map(|o| o.invoices).sum();
    println!("  {made} invoices");
    // A filter every invoice passes (one currency is the common case), so
    // the filtered reads cover as many rows as the unfiltered ones.
    let usd = ReportFilter {
        currency: Some("USD".into()),
        ..all.clone()
    };
    let r = time("automation, four years, currency USD", || {
        app.automation_report(&admin, &usd, None).unwrap()
    });
    let made: u64 = r.by_origin.iter().map(|o| o.invoices).sum();
    println!("  {made} invoices");
    let one = ReportFilter {
        customer_id: Some(500),
        ..all.clone()
    };
    let r = time("automation, four years, one customer", || {
        app.automation_report(&admin, &one, None).unwrap()
    });
    let made: u64 = r.by_origin.iter().map(|o| o.invoices).sum();
    println!("  {made} invoices");
    let r = time("exceptions", || {
        app.exceptions_report(&admin, &ReportFilter::default(), None, None)
            .unwrap()
    });
    let counts: Vec<String> = r
        .counts
        .iter()
        .map(|c| format!("{:?} {}", c.kind, c.count))
        .collect();
    println!("  {}", counts.join(", "));
    let needs = time("needs you today", || app.needs_you_today(&admin).unwrap());
    println!("  {needs:?}");
}
