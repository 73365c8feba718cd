//! Finding the customer an import or an event means: by the reference the
//! source system gives it (unique), else by email, ignoring case.

use invoicer_app::ErrorCode;
use invoicer_tests::{california_customer, Fixture};

#[test]
fn an_external_reference_is_unique_and_kept_when_a_form_leaves_it_out() {
    let f = Fixture::new();
    let mut input = california_customer();
    input.external_ref = Some("  hubspot-1001 ".into());
    let saved = f
        .app
        .update_customer(&f.admin, f.customer.id, &input)
        .unwrap();
    assert_eq!(saved.external_ref.as_deref(), Some("hubspot-1001"));

    let mut other = california_customer();
    other.email = "other@globex.test".into();
    other.external_ref = Some("hubspot-1001".into());
    let err = f.app.create_customer(&f.admin, &other).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    let detail = &err.details.unwrap()[0];
    assert_eq!(detail.field, "external_ref");
    assert!(
        detail
            .message
            .contains(&format!("customer {}", f.customer.id)),
        "{}",
        detail.message
    );

    input.external_ref = None;
    input.name = "Bob Buyer Jr.".into();
    let kept = f
        .app
        .update_customer(&f.admin, f.customer.id, &input)
        .unwrap();
    assert_eq!(kept.external_ref.as_deref(), Some("hubspot-1001"));
    input.external_ref = Some(" ".into());
    let cleared = f
        .app
        .update_customer(&f.admin, f.customer.id, &input)
        .unwrap();
    assert_eq!(cleared.external_ref, None);
}

#[test]
fn the_store_finds_customers_by_reference_and_by_email_in_any_case() {
    let f = Fixture::new();
    let mut input = california_customer();
    input.external_ref = Some("sf-0042".into());
    f.app
        .update_customer(&f.admin, f.customer.id, &input)
        .unwrap();
    let store = invoicer_store::Store::open(&f.dir.path().join("invoicer.db")).unwrap();
    let by_ref = store
        .read(|tx| tx.customer_by_external_ref("sf-0042"))
        .unwrap()
        .unwrap();
    assert_eq!(by_ref.id, f.customer.id);
    assert!(store
        .read(|tx| tx.customer_by_external_ref("sf-0043"))
        .unwrap()
        .is_none());
    let upper = f.customer.email.to_uppercase();
    let by_email = store.read(|tx| tx.customers_by_email(&upper)).unwrap();
    assert_eq!(by_email.len(), 1);
    assert_eq!(by_email[0].id, f.customer.id);
}
