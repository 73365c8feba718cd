//! Each fixture of tests/fixtures/bulk read as the mapping screen and the
//! import would read it: what a user sees of its encoding, delimiter,
//! styles, mapping and broken rows.

use invoicer_domain::bulk_mapping::{DateStyle, NumberStyle, TargetField};
use invoicer_import::{
    parse_date, parse_number, sniff, DateGuess, EncodingCertainty, NumberGuess, ReadOptions, Row,
    RowError, Rows, Sniffed,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/bulk/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn read_all(bytes: &[u8], options: &ReadOptions) -> (Vec<String>, Vec<Result<Row, RowError>>) {
    let rows = Rows::new(bytes, options).unwrap();
    let headers = rows.headers().to_vec();
    (headers, rows.collect())
}

fn mapped(s: &Sniffed, header: &str) -> Option<TargetField> {
    s.mapping
        .columns
        .iter()
        .find(|c| c.header == header)
        .and_then(|c| c.field)
}

#[test]
fn a_european_file_with_bom_reads_as_semicolons_decimal_commas_and_day_month_year() {
    let bytes = fixture("european-bom-semicolon.csv");
    let s = sniff(&bytes).unwrap();
    assert_eq!(s.encoding.label(), "UTF-8");
    assert_eq!(s.encoding.certainty, EncodingCertainty::Bom);
    assert!(!s.encoding.needs_confirmation());
    assert_eq!(s.delimiter, ';');
    // The BOM is not part of the first header, so it maps.
    assert_eq!(s.headers[0], "Rechnungsnummer");
    assert_eq!(mapped(&s, "Rechnungsnummer"), Some(TargetField::InvoiceKey));
    assert_eq!(mapped(&s, "USt-IdNr"), Some(TargetField::TaxId));
    assert_eq!(mapped(&s, "Straße"), Some(TargetField::AddressLine1));
    assert!(s.mapping.is_complete(), "{:?}", s.mapping);
    let style = NumberStyle {
        decimal: ',',
        thousands: Some('.'),
    };
    assert_eq!(s.numbers, NumberGuess::Certain(style));
    assert_eq!(s.dates, DateGuess::Certain(DateStyle::DayMonthYear));

    let (headers, rows) = read_all(&bytes, &s.read_options());
    assert_eq!(headers.len(), 15);
    let rows: Vec<Row> = rows.into_iter().map(Result::unwrap).collect();
    assert_eq!(
        rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 3, 5, 6]
    );
    assert_eq!(rows[1].fields[11], "Beratung;\r\nvor Ort");
    assert_eq!(rows[0].fields[1], "Jürgen Müller");
    let price = parse_number(&rows[0].fields[13], style).unwrap();
    assert_eq!(price.to_string(), "1249.50");
    assert_eq!(
        parse_number(&rows[2].fields[13], style)
            .unwrap()
            .to_string(),
        "0.0125"
    );
    assert_eq!(
        parse_number(&rows[2].fields[12], style)
            .unwrap()
            .to_string(),
        "1000"
    );
    let date = parse_date(&rows[3].fields[10], DateStyle::DayMonthYear).unwrap();
    assert_eq!(date.to_string(), "2026-01-13");
    // Formula-like text is read as text; neutralising is for what Invoicer writes.
    assert_eq!(rows[3].fields[11], "=1+2");
}

