//! The bundle's PNG logo, decoded and compressed once into a PDF image.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};

use flate2::write::ZlibEncoder;
use flate2::Compression;
use png::{ColorType, Transformations};
use printpdf::{DictItem, ExternalStream, ExternalXObject};

/// Largest logo accepted, in pixels per side; larger images are a mistake (a photo
/// instead of a logo) and would bloat every invoice.
const MAX_SIDE: u32 = 4096;

/// A logo ready to place on a page.
pub(crate) struct PreparedLogo {
    /// The image XObject: compressed RGB pixels plus a soft mask for transparency.
    pub xobject: ExternalXObject,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

impl PreparedLogo {
    /// Decodes PNG bytes (any colour type and bit depth) into an embeddable image.
    pub(crate) fn decode(png_bytes: &[u8]) -> Result<PreparedLogo, String> {
        let mut decoder = png::Decoder::new(Cursor::new(png_bytes));
        decoder.set_transformations(Transformations::normalize_to_color8());
        let mut reader = decoder
            .read_info()
            .map_err(|e| format!("the PNG cannot be read: {e}"))?;
        let size = reader
            .output_buffer_size()
            .ok_or("the PNG is too large to decode")?;
        let mut buffer = vec![0; size];
        let frame = reader
            .next_frame(&mut buffer)
            .map_err(|e| format!("the PNG cannot be decoded: {e}"))?;
        let (width, height) = (frame.width, frame.height);
        if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
            return Err(format!(
                "the logo is {width}×{height} pixels; at most {MAX_SIDE}×{MAX_SIDE} is accepted"
            ));
        }
        let pixels = &buffer[..frame.line_size * height as usize];
        let channels = match frame.color_type {
            ColorType::Grayscale => 1,
            ColorType::GrayscaleAlpha => 2,
            ColorType::Rgb => 3,
            ColorType::Rgba => 4,
            ColorType::Indexed => return Err("the PNG palette could not be expanded".into()),
        };
        let has_alpha = channels % 2 == 0;
        let colour_channels = if channels >= 3 { 3 } else { 1 };
        let mut colour = Vec::with_capacity((width * height) as usize * colour_channels);
        let mut alpha = Vec::new();
        for row in pixels.chunks_exact(frame.line_size) {
            for px in row[..width as usize * channels].chunks_exact(channels) {
                colour.extend_from_slice(&px[..colour_channels]);
                if has_alpha {
                    alpha.push(px[channels - 1]);
                }
            }
        }

        let colour_space = if colour_channels == 3 {
            "DeviceRGB"
        } else {
            "DeviceGray"
        };
        let mut dict = image_dict(width, height, colour_space);
        if has_alpha && alpha.iter().any(|a| *a != u8::MAX) {
            let mask = ExternalStream {
                dict: image_dict(width, height, "DeviceGray"),
                content: deflate(&alpha)?,
                compress: false,
            };
            dict.insert("SMask".into(), DictItem::Stream { stream: mask });
        }
        Ok(PreparedLogo {
            xobject: ExternalXObject {
                stream: ExternalStream {
                    dict,
                    content: deflate(&colour)?,
                    compress: false,
                },
                width: None,
                height: None,
                dpi: None,
            },
            width,
            height,
        })
    }

    /// The size to print the logo at: as large as fits `max_width` × `max_height` points
    /// without distorting it.
    pub(crate) fn fit(&self, max_width: f32, max_height: f32) -> (f32, f32) {
        let (w, h) = (self.width as f32, self.height as f32);
        let scale = (max_width / w).min(max_height / h);
        (w * scale, h * scale)
    }
}

fn image_dict(width: u32, height: u32, colour_space: &str) -> BTreeMap<String, DictItem> {
    BTreeMap::from([
        ("Type".into(), DictItem::Name(b"XObject".to_vec())),
        ("Subtype".into(), DictItem::Name(b"Image".to_vec())),
        ("Width".into(), DictItem::Int(i64::from(width))),
        ("Height".into(), DictItem::Int(i64::from(height))),
        ("BitsPerComponent".into(), DictItem::Int(8)),
        (
            "ColorSpace".into(),
            DictItem::Name(colour_space.as_bytes().to_vec()),
        ),
        ("Filter".into(), DictItem::Name(b"FlateDecode".to_vec())),
    ])
}

fn deflate(data: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(data).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3×2 RGBA PNG written with the png crate.
    pub(crate) fn tiny_png() -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, 3, 2);
            encoder.set_color(ColorType::Rgba);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().unwrap();
            let data: Vec<u8> = (0..3 * 2 * 4).map(|i| (i * 10) as u8).collect();
            writer.write_image_data(&data).unwrap();
        }
        out
    }

    #[test]
    fn decodes_rgba_with_soft_mask() {
        let logo = PreparedLogo::decode(&tiny_png()).unwrap();
        assert_eq!((logo.width, logo.height), (3, 2));
        assert!(logo.xobject.stream.dict.contains_key("SMask"));
        let (w, h) = logo.fit(150.0, 50.0);
        assert!((w - 75.0).abs() < 0.01 && (h - 50.0).abs() < 0.01);
    }

    #[test]
    fn rejects_garbage() {
        assert!(PreparedLogo::decode(b"\x89PNG\r\n\x1a\nnot really").is_err());
    }
}
