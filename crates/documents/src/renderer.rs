//! The public entry point: render a bundle's texts, emails and PDF for an invoice.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::bundle::{BlockName, TemplateBundle};
use crate::error::DocumentError;
use crate::pdf::{self, FontLibrary};
use crate::printed::PrintedInvoice;
use crate::templating::{invoice_context, ReminderFacts};

/// Renders documents. Create one per process and share it: it holds the parsed fonts
/// and the cache of font subsets, and is `Send + Sync`, so many threads can render with
/// the same instance at once.
pub struct Renderer {
    fonts: FontLibrary,
}

/// The invoice's text blocks rendered for one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedBlocks {
    /// The document title ("Invoice").
    pub title: String,
    /// Text above the line items.
    pub intro: String,
    /// Notes below the totals.
    pub notes: String,
    /// How to pay.
    pub payment_instructions: String,
    /// Small print at the foot of every page.
    pub legal_footer: String,
    /// Customer-region statement (reverse charge etc.), often empty.
    pub region_statement: String,
}

/// A rendered email: one-line subject and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedEmail {
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
}

/// Which payment reminder to write; the schedule (7, 14, 30 days) is the
/// domain's, see [`invoicer_domain::reminder_policy`].
pub use invoicer_domain::reminder_policy::ReminderStep;

/// The subject and body blocks a reminder step is written with.
fn reminder_blocks(step: ReminderStep) -> (BlockName, BlockName) {
    match step {
        ReminderStep::First => (BlockName::Reminder1Subject, BlockName::Reminder1Body),
        ReminderStep::Second => (BlockName::Reminder2Subject, BlockName::Reminder2Body),
        ReminderStep::Third => (BlockName::Reminder3Subject, BlockName::Reminder3Body),
    }
}

impl Renderer {
    /// Parses the bundled fonts. Takes a few milliseconds; do it once.
    pub fn new() -> Result<Renderer, DocumentError> {
        Ok(Renderer {
            fonts: FontLibrary::load()?,
        })
    }

    /// The first character of `text` the invoice PDF cannot print, if any: one
    /// the bundled fonts (regular and bold) have no glyph for, such as CJK or
    /// emoji, or one of a right-to-left script (Hebrew, Arabic), which would
    /// print unshaped and in the wrong order. Control characters (line breaks
    /// included) are skipped: input checks refuse those with their own words. Input
    /// is checked with this so a document that can never change is never
    /// written with U+FFFD in it; `render_pdf` refuses such text as well.
    pub fn unprintable(&self, text: &str) -> Option<char> {
        text.chars().filter(|c| !c.is_control()).find(|&c| {
            [pdf::FaceKind::Regular, pdf::FaceKind::Bold]
                .into_iter()
                .any(|k| !self.fonts.face(k).prints(c))
        })
    }

    /// Renders the invoice's text blocks (what the PDF prints) with `bundle`.
    pub fn render_blocks(
        &self,
        bundle: &TemplateBundle,
        view: &PrintedInvoice,
    ) -> Result<RenderedBlocks, DocumentError> {
        let templates = bundle.compiled()?;
        let locale = bundle.layout().locale;
        let context = invoice_context(view, locale, None)?;
        let render = |block| templates.render(block, &context);
        let mut blocks = RenderedBlocks {
            title: render(BlockName::Title)?,
            intro: render(BlockName::Intro)?,
            notes: render(BlockName::Notes)?,
            payment_instructions: render(BlockName::PaymentInstructions)?,
            legal_footer: render(BlockName::LegalFooter)?,
            region_statement: render(BlockName::RegionStatement)?,
        };
        if let Some(cn) = &view.credit_note {
            // The template's blocks were written for invoices: a credit note
            // keeps its layout, notes and legal texts but says what it is in
            // the template's language, and asks for no payment.
            let words = locale.credit_note_labels();
            let date = locale.format_date(cn.invoice_date, crate::DateStyle::Long);
            blocks.title = words.title.to_string();
            blocks.intro = format!(
                "{}\n\n{}: {}",
                words.intro_text(&cn.invoice_number, &date),
                words.reason,
                cn.reason
            );
            blocks.payment_instructions = String::new();
        }
        Ok(blocks)
    }

    /// Renders the invoice PDF. The same bundle and view always give the same bytes.
    pub fn render_pdf(
        &self,
        bundle: &TemplateBundle,
        view: &PrintedInvoice,
    ) -> Result<Vec<u8>, DocumentError> {
        let blocks = self.render_blocks(bundle, view)?;
        pdf::typeset(&self.fonts, bundle, view, &blocks)
    }

    /// Renders the email that delivers the invoice.
    pub fn render_email(
        &self,
        bundle: &TemplateBundle,
        view: &PrintedInvoice,
    ) -> Result<RenderedEmail, DocumentError> {
        let context = invoice_context(view, bundle.layout().locale, None)?;
        render_mail(
            bundle,
            &context,
            BlockName::EmailSubject,
            BlockName::EmailBody,
        )
    }

    /// Renders payment reminder `step`, written on `as_of` (which decides the
    /// `reminder.days_overdue` the texts may mention; passed in because the library
    /// never reads the clock).
    pub fn render_reminder(
        &self,
        bundle: &TemplateBundle,
        view: &PrintedInvoice,
        step: ReminderStep,
        as_of: NaiveDate,
    ) -> Result<RenderedEmail, DocumentError> {
        let facts = ReminderFacts {
            step: step.number(),
            days_overdue: (as_of - view.due_date).num_days(),
        };
        let context = invoice_context(view, bundle.layout().locale, Some(facts))?;
        let (subject, body) = reminder_blocks(step);
        render_mail(bundle, &context, subject, body)
    }
}

fn render_mail(
    bundle: &TemplateBundle,
    context: &tera::Context,
    subject: BlockName,
    body: BlockName,
) -> Result<RenderedEmail, DocumentError> {
    let templates = bundle.compiled()?;
    let subject = templates.render(subject, context)?;
    Ok(RenderedEmail {
        // A subject is one line; a template that wraps it must not break the header.
        subject: subject.split_whitespace().collect::<Vec<_>>().join(" "),
        body: templates.render(body, context)?,
    })
}
