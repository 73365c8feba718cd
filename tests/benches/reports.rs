//! The reports over 1,000,000 invoices, through the app's own API
//! (`Invoicer::report`, `Invoicer::dashboard`, `Invoicer::export_report_csv`),
//! so the figures are what the Reports screen, the dashboard and the CLI
//! wait for.
//!
//! Seeded with bulk SQL into a throwaway database (the app would take hours
//! to issue a million invoices): 2,000 customers (a fifth of them billed in
//! EUR), invoices over four years — 88 % paid (a payment on the due date
//! shifted by the customer's habit, -5 to +14 days; 1 % of them partly by a
//! credit note, 0.5 % paid, partly refunded and paid again), 2 % void, 10 %
//! open (issued or half paid, due over the last 400 days and the next 30)
//! — each non-void invoice with its delivered email, the open ones with the
//! reminder steps already sent.
//!
//! Prints the seeding time, then for each report the median and p95 of its
//! runs, the aging's query plan, and the CSV export's time and the process's
//! peak memory during it (VmHWM, reset before the export). Budgets: aging
//! ≤ 300 ms, dashboard ≤ 500 ms, every other report ≤ 1 s. Asserts nothing
//! about time. `REPORTS_BENCH_INVOICES` changes the count.
//!
//! ```text
//! cargo bench -p invoicer-tests --bench reports
//! ```
//!
//! Measured on 2026-11-26 on a quiet 2-core machine, after migration 0028
//! (the covering indexes end with the template and the source) and with the
//! days-to-pay range read by its index by name; medians (p95) of wall time,
//! the CPU time within a few ms of it —
//!
//! | report | all invoices | currency USD (80 %) | template or source (100 %) | budget |
//! |---|---|---|---|---|
//! | aging today | 77 (81) ms | 63 (66) ms | 80 (81) ms | 300 ms |
//! | aging as of 30 days ago | 115 (115) ms | | | 300 ms |
//! | aging as of a year ago | 309 (311) ms | | | 1 s |
//! | aging, one customer | 0.4 (0.6) ms | | | 300 ms |
//! | collection, 12 months by month | 233 (246) ms | 223 (225) ms | 252–259 (264) ms | 1 s |
//! | collection, 12 months by week | 234 (240) ms | | | 1 s |
//! | DSO, 90 days | 40 (42) ms | 34 (34) ms | 41–43 (43) ms | 1 s |
//! | forecast, 13 weeks | 103 (106) ms | 96 (99) ms | 100–101 (103) ms | 1 s |
//! | dashboard | 156 (201) ms | | | 500 ms |
//! | CSV export of the aging (202 rows) | 75 ms | | | streams; peak RSS 47 MiB, no growth |
//!
//! Before 0028 and the named index, with the statistics the store keeps,
//! SQLite walked every invoice by the customer index for days to pay:
//! collection 530 ms, forecast 390 ms, dashboard 440–510 ms, and a template
//! or source filter read each invoice's row (aging 280–300 ms, collection
//! ~790 ms). Under load (average 5–6) wall times double; CPU times do not.

use chrono::{Days, NaiveDate, TimeZone, Utc};
use invoicer_app::api::{ReportFilter, ReportPeriod, ReportRequest, SetupInput};
use invoicer_app::{Invoicer, ManualClock, Session};
use invoicer_domain::reports::aging::AgingBuckets;
use invoicer_store::{ReportScope, Store};
use std::io::{BufWriter, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CUSTOMERS: i64 = 2000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn back(days: i64) -> NaiveDate {
    if days >= 0 {
        today()
            .checked_sub_days(Days::new(days.unsigned_abs()))
            .unwrap()
    } else {
        today()
            .checked_add_days(Days::new(days.unsigned_abs()))
            .unwrap()
    }
}

fn plus(d: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        d.checked_add_days(Days::new(days.unsigned_abs())).unwrap()
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs())).unwrap()
    }
}

/// The company and its admin through the app; answers the admin's id.
fn set_up(dir: &std::path::Path) -> i64 {
    let app = Invoicer::open(dir, clock()).expect("open");
    app.setup(&SetupInput {
        company_name: "Acme Billing".into(),
        country: "US".into(),
        region: Some("CA".into()),
        currency: "USD".into(),
        admin_email: "admin@acme.test".into(),
        admin_name: "Ada Admin".into(),
        admin_password: "correct horse battery".into(),
    })
    .expect("setup");
    1
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap(),
    ))
}

