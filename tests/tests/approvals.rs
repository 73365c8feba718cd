//! Approvals: the threshold in the company currency through recorded exchange
//! rates, four eyes on the maker and the last editor, edits withdrawing an
//! approval, and no void for an invoice that was never issued.

use invoicer_app::api::*;
use invoicer_app::{ErrorCode, Session};
use invoicer_tests::{california_customer, line, Fixture};

/// A customer in Kuwait billed in dinars (no tax rate applies there).
fn kuwait_customer(f: &Fixture) -> CustomerView {
    let mut c = california_customer();
    c.name = "Fahad Al-Sabah".into();
    c.company = Some("Gulf Trading".into());
    c.email = "fahad@gulf.test".into();
    c.city = "Kuwait City".into();
    c.region = None;
    c.postal_code = "13001".into();
    c.country = "KW".into();
    c.currency = Some("KWD".into());
    f.app.create_customer(&f.admin, &c).expect("KWD customer")
}

fn kwd_draft(customer: &CustomerView) -> DraftInput {
    DraftInput {
        customer_id: customer.id,
        issue_date: None,
        terms_days: None,
        notes: None,
        template: None,
        lines: vec![line("Port handling", "1", "9999.999", None)],
    }
}

fn set_rates(f: &Fixture, rates: Vec<ExchangeRateView>) -> Result<CompanyView, ApiError> {
    let mut company = f.app.company(&f.admin).unwrap();
    company.exchange_rates = rates;
    f.app.update_company(&f.admin, &company)
}

fn kwd_rate(rate: &str, from: &str) -> ExchangeRateView {
    ExchangeRateView {
        currency: "KWD".into(),
        rate: rate.into(),
        valid_from: from.parse().unwrap(),
    }
}

/// A draft of 15,000 USD before tax: above the default threshold.
fn big_draft(f: &Fixture) -> DraftInput {
    let mut d = f.draft();
    d.lines[0].quantity = "100".into();
    d
}

fn last_event(f: &Fixture, id: i64) -> AuditEventView {
    f.app.invoice_audit(&f.admin, id).unwrap().pop().unwrap()
}

#[test]
fn a_kwd_invoice_below_ten_thousand_dinars_still_needs_approval() {
    let f = Fixture::new();
    set_rates(&f, vec![kwd_rate("3.25", "2026-01-01")]).unwrap();
    let kw = kuwait_customer(&f);
    let inv = f.app.create_invoice(&f.admin, &kwd_draft(&kw)).unwrap();
    assert_eq!(inv.total, "9999.999");

    // The screen says beforehand that this invoice waits for an approver.
    let before = inv.approval.as_ref().expect("the rule that will apply");
    assert_eq!(before.converted_total, "32499.99675");
    assert_eq!(before.exchange_rate.as_deref(), Some("3.25"));

    // Issue does not refuse: the invoice waits for approval, unnumbered,
    // and says which rule applied and who may decide.
    let waiting = f.app.issue_invoice(&f.admin, inv.id).unwrap().invoice;
    assert_eq!(waiting.status, InvoiceStatus::PendingApproval);
    assert_eq!(waiting.number, None);
    let approval = waiting.approval.expect("the approval status");
    assert_eq!(approval.rule, "total ≥ 10,000.00 USD: one approver");
    assert_eq!(approval.next_level, Some(1));
    assert_eq!(approval.company_currency, "USD");
    assert!(
        approval.who_may_decide.contains("admin@acme.test"),
        "{}",
        approval.who_may_decide
    );
    // Submitting again is refused; send it back to check the event below.
    f.app
        .send_back_to_draft(&f.admin, inv.id, "check the submit event")
        .unwrap();

    f.app.submit_for_approval(&f.admin, inv.id).unwrap();
    let submitted = last_event(&f, inv.id);
    assert_eq!(submitted.action, "invoice.submitted");
    let data: serde_json::Value = serde_json::from_str(&submitted.data).unwrap();
    assert_eq!(data["approval"]["exchange_rate"], "3.25");
    assert_eq!(data["approval"]["rate_valid_from"], "2026-01-01");
    assert_eq!(data["approval"]["converted_total"], "32499.99675");
    assert_eq!(data["approval"]["threshold"], "10000.00");
    assert_eq!(data["approval"]["needs_approval"], true);
}

