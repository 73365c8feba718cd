//! Payments (with their method), credit notes and refunds end to end on a
//! real SQLite file.

use invoicer_app::api::*;
use invoicer_app::ErrorCode;
use invoicer_tests::{pdftotext, Fixture};

/// Issues the Foundation draft (total 1672.45 USD) and returns its id.
fn issued(f: &Fixture) -> i64 {
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, draft.id).unwrap();
    draft.id
}

fn pay(
    f: &Fixture,
    id: i64,
    amount: &str,
    method: Option<&str>,
) -> Result<InvoiceScreen, invoicer_app::ApiError> {
    f.app.record_payment(
        &f.admin,
        &PaymentInput {
            invoice_id: id,
            amount: amount.into(),
            date: "2026-11-25".parse().unwrap(),
            method: method.map(str::to_string),
            reference: Some("REF-1".into()),
        },
    )
}

#[test]
fn a_payment_keeps_its_method_and_an_unknown_method_is_refused() {
    let f = Fixture::new();
    let id = issued(&f);
    let screen = pay(&f, id, "100", Some("card")).unwrap();
    assert_eq!(screen.payments[0].method, "card");
    let screen = pay(&f, id, "100", None).unwrap();
    assert_eq!(screen.payments[1].method, "bank_transfer");
    assert_eq!(f.app.payments(&f.admin, id).unwrap()[0].method, "card");

    let err = pay(&f, id, "100", Some("bitcoin")).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.contains("method"), "{}", err.message);
    // The refusal wrote nothing.
    assert_eq!(f.app.payments(&f.admin, id).unwrap().len(), 2);
}

fn credit(
    f: &Fixture,
    id: i64,
    lines: Vec<(u32, Option<&str>)>,
    amount: Option<&str>,
) -> Result<CreditNoteIssued, invoicer_app::ApiError> {
    f.app.create_credit_note(
        &f.admin,
        &CreditNoteInput {
            invoice_id: id,
            lines: lines
                .into_iter()
                .map(|(line, q)| CreditLineInput {
                    line,
                    quantity: q.map(str::to_string),
                })
                .collect(),
            amount: amount.map(str::to_string),
            reason: "Hosting was not delivered".into(),
            send: false,
        },
    )
}