#[test]
fn a_crm_export_maps_its_own_headers_and_us_styles() {
    let bytes = fixture("hubspot-deals.csv");
    let s = sniff(&bytes).unwrap();
    assert_eq!(
        (s.encoding.label(), s.encoding.certainty),
        ("UTF-8", EncodingCertainty::ValidUtf8)
    );
    assert_eq!(s.delimiter, ',');
    for (header, field) in [
        ("Deal ID", TargetField::InvoiceKey),
        ("Contact Name", TargetField::CustomerName),
        ("Associated Company", TargetField::Company),
        ("Contact Email", TargetField::Email),
        ("State/Region", TargetField::Region),
        ("Country/Region", TargetField::Country),
        ("Deal Currency Code", TargetField::Currency),
        ("Close Date", TargetField::IssueDate),
        ("Line Item Name", TargetField::Description),
        ("Unit Price", TargetField::UnitPrice),
        ("Tax Rate", TargetField::TaxRate),
        ("PO Number", TargetField::PoNumber),
    ] {
        assert_eq!(mapped(&s, header), Some(field), "{header}");
    }
    assert!(s.mapping.is_complete());
    assert_eq!(
        s.numbers,
        NumberGuess::Certain(NumberStyle {
            decimal: '.',
            thousands: Some(',')
        })
    );
    assert_eq!(s.dates, DateGuess::Certain(DateStyle::MonthDayYear));
    // The blank trailing line is no row.
    assert_eq!(s.preview.len(), 3);
    let row = s.preview[1].as_ref().unwrap();
    assert_eq!(row.fields[11], "Security audit, \"full\" scope");
    assert_eq!(row.fields[13], "3,200.00");
}

#[test]
fn a_windows_1252_file_is_a_guess_to_confirm_and_reads_its_umlauts_once_confirmed() {
    let bytes = fixture("windows-1252.csv");
    let s = sniff(&bytes).unwrap();
    assert!(s.encoding.needs_confirmation());
    assert_eq!(s.encoding.label(), "windows-1252");
    // The preview, decoded with the guess, shows what confirming means.
    assert_eq!(s.preview[0].as_ref().unwrap().fields[1], "Jürgen Größe");
    let (headers, rows) = read_all(&bytes, &s.read_options());
    assert_eq!(headers[0], "Kundennummer");
    let rows: Vec<Row> = rows.into_iter().map(Result::unwrap).collect();
    assert_eq!(rows[0].fields[4], "Übersetzung, 5 € Aufschlag");
    assert_eq!(rows[1].fields[1], "Öztürk Bäckerei");
    assert_eq!(rows[1].fields[3], "Nürnberg");

    // Read as UTF-8 instead, the first umlaut is an error, not mojibake.
    let utf8 = ReadOptions {
        encoding: encoding_rs_utf8(),
        delimiter: ';',
    };
    let (_, rows) = read_all(&bytes, &utf8);
    let offset = bytes.iter().position(|b| *b == 0xFC).unwrap() as u64;
    assert_eq!(
        rows,
        [Err(RowError::Encoding {
            line: 2,
            offset,
            encoding: "UTF-8"
        })]
    );
}

fn encoding_rs_utf8() -> &'static invoicer_import::Encoding {
    invoicer_import::Encoding::for_label(b"utf-8").unwrap()
}

#[test]
fn a_utf16_file_with_bom_is_certain_and_tab_separated() {
    let bytes = fixture("utf16le-bom.csv");
    let s = sniff(&bytes).unwrap();
    assert_eq!(
        (s.encoding.label(), s.encoding.certainty),
        ("UTF-16LE", EncodingCertainty::Bom)
    );
    assert_eq!(s.delimiter, '\t');
    assert_eq!(s.headers[0], "Invoice Number");
    assert!(s.mapping.is_complete());
    let (_, rows) = read_all(&bytes, &s.read_options());
    let rows: Vec<Row> = rows.into_iter().map(Result::unwrap).collect();
    assert_eq!(rows[0].fields[1], "Łucja Wiśniewska");
    assert_eq!(rows[1].fields[3], "Konzultáció");
    assert_eq!(rows[1].line, 3);
}

