//! The invoice list's and "Due & overdue"'s filters that the dashboard's
//! links open, on a real SQLite file: the query plans SQLite picks for them
//! walk an index (never every invoice).

mod bulk_support;

use bulk_support::*;
use chrono::NaiveDate;
use invoicer_domain::lifecycle::DisplayStatus;
use invoicer_domain::Currency;
use invoicer_store::{DueFilter, InvoiceFilter, InvoiceSort, StatusFilter};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Whether a plan reads `invoices` through an index for every step that
/// touches it (a bare `SCAN invoices` walks every row).
fn on_an_index(plan: &[String]) -> bool {
    plan.iter()
        .filter(|l| l.contains("invoices"))
        .all(|l| l.contains("INDEX") || l.contains("PRIMARY KEY"))
}

#[test]
fn the_overdue_list_of_one_currency_walks_an_index_for_the_common_sorts() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _, _) = setup(&dir.path().join("invoicer.db"));
    let today = d("2026-12-20");
    let eur = Currency::from_code("EUR").unwrap();
    for (sort, descending) in [
        (InvoiceSort::IssueDate, true),
        (InvoiceSort::DueDate, false),
        (InvoiceSort::DueDate, true),
    ] {
        for status in [None, Some(StatusFilter::Display(DisplayStatus::Overdue))] {
            let filter = InvoiceFilter {
                status,
                currency: Some(eur),
                sort,
                descending,
                limit: 50,
                ..InvoiceFilter::default()
            };
            let plan = store
                .read(|tx| tx.list_invoices_plan(&filter, today))
                .unwrap();
            assert!(on_an_index(&plan), "{sort:?} {status:?}: {plan:#?}");
        }
    }
}

#[test]
fn the_due_view_filtered_to_disputes_near_their_end_walks_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let (store, user, customer) = setup(&dir.path().join("invoicer.db"));
    store
        .write(|tx| {
            let a = make_invoice(tx, user, &customer)?;
            tx.open_dispute(a, "hours billed twice", d("2026-11-23"), 30, "admin", at())
        })
        .unwrap();
    let filter = DueFilter {
        dispute_window_ends_by: Some(d("2026-12-30")),
        limit: 50,
        ..DueFilter::default()
    };
    let plan = store.read(|tx| tx.due_invoices_plan(&filter)).unwrap();
    assert!(on_an_index(&plan), "{plan:#?}");
}
