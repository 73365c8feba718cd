//! Invoice documents: template bundles, locale formatting and PDF typesetting.
//!
//! - [`TemplateBundle`]: an immutable, JSON-serializable template version (tera sources
//!   for the invoice's text blocks, emails and reminders, plus layout options), with
//!   [`TemplateBundle::validate`] and [`TemplateBundle::checksum`].
//! - [`PrintedInvoice`]: the invoice as the documents see it, already computed.
//! - [`Renderer`]: renders blocks, emails, reminders and the PDF.
//! - [`Locale`]: money, number and date formatting per locale.
//!
//! This is the only crate that knows PDF. It depends on no other workspace crate,
//! reads no clock and uses no network.

mod bundle;
mod error;
mod locale;
mod pdf;
mod printed;
mod renderer;
mod templating;
mod validate;

pub use bundle::{
    default_bundles, AccentColor, BlockName, Columns, LayoutOptions, Logo, Paper, TemplateBlocks,
    TemplateBundle, BUNDLE_FORMAT,
};
pub use error::{DocumentError, TemplateIssue};
pub use locale::{currency_exponent, CreditNoteLabels, DateStyle, Labels, Locale};
pub use renderer::{ReminderStep, RenderedBlocks, RenderedEmail, Renderer};

/// Whether `c` belongs to a right-to-left script, which the typesetter cannot
/// lay out (no bidi reordering, no Arabic shaping).
pub fn is_right_to_left_text(c: char) -> bool {
    pdf::is_right_to_left(c)
}
pub use printed::{
    PrintedCompany, PrintedCreditNote, PrintedCurrency, PrintedCustomer, PrintedInvoice,
    PrintedLine, PrintedTax, PrintedTotals,
};

#[cfg(test)]
mod tests {
    use super::Renderer;

    #[test]
    fn renderer_can_be_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Renderer>();
    }
}
