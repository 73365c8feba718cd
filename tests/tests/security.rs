//! Sign-in, roles enforced in the backend, and maker ≠ checker approvals.

use invoicer_app::api::*;
use invoicer_app::ErrorCode;
use invoicer_tests::{Fixture, ADMIN_PASSWORD};

#[test]
fn wrong_password_and_unknown_user_get_the_same_answer() {
    let f = Fixture::new();
    let wrong = f
        .app
        .sign_in(&SignInInput {
            email: "admin@acme.test".into(),
            password: "nope-nope".into(),
        })
        .unwrap_err();
    let unknown = f
        .app
        .sign_in(&SignInInput {
            email: "ghost@acme.test".into(),
            password: "nope-nope".into(),
        })
        .unwrap_err();
    assert_eq!(wrong.code, ErrorCode::AuthFailed);
    assert_eq!(
        wrong, unknown,
        "the answer must not reveal whether the user exists"
    );
    assert!(f
        .app
        .sign_in(&SignInInput {
            email: "ADMIN@acme.test".into(),
            password: ADMIN_PASSWORD.into()
        })
        .is_ok());
}

#[test]
fn specialists_are_refused_admin_use_cases() {
    let f = Fixture::new();
    let s = f.user("sam@acme.test", Role::Specialist);
    let company = f.app.company(&s).unwrap();
    let err = f.app.update_company(&s, &company).unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
    assert_eq!(f.app.users(&s).unwrap_err().code, ErrorCode::Forbidden);
    let err = f
        .app
        .set_tax_rate(
            &s,
            &TaxRateInput {
                country: "US".into(),
                region: None,
                name: "x".into(),
                rate: "1".into(),
                inclusive: false,
                compound: false,
                position: None,
                manual: false,
            },
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
    // Specialists do the daily work.
    let inv = f.app.create_invoice(&s, &f.draft()).unwrap();
    assert!(f.app.issue_invoice(&s, inv.id).is_ok());
}

#[test]
fn setup_runs_once() {
    let f = Fixture::new();
    let err = f
        .app
        .setup(&SetupInput {
            company_name: "Other".into(),
            country: "US".into(),
            region: Some("CA".into()),
            currency: "USD".into(),
            admin_email: "x@y.test".into(),
            admin_name: "X".into(),
            admin_password: "long-enough".into(),
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::AlreadyInitialized);
}

#[test]
fn high_value_invoices_wait_for_an_approver_who_is_not_the_maker() {
    let f = Fixture::new();
    let maker = f.user("maker@acme.test", Role::Approver);
    let checker = f.user("checker@acme.test", Role::Approver);
    let mut draft = f.draft();
    draft.lines[0].quantity = "100".into(); // 15,000.00 before tax
    let inv = f.app.create_invoice(&maker, &draft).unwrap();
    // Issue does not issue it: it waits for an approver.
    let waiting = f.app.issue_invoice(&maker, inv.id).unwrap().invoice;
    assert_eq!(waiting.status, InvoiceStatus::PendingApproval);
    assert_eq!(waiting.number, None);
    let own = f.app.approve_invoice(&maker, inv.id).unwrap_err();
    assert_eq!(own.code, ErrorCode::Forbidden);
    let specialist = f.user("sam@acme.test", Role::Specialist);
    assert_eq!(
        f.app.approve_invoice(&specialist, inv.id).unwrap_err().code,
        ErrorCode::Forbidden
    );
    // The approval issues it.
    let issued = f.app.approve_invoice(&checker, inv.id).unwrap().invoice;
    assert_eq!(issued.status, InvoiceStatus::Issued);
    assert_eq!(issued.number.as_deref(), Some("INV-2026-00001"));
}
