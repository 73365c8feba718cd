//! The stored format outlives the code that wrote it: a database written by
//! the schema-8 code (`tests/fixtures/schema8.db`, made by
//! `tests/fixtures/make_schema8_db.sh` through the real CLI) opens with
//! today's store, migrates, and reads every row back through the store's
//! public API with the values it was written with.

use chrono::NaiveDate;
use invoicer_domain::authorization::Role;
use invoicer_domain::lifecycle::InvoiceStatus;
use invoicer_domain::money::{RoundingMode, RoundingScope};
use invoicer_domain::{Currency, Decimal};
use invoicer_store::{InvoiceFilter, Store};
use std::path::PathBuf;

/// A copy of the fixture in a temp folder, opened: migrations run on the
/// copy, never on the committed file.
fn open_fixture() -> (tempfile::TempDir, Store) {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/schema8.db");
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("invoicer.db");
    std::fs::copy(&fixture, &db).expect("the schema-8 fixture database exists");
    let store = Store::open(&db).expect("a schema-8 database opens and migrates");
    (dir, store)
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

#[test]
fn the_company_settings_read_back_with_every_field() {
    let (_dir, store) = open_fixture();
    let c = store.read(|tx| tx.company()).unwrap().expect("set up");
    assert_eq!(c.name, "Acme Billing");
    assert_eq!(
        c.address.as_deref(),
        Some("1 Market St\nSan Francisco, CA 94105")
    );
    assert_eq!(c.email.as_deref(), Some("billing@acme.test"));
    assert_eq!(c.tax_id.as_deref(), Some("US-12-3456789"));
    assert_eq!(
        (c.country.as_str(), c.region.as_deref()),
        ("US", Some("CA"))
    );
    assert_eq!(c.currency, Currency::from_code("USD").unwrap());
    assert_eq!(c.timezone.name(), "America/Los_Angeles");
    assert_eq!(c.payment_terms_days, 14);
    assert_eq!(c.number_format.as_str(), "ACME-{YYYY}-{SEQ:4}");
    assert_eq!(c.rounding_scope, RoundingScope::PerDocument);
    assert_eq!(c.rounding_mode, RoundingMode::HalfEven);
    assert!(c.require_customer_tax_id);
    assert_eq!(c.approval_threshold, dec("5000"));
    assert_eq!(c.dispute_window_days, 45);
    assert_eq!(
        c.payment_link_format.as_deref(),
        Some("https://pay.acme.test/invoices/{number}")
    );
    let rates: Vec<(String, Decimal, NaiveDate)> = c
        .exchange_rates
        .iter()
        .map(|r| (r.currency.code().to_string(), r.rate, r.valid_from))
        .collect();
    let jan1 = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    assert_eq!(
        rates,
        vec![
            ("EUR".to_string(), dec("1.08"), jan1),
            ("CAD".to_string(), dec("0.73"), jan1)
        ]
    );
}

/// Saving settings read from an old, untagged row writes the tagged v1
/// record, and it reads back equal: old and new rows are one format.
#[test]
fn old_settings_saved_again_are_tagged_v1_and_read_back_equal() {
    let (dir, store) = open_fixture();
    let raw = || -> String {
        let conn = rusqlite::Connection::open(dir.path().join("invoicer.db")).unwrap();
        conn.query_row("SELECT settings FROM company", [], |r| r.get(0))
            .unwrap()
    };
    assert!(!raw().contains("record_version"), "schema 8 wrote no tag");
    let before = store.read(|tx| tx.company()).unwrap().unwrap();
    store.write(|tx| tx.save_company(&before)).unwrap();
    assert!(
        raw().starts_with(r#"{"record_version":1,"name":"Acme Billing""#),
        "{}",
        raw()
    );
    assert_eq!(store.read(|tx| tx.company()).unwrap().unwrap(), before);
}

#[test]
fn users_customers_tax_rates_products_and_templates_read_back() {
    let (_dir, store) = open_fixture();
    store
        .read(|tx| {
            let users: Vec<(String, Role)> =
                tx.users()?.into_iter().map(|u| (u.email, u.role)).collect();
            assert_eq!(
                users,
                vec![
                    ("admin@acme.test".to_string(), Role::Admin),
                    ("alex@acme.test".to_string(), Role::Approver),
                    ("bo@acme.test".to_string(), Role::Admin),
                    ("sam@acme.test".to_string(), Role::Specialist),
                ]
            );
            let sam = tx.user_by_email("sam@acme.test")?.expect("sam");
            assert!(sam.password_hash.starts_with("$argon2id$"));
            let failures = tx.sign_in_failures("sam@acme.test")?.expect("one failure");
            assert_eq!(failures.count, 1);

            let customers = tx.customers(None)?;
            assert_eq!(customers.len(), 4);
            let globex = tx.customer(1)?.expect("customer 1");
            assert_eq!(globex.company.as_deref(), Some("Globex"));
            assert_eq!(globex.tax_id.as_deref(), Some("US-98-7654321"));
            assert_eq!(globex.currency, None);
            let berlin = tx.customer(3)?.expect("customer 3");
            assert_eq!(berlin.region, None);
            assert_eq!(berlin.currency, Currency::from_code("EUR"));
            assert_eq!(berlin.template.as_deref(), Some("standard-de"));
            assert_eq!(tx.customer_template(3)?.as_deref(), Some("standard-de"));
            let pei = tx.customer(4)?.expect("customer 4");
            assert_eq!((pei.company, pei.tax_id), (None, None));

            let rates = tx.tax_rates()?;
            assert_eq!(rates.len(), 7);
            let pst = tx.tax_rate(5)?.expect("PEI PST");
            assert_eq!(
                (pst.name.as_str(), pst.rate, pst.compound),
                ("PEI PST", dec("10"), true)
            );
            let reduced = tx.tax_rate(6)?.expect("reduced rate");
            assert!(!reduced.automatic, "a manual rate stays manual");
            let vat = tx.tax_rate(7)?.expect("MwSt");
            assert!(vat.inclusive);
            assert_eq!((vat.country.as_str(), vat.region), ("DE", None));

            let products = tx.products()?;
            let names: Vec<&str> = products.iter().map(|p| p.name.as_str()).collect();
            assert_eq!(names.len(), 3);
            assert!(names.contains(&"Consulting") && names.contains(&"Support (EUR)"));
            let hosting = products.iter().find(|p| p.name == "Hosting").unwrap();
            assert_eq!(
                (hosting.unit_price, hosting.tax_rate_id),
                (dec("49.99"), Some(1))
            );

            let templates = tx.templates()?;
            let en = templates.iter().find(|t| t.name == "standard-en").unwrap();
            assert_eq!((en.current_version, en.is_default), (2, true));
            assert_eq!(en.updated_by, "admin@acme.test");
            assert_eq!(tx.default_template()?.as_deref(), Some("standard-en"));
            assert_eq!(tx.template_history("standard-en")?.len(), 2);
            let v2 = tx.template_version("standard-en", Some(2))?.expect("v2");
            assert!(v2.bundle.contains("Thank you for your business"));
            Ok::<_, invoicer_store::StoreError>(())
        })
        .unwrap();
}

#[test]
fn every_invoice_reads_back_with_its_status_snapshot_lines_and_totals() {
    let (_dir, store) = open_fixture();
    store
        .read(|tx| {
            let statuses: Vec<InvoiceStatus> = (1..=8)
                .map(|id| tx.invoice(id).map(|i| i.expect("invoice").status))
                .collect::<Result<_, _>>()?;
            use InvoiceStatus::*;
            assert_eq!(
                statuses,
                vec![
                    PartiallyPaid,
                    Paid,
                    Void,
                    Draft,
                    PendingApproval,
                    Approved,
                    Rejected,
                    Issued
                ]
            );

            let one = tx.invoice(1)?.expect("invoice 1");
            assert_eq!(one.number.as_deref(), Some("ACME-2026-0001"));
            let snap = &one.content.customer;
            assert_eq!((snap.id, snap.name.as_str()), (1, "Zoë Müller"));
            assert_eq!(snap.address, "1 Market St");
            assert_eq!(snap.region.as_deref(), Some("CA"));
            assert_eq!(snap.tax_id.as_deref(), Some("US-98-7654321"));
            assert_eq!(one.content.notes.as_deref(), Some("PO 4711"));
            assert_eq!(one.content.terms_days, 14);
            assert_eq!(
                (one.rounding_scope, one.rounding_mode),
                (RoundingScope::PerLine, RoundingMode::HalfEven)
            );
            assert_eq!(one.totals.total, dec("1798.07"));
            assert_eq!(one.amount_paid, dec("500.00"));
            let lines = &one.content.lines;
            assert_eq!(lines.len(), 4);
            assert_eq!(lines[1].discount_percent, Some(dec("10")));
            assert_eq!(lines[2].taxes[0].name, "Reduced rate");
            assert_eq!(
                lines[3].tax_exemption.as_deref(),
                Some("Export outside the state")
            );
            assert!(lines[3].taxes.is_empty());
            let template = one.template.as_ref().expect("pinned at issue");
            assert_eq!(
                (template.name.as_str(), template.version),
                ("standard-en", 2)
            );
            let (pdf, sha) = tx.archived_pdf(1)?.expect("archived");
            assert!(pdf.starts_with(b"%PDF"));
            assert_eq!(one.pdf_sha256.as_deref(), Some(sha.as_str()));

            let two = tx.invoice(2)?.expect("invoice 2");
            let names: Vec<&str> = two.content.lines[0]
                .taxes
                .iter()
                .map(|t| t.name.as_str())
                .collect();
            assert_eq!(names, ["GST", "QST"]);
            assert_eq!(
                (two.totals.total, two.amount_paid),
                (dec("1149.75"), dec("1149.75"))
            );
            assert_eq!(two.content.customer.currency, Currency::from_code("CAD"));

            let three = tx.invoice(3)?.expect("invoice 3");
            assert_eq!(three.void_reason.as_deref(), Some("Wrong customer"));
            assert_eq!(
                three.content.customer.template.as_deref(),
                Some("standard-de")
            );
            assert!(three.totals.tax_breakdown[0].inclusive);
            assert_eq!(three.totals.total, dec("357.00"));

            let four = tx.invoice(4)?.expect("invoice 4");
            assert!(four.content.lines[0].taxes[1].compound);
            assert_eq!(four.totals.tax_total, dec("11.78"));
            assert_eq!(four.number, None);

            let eight = tx.invoice(8)?.expect("invoice 8");
            assert_eq!(eight.rounding_scope, RoundingScope::PerDocument);
            assert_eq!(eight.totals.total, dec("9.53"));

            let payments = tx.payments(1, one.content.currency)?;
            assert_eq!(payments.len(), 1);
            assert_eq!(payments[0].amount, dec("500.00"));
            assert_eq!(payments[0].reference.as_deref(), Some("WIRE-1"));
            assert_eq!(
                payments[0].date,
                NaiveDate::from_ymd_opt(2026, 11, 10).unwrap()
            );
            assert_eq!(tx.payments(2, two.content.currency)?.len(), 1);

            let (rows, total) = tx.list_invoices(
                &InvoiceFilter {
                    limit: 50,
                    ..InvoiceFilter::default()
                },
                NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            )?;
            assert_eq!(total, 8);
            let row = rows.iter().find(|r| r.id == 1).unwrap();
            assert_eq!(
                (row.customer_name.as_str(), row.balance),
                ("Globex", dec("1298.07"))
            );
            let search = InvoiceFilter {
                search: Some("Érable".into()),
                limit: 50,
                ..InvoiceFilter::default()
            };
            let (found, _) =
                tx.list_invoices(&search, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap())?;
            let ids: Vec<i64> = found.iter().map(|r| r.id).collect();
            assert_eq!(ids.len(), 2, "the search index finds both Érable invoices");
            assert!(ids.contains(&2) && ids.contains(&7));
            assert_eq!(tx.customers(Some("Globex"))?.len(), 1);
            assert_eq!(tx.issued_invoice_ids()?, vec![1, 2, 3, 8]);
            assert_eq!(tx.peek_in_series("ACME-2026-{SEQ}")?, 5);
            Ok::<_, invoicer_store::StoreError>(())
        })
        .unwrap();
}

#[test]
fn the_audit_trail_reads_back_and_its_chain_verifies() {
    let (_dir, store) = open_fixture();
    store
        .read(|tx| {
            let report = tx.verify_audit(None)?;
            assert!(report.intact, "{}", report.message);
            assert_eq!(report.events_checked, 57);
            let head = tx.audit_head()?.expect("a head");
            assert_eq!(head.seq, 57);
            let actions: Vec<String> = tx
                .audit_for_entity("invoice:1")?
                .into_iter()
                .map(|e| e.action)
                .collect();
            assert_eq!(
                actions,
                ["invoice.created", "invoice.issued", "payment.recorded"]
            );
            let mut seen = 0;
            tx.each_audit_event(|e| {
                seen += 1;
                assert_eq!(e.seq, seen);
                Ok(true)
            })?;
            assert_eq!(seen, 57);
            Ok::<_, invoicer_store::StoreError>(())
        })
        .unwrap();
}

/// The app opens the old database too and sees the same invoices.
#[test]
fn the_app_opens_the_schema_8_database() {
    let (dir, store) = open_fixture();
    drop(store);
    let clock = std::sync::Arc::new(invoicer_app::ManualClock::new(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 25, 12, 0, 0).unwrap(),
    ));
    let app = invoicer_app::Invoicer::open(dir.path(), clock).expect("the app opens it");
    let admin = app
        .sign_in(&invoicer_app::api::SignInInput {
            email: "admin@acme.test".into(),
            password: "correct-horse-1".into(),
        })
        .expect("the admin signs in");
    let inv = app.invoice(&admin, 1).expect("invoice 1");
    assert_eq!(inv.number.as_deref(), Some("ACME-2026-0001"));
    // Verification recomputes every issued invoice from its stored lines and
    // re-hashes its archived PDF: the old rows still add up.
    let report = app.verify_audit(&admin).expect("verify");
    assert!(report.intact, "{}", report.message);
    assert!(
        report.message.contains("4 issued invoices match"),
        "{}",
        report.message
    );
}

/// A schema-8 database knew one approval threshold: it reads as one approver
/// from that threshold, and rules with levels, the "every invoice" switch and
/// scoped rules saved to the same file read back equal after reopening.
#[test]
fn the_old_threshold_reads_as_one_approval_level_and_new_rules_survive_a_reopen() {
    use invoicer_domain::approval_rules::{
        ApprovalLevel, ApprovalRules, RuleScope, ScopedRule, TriggerSource,
    };
    let (dir, store) = open_fixture();
    let mut c = store.read(|tx| tx.company()).unwrap().expect("set up");
    assert_eq!(
        c.approval_rules.levels,
        vec![ApprovalLevel {
            from: dec("5000"),
            approvers: 1
        }]
    );
    assert!(!c.approval_rules.every_invoice);
    assert!(c.approval_rules.scoped.is_empty());

    c.approval_rules.every_invoice = true;
    c.approval_rules.levels.push(ApprovalLevel {
        from: dec("100000.00"),
        approvers: 2,
    });
    c.approval_rules.scoped = vec![ScopedRule {
        scope: RuleScope::Source(TriggerSource::Recurring),
        from: None,
        approvers: 2,
    }];
    c.validate().expect("valid rules");
    store.write(|tx| tx.save_company(&c)).unwrap();
    drop(store);
    let reopened = Store::open(&dir.path().join("invoicer.db")).unwrap();
    let back = reopened.read(|tx| tx.company()).unwrap().unwrap();
    assert_eq!(back, c);
    assert_eq!(back.approval_threshold, dec("5000"));
    assert_ne!(
        back.approval_rules,
        ApprovalRules::from_threshold(dec("5000"))
    );
}
