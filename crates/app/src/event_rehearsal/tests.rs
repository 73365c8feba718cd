//! A rehearsal whose guessed number is taken before its event commits: the
//! early PDF is not archived, and the one that is prints the committed
//! number (read back with pdftotext from the real archive).

use super::*;
use crate::api::{DraftInput, EventRuleTestInput, LineInput, SetupInput};
use crate::{ApiCall, Idempotency, ManualClock, Session};
use chrono::TimeZone;
use serde_json::json;
use std::sync::Arc;

fn app() -> (tempfile::TempDir, Invoicer, Session) {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap(),
    ));
    let app = Invoicer::open(dir.path(), clock).expect("open");
    let admin = app
        .setup(&SetupInput {
            company_name: "Acme Billing".into(),
            country: "US".into(),
            region: Some("CA".into()),
            currency: "USD".into(),
            admin_email: "admin@acme.test".into(),
            admin_name: "Ada Admin".into(),
            admin_password: "correct horse battery staple".into(),
        })
        .expect("setup");
    let mut company = app.company(&admin).expect("company");
    company.email = Some("billing@acme.test".into());
    app.update_company(&admin, &company).expect("email");
    app.test_event_rule(
        &admin,
        &EventRuleTestInput {
            event_type: "deal.closed_won".into(),
            sample_event: None,
        },
    )
    .expect("rule test");
    app.set_event_rule_enabled(&admin, "deal.closed_won", true)
        .expect("enable");
    (dir, app, admin)
}

fn deal(reference: &str) -> EventInput {
    serde_json::from_value(json!({
        "type": "deal.closed_won",
        "customer": {"external_ref": "crm-7", "email": "buyer@globex.test", "name": "Gina Globex",
                     "address": "1 Main St", "city": "Springfield", "region": "IL",
                     "postal_code": "12345", "country": "US"},
        "lines": [{"description": "Annual licence", "quantity": "1", "unit_price": "1200.00"}],
        "reference": reference
    }))
    .expect("event")
}

fn pdf_text(dir: &std::path::Path, bytes: &[u8]) -> String {
    let mut file = tempfile::NamedTempFile::new_in(dir).expect("temp file");
    std::io::Write::write_all(&mut file, bytes).expect("pdf written");
    let out = std::process::Command::new("pdftotext")
        .args([file.path().to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext");
    String::from_utf8(out.stdout).expect("text")
}

#[test]
fn a_guessed_number_taken_meanwhile_is_not_archived_and_the_pdf_shows_the_committed_one() {
    let (dir, app, admin) = app();
    let call = ApiCall {
        method: "POST",
        path: "/v1/events",
        token_name: Some("test"),
    };
    let idem = |key| Idempotency {
        key,
        request_hash: key,
    };
    // The first event creates the customer, so later ones can be rehearsed.
    let first = app
        .api_event(&deal("DEAL-1"), &idem("k1"), &call, false)
        .expect("first event");
    assert_eq!(first.status, 201);
    let second = deal("DEAL-2");
    let rehearsal = app.rehearse_event(&second, "k2").expect("rehearsed");
    let (inputs, pdf) = rehearsal.early.as_ref().expect("rendered early");
    let guessed = inputs.number().expect("numbered").to_string();
    assert!(pdf_text(dir.path(), pdf).contains(&guessed));

    // A person issues an invoice in between and takes the guessed number.
    let customer_id = app.store.read(|tx| {
        Ok::<_, crate::ApiError>(tx.customer_by_external_ref("crm-7")?.expect("customer").id)
    });
    let draft = app
        .create_invoice(
            &admin,
            &DraftInput {
                customer_id: customer_id.expect("customer id"),
                issue_date: None,
                terms_days: None,
                notes: None,
                lines: vec![LineInput {
                    description: "Support".into(),
                    quantity: "1".into(),
                    unit_price: "90.00".into(),
                    discount_percent: None,
                    tax_rate_id: None,
                    proration: None,
                    tax_exempt_reason: None,
                }],
                template: None,
            },
        )
        .expect("draft");
    let by_person = app.issue_invoice(&admin, draft.id).expect("issued");
    assert_eq!(by_person.invoice.number.as_deref(), Some(guessed.as_str()));

    // The event commits with its stale rehearsal.
    let now = app.clock.now();
    let made = app
        .store
        .write(|tx| {
            let early = rehearsal.early.as_ref().map(|(i, p)| (i, p.clone()));
            app.make_event_invoice_with(tx, &second, false, now, early)
        })
        .expect("event made");
    rehearsal.ticket.close(None);
    let committed = made.result.invoice.number.clone().expect("issued");
    assert_ne!(committed, guessed);
    let archived = app.invoice_pdf(&admin, made.invoice_id).expect("pdf");
    let text = pdf_text(dir.path(), &archived.bytes);
    assert!(text.contains(&committed), "{committed} not in\n{text}");
    assert!(!text.contains(&guessed), "the guessed {guessed} is printed");
}
