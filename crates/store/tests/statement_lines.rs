//! Bank statement lines on a real SQLite file: one row per fingerprint
//! (inserting it again stores nothing), applied at most once (the
//! compare-and-set, and a payment belongs to one line), and statement
//! profiles saved by name and read back.

mod bulk_support;

use bulk_support::*;
use chrono::NaiveDate;
use invoicer_domain::bulk_mapping::{DateStyle, NumberStyle};
use invoicer_domain::payment::PaymentMethod;
use invoicer_domain::reconciliation::{fingerprint, LineStatus, StatementLine};
use invoicer_domain::statement_mapping::{auto_map_statement, StatementProfile};
use invoicer_domain::{Currency, Decimal};
use invoicer_store::NewStatementLine;

fn line() -> StatementLine {
    StatementLine {
        date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        amount: Decimal::new(12_500, 2),
        reference: "INV-2026-00001".into(),
        counterparty: Some("Ann Lee".into()),
        iban: None,
    }
}

#[test]
fn a_line_is_stored_once_and_applied_once() {
    let dir = tempfile::tempdir().unwrap();
    let (store, user, customer) = setup(&dir.path().join("invoicer.db"));
    let l = line();
    let print = fingerprint(&l, 0);
    let new = NewStatementLine {
        fingerprint: &print,
        line: &l,
        file_line: 2,
        status: LineStatus::Unmatched,
        basis: None,
        invoice_id: None,
        candidates: &[],
        imported_by: user,
    };
    let id = store
        .write(|tx| tx.insert_statement_line(&new, at()))
        .unwrap()
        .expect("stored");
    // The same fingerprint again stores nothing and answers None.
    assert_eq!(
        store
            .write(|tx| tx.insert_statement_line(&new, at()))
            .unwrap(),
        None
    );
    // The second identical line of a file has its own fingerprint.
    let second = fingerprint(&l, 1);
    let again = NewStatementLine {
        fingerprint: &second,
        ..new.clone()
    };
    let other = store
        .write(|tx| tx.insert_statement_line(&again, at()))
        .unwrap()
        .expect("a second line");

    let (invoice, payment) = store
        .write(|tx| {
            let invoice = make_invoice(tx, user, &customer)?;
            let usd = Currency::from_code("USD").unwrap();
            let p = tx.insert_payment(
                invoice,
                usd,
                l.amount,
                l.date,
                PaymentMethod::BankTransfer,
                Some("INV-2026-00001"),
                user,
                at(),
            )?;
            Ok::<_, invoicer_store::StoreError>((invoice, p.id))
        })
        .unwrap();
    assert!(store
        .write(|tx| tx.mark_statement_line_applied(id, invoice, payment, user, at()))
        .unwrap());
    // Applied once: the compare-and-set finds nothing to change the second time.
    assert!(!store
        .write(|tx| tx.mark_statement_line_applied(id, invoice, payment, user, at()))
        .unwrap());
    // A payment belongs to one line: applying another line as the same
    // payment violates the unique payment column.
    let taken = store
        .write(|tx| tx.mark_statement_line_applied(other, invoice, payment, user, at()))
        .unwrap_err();
    assert_eq!(
        taken.unique_violation_column().as_deref(),
        Some("statement_lines.payment_id")
    );
    let stored = store.read(|tx| tx.statement_line(id)).unwrap().unwrap();
    assert_eq!(stored.status, LineStatus::Applied);
    assert_eq!(stored.payment_id, Some(payment));
    assert_eq!(stored.line, l);
    // An applied line cannot be dismissed; the open one can, once.
    assert!(!store
        .write(|tx| tx.dismiss_statement_line(id, user, at()))
        .unwrap());
    assert!(store
        .write(|tx| tx.dismiss_statement_line(other, user, at()))
        .unwrap());
    assert!(store
        .read(|tx| tx.open_statement_lines())
        .unwrap()
        .is_empty());
}

#[test]
fn statement_profiles_are_saved_by_name_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _, _) = setup(&dir.path().join("invoicer.db"));
    let headers: Vec<String> = ["Buchungstag", "Verwendungszweck", "Betrag"]
        .map(String::from)
        .to_vec();
    let mut p = StatementProfile {
        name: "Sparkasse".into(),
        encoding: "windows-1252".into(),
        delimiter: ';',
        columns: auto_map_statement(&headers),
        numbers: NumberStyle {
            decimal: ',',
            thousands: Some('.'),
        },
        dates: DateStyle::DayMonthYear,
    };
    let id = store
        .write(|tx| tx.save_statement_profile(&p, at()))
        .unwrap();
    p.encoding = "utf-8".into();
    assert_eq!(
        store
            .write(|tx| tx.save_statement_profile(&p, at()))
            .unwrap(),
        id
    );
    assert_eq!(
        store.read(|tx| tx.statement_profile("Sparkasse")).unwrap(),
        Some(p.clone())
    );
    assert_eq!(store.read(|tx| tx.statement_profiles()).unwrap(), vec![p]);
    assert_eq!(store.read(|tx| tx.statement_profile("Nope")).unwrap(), None);
}
