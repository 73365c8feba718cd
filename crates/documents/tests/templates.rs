//! Template authors' view: broken templates are reported where they are broken, and
//! rendering with a broken bundle fails loudly instead of producing a wrong invoice.

mod common;

use common::bundle;
use invoicer_documents::{
    default_bundles, BlockName, DocumentError, PrintedInvoice, ReminderStep, Renderer,
    TemplateBundle,
};

fn with_block(name: BlockName, source: &str) -> TemplateBundle {
    let base = bundle("standard-en");
    let mut blocks = base.blocks().clone();
    blocks.set(name, source);
    base.with_blocks(blocks)
}

#[test]
fn default_bundles_validate_cleanly() {
    for (name, bundle) in default_bundles() {
        assert!(
            bundle.validate().is_empty(),
            "{name}: {:?}",
            bundle.validate()
        );
    }
}

#[test]
fn syntax_error_reports_block_line_and_column() {
    // Line 3 opens a tag that is never closed properly.
    let source = "Dear {{ customer.name }},\n\nplease pay {% if invoice.payment_link %}online";
    let issues = with_block(BlockName::Intro, source).validate();
    assert_eq!(issues.len(), 1, "{issues:?}");
    let issue = &issues[0];
    assert_eq!(issue.block, BlockName::Intro);
    assert_eq!(issue.line, 3, "{issue}");
    assert!(issue.column >= 1);

    let source = "Total: {{ totals.total | money }\n";
    let issue = &with_block(BlockName::Notes, source).validate()[0];
    assert_eq!(
        (issue.block, issue.line, issue.column),
        (BlockName::Notes, 1, 32),
        "{issue}"
    );
}

#[test]
fn unknown_variable_reports_block_line_and_column() {
    let source =
        "Dear {{ customer.name }},\nyour order {{ invoice.purchase_order }} is on its way.";
    let issues = with_block(BlockName::EmailBody, source).validate();
    assert_eq!(issues.len(), 1, "{issues:?}");
    let issue = &issues[0];
    assert_eq!(issue.block, BlockName::EmailBody);
    // Column 23 is where `purchase_order` starts: tera points at the missing field.
    assert_eq!((issue.line, issue.column), (2, 23), "{issue}");
    assert!(issue.message.contains("purchase_order"), "{issue}");
}

#[test]
fn unknown_filter_is_rejected_with_its_position() {
    let source = "Due: {{ invoice.due_date | date }}\nAmount: {{ totals.total | currency }}";
    let bundle = with_block(BlockName::PaymentInstructions, source);
    let issues = bundle.validate();
    assert_eq!(issues.len(), 1, "{issues:?}");
    let issue = &issues[0];
    assert_eq!((issue.line, issue.column), (2, 27), "{issue}");
    assert!(issue.message.contains("currency"), "{issue}");

    // Rendering refuses the bundle with the same located problem.
    match Renderer::new()
        .unwrap()
        .render_pdf(&bundle, &PrintedInvoice::sample())
    {
        Err(DocumentError::Template(found)) => assert_eq!(found, issues),
        other => panic!("expected a template error, got {other:?}"),
    }
}

#[test]
fn every_broken_block_is_reported() {
    let base = bundle("standard-de");
    let mut blocks = base.blocks().clone();
    blocks.set(BlockName::Title, "{{ nope }}");
    blocks.set(BlockName::Reminder2Body, "{% for x in %}");
    blocks.set(BlockName::LegalFooter, "{{ company.name | shout }}");
    let issues = base.with_blocks(blocks).validate();
    let broken: Vec<BlockName> = issues.iter().map(|i| i.block).collect();
    assert_eq!(
        broken,
        [
            BlockName::Title,
            BlockName::LegalFooter,
            BlockName::Reminder2Body
        ]
    );
}

#[test]
fn emails_and_reminders_render_from_the_bundle() {
    let renderer = Renderer::new().unwrap();
    let view = PrintedInvoice::sample();
    let en = bundle("standard-en");
    let email = renderer.render_email(&en, &view).unwrap();
    assert_eq!(
        email.subject,
        "Invoice INV-2026-0042 from Nordlicht Software GmbH"
    );
    assert!(email.body.starts_with("Dear Zofia Wiśniewska-Müller,"));
    assert!(email.body.contains("€6,516.79 is due on December 21, 2026"));
    assert!(email
        .body
        .contains("https://pay.nordlicht.example/i/INV-2026-0042"));

    let de = bundle("standard-de");
    for (step, as_of, expected) in [
        (ReminderStep::First, (2026, 12, 28), "vor 7 Tagen"),
        (ReminderStep::Second, (2027, 1, 4), "seit 14 Tagen"),
        (
            ReminderStep::Third,
            (2027, 1, 25),
            "35 Tage nach Fälligkeit",
        ),
    ] {
        let as_of = chrono::NaiveDate::from_ymd_opt(as_of.0, as_of.1, as_of.2).unwrap();
        let reminder = renderer.render_reminder(&de, &view, step, as_of).unwrap();
        assert!(
            reminder.subject.contains("INV-2026-0042"),
            "{}",
            reminder.subject
        );
        assert!(
            reminder.body.contains(expected),
            "{step:?}: {}",
            reminder.body
        );
        assert!(reminder.body.contains("6.516,79 €"));
    }
}

#[test]
fn region_statement_follows_the_customer() {
    let renderer = Renderer::new().unwrap();
    let en = bundle("standard-en");
    let mut view = PrintedInvoice::sample();
    assert_eq!(
        renderer.render_blocks(&en, &view).unwrap().region_statement,
        ""
    );

    view.customer.country = "PL".into();
    view.customer.tax_id = Some("PL7251801126".into());
    let blocks = renderer.render_blocks(&en, &view).unwrap();
    assert!(blocks.region_statement.starts_with("Reverse charge"));
    assert!(blocks.region_statement.contains("PL7251801126"));

    view.customer.country = "US".into();
    view.customer.region = Some("CA".into());
    let blocks = renderer.render_blocks(&en, &view).unwrap();
    assert!(blocks.region_statement.starts_with("California customers"));
}

#[test]
fn bundle_json_round_trips_and_rejects_bad_colours() {
    let original = bundle("standard-de");
    let json = original.to_json();
    let back = TemplateBundle::from_json(&json).unwrap();
    assert_eq!(back.checksum(), original.checksum());
    let broken = json.replace("#0F6E5A", "green");
    assert!(matches!(
        TemplateBundle::from_json(&broken),
        Err(DocumentError::BundleJson(_))
    ));
}
