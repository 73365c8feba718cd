//! A first look at a file: everything the mapping screen shows before the
//! user confirms how the file is read.

use invoicer_domain::bulk_mapping::TargetField;

use crate::auto_map::{auto_map, AutoMapping};
use crate::dates::{guess_date_style, DateGuess};
use crate::delimiter::sniff_delimiter;
use crate::encoding::{detect_encoding, EncodingGuess};
use crate::error::{ImportError, RowError};
use crate::numbers::{guess_number_style, NumberGuess};
use crate::rows::{ReadOptions, Row, Rows};

/// How many bytes of the start of a file [`sniff`] wants; a prefix this long
/// is taken to be cut, so its last, possibly partial, line is left out.
pub const SNIFF_LEN: usize = 64 * 1024;

/// How many records [`Sniffed::preview`] holds.
pub const PREVIEW_ROWS: usize = 20;

/// What a column's values say about themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnGuess {
    /// The column's header.
    pub header: String,
    /// How its numbers are written, if it holds numbers.
    pub numbers: NumberGuess,
    /// How its dates are written, if it holds dates.
    pub dates: DateGuess,
}

/// The first look at a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sniffed {
    /// The encoding; when [`EncodingGuess::needs_confirmation`], the preview
    /// below is decoded with the guess so the user can see whether its
    /// umlauts are right before confirming.
    pub encoding: EncodingGuess,
    /// The field delimiter.
    pub delimiter: char,
    /// The header row.
    pub headers: Vec<String>,
    /// The first [`PREVIEW_ROWS`] records as parsed, broken ones as errors.
    pub preview: Vec<Result<Row, RowError>>,
    /// Per column, its number and date styles.
    pub columns: Vec<ColumnGuess>,
    /// The number style of the file's amounts: the columns mapped to
    /// quantity, unit price, discount and tax rate (every numeric column when
    /// none is mapped), read together; values no style reads are left out.
    pub numbers: NumberGuess,
    /// The date style of the file: the issue-date column (every date column
    /// when none is mapped); values that are no date in any style left out.
    pub dates: DateGuess,
    /// The headers mapped to fields by name.
    pub mapping: AutoMapping,
}

impl Sniffed {
    /// The options to read the whole file with, as sniffed (the encoding
    /// still to be confirmed when it is a guess).
    pub fn read_options(&self) -> ReadOptions {
        ReadOptions {
            encoding: self.encoding.encoding,
            delimiter: self.delimiter,
        }
    }
}

/// Takes a first look at a file from its first bytes (up to [`SNIFF_LEN`];
/// the whole file when it is shorter).
pub fn sniff(prefix: &[u8]) -> Result<Sniffed, ImportError> {
    let truncated = prefix.len() >= SNIFF_LEN;
    let encoding = detect_encoding(prefix, truncated);
    // The preview is decoded with replacement characters: invalid bytes are
    // the full read's error to report, with their line and offset.
    let (decoded, _) = encoding.encoding.decode_with_bom_removal(prefix);
    let mut text: &str = &decoded;
    if truncated {
        text = text.rfind('\n').map_or("", |end| &text[..=end]);
    }
    let delimiter = sniff_delimiter(text);
    let options = ReadOptions {
        encoding: encoding_rs::UTF_8,
        delimiter,
    };
    let rows = Rows::new(text.as_bytes(), &options)?;
    let headers = rows.headers().to_vec();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(ImportError::Empty);
    }
    let mut records: Vec<Result<Row, RowError>> = rows.collect();
    if truncated {
        // The cut may fall inside a quoted field.
        records.pop();
    }
    let good: Vec<&Row> = records.iter().filter_map(|r| r.as_ref().ok()).collect();
    let column = |i: usize| good.iter().map(move |r| r.fields[i].as_str());
    let columns: Vec<ColumnGuess> = headers
        .iter()
        .enumerate()
        .map(|(i, header)| ColumnGuess {
            header: header.clone(),
            numbers: guess_number_style(column(i)),
            dates: guess_date_style(column(i)),
        })
        .collect();
    let mapping = auto_map(&headers);
    let mapped = |fields: &[TargetField]| -> Vec<usize> {
        mapping
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.field.is_some_and(|f| fields.contains(&f)))
            .map(|(i, _)| i)
            .collect()
    };
    let mut number_columns = mapped(&[
        TargetField::Quantity,
        TargetField::UnitPrice,
        TargetField::Discount,
        TargetField::TaxRate,
    ]);
    if number_columns.is_empty() {
        number_columns = (0..columns.len())
            .filter(|i| columns[*i].numbers != NumberGuess::NotNumbers)
            .collect();
    }
    let mut date_columns = mapped(&[TargetField::IssueDate]);
    if date_columns.is_empty() {
        date_columns = (0..columns.len())
            .filter(|i| columns[*i].dates != DateGuess::NotDates)
            .collect();
    }
    // A value no style reads (a typo, `2026-02-30`) is that row's error when
    // the file is read; it says nothing about how the others are written.
    let numbers = guess_number_style(
        number_columns
            .iter()
            .flat_map(|i| column(*i))
            .filter(|v| guess_number_style([*v]) != NumberGuess::NotNumbers),
    );
    let dates = guess_date_style(
        date_columns
            .iter()
            .flat_map(|i| column(*i))
            .filter(|v| guess_date_style([*v]) != DateGuess::NotDates),
    );
    records.truncate(PREVIEW_ROWS);
    Ok(Sniffed {
        encoding,
        delimiter,
        headers,
        preview: records,
        columns,
        numbers,
        dates,
        mapping,
    })
}
