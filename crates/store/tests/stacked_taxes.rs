//! Lines with several taxes, and lines written before taxes could stack, read
//! back exactly from a real SQLite file.

use chrono::{NaiveDate, TimeZone, Utc};
use invoicer_domain::authorization::Role;
use invoicer_domain::customer::Customer;
use invoicer_domain::invoice::InvoiceContent;
use invoicer_domain::line::LineItem;
use invoicer_domain::money::{RoundingMode, RoundingScope};
use invoicer_domain::tax::TaxRate;
use invoicer_domain::{Currency, Decimal};
use invoicer_store::{InvoiceRecord, Store};

fn rate(name: &str, pct: &str, compound: bool) -> TaxRate {
    TaxRate {
        id: None,
        country: "CA".into(),
        region: Some("QC".into()),
        name: name.into(),
        rate: pct.parse().unwrap(),
        inclusive: false,
        compound,
        position: 0,
        automatic: true,
        valid_from: None,
        valid_to: None,
    }
}

fn line(taxes: Vec<TaxRate>, exemption: Option<&str>) -> LineItem {
    LineItem {
        description: "Consulting".into(),
        quantity: Decimal::ONE,
        unit_price: "100.00".parse().unwrap(),
        discount_percent: None,
        taxes,
        tax_exemption: exemption.map(Into::into),
        proration: None,
    }
}

fn save(store: &Store, lines: Vec<LineItem>) -> i64 {
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap();
    store
        .write(|tx| {
            let user = tx.insert_user("a@acme.test", "A", Role::Admin, "x", at)?;
            let mut customer = Customer {
                id: 0,
                name: "Ginette".into(),
                company: None,
                email: "g@example.ca".into(),
                address: "1 rue Principale".into(),
                city: "Montréal".into(),
                region: Some("QC".into()),
                postal_code: "H2X 1Y4".into(),
                country: "CA".into(),
                tax_id: None,
                currency: None,
                template: None,
                cc: Vec::new(),
                bcc: Vec::new(),
                external_ref: None,
            };
            customer.id = tx.insert_customer(&customer, at)?;
            let content = InvoiceContent {
                customer,
                currency: Currency::from_code("CAD").unwrap(),
                issue_date: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                terms_days: 30,
                notes: None,
                lines,
            };
            let totals = content.totals(RoundingScope::PerLine, RoundingMode::HalfUp);
            tx.insert_invoice(
                InvoiceRecord {
                    content: &content,
                    totals: &totals,
                    rounding_scope: RoundingScope::PerLine,
                    rounding_mode: RoundingMode::HalfUp,
                },
                user.id,
                at,
            )
        })
        .unwrap()
}

#[test]
fn stacked_taxes_and_exemption_reasons_read_back_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("invoicer.db")).unwrap();
    let id = save(
        &store,
        vec![
            line(
                vec![rate("GST", "5", false), rate("QST", "9.975", true)],
                None,
            ),
            line(
                Vec::new(),
                Some("Reverse charge — Article 196 VAT Directive"),
            ),
        ],
    );
    let inv = store.read(|tx| tx.invoice(id)).unwrap().unwrap();
    let names: Vec<_> = inv.content.lines[0]
        .taxes
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(names, ["GST", "QST"]);
    assert!(inv.content.lines[0].taxes[1].compound);
    assert_eq!(
        inv.totals.lines[0].taxes,
        ["5.00".parse::<Decimal>().unwrap(), "10.47".parse().unwrap()]
    );
    assert_eq!(
        inv.content.lines[1].tax_exemption.as_deref(),
        Some("Reverse charge — Article 196 VAT Directive")
    );
    assert_eq!(inv.totals.tax_breakdown.len(), 2);
    assert!(inv.totals.tax_breakdown[1].compound);
    assert_eq!(inv.totals.total, "215.47".parse().unwrap());
}

#[test]
fn a_line_stored_before_stacking_reads_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoicer.db");
    let store = Store::open(&path).unwrap();
    let id = save(
        &store,
        vec![line(vec![rate("QC sales tax", "14.975", false)], None)],
    );
    let before = store.read(|tx| tx.invoice(id)).unwrap().unwrap();
    // Remove what migration 0005 added for the line, leaving the row exactly
    // as the single-tax schema wrote it.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("DELETE FROM invoice_line_taxes", []).unwrap();
    drop(conn);
    let after = store.read(|tx| tx.invoice(id)).unwrap().unwrap();
    assert_eq!(after.content.lines, before.content.lines);
    assert_eq!(after.totals, before.totals);
    assert_eq!(
        after.totals.lines[0].taxes,
        ["14.98".parse::<Decimal>().unwrap()]
    );
}

#[test]
fn rates_stored_before_stacking_keep_applying_one_per_region() {
    use invoicer_domain::tax::applicable_rates;
    use rusqlite_migration::{Migrations, M};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoicer.db");
    // A database as the single-tax schema left it: standard and reduced VAT
    // side by side, of which only the first by name applied automatically.
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    Migrations::new(vec![
        M::up(include_str!("../migrations/0001_initial.sql")),
        M::up(include_str!("../migrations/0002_templates.sql")),
        M::up(include_str!("../migrations/0003_list_indexes.sql")),
        M::up(include_str!("../migrations/0004_invoice_search.sql")),
    ])
    .to_latest(&mut conn)
    .unwrap();
    conn.execute_batch(
        "INSERT INTO tax_rates (country, region, name, rate, inclusive) VALUES
             ('DE', NULL, 'VAT 19%', '19', 1),
             ('DE', NULL, 'VAT 7%', '7', 1),
             ('US', 'CA', 'CA sales tax', '8.25', 0);",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let rates = store.read(|tx| tx.tax_rates()).unwrap();
    let manual: Vec<_> = rates
        .iter()
        .filter(|r| !r.automatic)
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(manual, ["VAT 7%"]);
    let d = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let de: Vec<_> = applicable_rates(&rates, "DE", None, d)
        .into_iter()
        .map(|r| r.name)
        .collect();
    assert_eq!(de, ["VAT 19%"]);
    assert_eq!(applicable_rates(&rates, "US", Some("CA"), d).len(), 1);
}
