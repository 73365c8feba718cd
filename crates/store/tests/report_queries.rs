//! The reports' stored facts on a real SQLite file: `invoices.settled_on`
//! (migration 0024's triggers) equals a recomputation from the payments,
//! refunds and credit notes after a mixed sequence of writes through the
//! store's own write paths.

mod bulk_support;

use bulk_support::*;
use chrono::NaiveDate;
use invoicer_domain::credit_note::CreditAmounts;
use invoicer_domain::payment::PaymentMethod;
use invoicer_domain::{Currency, Decimal};
use invoicer_store::{NewCreditNote, Store, StoreError, Tx};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn usd() -> Currency {
    Currency::from_code("USD").unwrap()
}

fn pay(tx: &Tx<'_>, user: i64, id: i64, cents: i64, on: &str) -> Result<(), StoreError> {
    tx.insert_payment(
        id,
        usd(),
        Decimal::new(cents, 2),
        d(on),
        PaymentMethod::BankTransfer,
        None,
        user,
        at(),
    )
    .map(drop)
}

fn refund(tx: &Tx<'_>, user: i64, id: i64, cents: i64, on: &str) -> Result<(), StoreError> {
    tx.insert_refund(
        id,
        usd(),
        Decimal::new(cents, 2),
        d(on),
        PaymentMethod::BankTransfer,
        None,
        user,
        at(),
    )
    .map(drop)
}

fn credit(
    tx: &Tx<'_>,
    user: i64,
    id: i64,
    cents: i64,
    on: &str,
    number: &str,
) -> Result<(), StoreError> {
    let amounts = CreditAmounts {
        lines: Vec::new(),
        net: Decimal::new(cents, 2),
        tax: Decimal::ZERO,
        total: Decimal::new(cents, 2),
    };
    tx.insert_credit_note(
        &NewCreditNote {
            invoice_id: id,
            currency: usd(),
            number,
            issue_date: d(on),
            reason: "Discount",
            amounts: &amounts,
            template: None,
            pdf: b"%PDF",
            pdf_sha256: "x",
            issued_by: user,
        },
        at(),
    )
    .map(drop)
}

/// (stored settled_on, recomputed) per invoice: the latest payment or
/// credit-note day when what settled the invoice covers its total, else none.
fn settled(store: &Store) -> Vec<(i64, Option<String>, Option<String>)> {
    let path = store.path().to_path_buf();
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut st = conn
        .prepare(
            "SELECT i.id, i.settled_on,
                    CASE WHEN (SELECT COALESCE(SUM(amount_minor), 0) FROM payments WHERE invoice_id = i.id)
                            - (SELECT COALESCE(SUM(amount_minor), 0) FROM refunds WHERE invoice_id = i.id)
                            + (SELECT COALESCE(SUM(total_minor), 0) FROM credit_notes WHERE invoice_id = i.id)
                            >= i.total_minor
                         THEN (SELECT MAX(d) FROM (
                                 SELECT MAX(date) AS d FROM payments WHERE invoice_id = i.id
                                 UNION ALL
                                 SELECT MAX(issue_date) FROM credit_notes WHERE invoice_id = i.id))
                    END
             FROM invoices i ORDER BY i.id",
        )
        .unwrap();
    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn settled_on_follows_every_payment_refund_and_credit_note() {
    let dir = tempfile::tempdir().unwrap();
    let (store, user, customer) = setup(&dir.path().join("invoicer.db"));
    // Five invoices of 125.00 each.
    let ids: Vec<i64> = store
        .write(|tx| (0..5).map(|_| make_invoice(tx, user, &customer)).collect())
        .unwrap();
    let (a, b, c, e, f) = (ids[0], ids[1], ids[2], ids[3], ids[4]);
    store
        .write(|tx| {
            // a: two payments; settled by the second.
            pay(tx, user, a, 10_000, "2026-12-01")?;
            pay(tx, user, a, 2_500, "2026-12-05")?;
            // b: paid, partly refunded (open again), paid again.
            pay(tx, user, b, 12_500, "2026-12-02")?;
            refund(tx, user, b, 2_000, "2026-12-03")?;
            // c: a credit note and a payment recorded with an earlier date.
            credit(tx, user, c, 2_500, "2026-12-10", "CN-1")?;
            pay(tx, user, c, 10_000, "2026-12-04")?;
            // e: only partly paid.
            pay(tx, user, e, 5_000, "2026-12-06")
        })
        .unwrap();
    // Each write in its own transaction too.
    store
        .write(|tx| pay(tx, user, b, 2_000, "2026-12-08"))
        .unwrap();
    store
        .write(|tx| credit(tx, user, f, 12_500, "2026-12-09", "CN-2"))
        .unwrap();
    let rows = settled(&store);
    assert_eq!(
        rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>(),
        [
            Some("2026-12-05".to_string()),
            Some("2026-12-08".into()),
            Some("2026-12-10".into()),
            None,
            Some("2026-12-09".into())
        ]
    );
    for (id, stored, recomputed) in &rows {
        assert_eq!(stored, recomputed, "invoice {id}");
    }
    // A refund after settling clears it; a failed write changes nothing.
    store
        .write(|tx| refund(tx, user, a, 100, "2026-12-20"))
        .unwrap();
    let failed: Result<(), StoreError> = store.write(|tx| {
        pay(tx, user, e, 7_500, "2026-12-21")?;
        Err(StoreError::Corrupt("abandoned".into()))
    });
    assert!(failed.is_err());
    for (id, stored, recomputed) in settled(&store) {
        assert_eq!(stored, recomputed, "invoice {id}");
        if id == a || id == e {
            assert_eq!(stored, None, "invoice {id}");
        }
    }
}