fn actions(f: &Fixture, id: i64) -> Vec<String> {
    f.app
        .invoice_audit(&f.admin, id)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[test]
fn partial_then_full_payment_moves_the_invoice_to_partially_paid_then_paid() {
    let f = Fixture::new();
    let id = issued(&f);
    let s = pay(&f, id, "672.45", Some("cheque")).unwrap();
    assert_eq!(s.invoice.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(s.invoice.balance, "1000.00");
    let s = pay(&f, id, "1000.00", Some("cash")).unwrap();
    assert_eq!(s.invoice.status, InvoiceStatus::Paid);
    assert_eq!(s.invoice.balance, "0.00");
    let methods: Vec<_> = s.payments.iter().map(|p| p.method.as_str()).collect();
    assert_eq!(methods, ["cheque", "cash"]);
}

#[test]
fn an_overpayment_is_refused_and_nothing_is_kept_as_credit() {
    let f = Fixture::new();
    let id = issued(&f);
    let err = pay(&f, id, "1672.46", None).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(
        err.message.contains("more than the balance"),
        "{}",
        err.message
    );
    let s = f.app.invoice_screen(&f.admin, id).unwrap();
    assert!(s.payments.is_empty());
    assert_eq!(s.invoice.balance, "1672.45");
}

#[test]
fn a_full_credit_note_settles_the_invoice_with_its_own_number_and_pdf() {
    let f = Fixture::new();
    let id = issued(&f);
    let invoice_pdf_before = f.app.invoice_pdf(&f.admin, id).unwrap();
    let issued_cn = credit(&f, id, vec![], None).unwrap();
    let cn = &issued_cn.credit_note;
    assert_eq!(cn.number, "CN-2026-00001");
    assert_eq!(cn.total, "1672.45");
    assert_eq!(cn.tax, "127.46");
    assert_eq!(cn.invoice_number, "INV-2026-00001");
    // Credited to zero: settled, nothing more to credit, no payment taken.
    let screen = &issued_cn.screen;
    assert_eq!(screen.invoice.balance, "0.00");
    assert_eq!(screen.invoice.amount_credited, "1672.45");
    assert_eq!(screen.invoice.status, InvoiceStatus::Paid);
    let allowed = |a: InvoiceAction| {
        screen
            .invoice
            .allowed_actions
            .iter()
            .any(|x| x.action == a && x.allowed)
    };
    assert!(!allowed(InvoiceAction::CreditNote));
    assert!(!allowed(InvoiceAction::RecordPayment));
    // The invoice screen lists the credit note; its PDF names the invoice.
    assert_eq!(screen.credit_notes.len(), 1);
    assert_eq!(screen.credit_notes[0].number, "CN-2026-00001");
    let pdf = f.app.credit_note_pdf(&f.admin, cn.id).unwrap();
    assert_eq!(pdf.file_name, "CN-2026-00001.pdf");
    let text = pdftotext(&pdf.bytes);
    assert!(text.contains("Credit note"), "{text}");
    assert!(text.contains("CN-2026-00001"), "{text}");
    assert!(text.contains("INV-2026-00001"), "{text}");
    assert!(text.contains("Hosting was not delivered"), "{text}");
    assert!(text.contains("1,672.45"), "{text}");
    // The invoice's own PDF is not changed.
    let invoice_pdf_after = f.app.invoice_pdf(&f.admin, id).unwrap();
    assert_eq!(invoice_pdf_after.sha256, invoice_pdf_before.sha256);
    assert!(!pdftotext(&invoice_pdf_after.bytes).contains("CN-2026"));
    assert!(actions(&f, id).contains(&"credit_note.issued".to_string()));
    // Listed on its own as well.
    let all = f.app.credit_notes(&f.admin, None).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].invoice_id, id);
}

#[test]
fn partial_credit_notes_by_lines_and_by_amount_are_exact_to_the_cent() {
    let f = Fixture::new();
    let id = issued(&f);
    // 3 of the 10 consulting hours: 487.125 → 487.13 with 37.125 → 37.13 tax.
    let by_lines = credit(&f, id, vec![(1, Some("3"))], None).unwrap();
    let cn = &by_lines.credit_note;
    assert_eq!(
        (cn.net.as_str(), cn.tax.as_str(), cn.total.as_str()),
        ("450.00", "37.13", "487.13")
    );
    assert_eq!(cn.lines[0].description, "Consulting");
    assert_eq!(by_lines.screen.invoice.balance, "1185.32");
    let text = pdftotext(&f.app.credit_note_pdf(&f.admin, cn.id).unwrap().bytes);
    assert!(text.contains("Total credited"), "{text}");
    assert!(!text.contains("Balance due"), "{text}");
    assert_eq!(by_lines.screen.invoice.status, InvoiceStatus::Issued);
    // 100.00 carries 100 × 127.46 / 1672.45 = 7.62 of tax.
    let by_amount = credit(&f, id, vec![], Some("100")).unwrap();
    let cn = &by_amount.credit_note;
    assert_eq!(
        (cn.net.as_str(), cn.tax.as_str(), cn.total.as_str()),
        ("92.38", "7.62", "100.00")
    );
    assert_eq!(cn.number, "CN-2026-00002");
    assert_eq!(by_amount.screen.invoice.balance, "1085.32");
    assert_eq!(by_amount.screen.credit_notes.len(), 2);
    // The preview shows the same figures before issuing.
    let preview = f
        .app
        .preview_credit_note(
            &f.admin,
            &CreditNoteInput {
                invoice_id: id,
                lines: vec![CreditLineInput {
                    line: 2,
                    quantity: None,
                }],
                amount: None,
                reason: String::new(),
                send: false,
            },
        )
        .unwrap();
    assert_eq!(
        (
            preview.net.as_str(),
            preview.tax.as_str(),
            preview.total.as_str()
        ),
        ("44.99", "3.71", "48.70")
    );
    assert_eq!(preview.balance_after, "1036.62");
}

