//! Layout options of a bundle: colour, logo, paper, visible columns and locale.

use std::fmt;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::error::DocumentError;
use crate::locale::Locale;

/// How the invoice looks, apart from its texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayoutOptions {
    /// Colour of the header rule, the table header and the title.
    pub accent_color: AccentColor,
    /// Company logo printed top left, if any.
    #[serde(default)]
    pub logo: Option<Logo>,
    /// Paper size.
    pub paper: Paper,
    /// Which optional table columns are shown.
    pub columns: Columns,
    /// Language and number/date conventions of the texts.
    pub locale: Locale,
}

/// An sRGB colour written `#RRGGBB`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccentColor {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
}

impl FromStr for AccentColor {
    type Err = DocumentError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || DocumentError::InvalidColour(s.to_string());
        let hex = s.strip_prefix('#').ok_or_else(invalid)?;
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(invalid());
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| invalid());
        Ok(AccentColor {
            r: channel(0)?,
            g: channel(2)?,
            b: channel(4)?,
        })
    }
}

impl TryFrom<String> for AccentColor {
    type Error = DocumentError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<AccentColor> for String {
    fn from(value: AccentColor) -> Self {
        value.to_string()
    }
}

impl fmt::Display for AccentColor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02X}{:02X}{:02X}", self.r, self.g, self.b)
    }
}

/// Paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
}

impl Paper {
    /// Width and height in PDF points (1/72 in).
    pub fn size_pt(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// Which optional columns of the line-item table are shown.
///
/// Description and amount always show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Columns {
    /// Show the quantity.
    pub quantity: bool,
    /// Show the unit price.
    pub unit_price: bool,
    /// Show the discount percentage.
    pub discount: bool,
    /// Show the tax rate.
    pub tax_rate: bool,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            quantity: true,
            unit_price: true,
            discount: true,
            tax_rate: true,
        }
    }
}

/// A PNG logo, written in JSON as a base64 string.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Logo {
    png: Vec<u8>,
}

/// The eight bytes every PNG file starts with.
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1A, b'\n'];

impl Logo {
    /// Wraps PNG file bytes; fails if they are not a PNG file.
    pub fn from_png(png: Vec<u8>) -> Result<Logo, DocumentError> {
        if !png.starts_with(&PNG_SIGNATURE) {
            return Err(DocumentError::Logo("the data is not a PNG file".into()));
        }
        Ok(Logo { png })
    }

    /// The PNG file bytes.
    pub fn png_bytes(&self) -> &[u8] {
        &self.png
    }
}

impl fmt::Debug for Logo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Logo({} bytes of PNG)", self.png.len())
    }
}

impl TryFrom<String> for Logo {
    type Error = DocumentError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        let bytes = BASE64
            .decode(value.as_bytes())
            .map_err(|e| DocumentError::Logo(format!("the logo is not valid base64: {e}")))?;
        Logo::from_png(bytes)
    }
}

impl From<Logo> for String {
    fn from(value: Logo) -> Self {
        BASE64.encode(value.png)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accent_colour_parses_and_prints() {
        let c: AccentColor = "#1f6feb".parse().unwrap();
        assert_eq!((c.r, c.g, c.b), (0x1f, 0x6f, 0xeb));
        assert_eq!(c.to_string(), "#1F6FEB");
        for bad in ["1F6FEB", "#1F6FE", "#1F6FEBB", "#GG0000", ""] {
            assert!(bad.parse::<AccentColor>().is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<AccentColor>("\"red\"").is_err());
    }

    #[test]
    fn logo_must_be_png() {
        assert!(Logo::from_png(b"GIF89a".to_vec()).is_err());
        let logo = Logo::from_png(PNG_SIGNATURE.to_vec()).unwrap();
        let json = serde_json::to_string(&logo).unwrap();
        assert_eq!(json, "\"iVBORw0KGgo=\"");
        assert_eq!(serde_json::from_str::<Logo>(&json).unwrap(), logo);
    }
}
