//! The bundled DejaVu fonts: parsed once, measured without touching the font tables on
//! the hot path, and embedded as cached subsets.
//!
//! Subsetting a font for every document is what made a one-page invoice cost several
//! milliseconds (see `BENCHMARKS.md`): allsorts rebuilds the font, printpdf re-parses the
//! result and lopdf compresses it at the highest zlib level. Documents of one business
//! use nearly the same characters, so every subset contains a fixed *base repertoire*
//! (printable ASCII, Latin-1, typographic quotes and dashes, `€`) and beyond that whole
//! *blocks of 32 code points*: an English or German invoice needs nothing beyond the
//! base, a Polish name adds a block or two of Latin Extended-A, a Greek address a few
//! Greek blocks. Each distinct set of extra blocks is subset, parsed and compressed once
//! and then reused by every later document. The embedded font is larger than an exact
//! subset (about 20 KB per face), in exchange for subsetting never happening on the
//! common path.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use flate2::write::ZlibEncoder;
use flate2::Compression;
use printpdf::ParsedFont;
use sha2::{Digest, Sha256};

use crate::error::DocumentError;

const REGULAR_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// Code points per subsetting block.
const BLOCK_SIZE: u32 = 32;

/// Characters outside ASCII and Latin-1 that every subset includes anyway, because
/// business texts in Latin-script languages use them all the time.
const BASE_EXTRAS: [char; 18] = [
    '–', '—', '‘', '’', '‚', '“', '”', '„', '•', '…', '‰', '′', '″', '€', '™', '−', '‹', '›',
];

/// Whether `c` is in the base repertoire every subset contains.
fn in_base(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A0}'..='\u{FF}') || BASE_EXTRAS.contains(&c)
}

/// Code points below this are measured from a precomputed table.
const TABLE_LIMIT: u32 = 0x3000;

/// Shown for characters the font has no glyph for, so the gap is visible.
const REPLACEMENT: char = '\u{FFFD}';

/// Distinct block sets kept per face before the cache starts over; real documents
/// produce a handful, this only bounds memory against adversarial input.
const MAX_CACHED_SUBSETS: usize = 64;

/// Number of subsetting blocks in Unicode.
const BLOCK_COUNT: usize = 0x11_0000 / BLOCK_SIZE as usize;

/// The set of Unicode blocks a document's text uses in one face: what decides which
/// cached subset it embeds. A bit set, because every character of every line passes
/// through it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct BlockSet {
    bits: Vec<u64>,
    /// Whether any character at all was recorded, base repertoire included.
    any: bool,
    /// The first character the face could not draw, if any: the document must
    /// not be written, because it would show U+FFFD where the text was.
    unprintable: Option<char>,
}

impl BlockSet {
    /// No blocks.
    pub(crate) fn new() -> BlockSet {
        BlockSet {
            bits: vec![0; BLOCK_COUNT / 64],
            any: false,
            unprintable: None,
        }
    }

    /// Records the block of `c`, unless the base repertoire has it anyway.
    pub(crate) fn insert(&mut self, c: char) {
        self.any = true;
        if in_base(c) {
            return;
        }
        let block = (u32::from(c) / BLOCK_SIZE) as usize;
        self.bits[block / 64] |= 1 << (block % 64);
    }

    /// Adds every block of `other`.
    pub(crate) fn union(&mut self, other: &BlockSet) {
        for (mine, theirs) in self.bits.iter_mut().zip(&other.bits) {
            *mine |= theirs;
        }
        self.any |= other.any;
        self.unprintable = self.unprintable.or(other.unprintable);
    }

    /// The first character recorded that the face could not draw.
    pub(crate) fn unprintable(&self) -> Option<char> {
        self.unprintable
    }

    /// Whether no character at all was recorded (the face is not used).
    pub(crate) fn is_unused(&self) -> bool {
        !self.any
    }

    /// The recorded block numbers, ascending.
    fn blocks(&self) -> Vec<u32> {
        let mut out = Vec::new();
        for (i, word) in self.bits.iter().enumerate() {
            let mut w = *word;
            while w != 0 {
                let bit = w.trailing_zeros();
                out.push(i as u32 * 64 + bit);
                w &= w - 1;
            }
        }
        out
    }
}

/// Which of the two faces a piece of text uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum FaceKind {
    /// DejaVu Sans.
    Regular,
    /// DejaVu Sans Bold.
    Bold,
}

/// Both faces.
pub(crate) struct FontLibrary {
    regular: Face,
    bold: Face,
}

impl FontLibrary {
    /// Parses the bundled fonts and builds their width tables.
    pub(crate) fn load() -> Result<FontLibrary, DocumentError> {
        Ok(FontLibrary {
            regular: Face::load("DejaVuSans", REGULAR_TTF)?,
            bold: Face::load("DejaVuSans-Bold", BOLD_TTF)?,
        })
    }

    /// One face.
    pub(crate) fn face(&self, kind: FaceKind) -> &Face {
        match kind {
            FaceKind::Regular => &self.regular,
            FaceKind::Bold => &self.bold,
        }
    }
}

