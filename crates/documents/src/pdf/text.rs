//! Breaking text into lines that fit a width, and finding the web addresses in it.

use std::ops::Range;

use super::fonts::Face;

/// One wrapped line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    /// The text of the line.
    pub text: String,
    /// Byte ranges of `text` that are (parts of) web addresses, with the full address.
    pub links: Vec<(Range<usize>, String)>,
}

/// Wraps `text` to `width` points at `size` points in `face`.
///
/// Newlines are kept as line breaks (an empty line stays an empty line); runs of spaces
/// collapse to one. A word wider than the whole width, such as a long payment URL, is
/// broken between characters rather than allowed to run off the page.
pub(crate) fn wrap(face: &Face, text: &str, size: f32, width: f32) -> Vec<Line> {
    let space = face.width(" ", size);
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut current = Line {
            text: String::new(),
            links: Vec::new(),
        };
        let mut current_width = 0.0_f32;
        for word in paragraph.split_whitespace() {
            let link = link_target(word);
            let word_width = face.width(word, size);
            let gap = if current.text.is_empty() { 0.0 } else { space };
            if current_width + gap + word_width <= width {
                if !current.text.is_empty() {
                    current.text.push(' ');
                }
                push_word(&mut current, word, link.as_deref());
                current_width += gap + word_width;
                continue;
            }
            if !current.text.is_empty() {
                lines.push(std::mem::replace(
                    &mut current,
                    Line {
                        text: String::new(),
                        links: Vec::new(),
                    },
                ));
            }
            if word_width <= width {
                push_word(&mut current, word, link.as_deref());
                current_width = word_width;
                continue;
            }
            // Too long for any line: fill lines character by character.
            current_width = 0.0;
            let mut piece_start = 0;
            for (i, c) in word.char_indices() {
                let w = face.width(&word[i..i + c.len_utf8()], size);
                if current_width + w > width && i > piece_start {
                    push_word(&mut current, &word[piece_start..i], link.as_deref());
                    lines.push(std::mem::replace(
                        &mut current,
                        Line {
                            text: String::new(),
                            links: Vec::new(),
                        },
                    ));
                    piece_start = i;
                    current_width = 0.0;
                }
                current_width += w;
            }
            push_word(&mut current, &word[piece_start..], link.as_deref());
        }
        lines.push(current);
    }
    lines
}

fn push_word(line: &mut Line, word: &str, link: Option<&str>) {
    let start = line.text.len();
    line.text.push_str(word);
    if let Some(url) = link {
        // Trailing punctuation belongs to the sentence, not the address.
        let trimmed = word.trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
        line.links
            .push((start..start + trimmed.len(), url.to_string()));
    }
}

/// The address a word links to, if it is a web address.
fn link_target(word: &str) -> Option<String> {
    let trimmed = word.trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
    let is_url = (trimmed.starts_with("https://") || trimmed.starts_with("http://"))
        && trimmed.len() > "https://".len();
    is_url.then(|| trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::fonts::{FaceKind, FontLibrary};

    #[test]
    fn wraps_within_the_width() {
        let fonts = FontLibrary::load().unwrap();
        let face = fonts.face(FaceKind::Regular);
        let text =
            "UX workshop on site in Łódź, two days including preparation and a written summary";
        let lines = wrap(face, text, 9.0, 120.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(face.width(&line.text, 9.0) <= 120.0, "{line:?}");
        }
        let joined: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(joined.join(" "), text);
    }

    #[test]
    fn keeps_line_breaks_and_breaks_long_words() {
        let fonts = FontLibrary::load().unwrap();
        let face = fonts.face(FaceKind::Regular);
        let lines = wrap(face, "one\n\ntwo", 9.0, 200.0);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["one", "", "two"]);

        let long = "x".repeat(200);
        let lines = wrap(face, &long, 9.0, 100.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| face.width(&l.text, 9.0) <= 100.0));
    }

    #[test]
    fn finds_links_even_when_broken() {
        let fonts = FontLibrary::load().unwrap();
        let face = fonts.face(FaceKind::Regular);
        let url = "https://pay.example.com/i/INV-2026-0042-with-a-very-long-token-abcdefghijklmnopqrstuvwxyz";
        let lines = wrap(face, &format!("Pay online: {url}."), 9.0, 150.0);
        let linked: Vec<&(Range<usize>, String)> = lines.iter().flat_map(|l| &l.links).collect();
        assert!(linked.len() >= 2);
        assert!(linked.iter().all(|(_, target)| target == url));
        let last = lines.iter().rev().find(|l| !l.links.is_empty()).unwrap();
        let (range, _) = &last.links[0];
        assert!(!last.text[range.clone()].ends_with('.'));
    }
}
