//! Shared helpers: render invoices and read them back with real PDF tools
//! (`qpdf`, and poppler's `pdftotext` / `pdfinfo` / `pdfimages`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use invoicer_documents::{default_bundles, PrintedInvoice, Renderer, TemplateBundle};

/// A default bundle by name.
pub fn bundle(name: &str) -> TemplateBundle {
    default_bundles()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, b)| b)
        .unwrap_or_else(|| panic!("no default bundle {name}"))
}

/// A rendered PDF written to a temporary file, kept alive with its directory.
pub struct PdfFile {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// Renders `view` with `bundle` and writes the PDF to a temporary file.
pub fn render(bundle: &TemplateBundle, view: &PrintedInvoice) -> PdfFile {
    let bytes = Renderer::new()
        .expect("fonts load")
        .render_pdf(bundle, view)
        .expect("invoice renders");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("invoice.pdf");
    // Allowed: a throwaway copy for pdftotext in a temporary folder.
    #[allow(clippy::disallowed_methods)]
    std::fs::write(&path, &bytes).expect("write pdf");
    PdfFile {
        _dir: dir,
        path,
        bytes,
    }
}

fn run(program: &str, args: &[&str], file: &Path) -> (bool, String) {
    let output = Command::new(program)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} ({e}); install qpdf and poppler-utils"));
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

/// Asserts that `qpdf --check` accepts the file.
pub fn assert_qpdf_accepts(pdf: &PdfFile) {
    let (ok, report) = run("qpdf", &["--check"], &pdf.path);
    assert!(ok, "qpdf --check failed:\n{report}");
    assert!(
        report.contains("No syntax or stream encoding errors"),
        "{report}"
    );
}

/// The text of pages `first..=last` as `pdftotext -layout` extracts it: one text line
/// per visual line, so a table row or a label and its value stay together.
pub fn text_of_pages(pdf: &PdfFile, first: usize, last: usize) -> String {
    extract(pdf, first, last, true)
}

fn extract(pdf: &PdfFile, first: usize, last: usize, layout: bool) -> String {
    let (f, l) = (first.to_string(), last.to_string());
    let mut args = vec!["-f", &f, "-l", &l, "-enc", "UTF-8"];
    if layout {
        args.push("-layout");
    }
    let output = Command::new("pdftotext")
        .args(&args)
        .arg(&pdf.path)
        .arg("-")
        .output()
        .expect("cannot run pdftotext; install poppler-utils");
    assert!(output.status.success(), "pdftotext failed");
    // Poppler reports broken fonts or content streams on stderr while still exiting 0.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.trim().is_empty(), "pdftotext complained: {stderr}");
    String::from_utf8(output.stdout).expect("pdftotext writes UTF-8")
}

/// The text of the whole document in reading order (a wrapped description comes out
/// as one run), with whitespace runs collapsed to one space.
pub fn flat_text(pdf: &PdfFile) -> String {
    collapse(&extract(pdf, 1, page_count(pdf), false))
}

/// The whole document as laid out (`pdftotext -layout`), whitespace collapsed.
pub fn layout_text(pdf: &PdfFile) -> String {
    collapse(&text_of_pages(pdf, 1, page_count(pdf)))
}

/// Collapses whitespace runs to single spaces.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page count `pdfinfo` reports.
pub fn page_count(pdf: &PdfFile) -> usize {
    let (ok, info) = run("pdfinfo", &[], &pdf.path);
    assert!(ok, "pdfinfo failed:\n{info}");
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo reports Pages")
}

/// The link targets `pdfinfo -url` finds, as (page, url).
pub fn links(pdf: &PdfFile) -> Vec<(usize, String)> {
    let (ok, listing) = run("pdfinfo", &["-url"], &pdf.path);
    assert!(ok, "pdfinfo -url failed:\n{listing}");
    listing
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let page = parts.next()?.parse().ok()?;
            let kind = parts.next()?;
            let url = parts.next()?;
            (kind == "Annotation").then(|| (page, url.to_string()))
        })
        .collect()
}

/// The number of images `pdfimages -list` finds.
pub fn image_count(pdf: &PdfFile) -> usize {
    let output = Command::new("pdfimages")
        .arg("-list")
        .arg(&pdf.path)
        .output()
        .expect("cannot run pdfimages; install poppler-utils");
    assert!(output.status.success(), "pdfimages failed");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.trim().is_empty(), "pdfimages complained: {stderr}");
    let listing = String::from_utf8_lossy(&output.stdout);
    listing
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .count()
}

/// A word and where `pdftotext -bbox` found it.
#[derive(Debug)]
pub struct Word {
    pub text: String,
    pub page_width: f32,
    pub x_min: f32,
    pub x_max: f32,
}

/// Every word of the document with its horizontal extent.
pub fn words(pdf: &PdfFile) -> Vec<Word> {
    let output = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(&pdf.path)
        .arg("-")
        .output()
        .expect("cannot run pdftotext; install poppler-utils");
    let html = String::from_utf8(output.stdout).expect("UTF-8");
    let attr = |line: &str, name: &str| -> Option<f32> {
        let start = line.find(&format!("{name}=\""))? + name.len() + 2;
        let end = start + line[start..].find('"')?;
        line[start..end].parse().ok()
    };
    let mut page_width = 0.0;
    let mut out = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page_width = attr(line, "width").unwrap_or(0.0);
        } else if line.starts_with("<word ") {
            let text = line
                .split_once('>')
                .and_then(|(_, rest)| rest.strip_suffix("</word>"))
                .unwrap_or("")
                .to_string();
            out.push(Word {
                text,
                page_width,
                x_min: attr(line, "xMin").unwrap_or(0.0),
                x_max: attr(line, "xMax").unwrap_or(0.0),
            });
        }
    }
    out
}
