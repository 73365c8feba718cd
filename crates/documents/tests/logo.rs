//! A bundle with a logo prints it.

mod common;

use common::{assert_qpdf_accepts, bundle, image_count, render};
use invoicer_documents::{Logo, PrintedInvoice};

/// A 120×40 logo: an accent bar on a transparent background.
fn logo_png() -> Vec<u8> {
    let (width, height) = (120u32, 40u32);
    let mut pixels = Vec::with_capacity((width * height * 4) as usize);
    for y in 0..height {
        for x in 0..width {
            let inside = (10..30).contains(&y) && x < 100;
            pixels.extend_from_slice(if inside {
                &[15, 110, 90, 255]
            } else {
                &[0, 0, 0, 0]
            });
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

#[test]
fn logo_is_embedded_and_the_pdf_stays_valid() {
    let base = bundle("standard-de");
    let mut layout = base.layout().clone();
    layout.logo = Some(Logo::from_png(logo_png()).unwrap());
    let with_logo = base.with_layout(layout);
    assert_ne!(with_logo.checksum(), base.checksum());

    let pdf = render(&with_logo, &PrintedInvoice::sample());
    assert_qpdf_accepts(&pdf);
    // The colour image and its transparency mask.
    assert_eq!(image_count(&pdf), 2);
    assert_eq!(image_count(&render(&base, &PrintedInvoice::sample())), 0);
}

#[test]
fn a_broken_logo_is_reported() {
    let base = bundle("standard-en");
    let mut layout = base.layout().clone();
    let mut bytes = logo_png();
    bytes.truncate(40);
    layout.logo = Some(Logo::from_png(bytes).unwrap());
    let result = invoicer_documents::Renderer::new()
        .unwrap()
        .render_pdf(&base.with_layout(layout), &PrintedInvoice::sample());
    assert!(
        matches!(result, Err(invoicer_documents::DocumentError::Logo(_))),
        "{result:?}"
    );
}
