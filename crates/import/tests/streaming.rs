//! The reader streams: files far larger than its buffers, sources that hand
//! over a byte at a time, and line numbers that stay the file's lines.

use std::io::Read;

use invoicer_import::{Encoding, ReadOptions, Row, RowError, Rows};

/// A CSV source that writes its rows as they are read, so the whole file
/// never exists in memory: proves the reader holds no second copy either.
struct Generated {
    next_row: u64,
    rows: u64,
    pending: Vec<u8>,
    at: usize,
}

impl Generated {
    fn new(rows: u64) -> Generated {
        Generated {
            next_row: 0,
            rows,
            pending: "invoice,customer,description,quantity,unit_price\r\n"
                .as_bytes()
                .to_vec(),
            at: 0,
        }
    }
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.pending.len() {
            if self.next_row == self.rows {
                return Ok(0);
            }
            self.next_row += 1;
            let n = self.next_row;
            self.pending = format!(
                "INV-{:06},Jürgen Müller {n},\"Wartung, \"\"Stufe {}\"\"\",{},{}.0125\r\n",
                n / 3,
                n % 7,
                n % 5 + 1,
                n % 1000
            )
            .into_bytes();
            self.at = 0;
        }
        let n = (self.pending.len() - self.at).min(buf.len());
        buf[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

fn utf8() -> ReadOptions {
    ReadOptions {
        encoding: Encoding::for_label(b"utf-8").unwrap(),
        delimiter: ',',
    }
}

#[test]
fn a_hundred_thousand_rows_stream_with_their_file_lines() {
    let rows = Rows::new(Generated::new(100_000), &utf8()).unwrap();
    assert_eq!(rows.headers()[4], "unit_price");
    let mut count = 0u64;
    let mut last = None;
    for row in rows {
        let row = row.unwrap();
        count += 1;
        assert_eq!(row.line, count + 1);
        last = Some(row);
    }
    assert_eq!(count, 100_000);
    let last = last.unwrap();
    assert_eq!(last.line, 100_001);
    assert_eq!(
        last.fields,
        [
            "INV-033333",
            "Jürgen Müller 100000",
            "Wartung, \"Stufe 5\"",
            "1",
            "0.0125"
        ]
    );
}

/// Hands over one byte per read, splitting every multi-byte character.
struct ByteByByte<'a>(&'a [u8]);

impl Read for ByteByByte<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match (self.0.split_first(), buf.is_empty()) {
            (Some((b, rest)), false) => {
                buf[0] = *b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

fn all(source: impl Read, options: &ReadOptions) -> Vec<Result<Row, RowError>> {
    Rows::new(source, options).unwrap().collect()
}

#[test]
fn a_source_that_gives_one_byte_at_a_time_reads_the_same_in_every_encoding() {
    let text = "Name;Ort;Preis\r\n\"Łucja \"\"Ł\"\" W.\";Kraków;1,5\r\nÖzil;Köln;2,5\r\n";
    for label in ["utf-8", "utf-16le", "utf-16be"] {
        let encoding = Encoding::for_label(label.as_bytes()).unwrap();
        let mut bytes: Vec<u8> = match label {
            "utf-16le" => [0xFF, 0xFE]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
                .collect(),
            "utf-16be" => [0xFE, 0xFF]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
                .collect(),
            _ => text.as_bytes().to_vec(),
        };
        let options = ReadOptions {
            encoding,
            delimiter: ';',
        };
        let whole = all(bytes.as_slice(), &options);
        assert_eq!(whole, all(ByteByByte(&bytes), &options), "{label}");
        let first = whole[0].as_ref().unwrap();
        assert_eq!(first.fields, ["Łucja \"Ł\" W.", "Kraków", "1,5"], "{label}");
        assert_eq!(whole[1].as_ref().unwrap().line, 3);
        // A UTF-16 file cut in the middle of a character ends in an error
        // naming its last byte, not in a replacement character.
        if label != "utf-8" {
            bytes.pop();
            let cut = all(bytes.as_slice(), &options);
            assert!(
                matches!(cut.last(), Some(Err(RowError::Encoding { line: 3, .. }))),
                "{label}: {cut:?}"
            );
        }
    }
}

#[test]
fn blank_lines_are_skipped_and_later_rows_keep_their_file_lines() {
    let text = "a,b\r\n\r\n1,2\r\n  ,  \r\n\r\n3,4\r\n\r\n\r\n";
    let rows = all(text.as_bytes(), &utf8());
    let got: Vec<(u64, Vec<String>)> = rows
        .into_iter()
        .map(|r| r.unwrap())
        .map(|r| (r.line, r.fields))
        .collect();
    assert_eq!(
        got,
        [
            (3, vec!["1".into(), "2".into()]),
            (6, vec!["3".into(), "4".into()])
        ]
    );
}

#[test]
fn an_empty_or_blank_file_has_no_header() {
    for text in ["", "\n\n", " , \r\n"] {
        assert!(Rows::new(text.as_bytes(), &utf8()).is_err(), "{text:?}");
    }
    let bad = ReadOptions {
        delimiter: ':',
        ..utf8()
    };
    assert_eq!(
        Rows::new("a:b".as_bytes(), &bad)
            .err()
            .map(|e| e.to_string()),
        Some("':' is not a delimiter Invoicer reads: use comma, semicolon, tab or |".into())
    );
}