#[test]
fn a_credit_note_above_what_is_left_is_refused_and_writes_nothing() {
    let f = Fixture::new();
    let id = issued(&f);
    credit(&f, id, vec![], Some("1600")).unwrap();
    let err = credit(&f, id, vec![], Some("72.46")).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(
        err.message
            .contains("more than the 72.45 USD left to credit"),
        "{}",
        err.message
    );
    let details = err.details.unwrap();
    assert_eq!(details[0].field, "amount");
    let err = credit(&f, id, vec![(1, None)], None).unwrap_err();
    assert!(err.message.contains("left to credit"), "{}", err.message);
    let err = f
        .app
        .create_credit_note(
            &f.admin,
            &CreditNoteInput {
                invoice_id: id,
                lines: vec![],
                amount: Some("10".into()),
                reason: "  ".into(),
                send: false,
            },
        )
        .unwrap_err();
    assert_eq!(err.details.unwrap()[0].field, "reason");
    let s = f.app.invoice_screen(&f.admin, id).unwrap();
    assert_eq!(s.credit_notes.len(), 1);
    assert_eq!(s.invoice.balance, "72.45");
    // The rest can still be credited, and takes the next number.
    let rest = credit(&f, id, vec![], None).unwrap();
    assert_eq!(rest.credit_note.number, "CN-2026-00002");
    assert_eq!(rest.screen.invoice.balance, "0.00");
}

#[test]
fn a_credit_note_that_fails_after_taking_its_number_gives_it_back() {
    let f = Fixture::new();
    let id = issued(&f);
    let conn = rusqlite::Connection::open(f.dir.path().join("invoicer.db")).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER planted_fault BEFORE INSERT ON audit_events
         WHEN NEW.action = 'credit_note.issued'
         BEGIN SELECT RAISE(ABORT, 'planted disk fault'); END;",
    )
    .unwrap();
    let err = credit(&f, id, vec![], Some("10")).unwrap_err();
    assert_eq!(err.code, ErrorCode::Storage, "{err:?}");
    let stored: i64 = conn
        .query_row("SELECT count(*) FROM credit_notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 0, "a failed credit note was stored");
    let s = f.app.invoice_screen(&f.admin, id).unwrap();
    assert_eq!(s.invoice.balance, "1672.45");
    conn.execute_batch("DROP TRIGGER planted_fault").unwrap();
    let first = credit(&f, id, vec![], Some("10")).unwrap();
    assert_eq!(first.credit_note.number, "CN-2026-00001");
    let second = credit(&f, id, vec![], Some("10")).unwrap();
    assert_eq!(second.credit_note.number, "CN-2026-00002");
    // Invoice numbers are a series of their own.
    let other = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let other = f.app.issue_invoice(&f.admin, other.id).unwrap();
    assert_eq!(other.invoice.number.as_deref(), Some("INV-2026-00002"));
    assert!(f.app.verify_audit(&f.admin).unwrap().intact);
}

fn refund(f: &Fixture, id: i64, amount: &str) -> Result<InvoiceScreen, invoicer_app::ApiError> {
    f.app.record_refund(
        &f.admin,
        &RefundInput {
            invoice_id: id,
            amount: amount.into(),
            date: "2026-11-30".parse().unwrap(),
            method: Some("card".into()),
            reference: Some("RF-1".into()),
        },
    )
}

#[test]
fn a_refund_pays_out_a_credit_or_raises_the_balance_again() {
    let f = Fixture::new();
    let id = issued(&f);
    // Nothing paid: nothing to refund.
    let err = refund(&f, id, "1").unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    pay(&f, id, "1672.45", None).unwrap();
    // A credit note on a paid invoice leaves the customer owed 100.
    let s = credit(&f, id, vec![], Some("100")).unwrap().screen;
    assert_eq!(s.invoice.balance, "-100.00");
    assert_eq!(s.invoice.status, InvoiceStatus::Paid);
    let s = refund(&f, id, "100").unwrap();
    assert_eq!(s.invoice.balance, "0.00");
    assert_eq!(s.invoice.status, InvoiceStatus::Paid);
    assert_eq!(s.refunds.len(), 1);
    assert_eq!(s.refunds[0].method, "card");
    // Paying back a payment makes the invoice owed again.
    let s = refund(&f, id, "572.45").unwrap();
    assert_eq!(s.invoice.balance, "572.45");
    assert_eq!(s.invoice.status, InvoiceStatus::PartiallyPaid);
    let err = refund(&f, id, "1000.01").unwrap_err();
    assert!(err.message.contains("1000.00 USD paid"), "{}", err.message);
    let audit = actions(&f, id);
    assert_eq!(audit.iter().filter(|a| *a == "payment.refunded").count(), 2);
}

