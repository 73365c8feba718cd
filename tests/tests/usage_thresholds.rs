//! Time and usage thresholds through the app's one API on a real data
//! folder, the clock moved by hand (never a sleep): entries logged over
//! several days become one invoice when the threshold is crossed, a second
//! crossing bills only the new entries, a period end bills what accumulated
//! once (missed periods caught up), an entry sent again is recorded once,
//! and the test run writes nothing and shows the would-be invoice's PDF.

use chrono::{NaiveDate, TimeZone, Utc};
use invoicer_app::api::*;
use invoicer_app::ErrorCode;
use invoicer_tests::Fixture;

mod database;
use database::{audit_events, db, row_counts};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Moves the clock to 09:00 UTC on `d` (the company's time zone is UTC).
fn at(f: &Fixture, d: NaiveDate) {
    f.clock
        .set(Utc.from_utc_datetime(&d.and_hms_opt(9, 0, 0).unwrap()));
}

fn hours_rule(f: &Fixture, action: &str) -> ThresholdInput {
    ThresholdInput {
        name: "Acme consulting".into(),
        customer_id: f.customer.id,
        measure: "hours".into(),
        unit_price: Some("100.00".into()),
        description_template: Some("{date} {description} ({quantity} h)".into()),
        quantity_threshold: Some("40".into()),
        action: action.into(),
        ..ThresholdInput::default()
    }
}

/// A rule created, tested and enabled.
fn enabled(f: &Fixture, input: &ThresholdInput) -> ThresholdView {
    let r = f.app.create_threshold(&f.admin, input).unwrap();
    f.app.test_threshold(&f.admin, r.id).unwrap();
    f.app.enable_threshold(&f.admin, r.id).unwrap()
}

fn log(
    f: &Fixture,
    hours: &str,
    what: &str,
    on: NaiveDate,
    reference: Option<&str>,
) -> UsageRecorded {
    f.app
        .record_usage(
            &f.admin,
            &UsageInput {
                customer_id: f.customer.id,
                measure: "hours".into(),
                quantity: hours.into(),
                description: what.into(),
                occurred_on: on,
                reference: reference.map(str::to_string),
                ..UsageInput::default()
            },
        )
        .unwrap()
}

fn count(f: &Fixture, sql: &str) -> i64 {
    db(f).query_row(sql, [], |r| r.get(0)).unwrap()
}

/// (entry id, invoice id) of every entry.
fn billed(f: &Fixture) -> Vec<(i64, Option<i64>)> {
    db(f)
        .prepare("SELECT id, invoice_id FROM usage_entries ORDER BY id")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn hours_logged_over_several_days_become_one_invoice_when_forty_are_crossed() {
    let f = Fixture::new();
    f.set_up_email();
    let rule = enabled(&f, &hours_rule(&f, "issue_and_send"));
    let invoices_before = count(&f, "SELECT COUNT(*) FROM invoices");

    at(&f, day(2026, 11, 23));
    let r = log(&f, "15", "Workshop", day(2026, 11, 23), None);
    assert!(r.invoice_id.is_none());
    at(&f, day(2026, 11, 24));
    log(&f, "15", "Design review", day(2026, 11, 24), None);
    at(&f, day(2026, 11, 26));
    let r = log(&f, "8", "Sprint planning", day(2026, 11, 26), None);
    assert!(r.invoice_id.is_none());
    assert_eq!(r.progress.label, "38 of 40 h · 3,800.00 USD");
    assert_eq!(count(&f, "SELECT COUNT(*) FROM invoices"), invoices_before);

    // The fourth entry crosses 40 hours: one invoice of all four.
    at(&f, day(2026, 11, 27));
    let r = log(&f, "4", "Retro", day(2026, 11, 27), None);
    let invoice_id = r.invoice_id.expect("the threshold was crossed");
    assert_eq!(r.outcome.as_deref(), Some("queued_for_sending"));
    assert_eq!(r.progress.quantity, "0", "nothing is left unbilled");
    assert_eq!(
        count(&f, "SELECT COUNT(*) FROM invoices"),
        invoices_before + 1
    );
    let inv = f.app.invoice(&f.admin, invoice_id).unwrap();
    assert_eq!(inv.number.as_deref(), Some("INV-2026-00001"));
    assert_eq!(inv.lines.len(), 4, "one line per entry");
    assert_eq!(inv.lines[0].description, "2026-11-23 Workshop (15 h)");
    // 42 hours at 100.00 plus California's 8.25 %.
    assert_eq!(inv.total, "4546.50");
    assert!(billed(&f).iter().all(|(_, i)| *i == Some(invoice_id)));
    let trigger = f.app.invoice_trigger(&f.admin, invoice_id).unwrap();
    assert_eq!(trigger.source, "threshold");
    assert_eq!(trigger.threshold_name.as_deref(), Some("Acme consulting"));
    f.app.run_jobs_once().unwrap();
    assert_eq!(f.outbox_files().len(), 1, "its email was sent once");

    // A second crossing bills only the new entries.
    log(&f, "20", "Build", day(2026, 11, 30), None);
    let second = log(&f, "25", "Build", day(2026, 12, 1), None);
    let second_id = second.invoice_id.expect("crossed again");
    let inv2 = f.app.invoice(&f.admin, second_id).unwrap();
    assert_eq!(inv2.lines.len(), 2);
    let entries = billed(&f);
    assert_eq!(entries.len(), 6);
    assert_eq!(
        entries
            .iter()
            .filter(|(_, i)| *i == Some(invoice_id))
            .count(),
        4
    );
    assert_eq!(
        entries
            .iter()
            .filter(|(_, i)| *i == Some(second_id))
            .count(),
        2
    );
    // Every invoice line is one entry: 6 lines for 6 entries, none twice.
    assert_eq!(
        count(
            &f,
            "SELECT COUNT(*) FROM invoice_lines WHERE invoice_id IN \
             (SELECT invoice_id FROM usage_billings)"
        ),
        6
    );
    f.app.run_jobs_once().unwrap();
    assert_eq!(
        count(&f, "SELECT COUNT(*) FROM invoices"),
        invoices_before + 2
    );

    // The audit names each entry and which ones each invoice billed.
    let audit = audit_events(&f, &format!("threshold:{}", rule.id));
    assert_eq!(
        audit.iter().filter(|(a, _)| a == "usage.recorded").count(),
        6
    );
    let bills: Vec<_> = audit
        .iter()
        .filter(|(a, _)| a == "threshold.billed")
        .collect();
    assert_eq!(bills.len(), 2);
    assert_eq!(bills[0].1["entries"].as_array().unwrap().len(), 4);
    assert_eq!(bills[0].1["reason"], "quantity");
    let view = f.app.threshold(&f.admin, rule.id).unwrap();
    assert_eq!(view.billings.len(), 2);
    assert_eq!(view.unbilled_count, 0);
}

#[test]
fn the_amount_threshold_counts_the_price_each_entry_carries() {
    let f = Fixture::new();
    let mut input = hours_rule(&f, "draft");
    input.unit_price = None;
    input.quantity_threshold = None;
    input.amount_threshold = Some("5000.00".into());
    enabled(&f, &input);
    let record = |q: &str, p: &str| {
        f.app.record_usage(
            &f.admin,
            &UsageInput {
                customer_id: f.customer.id,
                measure: "hours".into(),
                quantity: q.into(),
                unit_price: Some(p.into()),
                description: "Senior consulting".into(),
                occurred_on: day(2026, 11, 21),
                ..UsageInput::default()
            },
        )
    };
    let missing = f
        .app
        .record_usage(
            &f.admin,
            &UsageInput {
                customer_id: f.customer.id,
                measure: "hours".into(),
                quantity: "1".into(),
                description: "x".into(),
                occurred_on: day(2026, 11, 21),
                ..UsageInput::default()
            },
        )
        .unwrap_err();
    assert_eq!(missing.details.unwrap()[0].field, "unit_price");
    let r = record("20", "150").unwrap();
    assert_eq!(r.progress.label, "20 h · 3,000.00 of 5,000.00 USD");
    let r = record("10", "200").unwrap();
    assert_eq!(r.outcome.as_deref(), Some("draft"));
    let inv = f.app.invoice(&f.admin, r.invoice_id.unwrap()).unwrap();
    assert_eq!(inv.subtotal, "5000.00");
}

#[test]
fn a_period_end_bills_what_accumulated_once_and_catches_up_missed_periods() {
    let f = Fixture::new();
    let mut input = hours_rule(&f, "draft");
    input.quantity_threshold = None;
    input.period = Some("monthly".into());
    input.period_anchor = Some(day(2026, 11, 1));
    let rule = enabled(&f, &input);
    log(&f, "3", "Support", day(2026, 11, 22), Some("T-1"));
    log(&f, "2", "Support", day(2026, 11, 29), Some("T-2"));
    log(&f, "4", "Support", day(2026, 12, 3), Some("T-3"));
    f.app.run_jobs_once().unwrap();
    assert_eq!(
        count(&f, "SELECT COUNT(*) FROM invoices"),
        0,
        "November has not ended"
    );

    at(&f, day(2026, 12, 1));
    f.app.run_jobs_once().unwrap();
    f.app.run_jobs_once().unwrap();
    assert_eq!(count(&f, "SELECT COUNT(*) FROM invoices"), 1, "billed once");
    let nov: i64 = db(&f)
        .query_row("SELECT invoice_id FROM usage_billings", [], |r| r.get(0))
        .unwrap();
    let inv = f.app.invoice(&f.admin, nov).unwrap();
    assert_eq!(
        inv.issue_date,
        day(2026, 11, 30),
        "dated to its period's end"
    );
    assert_eq!(inv.lines.len(), 2, "the December entry waits for December");

    // The app closed until February 2: December is billed (caught up) and
    // January, with nothing logged, is recorded empty; each once.
    at(&f, day(2027, 2, 2));
    f.app.run_jobs_once().unwrap();
    f.app.run_jobs_once().unwrap();
    assert_eq!(count(&f, "SELECT COUNT(*) FROM invoices"), 2);
    assert_eq!(count(&f, "SELECT COUNT(*) FROM usage_billings"), 3);
    assert!(billed(&f).iter().all(|(_, i)| i.is_some()));
    let audit = audit_events(&f, &format!("threshold:{}", rule.id));
    let bills: Vec<_> = audit
        .iter()
        .filter(|(a, _)| a == "threshold.billed")
        .collect();
    assert_eq!(bills.len(), 2);
    assert_eq!(bills[0].1["caught_up"], false);
    assert_eq!(bills[1].1["caught_up"], true);
    assert_eq!(bills[1].1["period"]["start"], "2026-12-01");
    assert!(audit
        .iter()
        .any(|(a, d)| a == "threshold.period_empty" && d["period"]["start"] == "2027-01-01"));
}

#[test]
fn an_entry_sent_again_with_its_reference_is_recorded_once() {
    let f = Fixture::new();
    enabled(&f, &hours_rule(&f, "draft"));
    let first = log(&f, "2", "Call", day(2026, 11, 21), Some("jira-101"));
    assert!(!first.duplicate);
    let again = log(&f, "2", "Call", day(2026, 11, 21), Some("jira-101"));
    assert!(again.duplicate);
    assert_eq!(again.entry.id, first.entry.id);
    assert_eq!(again.progress.quantity, "2");
    assert_eq!(count(&f, "SELECT COUNT(*) FROM usage_entries"), 1);
}

#[test]
fn a_test_run_writes_nothing_and_an_untested_or_edited_rule_cannot_be_enabled() {
    let f = Fixture::new();
    f.set_up_email();
    let r = f
        .app
        .create_threshold(&f.admin, &hours_rule(&f, "issue_and_send"))
        .unwrap();
    assert_eq!(r.state, "disabled");
    let refused = f.app.enable_threshold(&f.admin, r.id).unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidState);
    assert!(refused.message.contains("test run"), "{}", refused.message);
    // A disabled rule takes no entries.
    let none = f
        .app
        .record_usage(
            &f.admin,
            &UsageInput {
                customer_id: f.customer.id,
                measure: "hours".into(),
                quantity: "1".into(),
                description: "x".into(),
                occurred_on: day(2026, 11, 21),
                ..UsageInput::default()
            },
        )
        .unwrap_err();
    assert_eq!(none.code, ErrorCode::NotFound);

    let before = row_counts(&f, &[]);
    let run = f.app.test_threshold(&f.admin, r.id).unwrap();
    assert_eq!(row_counts(&f, &[]), before, "row counts unchanged");
    assert!(f.outbox_files().is_empty());
    assert!(run.sample, "no entries yet: sample entries");
    assert_eq!(run.entries.len(), 3);
    assert_eq!(run.outcome, "queued_for_sending");
    assert_eq!(run.customer_name, f.customer.name);
    assert!(!run.needs_approval);
    assert_eq!(run.number.as_deref(), Some("INV-2026-00001"));
    // 20 sample hours at 100.00 plus 8.25 % tax, rounded per line.
    assert_eq!(run.totals.total, "2165.01");
    let text = invoicer_tests::pdftotext(&run.pdf_bytes);
    assert!(text.contains("Consulting (sample)"), "{text}");
    assert!(
        text.contains("2,165.01") || text.contains("2165.01"),
        "{text}"
    );
    f.app.run_jobs_once().unwrap();
    assert!(f.outbox_files().is_empty(), "nothing was sent");

    let on = f.app.enable_threshold(&f.admin, r.id).unwrap();
    assert_eq!(on.state, "active");
    log(&f, "39", "Work", day(2026, 11, 21), None);
    let before = row_counts(&f, &[]);
    let run = f.app.test_threshold(&f.admin, r.id).unwrap();
    assert_eq!(row_counts(&f, &[]), before);
    assert!(!run.sample);
    assert_eq!(run.entries.len(), 1);
    assert_eq!(run.entries[0].quantity, "39");

    // Entries logged for this customer are never billed to another one.
    let other = f
        .app
        .create_customer(
            &f.admin,
            &CustomerInput {
                email: "other@globex.test".into(),
                ..invoicer_tests::california_customer()
            },
        )
        .unwrap();
    let mut moved = hours_rule(&f, "draft");
    moved.customer_id = other.id;
    let e = f
        .app
        .update_threshold(
            &f.admin,
            &UpdateThresholdInput {
                id: r.id,
                threshold: moved,
            },
        )
        .unwrap_err();
    assert_eq!(e.details.unwrap()[0].field, "customer_id");
    assert_eq!(f.app.threshold(&f.admin, r.id).unwrap().state, "active");

    // Editing the rule switches it off until it passes a test again.
    let mut changed = hours_rule(&f, "approval");
    changed.quantity_threshold = Some("80".into());
    let edited = f
        .app
        .update_threshold(
            &f.admin,
            &UpdateThresholdInput {
                id: r.id,
                threshold: changed,
            },
        )
        .unwrap();
    assert_eq!(
        (edited.state.as_str(), edited.tested_at.as_deref()),
        ("disabled", None)
    );
    assert!(f.app.enable_threshold(&f.admin, r.id).is_err());
    let run = f.app.test_threshold(&f.admin, r.id).unwrap();
    assert!(
        run.needs_approval,
        "the approval action always asks an approver"
    );
    assert_eq!(run.outcome, "awaiting_approval");
    f.app.enable_threshold(&f.admin, r.id).unwrap();
}

#[test]
fn only_admins_define_rules_and_fields_are_named() {
    let f = Fixture::new();
    let specialist = f.user("sam@acme.test", Role::Specialist);
    let refused = f
        .app
        .create_threshold(&specialist, &hours_rule(&f, "draft"))
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Forbidden);
    let mut bad = hours_rule(&f, "sometimes");
    bad.quantity_threshold = Some("-3".into());
    let e = f.app.create_threshold(&f.admin, &bad).unwrap_err();
    let fields: Vec<_> = e.details.unwrap().into_iter().map(|d| d.field).collect();
    assert!(fields.contains(&"action".to_string()), "{fields:?}");
    assert!(
        fields.contains(&"quantity_threshold".to_string()),
        "{fields:?}"
    );
    let mut none = hours_rule(&f, "draft");
    none.quantity_threshold = None;
    let e = f.app.create_threshold(&f.admin, &none).unwrap_err();
    assert!(
        e.message.contains("period end") || e.details.unwrap()[0].message.contains("period end")
    );
}
