//! Arbitrary input never panics the reader, the sniffer or the value
//! parsers, and a number is only ever accepted when it fits the declared
//! style — checked against an independent grammar (a regular expression),
//! never a silently different number.

use std::str::FromStr;

use invoicer_domain::bulk_mapping::{DateStyle, NumberStyle};
use invoicer_import::{
    neutralize_formula, parse_date, parse_number, sniff, Encoding, ReadOptions, Rows, DELIMITERS,
    NUMBER_STYLES, SNIFF_LEN,
};
use proptest::prelude::*;
use regex::Regex;
use rust_decimal::Decimal;

/// The grammar of a number in `style`, written independently of the parser.
fn grammar(style: NumberStyle) -> Regex {
    let d = regex::escape(&style.decimal.to_string());
    let int = match style.thousands {
        Some(t) => format!(
            r"(?:[0-9]{{1,3}}(?:{}[0-9]{{3}})+|[0-9]+)",
            regex::escape(&t.to_string())
        ),
        None => r"[0-9]+".to_owned(),
    };
    Regex::new(&format!(r"^\s*-?{int}(?:{d}[0-9]+)?\s*$")).unwrap()
}

/// The value the grammar's reading gives: thousands dropped, decimal to `.`.
fn grammar_value(text: &str, style: NumberStyle) -> Option<Decimal> {
    let plain: String = text
        .trim()
        .chars()
        .filter(|c| Some(*c) != style.thousands)
        .map(|c| if c == style.decimal { '.' } else { c })
        .collect();
    Decimal::from_str_exact(&plain).ok()
}

fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9.,' \u{a0}+\\-€a]{0,14}",
        "-?[0-9]{1,4}([.,' \u{a0}][0-9]{1,4}){0,3}",
        // Digits of other scripts are refused: only ASCII digits are read.
        "[0-9\u{660}-\u{669}\u{7c0}-\u{7c9}\u{ff10}-\u{ff19}.,]{1,6}",
        any::<String>(),
    ]
}

fn styles() -> impl Strategy<Value = NumberStyle> {
    prop::sample::select(NUMBER_STYLES.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn an_accepted_number_always_fits_the_declared_style(text in number_text(), style in styles()) {
        let matches = grammar(style).is_match(&text);
        match parse_number(&text, style) {
            Ok(value) => {
                prop_assert!(matches, "{text:?} accepted under {style:?}");
                prop_assert_eq!(Some(value), grammar_value(&text, style));
            }
            Err(e) => {
                let digits = text.chars().filter(char::is_ascii_digit).count();
                prop_assert!(!matches || digits > 28, "{text:?} refused under {style:?}: {e}");
                prop_assert_eq!(e.value, text);
            }
        }
    }

    #[test]
    fn a_number_written_in_a_style_reads_back_exactly(
        mantissa in any::<i64>(),
        scale in 0u32..=8,
        style in styles(),
        grouped in any::<bool>(),
    ) {
        let value = Decimal::new(mantissa, scale);
        let plain = value.abs().to_string();
        let (int, frac) = plain.split_once('.').map_or((plain.as_str(), None), |(i, f)| (i, Some(f)));
        let mut text = String::new();
        if value.is_sign_negative() && !value.is_zero() {
            text.push('-');
        }
        for (i, c) in int.chars().enumerate() {
            if grouped && i > 0 && (int.len() - i) % 3 == 0 {
                if let Some(t) = style.thousands {
                    text.push(t);
                }
            }
            text.push(c);
        }
        if let Some(f) = frac {
            text.push(style.decimal);
            text.push_str(f);
        }
        prop_assert_eq!(parse_number(&text, style).unwrap(), value, "{}", text);
    }

    #[test]
    fn a_date_is_accepted_only_as_iso_or_in_the_styles_order(
        text in prop_oneof!["[0-9./\\- T:a]{0,14}", "[0-9]{1,4}[./\\-][0-9]{1,4}[./\\-][0-9]{1,4}", any::<String>()],
    ) {
        let iso = Regex::new(r"^\s*([0-9]{4})-([0-9]{2})-([0-9]{2})\s*$").unwrap();
        let ordered = Regex::new(r"^\s*([0-9]{1,2})([./-])([0-9]{1,2})([./-])([0-9]{4})\s*$").unwrap();
        for style in [DateStyle::Iso, DateStyle::DayMonthYear, DateStyle::MonthDayYear] {
            let Ok(date) = parse_date(&text, style) else { continue };
            let ymd = (date.format("%Y").to_string(), date.format("%m").to_string(), date.format("%d").to_string());
            let num = |s: &str| s.parse::<u32>().unwrap();
            if let Some(c) = iso.captures(&text) {
                prop_assert_eq!((num(&c[1]), num(&c[2]), num(&c[3])), (num(&ymd.0), num(&ymd.1), num(&ymd.2)));
            } else {
                let c = ordered.captures(&text);
                prop_assert!(c.is_some(), "{text:?} accepted under {style:?}");
                let c = c.unwrap();
                prop_assert_eq!(&c[2], &c[4], "{:?}: one separator", text);
                let (day, month) = match style {
                    DateStyle::DayMonthYear => (num(&c[1]), num(&c[3])),
                    DateStyle::MonthDayYear => (num(&c[3]), num(&c[1])),
                    DateStyle::Iso => panic!("{text:?} accepted as ISO"),
                };
                prop_assert_eq!((num(&c[5]), month, day), (num(&ymd.0), num(&ymd.1), num(&ymd.2)));
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_reader_and_rows_have_the_headers_width(
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        csvish in "[a-c,;|\t\"\r\n ]{0,300}",
        label in prop::sample::select(vec!["utf-8", "windows-1252", "utf-16le", "utf-16be", "shift_jis"]),
        delimiter in prop::sample::select(DELIMITERS.to_vec()),
    ) {
        let options = ReadOptions { encoding: Encoding::for_label(label.as_bytes()).unwrap(), delimiter };
        for input in [bytes.as_slice(), csvish.as_bytes()] {
            let _ = sniff(input);
            let Ok(rows) = Rows::new(input, &options) else { continue };
            let width = rows.headers().len();
            let mut last_line = 1;
            for row in rows {
                let line = match row {
                    Ok(row) => {
                        prop_assert_eq!(row.fields.len(), width);
                        row.line
                    }
                    Err(e) => e.line(),
                };
                prop_assert!(line > last_line || line == last_line && line > 1, "{line} after {last_line}");
                last_line = line;
            }
        }
    }

    #[test]
    fn a_neutralised_cell_never_starts_a_formula_and_loses_nothing(cell in any::<String>()) {
        let out = neutralize_formula(&cell);
        prop_assert!(!out.starts_with(['=', '+', '-', '@', '\t', '\r']));
        prop_assert!(out == cell || out.strip_prefix('\'') == Some(cell.as_str()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn a_full_length_prefix_never_panics_the_sniffer(seed in any::<u64>(), text in any::<bool>()) {
        let mut rng = fastrand::Rng::with_seed(seed);
        let bytes: Vec<u8> = (0..SNIFF_LEN + 3)
            .map(|_| if text { b"ab,;\"\n\xC3\xBC"[rng.usize(..8)] } else { rng.u8(..) })
            .collect();
        let _ = sniff(&bytes);
    }
}

#[test]
fn a_number_in_the_other_style_is_never_read_as_a_smaller_one() {
    let dot = NumberStyle {
        decimal: '.',
        thousands: None,
    };
    assert!(parse_number("1.249,50", dot).is_err());
    assert_eq!(
        parse_number("1.249", dot).unwrap(),
        Decimal::from_str("1.249").unwrap()
    );
}
