//! Text the invoice font cannot print (CJK, emoji) or lay out (Hebrew, Arabic)
//! is refused on its field at input, and an issue that would still print it
//! fails cleanly: no number used, no PDF archived, never a U+FFFD on paper.

use invoicer_app::api::*;
use invoicer_app::ErrorCode;
use invoicer_tests::{california_customer, line, Fixture};

fn field_and_message(e: &invoicer_app::ApiError) -> (String, String) {
    let d = &e.details.as_ref().expect("field errors")[0];
    (d.field.clone(), d.message.clone())
}

#[test]
fn a_cjk_customer_name_is_refused_naming_the_character() {
    let f = Fixture::new();
    let mut c = california_customer();
    c.name = "山田 太郎".into();
    let err = f.app.create_customer(&f.admin, &c).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    let (field, message) = field_and_message(&err);
    assert_eq!(field, "name");
    assert_eq!(
        message,
        "\"山田 太郎\" — 山 (U+5C71) cannot be printed with the invoice font"
    );

    let mut c = california_customer();
    c.city = "תל אביב".into();
    let err = f.app.create_customer(&f.admin, &c).unwrap_err();
    let (field, message) = field_and_message(&err);
    assert_eq!(field, "city");
    assert!(message.contains("right-to-left"), "{message}");
}

#[test]
fn emoji_in_a_line_and_cjk_in_a_printed_template_block_are_refused() {
    let f = Fixture::new();
    let mut draft = f.draft();
    draft.lines.push(line("Coffee ☕🍩", "1", "3.50", None));
    let err = f.app.create_invoice(&f.admin, &draft).unwrap_err();
    assert_eq!(field_and_message(&err).0, "lines[2].description");

    let t = f.standard_template();
    let mut blocks = t.blocks.clone();
    blocks.title = "請求書".into();
    let err = f
        .app
        .save_template(
            &f.admin,
            &SaveTemplateInput {
                name: t.name.clone(),
                blocks,
                layout: t.layout.clone(),
            },
        )
        .unwrap_err();
    assert_eq!(field_and_message(&err).0, "blocks.title");
}

#[test]
fn an_issue_that_would_print_a_replacement_character_fails_cleanly() {
    let f = Fixture::new();
    let inv = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    // A name stored before input was checked (written here straight to the file).
    let raw = rusqlite::Connection::open(f.dir.path().join("invoicer.db")).unwrap();
    let snapshot: String = raw
        .query_row(
            "SELECT customer FROM invoices WHERE id = ?1",
            [inv.id],
            |r| r.get(0),
        )
        .unwrap();
    raw.execute(
        "UPDATE invoices SET customer = ?2 WHERE id = ?1",
        rusqlite::params![inv.id, snapshot.replace("Zoë Müller", "山田 太郎")],
    )
    .unwrap();
    drop(raw);
    let err = f.app.issue_invoice(&f.admin, inv.id).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.contains("U+5C71"), "{}", err.message);
    let still = f.app.invoice(&f.admin, inv.id).unwrap();
    assert_eq!(still.number, None, "no number was used");
    assert_eq!(still.pdf_sha256, None, "nothing was archived");
    // The next invoice still gets the first number.
    let next = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    let issued = f.app.issue_invoice(&f.admin, next.id).unwrap().invoice;
    assert_eq!(issued.number.as_deref(), Some("INV-2026-00001"));
}
