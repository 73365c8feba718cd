//! Writes the sample invoice with every default bundle, for eyeballing the layout.
//!
//! ```text
//! cargo run -p invoicer-documents --example render_samples -- <output-dir>
//! ```
//!
//! Produces `standard-en.pdf` and `standard-de.pdf`, plus `standard-en-long.pdf`
//! (60 lines, for checking pagination) and `standard-de-logo.pdf` (with a drawn logo).

use std::path::PathBuf;
use std::process::ExitCode;

use invoicer_documents::{default_bundles, Logo, PrintedInvoice, Renderer};

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: render_samples <output-dir>");
        return ExitCode::FAILURE;
    };
    match run(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("render_samples: {e}");
            ExitCode::FAILURE
        }
    }
}

// Allowed: sample PDFs for people to look at, rewritten on every run; a torn
// write is fixed by running again.
#[allow(clippy::disallowed_methods)]
fn run(dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let renderer = Renderer::new()?;
    let sample = PrintedInvoice::sample();
    for (name, bundle) in default_bundles() {
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, renderer.render_pdf(&bundle, &sample)?)?;
        println!("wrote {}", path.display());
        if name == "standard-de" {
            let mut layout = bundle.layout().clone();
            layout.logo = Some(Logo::from_png(drawn_logo()?)?);
            let path = dir.join(format!("{name}-logo.pdf"));
            std::fs::write(
                &path,
                renderer.render_pdf(&bundle.with_layout(layout), &sample)?,
            )?;
            println!("wrote {}", path.display());
        }
        if name == "standard-en" {
            let long = PrintedInvoice::sample_with_lines(60);
            let path = dir.join(format!("{name}-long.pdf"));
            std::fs::write(&path, renderer.render_pdf(&bundle, &long)?)?;
            println!("wrote {}", path.display());
        }
    }
    Ok(())
}

/// A 240×80 logo: three rising bars in teal on a transparent background.
fn drawn_logo() -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let (width, height) = (240u32, 80u32);
    let mut pixels = Vec::with_capacity((width * height * 4) as usize);
    for y in 0..height {
        for x in 0..width {
            let bar = x / 28;
            let top = 60u32.saturating_sub(bar * 20);
            let inside = bar < 3 && x % 28 < 22 && y >= top && y < 76;
            let pixel: [u8; 4] = if inside {
                [15, 110, 90, 255]
            } else {
                [0, 0, 0, 0]
            };
            pixels.extend_from_slice(&pixel);
        }
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(out)
}
