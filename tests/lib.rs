//! Shared fixtures for the integration tests: a real data folder in a temp
//! dir, a manual clock, and a company with an admin and a California customer.

use chrono::{TimeZone, Utc};
use invoicer_app::api::*;
use invoicer_app::{Invoicer, ManualClock, Session};
use std::sync::Arc;

/// A fresh Invoicer on a temp folder with a movable clock.
pub struct Fixture {
    /// Keeps the folder alive for the test's duration.
    pub dir: tempfile::TempDir,
    /// The clock the app reads; tests move it.
    pub clock: Arc<ManualClock>,
    /// The app.
    pub app: Invoicer,
    /// The admin's session.
    pub admin: Session,
    /// A customer in San Francisco, CA.
    pub customer: CustomerView,
}

/// The admin's password in every fixture.
pub const ADMIN_PASSWORD: &str = "correct-horse-1";

impl Fixture {
    /// The newest version of the default template `standard-en`, as the admin
    /// reads it before editing.
    pub fn standard_template(&self) -> TemplateVersionView {
        self.app
            .template(
                &self.admin,
                &TemplateRefInput {
                    name: "standard-en".into(),
                    version: None,
                },
            )
            .expect("standard-en is seeded at setup")
    }

    /// Sets up a US company in California with an 8.25 % rate and one customer,
    /// on 2026-11-21 at 09:00 UTC.
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap(),
        ));
        let app = Invoicer::open(dir.path(), clock.clone()).expect("open");
        let admin = app
            .setup(&SetupInput {
                company_name: "Acme Billing".into(),
                country: "US".into(),
                region: Some("CA".into()),
                currency: "USD".into(),
                admin_email: "admin@acme.test".into(),
                admin_name: "Ada Admin".into(),
                admin_password: ADMIN_PASSWORD.into(),
            })
            .expect("setup");
        app.set_tax_rate(
            &admin,
            &TaxRateInput {
                country: "US".into(),
                region: Some("CA".into()),
                name: "CA sales tax".into(),
                rate: "8.25".into(),
                inclusive: false,
                compound: false,
                position: None,
                manual: false,
            },
        )
        .expect("tax rate");
        let customer = app
            .create_customer(&admin, &california_customer())
            .expect("customer");
        Fixture {
            dir,
            clock,
            app,
            admin,
            customer,
        }
    }

    /// Tests and enables the event rule of every event type through the
    /// app's own use cases (as an admin does in Triggers → Event rules), so
    /// the local API acts on events; rules start disabled. Call it after
    /// [`Fixture::set_up_email`]: the sales rules issue & send, and their test
    /// run queues (then rolls back) an email, which needs the sender address.
    pub fn enable_event_rules(&self) {
        for t in invoicer_domain::event_actions::EventType::ALL {
            self.app
                .test_event_rule(
                    &self.admin,
                    &invoicer_app::api::EventRuleTestInput {
                        event_type: t.as_str().into(),
                        sample_event: None,
                    },
                )
                .unwrap_or_else(|e| panic!("the {} rule's test: {e:?}", t.as_str()));
            self.app
                .set_event_rule_enabled(&self.admin, t.as_str(), true)
                .unwrap();
        }
    }

    /// Gives the company the email address every email is sent from, a
    /// Reply-To and a payment-link format, as Settings would.
    pub fn set_up_email(&self) {
        let mut company = self.app.company(&self.admin).expect("company");
        company.email = Some("billing@acme.test".into());
        company.reply_to = Some("accounts@acme.test".into());
        company.payment_link_format =
            Some("https://pay.acme.test/{number}?amount={balance}&currency={currency}".into());
        self.app
            .update_company(&self.admin, &company)
            .expect("company email");
    }

    /// Sends mail through the SMTP server on 127.0.0.1:`port`, unencrypted
    /// and without signing in, as a local relay is set up.
    pub fn use_smtp(&self, port: u16) {
        self.app
            .save_smtp_settings(
                &self.admin,
                &SmtpSettingsInput {
                    host: "127.0.0.1".into(),
                    port,
                    security: SmtpSecurity::None,
                    username: None,
                    password: None,
                },
            )
            .expect("smtp settings");
    }

    /// The `.eml` files the outbox folder holds, by name.
    pub fn outbox_files(&self) -> Vec<std::path::PathBuf> {
        let mut files: Vec<_> = std::fs::read_dir(self.dir.path().join("outbox"))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
        files.sort();
        files
    }

    /// A draft with the Foundation scenario's two lines.
    pub fn draft(&self) -> DraftInput {
        DraftInput {
            customer_id: self.customer.id,
            issue_date: None,
            terms_days: None,
            notes: None,
            template: None,
            lines: vec![
                line("Consulting", "10", "150.00", None),
                line("Hosting", "1", "49.99", Some("10")),
            ],
        }
    }

    /// Adds a user with `role` and signs them in.
    pub fn user(&self, email: &str, role: Role) -> Session {
        self.app
            .add_user(
                &self.admin,
                &NewUserInput {
                    email: email.into(),
                    name: email.into(),
                    role,
                    password: "password-123".into(),
                },
            )
            .expect("add user");
        self.app
            .sign_in(&SignInInput {
                email: email.into(),
                password: "password-123".into(),
            })
            .expect("sign in")
    }
}

impl Default for Fixture {
    fn default() -> Self {
        Self::new()
    }
}

/// A valid customer in San Francisco.
pub fn california_customer() -> CustomerInput {
    CustomerInput {
        name: "Zoë Müller".into(),
        company: Some("Globex".into()),
        email: "zoe@globex.test".into(),
        address: "1 Market St".into(),
        city: "San Francisco".into(),
        region: Some("CA".into()),
        postal_code: "94105".into(),
        country: "US".into(),
        tax_id: None,
        currency: None,
        template: None,
        cc: None,
        bcc: None,
        external_ref: None,
    }
}

/// A line input.
pub fn line(description: &str, qty: &str, price: &str, discount: Option<&str>) -> LineInput {
    LineInput {
        description: description.into(),
        quantity: qty.into(),
        unit_price: price.into(),
        discount_percent: discount.map(Into::into),
        tax_rate_id: None,
        proration: None,
        tax_exempt_reason: None,
    }
}

/// The text of a PDF as poppler's `pdftotext -layout` reads it: a real reader,
/// not the bytes we wrote.
pub fn pdftotext(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoice.pdf");
    // Allowed: a throwaway copy for pdftotext in a temporary folder.
    #[allow(clippy::disallowed_methods)]
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by make setup");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}