fn seed(path: &std::path::Path, n: usize, admin: i64) {
    let mut db = rusqlite::Connection::open(path).unwrap();
    db.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;")
        .unwrap();
    // The invoice search index's triggers would only slow the seeding; this
    // database is thrown away.
    db.execute_batch("DROP TRIGGER invoices_search_insert;")
        .unwrap();
    let tx = db.transaction().unwrap();
    {
        let mut customer = tx
            .prepare(
                "INSERT INTO customers (id, name, company, email, address, city, postal_code,
                     country, created_at)
                 VALUES (?1, ?2, ?3, ?4, '1 Main St', 'Austin', '73301', 'US',
                     '2022-01-01T00:00:00Z')",
            )
            .unwrap();
        for c in 1..=CUSTOMERS {
            customer
                .execute((
                    c + 10,
                    format!("Buyer {c}"),
                    format!("Customer {c} Ltd"),
                    format!("c{c}@example.test"),
                ))
                .unwrap();
        }
        let mut invoice = tx
            .prepare(
                "INSERT INTO invoices (id, number, status, customer_id, customer_name, customer,
                     currency, issue_date, terms_days, due_date, rounding_scope, rounding_mode,
                     subtotal_minor, discount_minor, tax_minor, total_minor, paid_minor,
                     credited_minor, settled_on, created_by, created_at, last_edited_by,
                     template_name, template_version)
                 VALUES (?1, ?2, ?3, ?4, ?5, '{}', ?6, ?7, 30, ?8, 'per_line', 'half_up',
                     ?9, 0, 0, ?9, ?10, ?11, ?12, ?13, '2022-01-01T00:00:00Z', ?13,
                     'standard-en', 1)",
            )
            .unwrap();
        let mut payment = tx
            .prepare(
                "INSERT INTO payments (invoice_id, amount_minor, date, method, recorded_by,
                     recorded_at)
                 VALUES (?1, ?2, ?3, 'bank_transfer', ?4, '2022-01-01T00:00:00Z')",
            )
            .unwrap();
        let mut refund = tx
            .prepare(
                "INSERT INTO refunds (invoice_id, amount_minor, date, method, recorded_by,
                     recorded_at)
                 VALUES (?1, ?2, ?3, 'bank_transfer', ?4, '2022-01-01T00:00:00Z')",
            )
            .unwrap();
        let mut credit = tx
            .prepare(
                "INSERT INTO credit_notes (invoice_id, number, issue_date, reason, net_minor,
                     tax_minor, total_minor, lines, pdf, pdf_sha256, issued_by, issued_at)
                 VALUES (?1, ?2, ?3, 'Discount agreed', ?4, 0, ?4, '[]', x'00', 'x', ?5,
                     '2022-01-01T00:00:00Z')",
            )
            .unwrap();
        let mut delivery = tx
            .prepare(
                "INSERT INTO deliveries (invoice_id, kind, step, to_addresses, status, attempts,
                     created_at, updated_at)
                 VALUES (?1, 'invoice', 0, 'billing@example.test', 'sent', 1,
                     '2022-01-01T00:00:00Z', '2022-01-01T00:00:00Z')",
            )
            .unwrap();
        let mut reminder = tx
            .prepare(
                "INSERT INTO reminders (invoice_id, step, outcome, tone, due_on, recorded_on,
                     balance_minor, created_at)
                 VALUES (?1, ?2, 'sent', 'firm', ?3, ?3, ?4, '2022-01-01T00:00:00Z')",
            )
            .unwrap();
        for i in 0..n {
            let id = i64::try_from(i).unwrap() + 1;
            let customer = id % CUSTOMERS + 11;
            let eur = customer % 5 == 0;
            let cur = if eur { "EUR" } else { "USD" };
            let total = 10_000 + (id % 97) * 100;
            // The customer's habit: -5 to +14 days after the due date.
            let habit = customer % 20 - 5;
            let slot = i % 50;
            let (status, due) = match slot {
                0..=4 => ("issued", back(i64::try_from(i / 50 % 430).unwrap() - 30)),
                5 => ("void", back(200)),
                _ => ("paid", back(15 + i64::try_from(i % 1440).unwrap())),
            };
            let issue = plus(due, -30);
            let mut paid = 0;
            let mut credited = 0;
            let mut settled: Option<NaiveDate> = None;
            let mut status = status;
            // (payments, refunds, credit note) to insert after the invoice.
            let mut payments: Vec<(i64, NaiveDate)> = Vec::new();
            let mut refunds: Vec<(i64, NaiveDate)> = Vec::new();
            let mut credit_note: Option<(i64, NaiveDate)> = None;
            match status {
                "paid" => {
                    let on = plus(due, habit);
                    let mut pay = total;
                    if i % 100 == 7 {
                        credited = 1000;
                        pay -= 1000;
                        credit_note = Some((1000, plus(issue, 5)));
                    }
                    payments.push((pay, on));
                    let mut last = on;
                    if i % 200 == 11 {
                        // Paid, 5.00 refunded, then paid again.
                        refunds.push((500, plus(on, 1)));
                        last = plus(on, 2);
                        payments.push((500, last));
                    }
                    paid = total;
                    settled = Some(last);
                }
                "issued" if slot == 4 => {
                    status = "partially_paid";
                    paid = total / 2;
                    payments.push((paid, plus(issue, 10).min(today())));
                }
                _ => {}
            }
            invoice
                .execute((
                    id,
                    format!("INV-{id:07}"),
                    status,
                    customer,
                    format!("Customer {} Ltd", customer - 10),
                    cur,
                    issue.to_string(),
                    due.to_string(),
                    total,
                    paid,
                    credited,
                    settled.map(|d| d.to_string()),
                    admin,
                ))
                .unwrap();
            for (amount, on) in payments {
                payment
                    .execute((id, amount, on.to_string(), admin))
                    .unwrap();
            }
            for (amount, on) in refunds {
                refund.execute((id, amount, on.to_string(), admin)).unwrap();
            }
            if let Some((amount, on)) = credit_note {
                credit
                    .execute((id, format!("CN-{id:07}"), on.to_string(), amount, admin))
                    .unwrap();
            }
            if status != "void" {
                delivery.execute([id]).unwrap();
            }
            if status == "issued" || status == "partially_paid" {
                for (step, offset) in [(1, 7), (2, 14), (3, 30)] {
                    let on = plus(due, offset);
                    if on < today() {
                        reminder
                            .execute((id, step, on.to_string(), total - paid))
                            .unwrap();
                    }
                }
            }
        }
    }
    tx.commit().unwrap();
    // One transaction of a million rows leaves them all in the write-ahead
    // log, which every read would then search page by page. A database that
    // grew over years was checkpointed all along (SQLite does it every
    // 1,000 pages), so the reports are timed on the checkpointed file.
    db.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
}

