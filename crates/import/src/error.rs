//! What can go wrong while reading a file, a row or a value.

use thiserror::Error;

/// The file as a whole cannot be read with these options.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    /// The file holds no header row (it is empty or blank).
    #[error("the file is empty: it has no header row")]
    Empty,
    /// The delimiter is not one the importer reads.
    #[error("{0:?} is not a delimiter Invoicer reads: use comma, semicolon, tab or |")]
    Delimiter(char),
    /// The encoding label is not a WHATWG encoding name.
    #[error("{0:?} is not a known encoding (e.g. utf-8, windows-1252, utf-16le)")]
    EncodingLabel(String),
    /// The header row itself is broken (see the row error).
    #[error("the header row cannot be read: {0}")]
    Header(RowError),
}

/// One record of the file cannot be read. The reader goes on with the next
/// record after every error except [`RowError::Encoding`] and
/// [`RowError::Io`], after which nothing more can be read reliably.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RowError {
    /// The record has more or fewer fields than the header.
    #[error("line {line}: {found} columns, but the header has {expected}")]
    ColumnCount {
        /// The file line where the record starts (header = line 1).
        line: u64,
        /// How many columns the header has.
        expected: usize,
        /// How many the record has.
        found: usize,
        /// The fields it has, so a caller can still tell which invoice the
        /// broken row belonged to and refuse that invoice whole.
        fields: Vec<String>,
    },
    /// A quoted field is never closed: everything from its line to the end
    /// of the file was read as one field.
    #[error("line {line}: a quoted field is never closed (a \" is missing); the rest of the file was read as one field")]
    UnclosedQuote {
        /// The file line where the record starts.
        line: u64,
    },
    /// The bytes are not valid in the chosen encoding.
    #[error("line {line}: the byte at offset {offset} is not valid {encoding}; choose the file's real encoding")]
    Encoding {
        /// The file line holding the bad byte.
        line: u64,
        /// The offset of the first bad byte from the start of the file.
        offset: u64,
        /// The encoding's name.
        encoding: &'static str,
    },
    /// Reading the underlying source failed.
    #[error("line {line}: the file could not be read: {message}")]
    Io {
        /// The line reached when it failed.
        line: u64,
        /// The operating system's message.
        message: String,
    },
}

impl RowError {
    /// The file line the error names.
    pub fn line(&self) -> u64 {
        match self {
            RowError::ColumnCount { line, .. }
            | RowError::UnclosedQuote { line }
            | RowError::Encoding { line, .. }
            | RowError::Io { line, .. } => *line,
        }
    }
}

/// A cell does not hold a value in the declared style. `reason` reads after
/// the quoted value: `"1.249,50" is not a number with decimal point "."
/// (it uses "," as the decimal separator?)`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{value:?} {reason}")]
pub struct ValueError {
    /// The cell as the file spells it.
    pub value: String,
    /// Why it was refused, as a phrase that follows the value.
    pub reason: String,
}

impl ValueError {
    pub(crate) fn new(value: &str, reason: impl Into<String>) -> ValueError {
        ValueError {
            value: value.to_owned(),
            reason: reason.into(),
        }
    }
}
