//! Rows of a report's CSV written one at a time to the caller's writer,
//! each cell through the importer's formula neutralisation (a customer named
//! `=HYPERLINK(...)` arrives as text), counted as they go.

use crate::{ApiError, AppResult, ErrorCode};
use invoicer_import::neutralize_formula;

/// A header written, then data rows counted.
pub(crate) struct CsvRows<'a, W: std::io::Write> {
    out: &'a mut csv::Writer<W>,
    written: u64,
}

fn failed(e: &csv::Error) -> ApiError {
    ApiError::new(
        ErrorCode::Internal,
        format!("the CSV could not be written: {e}"),
    )
}

impl<'a, W: std::io::Write> CsvRows<'a, W> {
    /// Writes the header `columns` to `out`.
    pub(crate) fn new(out: &'a mut csv::Writer<W>, columns: &[&str]) -> AppResult<Self> {
        out.write_record(columns).map_err(|e| failed(&e))?;
        Ok(CsvRows { out, written: 0 })
    }

    /// Writes one data row, every cell neutralised.
    pub(crate) fn write(&mut self, cells: &[&str]) -> AppResult<()> {
        self.out
            .write_record(cells.iter().map(|c| neutralize_formula(c).into_owned()))
            .map_err(|e| failed(&e))?;
        self.written += 1;
        Ok(())
    }

    /// Flushes the writer; the data rows written.
    pub(crate) fn finish(self) -> AppResult<u64> {
        self.out.flush().map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("the CSV could not be written: {e}"),
            )
        })?;
        Ok(self.written)
    }
}