/// (median, p95) of `runs`.
fn stats(mut runs: Vec<Duration>) -> (f64, f64) {
    runs.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let p95 = ((runs.len() * 95).div_ceil(100)).max(1) - 1;
    (ms(runs[runs.len() / 2]), ms(runs[p95]))
}

/// This thread's CPU time so far (Linux schedstat, nanoseconds): the
/// reports run on the calling thread, so this is their cost whatever else
/// the machine is doing, where the wall clock also counts waiting for a core.
fn thread_cpu() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .map(Duration::from_nanos)
        .unwrap_or_default()
}

fn time<T>(label: &str, budget_ms: f64, runs: usize, mut f: impl FnMut() -> T) -> T {
    let mut out = f();
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    for _ in 0..runs {
        let (t, c) = (Instant::now(), thread_cpu());
        out = f();
        times.push(t.elapsed());
        cpu.push(thread_cpu().saturating_sub(c));
    }
    let (median, p95) = stats(times);
    let (cpu_median, cpu_p95) = stats(cpu);
    let verdict = if p95 <= budget_ms { "within" } else { "OVER" };
    println!(
        "{label}: median {median:.1} ms, p95 {p95:.1} ms ({verdict} the {budget_ms:.0} ms budget); \
         CPU median {cpu_median:.1} ms, p95 {cpu_p95:.1} ms"
    );
    out
}

/// The process's peak resident memory in KiB (VmHWM).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// Resets VmHWM to the current resident size (Linux `clear_refs` 5).
fn reset_peak() {
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .write(true)
        .open("/proc/self/clear_refs")
    {
        let _ = f.write_all(b"5");
    }
}

fn filter(as_of: Option<NaiveDate>) -> ReportFilter {
    ReportFilter {
        as_of,
        ..ReportFilter::default()
    }
}