#[test]
fn the_rate_in_force_on_the_issue_date_decides_and_is_recorded_at_issue() {
    let f = Fixture::new();
    // 3,000 KWD is 9,000 USD at 3.00 but 9,750 USD at 3.25; below 10,000 either way,
    // so it issues, and the event says which rate was used.
    set_rates(
        &f,
        vec![
            kwd_rate("3.00", "2026-01-01"),
            kwd_rate("3.25", "2026-11-01"),
        ],
    )
    .unwrap();
    let kw = kuwait_customer(&f);
    let mut d = kwd_draft(&kw);
    d.lines[0].unit_price = "3000".into();
    let inv = f.app.create_invoice(&f.admin, &d).unwrap();
    f.app.issue_invoice(&f.admin, inv.id).unwrap();
    let issued = last_event(&f, inv.id);
    assert_eq!(issued.action, "invoice.issued");
    let data: serde_json::Value = serde_json::from_str(&issued.data).unwrap();
    assert_eq!(data["approval"]["exchange_rate"], "3.25");
    assert_eq!(data["approval"]["converted_total"], "9750");
}

#[test]
fn an_invoice_in_a_currency_with_no_rate_is_refused_at_submit_and_issue() {
    let f = Fixture::new();
    let kw = kuwait_customer(&f);
    let inv = f.app.create_invoice(&f.admin, &kwd_draft(&kw)).unwrap();
    let err = f.app.submit_for_approval(&f.admin, inv.id).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert_eq!(
        err.message,
        "no exchange rate for KWD on 2026-11-21; add one in Settings → Exchange rates"
    );
    let err = f.app.issue_invoice(&f.admin, inv.id).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert!(
        err.message.starts_with("no exchange rate for KWD"),
        "{}",
        err.message
    );
    let unchanged = f.app.invoice(&f.admin, inv.id).unwrap();
    assert_eq!(unchanged.status, InvoiceStatus::Draft);
    assert_eq!(unchanged.number, None);
}

