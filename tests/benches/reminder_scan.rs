//! The reminder scheduler's scan over 1,000,000 invoices: the one indexed
//! query that reads the candidate invoices (`Tx::reminder_candidates`,
//! partial index `invoices_reminder_scan`), then the domain's
//! `due_reminders` for each candidate, which finds the steps due today.
//!
//! Seeded with bulk SQL (a throwaway database): 1,000,000 invoices over four
//! years; 88 % paid, 2 % void, 10 % open (issued or partially paid) with due
//! dates spread over the last 400 days and the next 30. Open invoices whose
//! last step passed have their three steps recorded in `reminders`, as a
//! database the scheduler has run on for years would. 1,000 customers, 1 %
//! of them opted out.
//!
//! Prints the query plan, the seeding time, then the scan's and the whole
//! decision's time (best and median of 15 runs) and how many steps are due.
//! Target: the scan that finds the due steps in ≤ 500 ms. Then the "Due &
//! overdue" view's plan and page times on the same data. Asserts nothing
//! about time. `REMINDER_BENCH_INVOICES` changes the count.
//!
//! ```text
//! cargo bench -p invoicer-tests --bench reminder_scan
//! ```

use chrono::{Days, NaiveDate};
use invoicer_domain::lifecycle::InvoiceStatus;
use invoicer_domain::reminder_policy::{step_date, ReminderPolicy};
use invoicer_domain::reminder_schedule::{due_reminders, DisputeState, ReminderFacts};
use invoicer_domain::Decimal;
use invoicer_store::Store;
use std::time::{Duration, Instant};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn seed(path: &std::path::Path, n: usize) {
    drop(Store::open(path).expect("schema"));
    let mut db = rusqlite::Connection::open(path).unwrap();
    db.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;")
        .unwrap();
    // The invoice search index's triggers would only slow the seeding; this
    // database is thrown away.
    db.execute_batch(
        "DROP TRIGGER invoices_search_insert;
         INSERT INTO users (id, email, name, role, password_hash, created_at)
             VALUES (1, 'admin@acme.test', 'Admin', 'admin', 'x', '2022-01-01T00:00:00Z');",
    )
    .unwrap();
    let tx = db.transaction().unwrap();
    {
        let mut customer = tx
            .prepare(
                "INSERT INTO customers (id, name, email, address, city, postal_code, country,
                     created_at, reminders_opt_out)
                 VALUES (?1, ?2, ?3, '1 Main St', 'Austin', '73301', 'US',
                     '2022-01-01T00:00:00Z', ?4)",
            )
            .unwrap();
        for c in 1..=1000i64 {
            customer
                .execute((
                    c,
                    format!("Customer {c}"),
                    format!("c{c}@example.test"),
                    i64::from(c % 100 == 0),
                ))
                .unwrap();
        }
        let mut invoice = tx
            .prepare(
                "INSERT INTO invoices (id, number, status, customer_id, customer_name, customer,
                     currency, issue_date, terms_days, due_date, rounding_scope, rounding_mode,
                     subtotal_minor, discount_minor, tax_minor, total_minor, paid_minor,
                     created_by, created_at, last_edited_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, '{}', 'USD', ?6, 30, ?7, 'per_line', 'half_up',
                     ?8, 0, 0, ?8, ?9, 1, '2022-01-01T00:00:00Z', 1)",
            )
            .unwrap();
        let mut reminder = tx
            .prepare(
                "INSERT INTO reminders (invoice_id, step, outcome, tone, due_on, recorded_on,
                     balance_minor, created_at)
                 VALUES (?1, ?2, 'sent', 'firm', ?3, ?3, 10000, '2022-01-01T00:00:00Z')",
            )
            .unwrap();
        let policy = ReminderPolicy::default();
        for i in 0..n {
            let id = i64::try_from(i).unwrap() + 1;
            let customer = id % 1000 + 1;
            let total = 10_000 + (id % 97) * 100;
            let (status, due, paid) = match i % 50 {
                // 10 % open: due over the last 400 days and the next 30.
                0..=4 => {
                    let back = u64::try_from(i / 50 % 430).unwrap();
                    let due = today()
                        .checked_add_days(Days::new(30))
                        .unwrap()
                        .checked_sub_days(Days::new(back))
                        .unwrap();
                    let partly = i % 50 == 4;
                    (
                        if partly { "partially_paid" } else { "issued" },
                        due,
                        if partly { total / 2 } else { 0 },
                    )
                }
                5 => ("void", today().checked_sub_days(Days::new(200)).unwrap(), 0),
                _ => {
                    let back = u64::try_from(i % 1460).unwrap();
                    (
                        "paid",
                        today().checked_sub_days(Days::new(back)).unwrap(),
                        total,
                    )
                }
            };
            let issue = due.checked_sub_days(Days::new(30)).unwrap();
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
                ))
                .unwrap();
            if status != "paid" && status != "void" {
                for (k, s) in policy.steps.iter().enumerate() {
                    let on = step_date(due, s.offset_days);
                    // Steps before the last one's day minus a week were sent
                    // by earlier runs; the recent ones are what today finds.
                    if on < today().checked_sub_days(Days::new(7)).unwrap() {
                        reminder
                            .execute((id, i64::try_from(k).unwrap() + 1, on.to_string()))
                            .unwrap();
                    }
                }
            }
        }
    }
    tx.commit().unwrap();
}