fn main() {
    let n: usize = std::env::var("REPORTS_BENCH_INVOICES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let temp = tempfile::tempdir().unwrap();
    // REPORTS_BENCH_KEEP=FOLDER seeds there and keeps the database, to study
    // query plans afterwards; run again on the same folder, it measures the
    // kept database without seeding.
    let kept = std::env::var_os("REPORTS_BENCH_KEEP").map(std::path::PathBuf::from);
    let dir = kept.as_deref().unwrap_or(temp.path());
    let path = dir.join("invoicer.db");
    // A kept database is measured again as it is.
    if path.exists() {
        println!("measuring the database kept in {}", dir.display());
    } else {
        let admin = set_up(dir);
        let started = Instant::now();
        seed(&path, n, admin);
        println!(
            "seeded {n} invoices (with payments, refunds, credit notes, deliveries, reminders) in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    // Reopening refreshes the planner's statistics, as the app's start does.
    let app = Invoicer::open(dir, clock()).expect("reopen");
    let s: Session = app
        .sign_in(&invoicer_app::api::SignInInput {
            email: "admin@acme.test".into(),
            password: "correct horse battery".into(),
        })
        .expect("sign in");

    let store = Store::open(&path).unwrap();
    let floors = AgingBuckets::default().due_date_floors(today());
    let plan = store
        .read(|tx| tx.aging_plan(&ReportScope::default(), today(), &floors, true))
        .unwrap();
    println!("aging query plan:\n  {}", plan.join("\n  "));

    let aging = |as_of| ReportRequest::Aging {
        filter: filter(as_of),
        bucket_bounds: None,
    };
    time("aging today (customers and totals)", 300.0, 15, || {
        app.report(&s, &aging(None)).unwrap()
    });
    time("aging as of 30 days ago", 300.0, 15, || {
        app.report(&s, &aging(Some(back(30)))).unwrap()
    });
    time("aging as of a year ago", 1000.0, 7, || {
        app.report(&s, &aging(Some(back(365)))).unwrap()
    });
    time("aging today, one customer", 300.0, 15, || {
        app.report(
            &s,
            &ReportRequest::Aging {
                filter: ReportFilter {
                    customer_id: Some(17),
                    ..ReportFilter::default()
                },
                bucket_bounds: None,
            },
        )
        .unwrap()
    });
    for (label, period) in [
        ("collection, 12 months by month", ReportPeriod::Month),
        ("collection, 12 months by week", ReportPeriod::Week),
    ] {
        time(label, 1000.0, 7, || {
            app.report(
                &s,
                &ReportRequest::Collection {
                    filter: filter(None),
                    period,
                },
            )
            .unwrap()
        });
    }
    time("DSO, last 90 days", 1000.0, 15, || {
        app.report(
            &s,
            &ReportRequest::Dso {
                filter: filter(None),
            },
        )
        .unwrap()
    });
    time("forecast, 13 weeks", 1000.0, 15, || {
        app.report(
            &s,
            &ReportRequest::Forecast {
                filter: filter(None),
                weeks: None,
            },
        )
        .unwrap()
    });
    // Filters most or every invoice passes (one currency is the common
    // case; every seeded invoice is manual and printed with standard-en):
    // the filtered reads cover as many rows as the unfiltered ones.
    for (what, narrowed) in [
        (
            "currency USD",
            ReportFilter {
                currency: Some("USD".into()),
                ..ReportFilter::default()
            },
        ),
        (
            "template standard-en",
            ReportFilter {
                template: Some("standard-en".into()),
                ..ReportFilter::default()
            },
        ),
        (
            "source manual",
            ReportFilter {
                source: Some("manual".into()),
                ..ReportFilter::default()
            },
        ),
    ] {
        let requests = [
            (
                "aging today",
                300.0,
                ReportRequest::Aging {
                    filter: narrowed.clone(),
                    bucket_bounds: None,
                },
            ),
            (
                "collection, 12 months by month",
                1000.0,
                ReportRequest::Collection {
                    filter: narrowed.clone(),
                    period: ReportPeriod::Month,
                },
            ),
            (
                "DSO, last 90 days",
                1000.0,
                ReportRequest::Dso {
                    filter: narrowed.clone(),
                },
            ),
            (
                "forecast, 13 weeks",
                1000.0,
                ReportRequest::Forecast {
                    filter: narrowed.clone(),
                    weeks: None,
                },
            ),
        ];
        for (report, budget, request) in requests {
            time(&format!("{report}, {what}"), budget, 7, || {
                app.report(&s, &request).unwrap()
            });
        }
    }
    let d = time("dashboard", 500.0, 15, || app.dashboard(&s).unwrap());
    println!(
        "  outstanding {:?}, overdue {:?}",
        d.outstanding
            .iter()
            .map(|a| format!("{} {} ({})", a.currency, a.amount, a.count))
            .collect::<Vec<_>>(),
        d.overdue
            .iter()
            .map(|a| format!("{} {} ({})", a.currency, a.amount, a.count))
            .collect::<Vec<_>>()
    );

    // CSV export: the aging with every customer row, to a file.
    let out = temp.path().join("aging.csv");
    let before = peak_kib();
    reset_peak();
    let base = peak_kib();
    let t = Instant::now();
    let file = std::fs::File::create(&out).unwrap();
    let mut w = BufWriter::new(file);
    let rows = app.export_report_csv(&s, &aging(None), &mut w).unwrap();
    w.flush().unwrap();
    let took = t.elapsed();
    let peak = peak_kib();
    println!(
        "CSV export of the aging: {rows} rows, {} bytes in {:.1} ms; peak memory {:.1} MiB \
         during the export ({:.1} MiB above the resident size before it; the process's peak \
         while seeding was {:.1} MiB)",
        std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0),
        took.as_secs_f64() * 1e3,
        peak as f64 / 1024.0,
        peak.saturating_sub(base) as f64 / 1024.0,
        before as f64 / 1024.0,
    );
}
