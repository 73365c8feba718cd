//! Sign-in hardening: growing waits after repeated failures (kept in the
//! database), every failure audited, look-alike emails as one account, and
//! blank passwords refused.

use chrono::Duration;
use invoicer_app::api::*;
use invoicer_app::{ErrorCode, Invoicer};
use invoicer_domain::authorization::Role;
use invoicer_tests::{Fixture, ADMIN_PASSWORD};

fn attempt(app: &Invoicer, email: &str, password: &str) -> Result<(), invoicer_app::ApiError> {
    app.sign_in(&SignInInput {
        email: email.into(),
        password: password.into(),
    })
    .map(drop)
}

fn retry_after(e: &invoicer_app::ApiError) -> i64 {
    let details = e.details.as_ref().expect("details");
    let d = details
        .iter()
        .find(|d| d.field == "retry_after_seconds")
        .expect("retry_after_seconds");
    d.message.parse().unwrap()
}

#[test]
fn repeated_failures_make_the_email_wait_even_after_a_restart_and_success_resets() {
    let f = Fixture::new();
    for _ in 0..5 {
        let e = attempt(&f.app, "admin@acme.test", "guess-guess").unwrap_err();
        assert_eq!(e.code, ErrorCode::AuthFailed);
    }
    // Even the right password is not checked while the email must wait.
    let e = attempt(&f.app, "admin@acme.test", ADMIN_PASSWORD).unwrap_err();
    assert_eq!(e.code, ErrorCode::Throttled, "{e:?}");
    assert_eq!(retry_after(&e), 30);
    assert!(e.message.contains("30 seconds"), "{}", e.message);

    // A second process (a restarted CLI) is held to the same wait.
    let reopened = Invoicer::open(f.dir.path(), f.clock.clone()).unwrap();
    f.clock.advance(Duration::seconds(10));
    let e = attempt(&reopened, "ADMIN@acme.test", ADMIN_PASSWORD).unwrap_err();
    assert_eq!(e.code, ErrorCode::Throttled);
    assert_eq!(retry_after(&e), 20);

    // Once the wait is over, one more failure doubles it.
    f.clock.advance(Duration::seconds(21));
    assert_eq!(
        attempt(&reopened, "admin@acme.test", "guess-again")
            .unwrap_err()
            .code,
        ErrorCode::AuthFailed
    );
    let e = attempt(&reopened, "admin@acme.test", ADMIN_PASSWORD).unwrap_err();
    assert_eq!(retry_after(&e), 60);

    // After it, the right password works and the count starts again.
    f.clock.advance(Duration::seconds(61));
    attempt(&reopened, "admin@acme.test", ADMIN_PASSWORD).unwrap();
    for _ in 0..4 {
        assert_eq!(
            attempt(&reopened, "admin@acme.test", "guess-guess")
                .unwrap_err()
                .code,
            ErrorCode::AuthFailed
        );
    }
    attempt(&reopened, "admin@acme.test", ADMIN_PASSWORD).unwrap();
}

#[test]
fn unknown_emails_are_throttled_like_known_ones() {
    let f = Fixture::new();
    for _ in 0..5 {
        attempt(&f.app, "ghost@acme.test", "guess-guess").unwrap_err();
    }
    let e = attempt(&f.app, "ghost@acme.test", "guess-guess").unwrap_err();
    assert_eq!(e.code, ErrorCode::Throttled);
    // Other emails are not affected.
    attempt(&f.app, "admin@acme.test", ADMIN_PASSWORD).unwrap();
}

#[test]
fn failed_and_refused_sign_ins_are_audited_without_the_password() {
    let f = Fixture::new();
    attempt(&f.app, "admin@acme.test", "secret-guess-1").unwrap_err();
    attempt(&f.app, "ＧＨＯＳＴ@acme.test", "secret-guess-2").unwrap_err();
    // Four more failures, then a fifth attempt refused while it must wait.
    for _ in 0..5 {
        attempt(&f.app, "ghost@acme.test", "secret-guess-3").unwrap_err();
    }
    let out = f.dir.path().join("audit.csv");
    f.app.export_audit(&f.admin, &out).unwrap();
    let csv = std::fs::read_to_string(&out).unwrap();
    let failed: Vec<&str> = csv
        .lines()
        .filter(|l| l.contains("auth.sign_in_failed"))
        .collect();
    assert_eq!(failed.len(), 7, "{csv}");
    assert!(failed[0].contains("admin@acme.test") && failed[0].contains("wrong_password"));
    // The fullwidth spelling is recorded as the one address it is.
    assert!(failed[1].contains("ghost@acme.test") && failed[1].contains("unknown_email"));
    assert!(failed[6].contains("throttled"), "{}", failed[6]);
    assert!(
        !csv.contains("secret-guess"),
        "a password reached the audit trail"
    );
    assert!(f.app.verify_audit(&f.admin).unwrap().intact);
}

#[test]
fn look_alike_emails_are_one_account() {
    let f = Fixture::new();
    // Fullwidth letters sign in to the same account...
    attempt(&f.app, "ＡＤＭＩＮ@ａｃｍｅ.test", ADMIN_PASSWORD).unwrap();
    // ...and cannot be used to create a second one.
    let e = f
        .app
        .add_user(
            &f.admin,
            &NewUserInput {
                email: "ＡＤＭＩＮ@acme.test".into(),
                name: "Impostor".into(),
                role: Role::Admin,
                password: "password-123".into(),
            },
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation, "{e:?}");
    assert!(e.message.contains("already used"), "{}", e.message);
    assert_eq!(f.app.users(&f.admin).unwrap().len(), 1);
    // A new user's email is stored in its one spelling.
    let u = f
        .app
        .add_user(
            &f.admin,
            &NewUserInput {
                email: "  Ｂｏｂ@Acme.TEST ".into(),
                name: "Bob".into(),
                role: Role::Specialist,
                password: "password-123".into(),
            },
        )
        .unwrap();
    assert_eq!(u.email, "bob@acme.test");
    attempt(&f.app, "bob@acme.test", "password-123").unwrap();
}

#[test]
fn passwords_blank_after_trimming_are_refused() {
    let f = Fixture::new();
    let e = f
        .app
        .add_user(
            &f.admin,
            &NewUserInput {
                email: "blank@acme.test".into(),
                name: "Blank".into(),
                role: Role::Specialist,
                password: " \t        \u{3000} ".into(),
            },
        )
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    let details = e.details.unwrap();
    assert_eq!(details[0].field, "password");
    assert!(
        details[0].message.contains("blank"),
        "{}",
        details[0].message
    );
}
