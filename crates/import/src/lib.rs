//! Reading the CSV file of a bulk import, without guessing.
//!
//! The crate is pure: it reads the bytes or the `std::io::Read` it is given and
//! never opens a file, reads no clock and knows no SQL. The app calls it in
//! two steps:
//!
//! 1. [`sniff`] on the first [`SNIFF_LEN`] bytes: the encoding (and whether it
//!    is certain or a guess the user must confirm), the delimiter, the
//!    headers, the first rows as parsed, each column's number and date style
//!    (or that the user must choose one), and the [`auto_map`] of the headers.
//! 2. [`Rows`] over the whole file with the confirmed [`ReadOptions`]: one
//!    `Result<Row, RowError>` per record, streaming; a bad row is reported and
//!    the reader goes on. Cells become values with [`parse_number`] and
//!    [`parse_date`] under the profile's declared styles, never a guess.
//!
//! Any CSV Invoicer writes goes through [`CsvWriter`], which neutralises
//! cells a spreadsheet would run as formulas ([`neutralize_formula`]).

mod auto_map;
mod dates;
mod decode;
mod delimiter;
mod encoding;
mod error;
mod formula;
mod numbers;
mod rows;
mod sniff;
mod synonyms;

pub use auto_map::{auto_map, AutoMapping};
pub use dates::{guess_date_style, parse_date, DateGuess};
pub use delimiter::DELIMITERS;
pub use encoding::{detect_encoding, EncodingCertainty, EncodingGuess};
pub use encoding_rs::Encoding;
pub use error::{ImportError, RowError, ValueError};
pub use formula::{neutralize_formula, CsvWriter};
pub use numbers::{guess_number_style, parse_number, NumberGuess, NUMBER_STYLES};
pub use rows::{ReadOptions, Row, Rows};
pub use sniff::{sniff, ColumnGuess, Sniffed, PREVIEW_ROWS, SNIFF_LEN};
