//! Refusing, at input and on the field that holds it, text the invoice PDF
//! cannot print: an issued invoice is archived for good, so a name printed as
//! U+FFFD could never be corrected.

use crate::{AppResult, Invoicer};
use invoicer_documents::is_right_to_left_text;
use invoicer_domain::ValidationErrors;

impl Invoicer {
    /// Checks every printed field (`(field, value)`; absent values pass) and
    /// names the first character of each that the bundled fonts cannot print.
    pub(crate) fn check_printable(&self, fields: &[(&str, Option<&str>)]) -> AppResult<()> {
        let mut errs = ValidationErrors::new();
        for (field, value) in fields {
            let Some(value) = value else { continue };
            if let Some(c) = self.renderer.unprintable(value) {
                let why = if is_right_to_left_text(c) {
                    "is right-to-left text, which the invoice PDF cannot lay out"
                } else {
                    "cannot be printed with the invoice font"
                };
                errs.push(
                    *field,
                    *value,
                    format!("— {c} (U+{:04X}) {why}", u32::from(c)),
                );
            }
        }
        Ok(errs.into_result()?)
    }
}
