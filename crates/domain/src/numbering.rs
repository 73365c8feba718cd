//! Invoice number formats such as `INV-{YYYY}-{SEQ:5}`.
//!
//! The format decides the series: everything except the sequence number is the
//! series key, so `INV-{YYYY}-{SEQ:5}` restarts at 1 every year while
//! `INV-{SEQ:6}` runs forever. The store hands out the next number of a series
//! inside the issuing transaction, which is what makes numbering gapless.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Text(String),
    Year4,
    Year2,
    Month,
    Seq(usize),
}

/// A parsed number format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberFormat {
    source: String,
    tokens: Vec<Token>,
}

/// Why a number format was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid number format {format:?}: {reason}")]
pub struct NumberFormatError {
    /// The format as given.
    pub format: String,
    /// What is wrong with it.
    pub reason: String,
}

impl Default for NumberFormat {
    fn default() -> Self {
        NumberFormat::parse("INV-{YYYY}-{SEQ:5}").expect("the default format is valid")
    }
}

impl NumberFormat {
    /// Parses a format. Placeholders: `{YYYY}`, `{YY}`, `{MM}`, `{SEQ}` and
    /// `{SEQ:n}` (zero-padded to n digits). Exactly one `{SEQ}` is required.
    pub fn parse(format: &str) -> Result<NumberFormat, NumberFormatError> {
        let err = |reason: &str| NumberFormatError {
            format: format.to_string(),
            reason: reason.to_string(),
        };
        let mut tokens = Vec::new();
        let mut rest = format;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                tokens.push(Token::Text(rest[..open].to_string()));
            }
            let close = rest[open..]
                .find('}')
                .ok_or_else(|| err("a '{' is not closed"))?
                + open;
            let name = &rest[open + 1..close];
            tokens.push(match name {
                "YYYY" => Token::Year4,
                "YY" => Token::Year2,
                "MM" => Token::Month,
                "SEQ" => Token::Seq(1),
                _ => match name.strip_prefix("SEQ:") {
                    Some(n) => match n.parse::<usize>() {
                        Ok(w @ 1..=12) => Token::Seq(w),
                        _ => return Err(err("the SEQ width must be a number from 1 to 12")),
                    },
                    None => {
                        return Err(err(&format!(
                            "unknown placeholder {{{name}}}; use YYYY, YY, MM, SEQ or SEQ:n"
                        )))
                    }
                },
            });
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            if rest.contains('}') {
                return Err(err("a '}' has no matching '{'"));
            }
            tokens.push(Token::Text(rest.to_string()));
        }
        let seqs = tokens.iter().filter(|t| matches!(t, Token::Seq(_))).count();
        if seqs != 1 {
            return Err(err("it must contain exactly one {SEQ} or {SEQ:n}"));
        }
        Ok(NumberFormat {
            source: format.to_string(),
            tokens,
        })
    }

    /// The format as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The series an invoice issued on `date` draws from: the format with dates
    /// filled in and the sequence left out.
    pub fn series_key(&self, date: NaiveDate) -> String {
        self.render_with(date, None)
    }

    /// The number for sequence value `seq` issued on `date`.
    pub fn render(&self, date: NaiveDate, seq: u64) -> String {
        self.render_with(date, Some(seq))
    }

    fn render_with(&self, date: NaiveDate, seq: Option<u64>) -> String {
        let mut out = String::new();
        for t in &self.tokens {
            match t {
                Token::Text(s) => out.push_str(s),
                Token::Year4 => out.push_str(&format!("{:04}", date.year())),
                Token::Year2 => out.push_str(&format!("{:02}", date.year() % 100)),
                Token::Month => out.push_str(&format!("{:02}", date.month())),
                Token::Seq(w) => match seq {
                    Some(n) => out.push_str(&format!("{n:0w$}", w = *w)),
                    None => out.push_str("{SEQ}"),
                },
            }
        }
        out
    }
}

impl fmt::Display for NumberFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl Serialize for NumberFormat {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.source)
    }
}

impl<'de> Deserialize<'de> for NumberFormat {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        NumberFormat::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_year_and_padded_sequence() {
        let f = NumberFormat::parse("INV-{YYYY}-{SEQ:5}").unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(f.render(d, 42), "INV-2026-00042");
        assert_eq!(f.series_key(d), "INV-2026-{SEQ}");
        let f2 = NumberFormat::parse("{YY}{MM}/{SEQ}").unwrap();
        assert_eq!(f2.render(d, 7), "2611/7");
    }

    #[test]
    fn yearly_series_restart() {
        let f = NumberFormat::default();
        let a = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let b = NaiveDate::from_ymd_opt(2027, 1, 1).unwrap();
        assert_ne!(f.series_key(a), f.series_key(b));
    }

    #[test]
    fn bad_formats_say_why() {
        assert!(NumberFormat::parse("INV-{YYYY}")
            .unwrap_err()
            .reason
            .contains("exactly one"));
        assert!(NumberFormat::parse("INV-{DD}-{SEQ}")
            .unwrap_err()
            .reason
            .contains("unknown placeholder"));
        assert!(NumberFormat::parse("INV-{SEQ:0}").is_err());
        assert!(NumberFormat::parse("INV-{SEQ").is_err());
    }
}
