//! The invoices the store's benchmarks read: customers in Austin, one admin,
//! and `invoices` invoices of `lines` lines each, spread over 600 issue days.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use invoicer_domain::authorization::Role;
use invoicer_domain::customer::Customer;
use invoicer_domain::invoice::InvoiceContent;
use invoicer_domain::line::LineItem;
use invoicer_domain::money::{RoundingMode, RoundingScope};
use invoicer_domain::{Currency, Decimal};
use invoicer_store::{InvoiceRecord, Store, StoreError, Tx};

/// The benchmark data's size.
pub struct Seed {
    pub customers: usize,
    pub invoices: usize,
    pub lines: i64,
}

impl Seed {
    /// Writes the data in one transaction; `then(tx, id, i, at)` runs after
    /// invoice `i` is inserted, to issue it or change its status.
    pub fn write(
        &self,
        store: &Store,
        mut then: impl FnMut(&Tx<'_>, i64, usize, DateTime<Utc>) -> Result<(), StoreError>,
    ) {
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
        let usd = Currency::from_code("USD").unwrap();
        let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        store
            .write(|tx| {
                let user = tx.insert_user("bench@acme.test", "Bench", Role::Admin, "x", at)?;
                let mut customers = Vec::new();
                for i in 0..self.customers {
                    let mut c = customer(i);
                    c.id = tx.insert_customer(&c, at)?;
                    customers.push(c);
                }
                for i in 0..self.invoices {
                    let content = InvoiceContent {
                        customer: customers[i % customers.len()].clone(),
                        currency: usd,
                        issue_date: start.checked_add_days(Days::new((i % 600) as u64)).unwrap(),
                        terms_days: 30,
                        notes: None,
                        lines: (0..self.lines).map(|k| line(i, k)).collect(),
                    };
                    let totals = content.totals(RoundingScope::PerLine, RoundingMode::HalfUp);
                    let record = InvoiceRecord {
                        content: &content,
                        totals: &totals,
                        rounding_scope: RoundingScope::PerLine,
                        rounding_mode: RoundingMode::HalfUp,
                    };
                    let id = tx.insert_invoice(record, user.id, at)?;
                    then(tx, id, i, at)?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
    }
}

fn customer(i: usize) -> Customer {
    Customer {
        id: 0,
        name: format!("Customer {i}"),
        company: Some(format!("Globex {i}")),
        email: format!("c{i}@example.com"),
        address: "1 Main St".into(),
        city: "Austin".into(),
        region: Some("TX".into()),
        postal_code: "73301".into(),
        country: "US".into(),
        tax_id: None,
        currency: None,
        template: None,
        cc: Vec::new(),
        bcc: Vec::new(),
        external_ref: None,
    }
}

fn line(i: usize, k: i64) -> LineItem {
    LineItem {
        description: format!("Service {k}"),
        quantity: Decimal::from(1 + (i % 7) as i64),
        unit_price: Decimal::new(4999 + k, 2),
        discount_percent: None,
        taxes: Vec::new(),
        tax_exemption: None,
        proration: None,
    }
}
