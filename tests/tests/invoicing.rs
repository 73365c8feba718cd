//! The invoicing use cases end to end on a real SQLite file: totals, issue,
//! payments, voids, overdue with a moved clock, and refusals.

use chrono::Duration;
use invoicer_app::api::*;
use invoicer_app::ErrorCode;
use invoicer_tests::{line, Fixture};

#[test]
fn california_scenario_totals_issue_and_partial_payment() {
    let f = Fixture::new();
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    assert_eq!(draft.number, None);
    assert_eq!(draft.subtotal, "1549.99");
    assert_eq!(draft.discount_total, "5.00");
    assert_eq!(draft.tax_total, "127.46");
    assert_eq!(draft.total, "1672.45");
    assert_eq!(draft.due_date.to_string(), "2026-12-21");

    let issued = f.app.issue_invoice(&f.admin, draft.id).unwrap().invoice;
    assert_eq!(issued.number.as_deref(), Some("INV-2026-00001"));
    assert_eq!(issued.status, InvoiceStatus::Issued);

    let paid = f
        .app
        .record_payment(
            &f.admin,
            &PaymentInput {
                invoice_id: draft.id,
                method: None,
                amount: "500".into(),
                date: "2026-11-25".parse().unwrap(),
                reference: Some("WIRE-1".into()),
            },
        )
        .unwrap();
    assert_eq!(paid.invoice.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(paid.invoice.amount_paid, "500.00");
    assert_eq!(paid.invoice.balance, "1172.45");

    let rest = f
        .app
        .record_payment(
            &f.admin,
            &PaymentInput {
                invoice_id: draft.id,
                method: None,
                amount: "1172.45".into(),
                date: "2026-11-30".parse().unwrap(),
                reference: None,
            },
        )
        .unwrap();
    assert_eq!(rest.invoice.status, InvoiceStatus::Paid);
    assert_eq!(rest.invoice.balance, "0.00");
    let actions: Vec<String> = f
        .app
        .invoice_audit(&f.admin, draft.id)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "invoice.created",
            "invoice.issued",
            "payment.recorded",
            "payment.recorded"
        ]
    );
    assert!(f.app.verify_audit(&f.admin).unwrap().intact);
}

#[test]
fn invoices_become_overdue_when_the_clock_passes_the_due_date() {
    let f = Fixture::new();
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, inv.id).unwrap();
    f.clock.advance(Duration::days(30));
    assert_eq!(
        f.app.invoice(&f.admin, inv.id).unwrap().display_status,
        DisplayStatus::Issued,
        "due today is not overdue yet"
    );
    f.clock.advance(Duration::days(1));
    assert_eq!(
        f.app.invoice(&f.admin, inv.id).unwrap().display_status,
        DisplayStatus::Overdue
    );
    let overdue = f
        .app
        .list_invoices(
            &f.admin,
            &InvoiceQuery {
                status: Some(DisplayStatus::Overdue),
                ..InvoiceQuery::default()
            },
        )
        .unwrap();
    assert_eq!(overdue.total_count, 1);
    let issued = f
        .app
        .list_invoices(
            &f.admin,
            &InvoiceQuery {
                status: Some(DisplayStatus::Issued),
                ..InvoiceQuery::default()
            },
        )
        .unwrap();
    assert_eq!(
        issued.total_count, 0,
        "an overdue invoice is not listed as issued"
    );
}

#[test]
fn editing_an_issued_invoice_is_refused_and_changes_nothing() {
    let f = Fixture::new();
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, inv.id).unwrap();
    let mut changed = f.draft();
    changed.lines.push(line("Extra", "1", "1.00", None));
    let err = f
        .app
        .update_invoice(
            &f.admin,
            &UpdateDraftInput {
                invoice_id: inv.id,
                draft: changed,
            },
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert_eq!(
        err.message,
        "issued invoices cannot be changed; void it or issue a credit note"
    );
    assert_eq!(f.app.invoice(&f.admin, inv.id).unwrap().lines.len(), 2);
}

#[test]
fn a_draft_can_be_edited_until_issued() {
    let f = Fixture::new();
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let mut changed = f.draft();
    changed.lines.truncate(1);
    let edited = f
        .app
        .update_invoice(
            &f.admin,
            &UpdateDraftInput {
                invoice_id: inv.id,
                draft: changed,
            },
        )
        .unwrap();
    assert_eq!(edited.invoice.total, "1623.75");
}

#[test]
fn overpayment_is_refused_and_nothing_is_recorded() {
    let f = Fixture::new();
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, inv.id).unwrap();
    let err = f
        .app
        .record_payment(
            &f.admin,
            &PaymentInput {
                invoice_id: inv.id,
                method: None,
                amount: "1672.46".into(),
                date: "2026-11-21".parse().unwrap(),
                reference: None,
            },
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(
        err.message.contains("more than the balance of 1672.45 USD"),
        "{}",
        err.message
    );
    assert!(f.app.payments(&f.admin, inv.id).unwrap().is_empty());
    assert_eq!(f.app.invoice(&f.admin, inv.id).unwrap().balance, "1672.45");
}