#[test]
fn only_an_invoice_never_sent_may_be_voided() {
    let f = Fixture::new();
    f.set_up_email();
    let kept = issued(&f);
    let sent = issued(&f);
    f.app.send_invoice(&f.admin, sent).unwrap();
    let screen = f.app.invoice_screen(&f.admin, sent).unwrap();
    let void = screen
        .invoice
        .allowed_actions
        .iter()
        .find(|a| a.action == InvoiceAction::Void)
        .unwrap();
    assert!(!void.allowed);
    assert!(void
        .reason
        .as_ref()
        .unwrap()
        .message
        .contains("credit note"));
    let err = f
        .app
        .void_invoice(
            &f.admin,
            &VoidInput {
                invoice_id: sent,
                reason: "typo".into(),
            },
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert!(err.message.contains("credit note"), "{}", err.message);
    let voided = f
        .app
        .void_invoice(
            &f.admin,
            &VoidInput {
                invoice_id: kept,
                reason: "typo".into(),
            },
        )
        .unwrap();
    assert_eq!(voided.invoice.status, InvoiceStatus::Void);
}

#[test]
fn audit_verification_counts_refunds_and_credit_notes_and_catches_a_changed_credit() {
    let f = Fixture::new();
    let id = issued(&f);
    pay(&f, id, "1672.45", None).unwrap();
    credit(&f, id, vec![(2, None)], None).unwrap();
    refund(&f, id, "48.70").unwrap();
    let report = f.app.verify_audit(&f.admin).unwrap();
    assert!(report.intact, "{report:?}");
    // A credited amount changed behind the app's back is reported.
    let conn = rusqlite::Connection::open(f.dir.path().join("invoicer.db")).unwrap();
    conn.execute(
        "UPDATE invoices SET credited_minor = 1000, paid_minor = paid_minor - 3870",
        [],
    )
    .unwrap();
    let report = f.app.verify_audit(&f.admin).unwrap();
    assert!(!report.intact, "{report:?}");
}

#[test]
fn the_credit_note_format_is_configurable_and_its_series_stays_its_own() {
    let f = Fixture::new();
    let mut company = f.app.company(&f.admin).unwrap();
    assert_eq!(
        company.credit_note_number_format.as_deref(),
        Some("CN-{YYYY}-{SEQ:5}")
    );
    company.credit_note_number_format = Some("no sequence".into());
    let err = f.app.update_company(&f.admin, &company).unwrap_err();
    assert_eq!(err.details.unwrap()[0].field, "credit_note_number_format");
    // Even written like the invoice format, credit notes count on their own.
    company.credit_note_number_format = Some("INV-{YYYY}-{SEQ:5}".into());
    f.app.update_company(&f.admin, &company).unwrap();
    let id = issued(&f);
    let cn = credit(&f, id, vec![], Some("10")).unwrap().credit_note;
    assert_eq!(cn.number, "INV-2026-00001");
    let next = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let next = f.app.issue_invoice(&f.admin, next.id).unwrap().invoice;
    assert_eq!(next.number.as_deref(), Some("INV-2026-00002"));
    // A request without the field leaves it as it is.
    let mut company = f.app.company(&f.admin).unwrap();
    company.credit_note_number_format = None;
    let kept = f.app.update_company(&f.admin, &company).unwrap();
    assert_eq!(
        kept.credit_note_number_format.as_deref(),
        Some("INV-{YYYY}-{SEQ:5}")
    );
}