/// A subset ready to embed: parsed for printpdf, and its font program pre-compressed.
pub(crate) struct EmbeddedSubset {
    /// The subset font as printpdf sees it.
    pub parsed: ParsedFont,
    /// The uncompressed font program, to find its stream in the written document.
    pub program: Vec<u8>,
    /// The font program zlib-compressed, to put in that stream instead.
    pub compressed: Vec<u8>,
    /// The PostScript name with its six-letter subset tag, e.g. `QXKBMA+DejaVuSans`.
    pub tagged_name: String,
}

/// Whether `c` belongs to a right-to-left script (Hebrew, Arabic, Syriac,
/// Thaana, N'Ko and their presentation forms). The typesetter has no bidi
/// reordering or Arabic shaping, so such text would print in the wrong order
/// with unjoined letters even where the font has glyphs.
pub(crate) fn is_right_to_left(c: char) -> bool {
    matches!(
        u32::from(c),
        0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x1_0800..=0x1_0FFF | 0x1_E800..=0x1_EFFF
    )
}

/// One parsed face with its width table and subset cache.
pub(crate) struct Face {
    name: &'static str,
    font: ParsedFont,
    units_per_em: f32,
    /// Advance width in font units of each code point below [`TABLE_LIMIT`]; `None`
    /// where the font has no glyph.
    advances: Vec<Option<u16>>,
    subsets: Mutex<HashMap<Vec<u32>, Arc<EmbeddedSubset>>>,
}

impl Face {
    fn load(name: &'static str, bytes: &[u8]) -> Result<Face, DocumentError> {
        let font =
            ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).ok_or(DocumentError::Font {
                font: name,
                reason: "not a readable TrueType font".into(),
            })?;
        let units_per_em = f32::from(font.pdf_font_metrics.units_per_em.max(1));
        let advances = (0..TABLE_LIMIT)
            .map(|cp| {
                font.lookup_glyph_index(cp)
                    .filter(|gid| *gid != 0)
                    .map(|gid| font.get_horizontal_advance(gid))
            })
            .collect();
        Ok(Face {
            name,
            font,
            units_per_em,
            advances,
            subsets: Mutex::new(HashMap::new()),
        })
    }

    /// Advance width of `c` in font units, `None` if the font cannot draw it.
    fn advance(&self, c: char) -> Option<u16> {
        let cp = u32::from(c);
        if cp < TABLE_LIMIT {
            return self.advances[cp as usize];
        }
        self.font
            .lookup_glyph_index(cp)
            .filter(|gid| *gid != 0)
            .map(|gid| self.font.get_horizontal_advance(gid))
    }

    /// Whether `c` can be printed with this face: it has a glyph (after the
    /// stand-ins of [`Face::drawable`]) and is not right-to-left.
    pub(crate) fn prints(&self, c: char) -> bool {
        !is_right_to_left(c) && self.drawable(c) != REPLACEMENT
    }

    /// Whether the font has a glyph for `c`.
    pub(crate) fn covers(&self, c: char) -> bool {
        self.advance(c).is_some()
    }

    /// The character drawn for `c`: itself, a plain stand-in for invisible or spacing
    /// variants (so copy-and-paste stays clean), or the replacement character.
    pub(crate) fn drawable(&self, c: char) -> char {
        let c = match c {
            '\t' | '\u{A0}' | '\u{2007}' | '\u{202F}' => ' ',
            '\u{2011}' => '-',
            other => other,
        };
        if self.covers(c) {
            c
        } else {
            REPLACEMENT
        }
    }

    /// Width of `text` at `size` points, in points.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        // u64: a 10 MB word of wide glyphs overflows a u32 sum of font units.
        let units: u64 = text
            .chars()
            .map(|c| {
                let c = self.drawable(c);
                u64::from(self.advance(c).unwrap_or(0))
            })
            .sum();
        units as f32 * size / self.units_per_em
    }

    /// Passes `text` through [`Face::drawable`] and records the blocks it uses; borrows
    /// when nothing had to change, which is nearly always.
    pub(crate) fn prepare<'t>(&self, text: &'t str, used: &mut BlockSet) -> Cow<'t, str> {
        let mut changed = false;
        for c in text.chars() {
            let d = self.drawable(c);
            used.insert(d);
            changed |= d != c;
            if (d == REPLACEMENT || is_right_to_left(c)) && used.unprintable.is_none() {
                used.unprintable = Some(c);
            }
        }
        if changed {
            Cow::Owned(text.chars().map(|c| self.drawable(c)).collect())
        } else {
            Cow::Borrowed(text)
        }
    }

    /// The subset covering every block in `used`, built on first request and cached.
    pub(crate) fn subset_for(&self, used: &BlockSet) -> Result<Arc<EmbeddedSubset>, DocumentError> {
        let key = used.blocks();

        if let Some(found) = self.lock_subsets().get(&key) {
            return Ok(Arc::clone(found));
        }
        // Built outside the lock so other threads keep rendering meanwhile; two threads
        // racing on a new key build identical subsets and one simply wins.
        let built = Arc::new(self.build_subset(&key)?);
        let mut cache = self.lock_subsets();
        if cache.len() >= MAX_CACHED_SUBSETS {
            cache.clear();
        }
        Ok(Arc::clone(cache.entry(key).or_insert(built)))
    }

    fn lock_subsets(&self) -> std::sync::MutexGuard<'_, HashMap<Vec<u32>, Arc<EmbeddedSubset>>> {
        // A panic while holding the lock can only leave a complete map behind (inserts
        // are single calls), so a poisoned cache is still a valid cache.
        self.subsets.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn build_subset(&self, blocks: &[u32]) -> Result<EmbeddedSubset, DocumentError> {
        let failed = |reason: String| DocumentError::Font {
            font: self.name,
            reason,
        };
        let base = (' '..='~').chain('\u{A0}'..='\u{FF}').chain(BASE_EXTRAS);
        let extra = blocks
            .iter()
            .flat_map(|block| block * BLOCK_SIZE..(block + 1) * BLOCK_SIZE)
            .filter_map(char::from_u32);
        let mut glyphs = std::collections::BTreeMap::new();
        for c in base.chain(extra) {
            let gid = self.font.lookup_glyph_index(u32::from(c));
            if let Some(gid) = gid.filter(|g| *g != 0) {
                glyphs.entry(gid).or_insert_with(|| c.to_string());
            }
        }
        let subset = printpdf::subset_font(&self.font, &glyphs).map_err(failed)?;
        let parsed = ParsedFont::from_bytes(&subset.bytes, 0, &mut Vec::new())
            .ok_or_else(|| failed("the subset font cannot be parsed".into()))?;
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
        encoder
            .write_all(&subset.bytes)
            .map_err(|e| failed(e.to_string()))?;
        let compressed = encoder.finish().map_err(|e| failed(e.to_string()))?;
        Ok(EmbeddedSubset {
            parsed,
            tagged_name: format!("{}+{}", subset_tag(self.name, blocks), self.name),
            program: subset.bytes,
            compressed,
        })
    }
}

