//! The first look at files the fixtures do not cover: a cut prefix, a bad
//! value among good ones, UTF-16 without a BOM.

use invoicer_domain::bulk_mapping::{DateStyle, NumberStyle};
use invoicer_import::{sniff, DateGuess, EncodingCertainty, NumberGuess, RowError, SNIFF_LEN};

#[test]
fn a_bad_value_is_its_rows_error_and_does_not_hide_the_files_styles() {
    let text = "invoice;name;email;date;item;qty;price\n\
                A;Ann;a@example.com;24.11.2026;Widget;1;1.249,50\n\
                B;Bob;b@example.com;31.02.2026;Widget;zwei;12,5\n\
                C;Cid;c@example.com;05.12.2026;Widget;3;€ 12,00\n";
    let s = sniff(text.as_bytes()).unwrap();
    assert_eq!(s.dates, DateGuess::Certain(DateStyle::DayMonthYear));
    assert_eq!(
        s.numbers,
        NumberGuess::Certain(NumberStyle {
            decimal: ',',
            thousands: Some('.')
        })
    );
    // Per column, the bad values show: the quantity column is not all numbers.
    assert_eq!(s.columns[5].numbers, NumberGuess::NotNumbers);
}

#[test]
fn a_prefix_cut_mid_row_and_mid_character_previews_only_whole_rows() {
    let mut file = String::from("name,city,note\n");
    let mut n = 0;
    while file.len() < SNIFF_LEN * 2 {
        n += 1;
        file.push_str(&format!("Jürgen {n},Köln,\"zwei\nZeilen\"\n"));
    }
    // Cut inside the two bytes of an "ü".
    let cut = (SNIFF_LEN..).find(|i| !file.is_char_boundary(*i)).unwrap();
    let s = sniff(&file.as_bytes()[..cut]).unwrap();
    assert_eq!(
        (s.encoding.label(), s.encoding.certainty),
        ("UTF-8", EncodingCertainty::ValidUtf8)
    );
    assert_eq!(s.delimiter, ',');
    assert_eq!(s.preview.len(), 20);
    assert!(s.preview.iter().all(Result::is_ok));
    assert_eq!(s.preview[19].as_ref().unwrap().fields[2], "zwei\nZeilen");
}

#[test]
fn utf16_without_a_bom_is_only_a_guess() {
    let text = "a;b\n1;2\n";
    let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let s = sniff(&bytes).unwrap();
    assert_eq!(s.encoding.label(), "UTF-16LE");
    assert!(s.encoding.needs_confirmation());
    assert_eq!(s.headers, ["a", "b"]);
}

#[test]
fn an_empty_file_is_refused_and_a_header_only_file_has_no_rows() {
    assert!(sniff(b"").is_err());
    assert!(sniff(b"\r\n\r\n").is_err());
    let s = sniff(b"Email,Qty\r\n").unwrap();
    assert!(s.preview.is_empty());
    assert_eq!(s.numbers, NumberGuess::NotNumbers);
    let s = sniff(b"a,b\n\"open,1\n").unwrap();
    assert_eq!(s.preview, [Err(RowError::UnclosedQuote { line: 2 })]);
}
