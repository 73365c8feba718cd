//! Cells a spreadsheet would run as a formula, made inert in every CSV
//! Invoicer writes (reports, error downloads, exports). Imported text is
//! stored as the user wrote it; only what Invoicer writes is neutralised.

use std::borrow::Cow;
use std::io::Write;

/// `cell` with a leading `'` when it starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return (OWASP's CSV-injection advice), so a spreadsheet
/// shows it as text instead of evaluating it. Other cells are borrowed as
/// they are.
pub fn neutralize_formula(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// A CSV writer (the `csv` crate's quoting) that neutralises every cell.
pub struct CsvWriter<W: Write> {
    inner: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    /// Writes comma-separated records to `out`.
    pub fn new(out: W) -> CsvWriter<W> {
        CsvWriter {
            inner: csv::Writer::from_writer(out),
        }
    }

    /// Writes one record, each cell through [`neutralize_formula`].
    pub fn write_record<I, S>(&mut self, cells: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let record: Vec<String> = cells
            .into_iter()
            .map(|c| neutralize_formula(c.as_ref()).into_owned())
            .collect();
        self.inner.write_record(&record)
    }

    /// Flushes and hands back the output.
    pub fn into_inner(self) -> Result<W, csv::Error> {
        self.inner
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_get_a_quote() {
        for cell in ["=SUM(A1:A9)", "+1", "-2+3", "@cmd", "\tx", "\rx"] {
            assert_eq!(neutralize_formula(cell), format!("'{cell}"));
        }
        for cell in ["", "ACME", "1.5", " =x", "'quoted"] {
            assert!(matches!(neutralize_formula(cell), Cow::Borrowed(c) if c == cell));
        }
    }

    #[test]
    fn the_writer_neutralises_and_quotes_every_cell() {
        let mut w = CsvWriter::new(Vec::new());
        w.write_record(["line", "reason"]).unwrap();
        w.write_record(["7", "=HYPERLINK(\"http://x\",\"a, b\")"])
            .unwrap();
        let out = String::from_utf8(w.into_inner().unwrap()).unwrap();
        assert_eq!(
            out,
            "line,reason\n7,\"'=HYPERLINK(\"\"http://x\"\",\"\"a, b\"\")\"\n"
        );
    }
}