/// Six capital letters identifying a subset (ISO 32000-1, 9.6.4), derived from what it
/// contains so the same subset always carries the same tag.
fn subset_tag(name: &str, blocks: &[u32]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    for block in blocks {
        hasher.update(block.to_le_bytes());
    }
    hasher
        .finalize()
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_and_substitutes() {
        let fonts = FontLibrary::load().unwrap();
        let regular = fonts.face(FaceKind::Regular);
        let bold = fonts.face(FaceKind::Bold);
        assert!(regular.width("Müller", 10.0) > 0.0);
        assert!(bold.width("Müller", 10.0) > regular.width("Müller", 10.0));
        assert_eq!(
            regular.width("ab", 10.0),
            regular.width("a", 10.0) + regular.width("b", 10.0)
        );
        assert!(regular.covers('Ł') && regular.covers('Θ') && regular.covers('€'));
        assert_eq!(regular.drawable('\u{A0}'), ' ');
        assert_eq!(regular.drawable('漢'), REPLACEMENT);
        let mut used = BlockSet::new();
        assert!(matches!(
            regular.prepare("Straße", &mut used),
            Cow::Borrowed(_)
        ));
        assert_eq!(regular.prepare("a\u{A0}b", &mut used), "a b");
        assert!(!used.is_unused());
        assert!(
            used.blocks().is_empty(),
            "base characters need no extra block"
        );
    }

    #[test]
    fn subsets_are_cached_per_block_set() {
        let fonts = FontLibrary::load().unwrap();
        let face = fonts.face(FaceKind::Regular);
        let set = |text: &str| {
            let mut used = BlockSet::new();
            let _ = face.prepare(text, &mut used);
            used
        };
        let latin = set("Invoice 1.234,56 €");
        let other_latin = set("Rechnung Müller");
        let greek = set("Αθήνα");
        let a = face.subset_for(&latin).unwrap();
        let b = face.subset_for(&other_latin).unwrap();
        let c = face.subset_for(&greek).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        for ch in "Invoice 1.234,56 € Müller Straße – „quoted“".chars() {
            assert!(a.parsed.lookup_glyph_index(u32::from(ch)).is_some(), "{ch}");
        }
        for ch in "Αθήνα θ Invoice".chars() {
            assert!(c.parsed.lookup_glyph_index(u32::from(ch)).is_some(), "{ch}");
        }
        assert_eq!(a.tagged_name.len(), "AAAAAA+DejaVuSans".len());
        assert!(a.compressed.len() < a.program.len());
    }

    #[test]
    fn a_ten_megabyte_word_is_measured_without_overflow() {
        // Before: the u32 sum of font units overflowed ("attempt to add with overflow").
        let library = FontLibrary::load().unwrap();
        let face = library.face(FaceKind::Regular);
        let word = "W".repeat(10 * 1024 * 1024);
        assert!(face.width(&word, 10.0) > 1.0e6);
    }
}
