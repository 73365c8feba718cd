//! Turning laid-out pages into PDF bytes: printpdf builds the document structure, then
//! a final pass makes it deterministic and compact.
//!
//! The final pass works on the lopdf document printpdf produces, because three things
//! cannot be configured through printpdf's save options:
//! - printpdf writes a random document `/ID`; archives compare bytes, so the ID is
//!   replaced by a hash of the page contents;
//! - printpdf's "optimize" compresses every stream at zlib's slowest level on every
//!   save, font programs included; here the cached subsets' font programs are swapped
//!   for their pre-compressed form and only the small page streams are compressed;
//! - a subset font embedded through the "full font" path gets no subset tag; the tag
//!   is added so readers know the font program is partial.

use std::sync::Arc;

use chrono::NaiveDate;
use flate2::{Compress, Compression, FlushCompress, Status};
use lopdf::{Object, StringFormat};
use printpdf::{
    FontEmbeddingMode, OffsetDateTime, PdfDocument, PdfFont, PdfPage, PdfSaveOptions,
    PrintpdfFontMeta, Pt, XObject,
};
use sha2::{Digest, Sha256};

use super::canvas::{font_id, logo_id};
use super::fonts::{EmbeddedSubset, FaceKind, FontLibrary};
use super::layout::PageOut;
use super::logo::PreparedLogo;
use crate::error::DocumentError;

/// Document information shown by PDF readers.
pub(crate) struct DocumentInfo {
    /// e.g. "Invoice INV-2026-0042".
    pub title: String,
    /// The issuing company.
    pub author: String,
    /// The date the document is dated (the invoice's issue date), used as creation date
    /// so the bytes do not depend on when they were rendered.
    pub date: NaiveDate,
}

/// Writes `pages` as a PDF.
pub(crate) fn assemble(
    fonts: &FontLibrary,
    pages: Vec<PageOut>,
    page_size: (f32, f32),
    logo: Option<&PreparedLogo>,
    info: DocumentInfo,
) -> Result<Vec<u8>, DocumentError> {
    let mut doc = PdfDocument::new(&info.title);
    let timestamp = info
        .date
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp())
        .unwrap_or(0);
    let date = OffsetDateTime::from_unix_timestamp(timestamp)
        .map_err(|e| DocumentError::Pdf(format!("invalid document date: {e}")))?;
    let meta = &mut doc.metadata.info;
    meta.creation_date = date;
    meta.modification_date = date;
    meta.metadata_date = date;
    meta.author = info.author;
    meta.creator = "Invoicer".into();
    meta.producer = "Invoicer (printpdf)".into();

    let mut subsets: Vec<Arc<EmbeddedSubset>> = Vec::with_capacity(2);
    for kind in [FaceKind::Regular, FaceKind::Bold] {
        let mut used = super::fonts::BlockSet::new();
        for page in &pages {
            used.union(match kind {
                FaceKind::Regular => &page.regular,
                FaceKind::Bold => &page.bold,
            });
        }
        if let Some(c) = used.unprintable() {
            return Err(DocumentError::Unprintable(c));
        }
        if used.is_unused() {
            continue;
        }
        let subset = fonts.face(kind).subset_for(&used)?;
        let font_meta = PrintpdfFontMeta {
            embedding_mode: FontEmbeddingMode::Full,
            requires_subsetting: false,
            ..PrintpdfFontMeta::default()
        };
        doc.resources.fonts.map.insert(
            font_id(kind),
            PdfFont::with_meta(subset.parsed.clone(), font_meta),
        );
        subsets.push(subset);
    }
    if let Some(logo) = logo {
        doc.resources
            .xobjects
            .map
            .insert(logo_id(), XObject::External(logo.xobject.clone()));
    }
    let (width, height) = page_size;
    doc.pages = pages
        .into_iter()
        .map(|page| PdfPage::new(Pt(width).into(), Pt(height).into(), page.ops))
        .collect();

    let options = PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let mut pdf = printpdf::to_lopdf_doc(&doc, &options, &mut warnings);
    finish(&mut pdf, &subsets)?;
    let mut bytes = Vec::with_capacity(64 * 1024);
    pdf.save_to(&mut bytes)
        .map_err(|e| DocumentError::Pdf(e.to_string()))?;
    Ok(bytes)
}

/// Compresses streams, swaps in the pre-compressed font programs, tags the subset
/// fonts and sets a content-derived document ID.
fn finish(pdf: &mut lopdf::Document, subsets: &[Arc<EmbeddedSubset>]) -> Result<(), DocumentError> {
    let mut content_hash = Sha256::new();
    // One compressor for all streams: setting one up allocates its whole window, which
    // costs about as much as compressing a small stream.
    let mut deflater = Compress::new(Compression::fast(), true);
    for object in pdf.objects.values_mut() {
        match object {
            Object::Stream(stream) => {
                if stream.dict.has(b"Filter") {
                    continue;
                }
                let program = stream.dict.has(b"Length1").then(|| {
                    subsets.iter().find(|s| {
                        s.program.len() == stream.content.len() && s.program == stream.content
                    })
                });
                if let Some(Some(subset)) = program {
                    stream
                        .dict
                        .set("Filter", Object::Name(b"FlateDecode".to_vec()));
                    stream.set_content(subset.compressed.clone());
                    continue;
                }
                content_hash.update(&stream.content);
                // Page streams are small and compress well at the fastest level; the
                // best level would cost more time than it saves bytes.
                let compressed = deflate(&mut deflater, &stream.content)?;
                if compressed.len() < stream.content.len() {
                    stream
                        .dict
                        .set("Filter", Object::Name(b"FlateDecode".to_vec()));
                    stream.set_content(compressed);
                }
            }
            Object::Dictionary(dict) => tag_subset_names(dict, subsets),
            _ => {}
        }
    }
    let id: Vec<u8> = content_hash.finalize()[..16].to_vec();
    pdf.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), StringFormat::Hexadecimal),
            Object::String(id, StringFormat::Hexadecimal),
        ]),
    );
    Ok(())
}

/// zlib-compresses `data` with a reused compressor.
fn deflate(deflater: &mut Compress, data: &[u8]) -> Result<Vec<u8>, DocumentError> {
    deflater.reset();
    let mut out = Vec::with_capacity(data.len() / 2 + 128);
    loop {
        let consumed = usize::try_from(deflater.total_in()).unwrap_or(data.len());
        let status = deflater
            .compress_vec(&data[consumed..], &mut out, FlushCompress::Finish)
            .map_err(|e| DocumentError::Pdf(format!("compression failed: {e}")))?;
        match status {
            Status::StreamEnd => return Ok(out),
            Status::Ok | Status::BufError => out.reserve(out.capacity().max(1024)),
        }
    }
}

/// Replaces `/BaseFont` and `/FontName` values naming one of our faces with the
/// subset-tagged name.
fn tag_subset_names(dict: &mut lopdf::Dictionary, subsets: &[Arc<EmbeddedSubset>]) {
    for key in [b"BaseFont".as_slice(), b"FontName".as_slice()] {
        let Ok(Object::Name(name)) = dict.get(key) else {
            continue;
        };
        let tagged = subsets.iter().find(|s| {
            let plain = s.tagged_name.split_once('+').map_or("", |(_, n)| n);
            name.as_slice() == plain.as_bytes() || name.ends_with(format!("-{plain}").as_bytes())
        });
        if let Some(subset) = tagged {
            dict.set(key, Object::Name(subset.tagged_name.as_bytes().to_vec()));
        }
    }
}
