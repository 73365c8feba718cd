//! Text the bundled fonts cannot print is refused — by the check the app runs on
//! input, and by the renderer as a backstop — instead of printing U+FFFD on a
//! document that can never change; oversized template blocks are refused early.

mod common;

use common::bundle;
use invoicer_documents::{BlockName, DocumentError, PrintedInvoice, Renderer};

#[test]
fn cjk_emoji_hebrew_and_arabic_are_named_latin_greek_and_polish_pass() {
    let r = Renderer::new().unwrap();
    assert_eq!(r.unprintable("山田 太郎"), Some('山'));
    assert_eq!(r.unprintable("Coffee ☕🍩"), Some('🍩'));
    assert_eq!(r.unprintable("שלום"), Some('ש'));
    assert_eq!(r.unprintable("مرحبا"), Some('م'));
    assert_eq!(
        r.unprintable("Zoë Müller, Łódź, Ελλάδα — 5 €\nline two"),
        None
    );
}

#[test]
fn the_renderer_refuses_instead_of_drawing_a_replacement_character() {
    let mut view = PrintedInvoice::sample();
    view.customer.name = "山田 太郎".into();
    let err = Renderer::new()
        .unwrap()
        .render_pdf(&bundle("standard-en"), &view)
        .unwrap_err();
    assert!(matches!(err, DocumentError::Unprintable('山')), "{err}");
    assert!(err.to_string().contains("U+5C71"), "{err}");
}

#[test]
fn a_ten_megabyte_template_block_is_a_located_issue_not_a_panic() {
    let base = bundle("standard-en");
    let mut blocks = base.blocks().clone();
    blocks.set(BlockName::Notes, "W".repeat(10 * 1024 * 1024));
    let issues = base.with_blocks(blocks).validate();
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].block, BlockName::Notes);
    assert!(
        issues[0].message.contains("at most"),
        "{}",
        issues[0].message
    );
}