#[test]
fn payment_on_a_draft_says_why() {
    let f = Fixture::new();
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let err = f
        .app
        .record_payment(
            &f.admin,
            &PaymentInput {
                invoice_id: inv.id,
                method: None,
                amount: "1".into(),
                date: "2026-11-21".parse().unwrap(),
                reference: None,
            },
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert!(err.message.contains("only be recorded on issued invoices"));
}

#[test]
fn voiding_needs_a_reason_and_keeps_the_number() {
    let f = Fixture::new();
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, inv.id).unwrap();
    let err = f
        .app
        .void_invoice(
            &f.admin,
            &VoidInput {
                invoice_id: inv.id,
                reason: " ".into(),
            },
        )
        .unwrap_err();
    assert_eq!(err.details.unwrap()[0].field, "reason");
    let void = f
        .app
        .void_invoice(
            &f.admin,
            &VoidInput {
                invoice_id: inv.id,
                reason: "Duplicate order".into(),
            },
        )
        .unwrap();
    assert_eq!(void.invoice.status, InvoiceStatus::Void);
    assert_eq!(void.invoice.number.as_deref(), Some("INV-2026-00001"));
    assert_eq!(void.invoice.void_reason.as_deref(), Some("Duplicate order"));
    // The next invoice takes the next number: voiding never frees a number.
    let next = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let next = f.app.issue_invoice(&f.admin, next.id).unwrap().invoice;
    assert_eq!(next.number.as_deref(), Some("INV-2026-00002"));
}

#[test]
fn bad_draft_input_names_every_field_and_saves_nothing() {
    let f = Fixture::new();
    let bad = DraftInput {
        customer_id: 999,
        issue_date: None,
        terms_days: None,
        notes: None,
        template: None,
        lines: vec![line("", "-3", "abc", Some("120"))],
    };
    let err = f.app.create_invoice(&f.admin, &bad).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    let fields: Vec<String> = err.details.unwrap().into_iter().map(|d| d.field).collect();
    assert_eq!(
        fields,
        [
            "customer_id",
            "lines[0].description",
            "lines[0].quantity",
            "lines[0].unit_price",
            "lines[0].discount_percent"
        ]
    );
    let page = f
        .app
        .list_invoices(&f.admin, &InvoiceQuery::default())
        .unwrap();
    assert_eq!(page.total_count, 0);
    assert!(f.app.verify_audit(&f.admin).unwrap().intact);
}

#[test]
fn unknown_ids_say_which() {
    let f = Fixture::new();
    let err = f.app.invoice(&f.admin, 42).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(err.message, "invoice 42 does not exist");
    let err = f.app.issue_invoice(&f.admin, 42).unwrap_err();
    assert_eq!(err.message, "invoice 42 does not exist");
    let err = f.app.customer(&f.admin, 7).unwrap_err();
    assert_eq!(err.message, "customer 7 does not exist");
}

#[test]
fn customer_validation_names_fields() {
    let f = Fixture::new();
    let mut c = invoicer_tests::california_customer();
    c.email = "not-an-email".into();
    c.region = None;
    let err = f.app.create_customer(&f.admin, &c).unwrap_err();
    let d = err.details.unwrap();
    assert_eq!(d[0].field, "email");
    assert!(d[0].message.contains("not-an-email"));
    assert_eq!(d[1].field, "region");
    assert!(f.app.customers(&f.admin, None).unwrap().len() == 1);
}

#[test]
fn pagination_and_search_query_one_page() {
    let f = Fixture::new();
    for _ in 0..7 {
        f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    }
    let q = InvoiceQuery {
        page: 2,
        page_size: 3,
        ..InvoiceQuery::default()
    };
    let page = f.app.list_invoices(&f.admin, &q).unwrap();
    assert_eq!(page.total_count, 7);
    assert_eq!(page.items.len(), 3);
    let none = f
        .app
        .list_invoices(
            &f.admin,
            &InvoiceQuery {
                search: Some("Initech".into()),
                ..InvoiceQuery::default()
            },
        )
        .unwrap();
    assert_eq!(none.total_count, 0);
    let some = f
        .app
        .list_invoices(
            &f.admin,
            &InvoiceQuery {
                search: Some("glob".into()),
                ..InvoiceQuery::default()
            },
        )
        .unwrap();
    assert_eq!(some.total_count, 7);
}

#[test]
fn products_are_catalogued_with_checked_fields() {
    let f = Fixture::new();
    let p = f
        .app
        .create_product(
            &f.admin,
            &ProductInput {
                name: "Consulting hours".into(),
                description: String::new(),
                unit_price: "150".into(),
                currency: None,
                tax_rate_id: None,
            },
        )
        .unwrap();
    assert_eq!(p.unit_price, "150.00");
    assert_eq!(p.currency, "USD");
    assert_eq!(p.description, "Consulting hours");
    let err = f
        .app
        .create_product(
            &f.admin,
            &ProductInput {
                name: "Bad".into(),
                description: String::new(),
                unit_price: "1".into(),
                currency: None,
                tax_rate_id: Some(99),
            },
        )
        .unwrap_err();
    assert_eq!(err.details.unwrap()[0].field, "tax_rate_id");
    assert_eq!(f.app.products(&f.admin).unwrap().len(), 1);
}

#[test]
fn search_finds_numbers_and_customer_names_by_any_part() {
    let f = Fixture::new();
    let first = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, first.id).unwrap();
    let count = |text: &str| {
        f.app
            .list_invoices(
                &f.admin,
                &InvoiceQuery {
                    search: Some(text.into()),
                    ..InvoiceQuery::default()
                },
            )
            .unwrap()
            .total_count
    };
    // The number is searchable once the invoice is issued (the index follows updates).
    assert_eq!(count("2026-00001"), 1);
    assert_eq!(count("lobe"), 2, "customer name, any part, any case");
    assert_eq!(count("GL"), 2, "two letters fall back to a plain scan");
    assert_eq!(count("Initech"), 0);
    assert_eq!(
        count("glo\"bex"),
        0,
        "quotes are matched literally, not parsed"
    );
}