fn stats(mut runs: Vec<Duration>) -> (Duration, Duration) {
    runs.sort();
    (runs[0], runs[runs.len() / 2])
}

fn main() {
    let n: usize = std::env::var("REMINDER_BENCH_INVOICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    // REMINDER_BENCH_KEEP=FOLDER keeps the seeded database there, to study
    // query plans afterwards.
    let path = match std::env::var_os("REMINDER_BENCH_KEEP") {
        Some(keep) => std::path::PathBuf::from(keep).join("invoicer.db"),
        None => dir.path().join("invoicer.db"),
    };
    let started = Instant::now();
    seed(&path, n);
    println!(
        "seeded {n} invoices in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Reopening refreshes the planner's statistics, as the app's start does.
    let store = Store::open(&path).unwrap();
    let policy = ReminderPolicy::default();
    let (first, _) = policy.offset_range().unwrap();
    let latest_due = step_date(today(), -first);
    let steps = u32::try_from(policy.steps.len()).unwrap();

    let plan_db = rusqlite::Connection::open(&path).unwrap();
    let mut plan = plan_db
        .prepare(
            "EXPLAIN QUERY PLAN SELECT i.id, i.due_date,
                    COALESCE((SELECT MAX(r.step) FROM reminders r WHERE r.invoice_id = i.id), 0)
             FROM invoices i
             WHERE i.status IN ('issued', 'partially_paid') AND i.due_date <= ?1
               AND i.total_minor > i.paid_minor
               AND NOT EXISTS (SELECT 1 FROM customers c
                               WHERE c.id = i.customer_id AND c.reminders_opt_out = 1)",
        )
        .unwrap();
    let lines: Vec<String> = plan
        .query_map([latest_due.to_string()], |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    println!("query plan:\n  {}", lines.join("\n  "));

    let mut scans = Vec::new();
    let mut decisions = Vec::new();
    let mut due = 0;
    let mut candidates = 0;
    for _ in 0..15 {
        let t = Instant::now();
        let found = store
            .read(|tx| tx.reminder_candidates(latest_due, steps))
            .unwrap();
        scans.push(t.elapsed());
        candidates = found.len();
        due = found
            .iter()
            .filter(|c| {
                let facts = ReminderFacts {
                    status: InvoiceStatus::Issued,
                    due_date: c.due_date,
                    issued_on: None,
                    balance: Decimal::ONE,
                    customer_opted_out: false,
                    dispute: DisputeState::None,
                };
                let recorded: Vec<u32> = (1..=c.last_step).collect();
                due_reminders(&facts, &policy, &recorded, today())
                    .send
                    .is_some()
            })
            .count();
        decisions.push(t.elapsed());
    }
    let (scan_best, scan_median) = stats(scans);
    let (all_best, all_median) = stats(decisions);
    println!(
        "scan: {candidates} candidate invoices in {:.1} ms best, {:.1} ms median",
        scan_best.as_secs_f64() * 1e3,
        scan_median.as_secs_f64() * 1e3
    );
    println!(
        "scan + due_reminders: {due} steps due today in {:.1} ms best, {:.1} ms median (target ≤ 500 ms)",
        all_best.as_secs_f64() * 1e3,
        all_median.as_secs_f64() * 1e3
    );

    due_view(&store);
}

/// The "Due & overdue" view on the same database (`Tx::due_invoices`, partial
/// index `invoices_due_open`): the plan and the time of a page of 50 at the
/// start, deep in the list, overdue only and for one customer.
fn due_view(store: &Store) {
    use invoicer_store::DueFilter;
    let page = |offset| DueFilter {
        offset,
        limit: 50,
        ..DueFilter::default()
    };
    let cases = [
        ("first page", page(0)),
        ("page 200", page(9_950)),
        (
            "overdue only",
            DueFilter {
                due_until: today().pred_opt(),
                ..page(0)
            },
        ),
        (
            "one customer",
            DueFilter {
                customer_id: Some(17),
                ..page(0)
            },
        ),
    ];
    for (label, filter) in cases {
        let plan = store.read(|tx| tx.due_invoices_plan(&filter)).unwrap();
        let mut times = Vec::new();
        let mut total = 0;
        for _ in 0..15 {
            let t = Instant::now();
            total = store.read(|tx| tx.due_invoices(&filter)).unwrap().1;
            times.push(t.elapsed());
        }
        let (best, median) = stats(times);
        println!(
            "due & overdue, {label}: {total} open invoices match; a page (with the count) in \
             {:.1} ms best, {:.1} ms median; plan: {}",
            best.as_secs_f64() * 1e3,
            median.as_secs_f64() * 1e3,
            plan.join(" / ")
        );
    }
}
