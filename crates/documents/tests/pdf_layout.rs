//! The PDF a customer receives: readable by real PDF tools, paginated, linked.

mod common;

use common::{
    assert_qpdf_accepts, bundle, collapse, flat_text, links, page_count, render, text_of_pages,
};
use invoicer_documents::{PrintedInvoice, Renderer};

#[test]
fn a_200_line_invoice_paginates_with_header_and_page_numbers_on_every_page() {
    let view = PrintedInvoice::sample_with_lines(200);
    let pdf = render(&bundle("standard-en"), &view);
    assert_qpdf_accepts(&pdf);

    let pages = page_count(&pdf);
    assert!(
        pages >= 4,
        "200 lines should need several pages, got {pages}"
    );
    for page in 1..=pages {
        let text = collapse(&text_of_pages(&pdf, page, page));
        assert!(
            text.contains("Description Qty Unit price Discount Tax Amount"),
            "page {page} lacks the table header: {text}"
        );
        assert!(
            text.contains(&format!("Page {page} of {pages}")),
            "page {page} lacks its page number"
        );
    }
    // The footer is on every page too.
    let first = collapse(&text_of_pages(&pdf, 1, 1));
    let last = collapse(&text_of_pages(&pdf, pages, pages));
    assert!(first.contains("Tax ID DE123456789") && last.contains("Tax ID DE123456789"));
    // Totals come once, after the last line.
    assert!(last.contains("Balance due"));
    assert!(!first.contains("Balance due"));
}

#[test]
fn every_line_description_the_customer_and_the_total_are_extractable() {
    let view = PrintedInvoice::sample_with_lines(40);
    let pdf = render(&bundle("standard-en"), &view);
    assert_qpdf_accepts(&pdf);
    let text = flat_text(&pdf);
    for line in &view.lines {
        assert!(
            text.contains(&collapse(&line.description)),
            "missing description {:?}",
            line.description
        );
    }
    assert!(text.contains("Zofia Wiśniewska-Müller"));
    assert!(text.contains("Müller & Söhne Maschinenbau GmbH"));
    let total = invoicer_documents::Locale::EnUs.format_money(view.totals.total, "EUR", 2);
    assert!(
        text.contains(&format!("Total {total}")),
        "total {total} missing"
    );
}

#[test]
fn greek_polish_and_german_text_survives_the_round_trip() {
    let mut view = PrintedInvoice::sample();
    view.customer.name = "Agnieszka Wiśniewska".into();
    view.customer.company = Some("Ελληνική Εταιρεία Λογισμικού Α.Ε.".into());
    view.customer.address_lines = vec![
        "Οδός Ερμού 12".into(),
        "105 63 Αθήνα".into(),
        "Ελλάδα".into(),
    ];
    view.lines[0].description = "Beratung in Łódź, Wiśniewska: Müller, Straße, Größe".into();
    view.lines[1].description = "Εργαστήριο στην Αθήνα (ΑΒΓΔ αβγδ)".into();
    let pdf = render(&bundle("standard-de"), &view);
    assert_qpdf_accepts(&pdf);
    let text = flat_text(&pdf);
    for expected in [
        "Agnieszka Wiśniewska",
        "Ελληνική Εταιρεία Λογισμικού Α.Ε.",
        "105 63 Αθήνα",
        "Łódź, Wiśniewska: Müller, Straße, Größe",
        "Εργαστήριο στην Αθήνα (ΑΒΓΔ αβγδ)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}

#[test]
fn german_invoice_uses_german_formats_and_wording() {
    let pdf = render(&bundle("standard-de"), &PrintedInvoice::sample());
    assert_qpdf_accepts(&pdf);
    let text = common::layout_text(&pdf);
    for expected in [
        "Rechnung",
        "Rechnungsnummer INV-2026-0042",
        "Rechnungsdatum 21.11.2026",
        "Fällig am 21.12.2026",
        "30 Tage netto",
        "Gesamtbetrag 7.516,79 €",
        "Offener Betrag 6.516,79 €",
        "3.800,00 €",
        "Seite 1 von 1",
        "USt-IdNr. DE123456789",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}

#[test]
fn english_invoice_uses_us_formats() {
    let pdf = render(&bundle("standard-en"), &PrintedInvoice::sample());
    let text = common::layout_text(&pdf);
    for expected in [
        "Issue date Nov 21, 2026",
        "Due date Dec 21, 2026",
        "Net 30",
        "Total €7,516.79",
        "Page 1 of 1",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in {text}");
    }
}

#[test]
fn payment_link_is_clickable() {
    let view = PrintedInvoice::sample();
    let pdf = render(&bundle("standard-en"), &view);
    let url = view.payment_link.clone().expect("sample has a link");
    assert_eq!(links(&pdf), vec![(1, url.clone())]);
    assert!(flat_text(&pdf).contains(&url));
}

#[test]
fn drafts_say_draft_and_have_no_link_when_there_is_none() {
    let mut view = PrintedInvoice::sample();
    view.number = None;
    view.payment_link = None;
    let pdf = render(&bundle("standard-en"), &view);
    assert_qpdf_accepts(&pdf);
    assert!(common::layout_text(&pdf).contains("Invoice number DRAFT"));
    assert!(!flat_text(&pdf).contains("INV-2026-0042"));
    assert!(links(&pdf).is_empty());
}

#[test]
fn rendering_is_deterministic() {
    let view = PrintedInvoice::sample_with_lines(30);
    let bundle = bundle("standard-de");
    let renderer = Renderer::new().unwrap();
    let first = renderer.render_pdf(&bundle, &view).unwrap();
    let second = renderer.render_pdf(&bundle, &view).unwrap();
    let other_renderer = Renderer::new().unwrap().render_pdf(&bundle, &view).unwrap();
    assert!(first == second, "same renderer, different bytes");
    assert!(first == other_renderer, "new renderer, different bytes");
    // And a change in content changes the bytes.
    let mut changed = view.clone();
    changed.lines[0].description.push('!');
    assert!(renderer.render_pdf(&bundle, &changed).unwrap() != first);
}

#[test]
fn long_unbreakable_text_stays_on_the_page() {
    let mut view = PrintedInvoice::sample();
    view.lines[0].description = format!("SKU-{}", "0123456789".repeat(30));
    view.payment_link = Some(format!("https://pay.example.com/{}", "x".repeat(200)));
    let pdf = render(&bundle("standard-en"), &view);
    assert_qpdf_accepts(&pdf);
    // Nothing crosses the right margin (50 pt)…
    for word in common::words(&pdf) {
        assert!(
            word.x_max <= word.page_width - 49.0 && word.x_min >= 49.0,
            "{word:?} leaves the page margins"
        );
    }
    // …and the whole identifier is still there, broken into pieces but in order.
    let text = flat_text(&pdf).replace(' ', "");
    assert!(text.contains(&view.lines[0].description));
    assert!(links(&pdf)
        .iter()
        .all(|(_, url)| url == view.payment_link.as_ref().unwrap()));
}
