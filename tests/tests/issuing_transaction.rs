//! The issuing transaction reads the company settings itself: a settings
//! change committed while an issue waits for the write lock applies to that
//! issue wholly (number and PDF), never half.

use invoicer_tests::{pdftotext, Fixture};
use std::time::Duration;

#[test]
fn a_settings_change_committed_while_an_issue_waits_applies_to_its_number_and_pdf() {
    let f = Fixture::new();
    let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
    // Another writer (a second window, say) is changing the number format and
    // holds the write lock while it does.
    let other = rusqlite::Connection::open(f.dir.path().join("invoicer.db")).unwrap();
    other
        .execute_batch(
            "BEGIN IMMEDIATE;
             UPDATE company SET settings = json_set(settings, '$.number_format', 'F-{SEQ:3}')
             WHERE id = 1;",
        )
        .unwrap();
    let issued = std::thread::scope(|s| {
        let issuing = s.spawn(|| f.app.issue_invoice(&f.admin, draft.id));
        // Give the issue time to read what it reads before taking the lock
        // (the old code read the settings there); it then waits for the lock.
        // Allowed: the test only proves the outcome is the same however long
        // the issue took to get there, so the sleep decides no assertion.
        #[allow(clippy::disallowed_methods)]
        std::thread::sleep(Duration::from_millis(500));
        other.execute_batch("COMMIT").unwrap();
        issuing.join().unwrap()
    })
    .unwrap();
    assert_eq!(issued.invoice.number.as_deref(), Some("F-001"));
    let pdf = f.app.invoice_pdf(&f.admin, draft.id).unwrap();
    let text = pdftotext(&pdf.bytes);
    assert!(text.contains("F-001"), "{text}");
    assert!(!text.contains("INV-"), "{text}");
}

/// Loops of 10^12 empty iterations for every invoice, the samples included.
const LOOPS_ALWAYS: &str = "{% for a in range(end=1000) %}{% for b in range(end=1000) %}{% for c in range(end=1000) %}{% for d in range(end=1000) %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}Hello";

#[test]
fn checking_and_previewing_a_looping_template_stop_at_the_budget_and_save_nothing() {
    use invoicer_app::api::*;
    use invoicer_app::ErrorCode;
    let mut f = Fixture::new();
    f.app.set_render_budget(Duration::from_millis(300));
    let t = f.standard_template();
    let mut blocks = t.blocks.clone();
    blocks.intro = LOOPS_ALWAYS.into();
    let input = SaveTemplateInput {
        name: "standard-en".into(),
        blocks,
        layout: t.layout.clone(),
    };
    for err in [
        f.app.save_template(&f.admin, &input).unwrap_err(),
        f.app.preview_template_pdf(&f.admin, &input).unwrap_err(),
    ] {
        assert_eq!(err.code, ErrorCode::Document, "{err:?}");
        assert!(
            err.message.contains("exceeded its budget"),
            "{}",
            err.message
        );
    }
    assert_eq!(
        f.app
            .template_history(&f.admin, "standard-en")
            .unwrap()
            .len(),
        1
    );
}