#[test]
fn broken_rows_are_each_named_with_their_line_and_both_counts_and_the_rest_is_read() {
    let bytes = fixture("broken-rows.csv");
    let s = sniff(&bytes).unwrap();
    assert_eq!(s.delimiter, ',');
    let (_, rows) = read_all(&bytes, &s.read_options());
    let summary: Vec<String> = rows
        .iter()
        .map(|r| match r {
            Ok(row) => format!("ok {} {}", row.line, row.fields[0]),
            Err(e) => e.to_string(),
        })
        .collect();
    assert_eq!(
        summary,
        [
            "ok 2 A1",
            "line 3: 6 columns, but the header has 5",
            "ok 4 A3",
            "line 5: 3 columns, but the header has 5",
            "ok 6 A5",
            "ok 8 A6",
            "line 9: a quoted field is never closed (a \" is missing); the rest of the file was read as one field",
        ]
    );
    match &rows[1] {
        Err(RowError::ColumnCount {
            line: 3,
            expected: 5,
            found: 6,
            fields,
        }) => assert_eq!(fields.len(), 6),
        other => panic!("expected a column count error on line 3, got {other:?}"),
    }
    // The sniffer's preview shows the same errors in place.
    assert_eq!(s.preview, rows);
}

#[test]
fn ambiguous_dates_and_amounts_are_left_for_the_user_to_choose() {
    let s = sniff(&fixture("ambiguous-styles.csv")).unwrap();
    assert_eq!(s.delimiter, ';');
    assert_eq!(s.dates, DateGuess::Ambiguous);
    let date_column = s.columns.iter().find(|c| c.header == "date").unwrap();
    assert_eq!(date_column.dates, DateGuess::Ambiguous);
    assert_eq!(
        s.numbers,
        NumberGuess::Ambiguous(vec![
            NumberStyle {
                decimal: ',',
                thousands: None
            },
            NumberStyle {
                decimal: '.',
                thousands: Some(',')
            },
        ])
    );
}

#[test]
fn bytes_invalid_in_the_chosen_encoding_name_their_line_and_offset() {
    let bytes = fixture("invalid-utf8.csv");
    let s = sniff(&bytes).unwrap();
    // Not valid UTF-8, so the sniffer only guesses.
    assert!(s.encoding.needs_confirmation());
    let utf8 = ReadOptions {
        encoding: encoding_rs_utf8(),
        delimiter: ',',
    };
    let (_, rows) = read_all(&bytes, &utf8);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].as_ref().unwrap().line, 2);
    let e = rows[1].clone().unwrap_err();
    assert_eq!(
        e,
        RowError::Encoding {
            line: 3,
            offset: 48,
            encoding: "UTF-8"
        }
    );
    assert_eq!(
        e.to_string(),
        "line 3: the byte at offset 48 is not valid UTF-8; choose the file's real encoding"
    );
}

#[test]
fn the_generators_own_headers_map_completely_with_iso_dates_and_exact_sub_cent_prices() {
    // Written by ../shared/fixtures/gen_bulk_csv.py 30 rows (copied here).
    let bytes = fixture("generated-clean-30.csv");
    let s = sniff(&bytes).unwrap();
    assert!(s.mapping.is_complete(), "{:?}", s.mapping);
    let fields: Vec<Option<&str>> = s
        .mapping
        .columns
        .iter()
        .map(|c| c.field.map(TargetField::as_str))
        .collect();
    assert_eq!(
        fields,
        [
            Some("invoice_key"),
            Some("customer_name"),
            Some("company"),
            Some("email"),
            Some("address_line1"),
            Some("city"),
            Some("region"),
            Some("postal_code"),
            Some("country"),
            Some("tax_id"),
            Some("currency"),
            Some("issue_date"),
            Some("terms"),
            Some("description"),
            Some("quantity"),
            Some("unit_price"),
            Some("discount"),
            None
        ]
    );
    assert_eq!(s.numbers, NumberGuess::Certain(NumberStyle::default()));
    assert_eq!(s.dates, DateGuess::Certain(DateStyle::Iso));
    let (_, rows) = read_all(&bytes, &s.read_options());
    assert_eq!(rows.len(), 30);
    let third = rows[2].as_ref().unwrap();
    assert_eq!(
        parse_number(&third.fields[15], NumberStyle::default())
            .unwrap()
            .to_string(),
        "0.0125"
    );
}
