//! Which encoding a file is in, and whether that is known or only a guess
//! the user must confirm before anything is decoded for real.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// How sure the sniffer is of an encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingCertainty {
    /// The file starts with the encoding's byte-order mark.
    Bom,
    /// The bytes are valid UTF-8 (or plain ASCII, the same in every
    /// encoding the importer offers).
    ValidUtf8,
    /// A statistical guess (chardetng, or NUL bytes that look like UTF-16
    /// without a BOM): shown to the user, who confirms or picks another,
    /// so a file is never decoded silently into mojibake.
    Guessed,
}

/// The encoding a file is taken to be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodingGuess {
    /// The encoding.
    pub encoding: &'static Encoding,
    /// How it was found.
    pub certainty: EncodingCertainty,
}

impl EncodingGuess {
    /// Whether the user must confirm the encoding before the file is read.
    pub fn needs_confirmation(&self) -> bool {
        self.certainty == EncodingCertainty::Guessed
    }

    /// The WHATWG name, as a mapping profile stores it (e.g. `windows-1252`).
    pub fn label(&self) -> &'static str {
        self.encoding.name()
    }
}

/// Detects the encoding of a file from its first bytes. `truncated` says
/// the bytes are only the start of the file, so a multi-byte character cut
/// at the end does not make UTF-8 invalid.
pub fn detect_encoding(prefix: &[u8], truncated: bool) -> EncodingGuess {
    let certain = |encoding, certainty| EncodingGuess {
        encoding,
        certainty,
    };
    if let Some((encoding, _)) = Encoding::for_bom(prefix) {
        return certain(encoding, EncodingCertainty::Bom);
    }
    // NUL is valid UTF-8 but never in a text file: check UTF-16 first.
    if let Some(utf16) = utf16_without_bom(prefix) {
        return certain(utf16, EncodingCertainty::Guessed);
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => return certain(UTF_8, EncodingCertainty::ValidUtf8),
        Err(e) if truncated && e.error_len().is_none() => {
            return certain(UTF_8, EncodingCertainty::ValidUtf8)
        }
        Err(_) => {}
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(prefix, !truncated);
    certain(
        detector.guess(None, chardetng::Utf8Detection::Deny),
        EncodingCertainty::Guessed,
    )
}

/// UTF-16 without a BOM: text in Latin script has a NUL in (nearly) every
/// other byte, which no single-byte encoding a CSV file uses has.
fn utf16_without_bom(prefix: &[u8]) -> Option<&'static Encoding> {
    let sample = &prefix[..prefix.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zeros_at = |offset: usize| {
        sample
            .iter()
            .skip(offset)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    if odd * 10 >= pairs * 8 && even * 10 < pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 8 && odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boms_and_valid_utf8_are_certain_everything_else_a_guess() {
        let g = detect_encoding(b"\xEF\xBB\xBFa;b\n", false);
        assert_eq!((g.label(), g.certainty), ("UTF-8", EncodingCertainty::Bom));
        let g = detect_encoding(b"\xFF\xFEa\0;\0", false);
        assert_eq!(
            (g.label(), g.certainty),
            ("UTF-16LE", EncodingCertainty::Bom)
        );
        let g = detect_encoding(b"\xFE\xFF\0a\0;", false);
        assert_eq!(g.label(), "UTF-16BE");
        let g = detect_encoding("Müller;Straße\n".as_bytes(), false);
        assert_eq!((g.label(), g.needs_confirmation()), ("UTF-8", false));
        // A cut multi-byte character at the end of a prefix is still UTF-8.
        let g = detect_encoding(&"aü".as_bytes()[..2], true);
        assert_eq!(g.label(), "UTF-8");
        let g = detect_encoding(
            b"Name;Stadt\nM\xFCller;K\xF6ln\nGr\xFC\xDFe;M\xFCnchen\n",
            false,
        );
        assert!(g.needs_confirmation());
        assert_eq!(g.label(), "windows-1252");
        let g = detect_encoding(b"a\0,\0b\0\n\0c\0,\0d\0\n\0", false);
        assert_eq!((g.label(), g.needs_confirmation()), ("UTF-16LE", true));
    }
}
