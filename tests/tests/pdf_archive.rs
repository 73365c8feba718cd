//! Issue = archive: the PDF is rendered and stored with its SHA-256 when the
//! invoice is issued, and reading it back returns exactly those bytes, even
//! after the template it was issued with has been edited.

use invoicer_app::api::*;
use invoicer_app::ErrorCode;
use invoicer_tests::{pdftotext, Fixture};
use std::process::Command;

#[test]
fn issued_pdf_is_archived_and_reprints_byte_identical_after_a_template_edit() {
    let f = Fixture::new();
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let issued = f.app.issue_invoice(&f.admin, inv.id).unwrap().invoice;
    let sha = issued
        .pdf_sha256
        .clone()
        .expect("issued invoices record their PDF's SHA-256");
    assert_eq!(issued.template.as_deref(), Some("standard-en v1"));
    let first = f.app.invoice_pdf(&f.admin, inv.id).unwrap();
    assert_eq!(first.sha256, sha);
    assert_eq!(first.file_name, "INV-2026-00001.pdf");
    let text = pdftotext(&first.bytes);
    assert!(text.contains("INV-2026-00001"), "{text}");
    assert!(text.contains("Zoë Müller"), "{text}");
    assert!(text.contains("Consulting"));
    assert!(text.contains("1,672.45"), "{text}");

    // Edit the template the invoice was issued with.
    let mut t = f.standard_template();
    t.blocks.title = "Tax invoice (edited)".into();
    let saved = f
        .app
        .save_template(
            &f.admin,
            &SaveTemplateInput {
                name: t.name.clone(),
                blocks: t.blocks,
                layout: t.layout,
            },
        )
        .unwrap();
    assert_eq!(saved.version, 2);

    let again = f.app.invoice_pdf(&f.admin, inv.id).unwrap();
    assert_eq!(
        again.bytes, first.bytes,
        "an issued invoice reprints byte for byte"
    );
    assert_eq!(again.sha256, sha);
    // A new invoice uses the new version.
    let next = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let next = f.app.issue_invoice(&f.admin, next.id).unwrap().invoice;
    assert_eq!(next.template.as_deref(), Some("standard-en v2"));
    let text = pdftotext(&f.app.invoice_pdf(&f.admin, next.id).unwrap().bytes);
    assert!(text.contains("Tax invoice (edited)"), "{text}");
}

#[test]
fn drafts_render_on_the_fly_and_say_draft() {
    let f = Fixture::new();
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let pdf = f.app.invoice_pdf(&f.admin, inv.id).unwrap();
    assert_eq!(pdf.file_name, format!("draft-{}.pdf", inv.id));
    let text = pdftotext(&pdf.bytes);
    assert!(text.to_uppercase().contains("DRAFT"), "{text}");
}

#[test]
fn a_broken_template_is_refused_with_line_and_column_and_nothing_is_saved() {
    let f = Fixture::new();
    let t = f.standard_template();
    let mut blocks = t.blocks.clone();
    blocks.intro = "Hello\n{{ customer.name | nosuchfilter }}".into();
    let err = f
        .app
        .save_template(
            &f.admin,
            &SaveTemplateInput {
                name: "standard-en".into(),
                blocks,
                layout: t.layout.clone(),
            },
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    let d = &err.details.unwrap()[0];
    assert_eq!(d.field, "blocks.intro");
    assert!(d.message.starts_with("line 2, column"), "{}", d.message);
    // The position also travels as numbers, so the editor never parses the sentence.
    assert_eq!(d.line, Some(2));
    assert!(d.column.is_some_and(|c| c >= 1), "{d:?}");
    assert!(
        d.reason.as_deref().is_some_and(|r| !r.starts_with("line")),
        "{d:?}"
    );
    assert_eq!(
        f.app
            .template_history(&f.admin, "standard-en")
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn specialists_cannot_edit_templates() {
    let f = Fixture::new();
    let s = f.user("sam@acme.test", Role::Specialist);
    let t = f
        .app
        .template(
            &s,
            &TemplateRefInput {
                name: "standard-en".into(),
                version: None,
            },
        )
        .unwrap();
    let err = f
        .app
        .save_template(
            &s,
            &SaveTemplateInput {
                name: t.name,
                blocks: t.blocks,
                layout: t.layout,
            },
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
}

#[test]
fn saved_pdf_file_matches_the_archive() {
    let f = Fixture::new();
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, inv.id).unwrap();
    let path = f.dir.path().join("copy.pdf");
    let pdf = f
        .app
        .save_invoice_pdf(
            &f.admin,
            &SavePdfInput {
                invoice_id: inv.id,
                path: path.display().to_string(),
            },
        )
        .unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), pdf.bytes);
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("qpdf installed by make setup");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
}

#[test]
fn a_customer_or_an_invoice_chooses_its_template_over_the_company_default() {
    let f = Fixture::new();
    // A German customer is invoiced with the German template…
    let mut berlin = invoicer_tests::california_customer();
    berlin.template = Some("standard-de".into());
    let berlin = f
        .app
        .update_customer(&f.admin, f.customer.id, &berlin)
        .unwrap();
    assert_eq!(berlin.template.as_deref(), Some("standard-de"));
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let issued = f.app.issue_invoice(&f.admin, inv.id).unwrap().invoice;
    assert_eq!(issued.template.as_deref(), Some("standard-de v1"));
    let text = pdftotext(&f.app.invoice_pdf(&f.admin, inv.id).unwrap().bytes);
    assert!(text.contains("Rechnung"), "{text}");
    assert!(text.contains("1.672,45"), "{text}");

    // …unless the invoice itself asks for another one.
    let mut draft = f.draft();
    draft.template = Some("standard-en".into());
    let english = f.app.create_invoice(&f.admin, &draft).unwrap();
    assert_eq!(english.template.as_deref(), Some("standard-en"));
    let english = f.app.issue_invoice(&f.admin, english.id).unwrap().invoice;
    assert_eq!(english.template.as_deref(), Some("standard-en v1"));

    // A name the library does not have is refused on its field, and nothing is saved.
    draft.template = Some("standard-xx".into());
    let err = f.app.create_invoice(&f.admin, &draft).unwrap_err();
    assert_eq!(err.details.unwrap()[0].field, "template");
    let mut bad = invoicer_tests::california_customer();
    bad.template = Some("standard-xx".into());
    let err = f.app.create_customer(&f.admin, &bad).unwrap_err();
    assert_eq!(err.details.unwrap()[0].field, "template");
    assert_eq!(f.app.customers(&f.admin, None).unwrap().len(), 1);
}

#[test]
fn the_issued_pdf_links_to_the_payment_page_with_its_number_balance_and_currency() {
    let f = Fixture::new();
    f.app
        .set_setting(
            &f.admin,
            "payment_link_format",
            "https://pay.acme.test/{number}?amount={balance}&currency={currency}",
        )
        .unwrap();
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    f.app.issue_invoice(&f.admin, inv.id).unwrap();
    let pdf = f.app.invoice_pdf(&f.admin, inv.id).unwrap();
    let link = "https://pay.acme.test/INV-2026-00001?amount=1672.45&currency=USD";
    let text = pdftotext(&pdf.bytes);
    assert!(text.contains(link), "{text}");

    // A placeholder the link cannot fill is refused on its field.
    let err = f
        .app
        .set_setting(
            &f.admin,
            "payment_link_format",
            "https://pay.acme.test/{number}/{due}",
        )
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(
        err.message.contains("unknown placeholder {due}"),
        "{}",
        err.message
    );
}
