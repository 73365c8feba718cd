//! The streaming reader: the file's records one at a time, each a row or an
//! error naming its line; a bad row never stops the ones after it.

use std::io::Read;

use encoding_rs::Encoding;
use invoicer_domain::bulk_mapping::MappingProfile;

use crate::decode::{DecodingReader, EncodingFault};
use crate::delimiter::DELIMITERS;
use crate::error::{ImportError, RowError};

/// How to read a file: what the user confirmed after [`crate::sniff`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadOptions {
    /// The file's encoding (a byte-order mark in the file wins).
    pub encoding: &'static Encoding,
    /// The field delimiter: one of [`DELIMITERS`].
    pub delimiter: char,
}

impl ReadOptions {
    /// The options a saved profile names.
    pub fn from_profile(profile: &MappingProfile) -> Result<ReadOptions, ImportError> {
        let encoding = Encoding::for_label(profile.encoding.trim().as_bytes())
            .ok_or_else(|| ImportError::EncodingLabel(profile.encoding.clone()))?;
        Ok(ReadOptions {
            encoding,
            delimiter: profile.delimiter,
        })
    }
}

/// One record of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The file line where the record starts (the header is line 1); a
    /// quoted field with line breaks makes the next record start further on.
    pub line: u64,
    /// The fields, as many as the header has.
    pub fields: Vec<String>,
}

/// The records of a CSV file after its header, read as they are iterated
/// (the memory used does not grow with the file).
///
/// Records that are blank (every field empty or spaces) are skipped, so
/// blank trailing lines and the empty rows spreadsheets append are ignored.
/// Lines end with LF or CRLF (bare CR line ends, classic Mac OS, are not
/// read as line ends). After [`RowError::Encoding`] or [`RowError::Io`] the
/// iteration ends; after any other error it goes on with the next record.
pub struct Rows<R: Read> {
    reader: csv::Reader<DecodingReader<R>>,
    headers: Vec<String>,
    record: csv::StringRecord,
    peeked: Option<csv::StringRecord>,
    done: bool,
}

impl<R: Read> Rows<R> {
    /// Starts reading `reader`; reads the header row at once.
    pub fn new(reader: R, options: &ReadOptions) -> Result<Rows<R>, ImportError> {
        if !DELIMITERS.contains(&options.delimiter) {
            return Err(ImportError::Delimiter(options.delimiter));
        }
        let reader = csv::ReaderBuilder::new()
            .delimiter(options.delimiter as u8)
            .has_headers(false)
            .flexible(true)
            // Records end at a line feed only: csv's CRLF handling counts
            // the line of every record after a CRLF one too low, and a row's
            // number must be its line in the file. The CR is dropped below.
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(DecodingReader::new(reader, options.encoding));
        let mut rows = Rows {
            reader,
            headers: Vec::new(),
            record: csv::StringRecord::new(),
            peeked: None,
            done: false,
        };
        match rows.next_record() {
            Some(Ok(())) => {}
            Some(Err(e)) => return Err(ImportError::Header(e)),
            None => return Err(ImportError::Empty),
        }
        rows.headers = fields(&rows.record);
        if let Some(first) = rows.headers.first_mut() {
            // A second BOM, or one the chosen encoding does not remove.
            if let Some(rest) = first.strip_prefix('\u{feff}') {
                *first = rest.to_owned();
            }
        }
        Ok(rows)
    }

    /// The header row's names.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Reads the next non-blank record into `self.record`.
    fn next_record(&mut self) -> Option<Result<(), RowError>> {
        loop {
            if let Some(peeked) = self.peeked.take() {
                self.record = peeked;
            } else {
                if self.done {
                    return None;
                }
                match self.reader.read_record(&mut self.record) {
                    Ok(true) => {}
                    Ok(false) => {
                        self.done = true;
                        return None;
                    }
                    Err(e) => {
                        self.done = true;
                        return Some(Err(self.read_error(e)));
                    }
                }
            }
            if self.record.iter().any(|f| !f.trim().is_empty()) {
                return Some(Ok(()));
            }
        }
    }

    fn line(&self) -> u64 {
        self.record.position().map_or(0, |p| p.line())
    }

    fn read_error(&self, e: csv::Error) -> RowError {
        let line = e
            .position()
            .map_or_else(|| self.reader.position().line(), |p| p.line());
        match e.into_kind() {
            csv::ErrorKind::Io(io) => {
                let message = io.to_string();
                match io
                    .into_inner()
                    .and_then(|inner| inner.downcast::<EncodingFault>().ok())
                {
                    Some(fault) => RowError::Encoding {
                        line: fault.line,
                        offset: fault.offset,
                        encoding: fault.encoding,
                    },
                    None => RowError::Io { line, message },
                }
            }
            // The decoder only ever hands valid UTF-8 on and the reader is
            // flexible, so other kinds cannot occur; report them as read errors.
            other => RowError::Io {
                line,
                message: format!("{other:?}"),
            },
        }
    }

    /// Whether the record just read swallowed the rest of the file into a
    /// quoted field that never closes: it spans lines, the file ended inside
    /// quotes and no record follows it.
    fn swallowed_the_rest(&mut self) -> bool {
        if !self.reader.get_ref().ended_inside_quotes()
            || !self.record.iter().any(|f| f.contains('\n'))
        {
            return false;
        }
        let mut next = csv::StringRecord::new();
        match self.reader.read_record(&mut next) {
            Ok(true) => {
                self.peeked = Some(next);
                false
            }
            _ => true,
        }
    }
}

impl<R: Read> Iterator for Rows<R> {
    type Item = Result<Row, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Err(e) = self.next_record()? {
            return Some(Err(e));
        }
        let line = self.line();
        if self.swallowed_the_rest() {
            self.done = true;
            return Some(Err(RowError::UnclosedQuote { line }));
        }
        let (expected, found) = (self.headers.len(), self.record.len());
        if expected != found {
            return Some(Err(RowError::ColumnCount {
                line,
                expected,
                found,
                fields: fields(&self.record),
            }));
        }
        Some(Ok(Row {
            line,
            fields: fields(&self.record),
        }))
    }
}

/// The record's fields, without the CR of a CRLF line end.
fn fields(record: &csv::StringRecord) -> Vec<String> {
    let mut fields: Vec<String> = record.iter().map(str::to_owned).collect();
    if let Some(last) = fields.last_mut() {
        if last.ends_with('\r') {
            last.pop();
        }
    }
    fields
}