#[test]
fn bad_exchange_rates_are_refused_by_row_and_field() {
    let f = Fixture::new();
    let err = set_rates(
        &f,
        vec![
            kwd_rate("0", "2026-01-01"),
            ExchangeRateView {
                currency: "USD".into(),
                rate: "1".into(),
                valid_from: "2026-01-01".parse().unwrap(),
            },
            kwd_rate("abc", "2026-02-01"),
        ],
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    let fields: Vec<String> = err.details.unwrap().into_iter().map(|d| d.field).collect();
    assert!(
        fields.contains(&"exchange_rates[0].rate".to_string()),
        "{fields:?}"
    );
    assert!(
        fields.contains(&"exchange_rates[1].currency".to_string()),
        "{fields:?}"
    );
    assert!(
        fields.contains(&"exchange_rates[2].rate".to_string()),
        "{fields:?}"
    );
    assert!(f.app.company(&f.admin).unwrap().exchange_rates.is_empty());
}

#[test]
fn an_approver_who_edited_someone_elses_draft_cannot_approve_it() {
    let f = Fixture::new();
    let maker = f.user("maker@acme.test", Role::Specialist);
    let editor = f.user("editor@acme.test", Role::Approver);
    let checker = f.user("checker@acme.test", Role::Approver);
    let inv = f.app.create_invoice(&maker, &big_draft(&f)).unwrap();
    let mut changed = big_draft(&f);
    changed.lines[0].quantity = "120".into();
    f.app
        .update_invoice(
            &editor,
            &UpdateDraftInput {
                invoice_id: inv.id,
                draft: changed,
            },
        )
        .unwrap();
    f.app.submit_for_approval(&editor, inv.id).unwrap();
    let err = f.app.approve_invoice(&editor, inv.id).unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
    assert!(err.message.contains("last edited"), "{}", err.message);
    assert_eq!(
        f.app.invoice(&f.admin, inv.id).unwrap().status,
        InvoiceStatus::PendingApproval
    );
    let err = f.app.reject_invoice(&editor, inv.id, "no").unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
    // The final approval issues the invoice.
    let approved = f.app.approve_invoice(&checker, inv.id).unwrap().invoice;
    assert_eq!(approved.status, InvoiceStatus::Issued);
    assert!(approved.number.is_some());
}

fn edit(f: &Fixture, who: &Session, id: i64) -> Result<InvoiceDetail, ApiError> {
    let mut d = big_draft(f);
    d.notes = Some("Changed after submitting".into());
    f.app
        .update_invoice(
            who,
            &UpdateDraftInput {
                invoice_id: id,
                draft: d,
            },
        )
        .map(|screen| screen.invoice)
}

#[test]
fn editing_a_pending_or_approved_invoice_sends_it_back_to_draft() {
    let f = Fixture::new();
    let checker = f.user("checker@acme.test", Role::Approver);
    let inv = f.app.create_invoice(&f.admin, &big_draft(&f)).unwrap();
    f.app.submit_for_approval(&f.admin, inv.id).unwrap();
    let edited = edit(&f, &f.admin, inv.id).unwrap();
    assert_eq!(edited.status, InvoiceStatus::Draft);
    let ev = last_event(&f, inv.id);
    assert_eq!(ev.action, "invoice.edited");
    let data: serde_json::Value = serde_json::from_str(&ev.data).unwrap();
    assert_eq!(data["status_before"], "pending_approval");
    assert_eq!(data["approval_withdrawn"], true);

    f.app.submit_for_approval(&f.admin, inv.id).unwrap();
    // The final approval now issues, so `approved` is what approvals left
    // before it did; an edit still sends such an invoice back to draft.
    left_approved(&f, inv.id);
    let edited = edit(&f, &f.admin, inv.id).unwrap();
    assert_eq!(edited.status, InvoiceStatus::Draft);
    // The approval no longer holds, so issuing asks for one again.
    let again = f.app.issue_invoice(&f.admin, inv.id).unwrap().invoice;
    assert_eq!(again.status, InvoiceStatus::PendingApproval);
    let _ = checker;
}

/// Puts an invoice in `approved` as approvals did before the final
/// approval issued.
fn left_approved(f: &Fixture, id: i64) {
    let raw = rusqlite::Connection::open(f.dir.path().join("invoicer.db")).unwrap();
    raw.execute(
        "UPDATE invoices SET status = 'approved' WHERE id = ?1",
        [id],
    )
    .unwrap();
}

#[test]
fn an_approved_invoice_cannot_be_voided_but_can_go_back_to_draft() {
    let f = Fixture::new();
    let checker = f.user("checker@acme.test", Role::Approver);
    let inv = f.app.create_invoice(&f.admin, &big_draft(&f)).unwrap();
    f.app.submit_for_approval(&f.admin, inv.id).unwrap();
    left_approved(&f, inv.id);
    let _ = checker;
    let err = f
        .app
        .void_invoice(
            &f.admin,
            &VoidInput {
                invoice_id: inv.id,
                reason: "Customer cancelled".into(),
            },
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert!(
        err.message.contains("send it back to draft"),
        "{}",
        err.message
    );
    let still = f.app.invoice(&f.admin, inv.id).unwrap();
    assert_eq!(still.status, InvoiceStatus::Approved);
    assert_eq!(still.number, None);

    let err = f.app.send_back_to_draft(&f.admin, inv.id, " ").unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    let back = f
        .app
        .send_back_to_draft(&f.admin, inv.id, "Customer cancelled")
        .unwrap()
        .invoice;
    assert_eq!(back.status, InvoiceStatus::Draft);
    let ev = last_event(&f, inv.id);
    assert_eq!(ev.action, "invoice.sent_back_to_draft");
    assert!(f.app.verify_audit(&f.admin).unwrap().intact);
}

#[test]
fn an_approved_invoice_voided_under_the_old_rule_still_opens_its_document() {
    let f = Fixture::new();
    let checker = f.user("checker@acme.test", Role::Approver);
    let inv = f.app.create_invoice(&f.admin, &big_draft(&f)).unwrap();
    f.app.submit_for_approval(&f.admin, inv.id).unwrap();
    f.app.approve_invoice(&checker, inv.id).unwrap();
    // What the old rule left behind: void, with no number and no archived PDF.
    let raw = rusqlite::Connection::open(f.dir.path().join("invoicer.db")).unwrap();
    raw.execute(
        "UPDATE invoices SET status = 'void', void_reason = 'old rule' WHERE id = ?1",
        [inv.id],
    )
    .unwrap();
    let pdf = f.app.invoice_pdf(&f.admin, inv.id).unwrap();
    assert!(pdf.bytes.starts_with(b"%PDF-"));
}
