//! Payments (with their method), credit notes and refunds end to end on a
//! real SQLite file.

use invoicer_app::api::*;
use invoicer_app::ErrorCode;
use invoicer_tests::Fixture;

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
