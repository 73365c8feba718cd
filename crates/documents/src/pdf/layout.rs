//! The page grid, the type styles, and the flow that fills pages top to bottom and
//! starts a new page when the next piece does not fit.

use printpdf::Op;

use super::canvas::{Canvas, Colour, Style};
use super::fonts::{BlockSet, FaceKind, FontLibrary};
use super::text::{wrap, Line};
use crate::bundle::{AccentColor, Columns, LayoutOptions};
use crate::locale::{Labels, Locale};
use crate::printed::PrintedInvoice;
use crate::renderer::RenderedBlocks;

/// Left and right page margin.
pub(crate) const MARGIN_X: f32 = 50.0;
/// Space above the header.
const MARGIN_TOP: f32 = 36.0;
/// Space below the footer.
const MARGIN_BOTTOM: f32 = 30.0;

/// Body text colour: near-black reads as black but prints softer.
pub(crate) const INK: Colour = Colour::rgb8(0x22, 0x25, 0x2B);
/// Secondary text: captions, addresses, the footer.
pub(crate) const MUTED: Colour = Colour::rgb8(0x6B, 0x72, 0x80);
/// Hairlines between table rows.
pub(crate) const HAIRLINE: Colour = Colour::rgb8(0xD9, 0xDD, 0xE3);
/// Text on the accent-coloured table header.
pub(crate) const WHITE: Colour = Colour::rgb8(0xFF, 0xFF, 0xFF);

/// Running text.
pub(crate) const BODY: Style = Style {
    face: FaceKind::Regular,
    size: 9.5,
    colour: INK,
};
/// Leading of running text.
pub(crate) const BODY_LEADING: f32 = 13.0;
/// Addresses and other secondary text.
pub(crate) const SMALL: Style = Style {
    face: FaceKind::Regular,
    size: 8.5,
    colour: MUTED,
};
/// Leading of secondary text.
pub(crate) const SMALL_LEADING: f32 = 11.5;
/// Captions such as "Bill to".
pub(crate) const CAPTION: Style = Style {
    face: FaceKind::Bold,
    size: 7.5,
    colour: MUTED,
};
/// The legal footer and page numbers.
const FOOTER: Style = Style {
    face: FaceKind::Regular,
    size: 7.5,
    colour: MUTED,
};
const FOOTER_LEADING: f32 = 10.0;

/// Everything the sections need to know to draw: fonts, page geometry, colours,
/// wording and the invoice itself.
pub(crate) struct Design<'a> {
    /// The fonts, for measuring.
    pub fonts: &'a FontLibrary,
    /// Formatting conventions.
    pub locale: Locale,
    /// Fixed captions in the invoice's language.
    pub labels: &'static Labels,
    /// The bundle's accent colour.
    pub accent: Colour,
    /// Which optional table columns show.
    pub columns: Columns,
    /// Page width in points.
    pub page_width: f32,
    /// Page height in points.
    pub page_height: f32,
    /// The invoice.
    pub view: &'a PrintedInvoice,
    /// The bundle's texts rendered for this invoice.
    pub blocks: &'a RenderedBlocks,
    /// Display size of the logo in points, if there is one.
    pub logo: Option<(f32, f32)>,
}

impl<'a> Design<'a> {
    /// The design for `view` under `layout`.
    pub(crate) fn new(
        fonts: &'a FontLibrary,
        layout: &LayoutOptions,
        view: &'a PrintedInvoice,
        blocks: &'a RenderedBlocks,
        logo: Option<(f32, f32)>,
    ) -> Design<'a> {
        let (page_width, page_height) = layout.paper.size_pt();
        Design {
            fonts,
            locale: layout.locale,
            labels: layout.locale.labels(),
            accent: colour(layout.accent_color),
            columns: layout.columns,
            page_width,
            page_height,
            view,
            blocks,
            logo,
        }
    }

    /// The x where content ends.
    pub(crate) fn right(&self) -> f32 {
        self.page_width - MARGIN_X
    }

    /// Width between the margins.
    pub(crate) fn content_width(&self) -> f32 {
        self.page_width - 2.0 * MARGIN_X
    }

    /// The accent mixed with white: `amount` 0.0 is the accent, 1.0 is white.
    pub(crate) fn tint(&self, amount: f32) -> Colour {
        let mix = |c: f32| c + (1.0 - c) * amount;
        Colour {
            r: mix(self.accent.r),
            g: mix(self.accent.g),
            b: mix(self.accent.b),
        }
    }

    /// Formats an amount in the invoice's currency.
    pub(crate) fn money(&self, amount: rust_decimal::Decimal) -> String {
        let currency = &self.view.currency;
        self.locale
            .format_money(amount, &currency.code, currency.exponent)
    }

    /// The invoice number, or the localized "DRAFT".
    pub(crate) fn number_display(&self) -> &str {
        self.view.number.as_deref().unwrap_or(self.labels.draft)
    }

    /// The legal footer wrapped to the space left of the page number.
    fn footer_lines(&self) -> Vec<Line> {
        let page_label = self.labels.page_text(999, 999);
        let reserved = self.fonts.face(FOOTER.face).width(&page_label, FOOTER.size) + 24.0;
        let face = self.fonts.face(FOOTER.face);
        let text = &self.blocks.legal_footer;
        if text.is_empty() {
            return Vec::new();
        }
        wrap(face, text, FOOTER.size, self.content_width() - reserved)
    }
}

fn colour(accent: AccentColor) -> Colour {
    Colour::rgb8(accent.r, accent.g, accent.b)
}

/// A page's finished operations and the Unicode blocks its text used per face.
pub(crate) struct PageOut {
    /// The page's drawing operations.
    pub ops: Vec<Op>,
    /// Blocks used by regular text.
    pub regular: BlockSet,
    /// Blocks used by bold text.
    pub bold: BlockSet,
}

/// Fills pages from top to bottom.
pub(crate) struct Flow<'a> {
    /// The design being laid out.
    pub d: &'a Design<'a>,
    done: Vec<Canvas<'a>>,
    /// The page being filled.
    pub page: Canvas<'a>,
    /// How far down the current page content has reached.
    pub y: f32,
    /// Content must end above this line (the footer lives below it).
    limit: f32,
    footer: Vec<Line>,
}

impl<'a> Flow<'a> {
    /// A flow positioned at the top of an empty first page.
    pub(crate) fn new(d: &'a Design<'a>) -> Flow<'a> {
        let footer = d.footer_lines();
        let footer_height = footer.len().max(1) as f32 * FOOTER_LEADING;
        Flow {
            d,
            done: Vec::new(),
            page: Canvas::new(d.fonts, d.page_height),
            y: MARGIN_TOP,
            limit: d.page_height - MARGIN_BOTTOM - footer_height - 14.0,
            footer,
        }
    }

    /// Space left on the current page.
    pub(crate) fn remaining(&self) -> f32 {
        self.limit - self.y
    }

    /// Height available on a fresh continuation page.
    pub(crate) fn page_capacity(&self) -> f32 {
        self.limit - MARGIN_TOP - CONTINUATION_HEADER
    }

    /// Moves down by `amount`.
    pub(crate) fn advance(&mut self, amount: f32) {
        self.y += amount;
    }

    /// Starts a new page unless `height` still fits on this one; true if it started one.
    pub(crate) fn ensure(&mut self, height: f32) -> bool {
        if self.y + height <= self.limit {
            return false;
        }
        self.new_page();
        true
    }

    /// Finishes the current page and starts the next with the short continuation header.
    pub(crate) fn new_page(&mut self) {
        let next = Canvas::new(self.d.fonts, self.d.page_height);
        self.done.push(std::mem::replace(&mut self.page, next));
        self.y = MARGIN_TOP;
        self.continuation_header();
    }

    fn continuation_header(&mut self) {
        let d = self.d;
        let baseline = self.y + 9.0;
        self.page
            .text(MARGIN_X, baseline, &d.view.company.name, BODY.bold());
        let title = format!(
            "{} {} ({})",
            d.blocks.title,
            d.number_display(),
            d.labels.continued
        );
        self.page.text_right(d.right(), baseline, &title, SMALL);
        self.page
            .rule(MARGIN_X, d.right(), self.y + 16.0, 1.0, d.accent);
        self.y += CONTINUATION_HEADER;
    }

    /// Sets `text` as wrapped lines of `style` between `x` and `x + width`, breaking to
    /// a new page between lines where needed. Web addresses are coloured and clickable.
    pub(crate) fn paragraph(&mut self, text: &str, style: Style, leading: f32, x: f32, width: f32) {
        let face = self.d.fonts.face(style.face);
        for line in wrap(face, text, style.size, width) {
            // A blank line separates paragraphs; half a line is enough for that.
            if line.text.is_empty() {
                self.y += leading * 0.5;
                continue;
            }
            self.ensure(leading);
            self.line(&line, style, leading, x);
            self.y += leading;
        }
    }

    /// Sets one wrapped line at the current position.
    pub(crate) fn line(&mut self, line: &Line, style: Style, leading: f32, x: f32) {
        let baseline = self.y + leading * 0.75;
        if line.links.is_empty() {
            self.page.text(x, baseline, &line.text, style);
            return;
        }
        let link_style = style.in_colour(self.d.accent);
        let mut cursor = 0;
        let mut pen = x;
        for (range, url) in &line.links {
            let before = &line.text[cursor..range.start];
            self.page.text(pen, baseline, before, style);
            pen += self.page.measure(before, style);
            let linked = &line.text[range.clone()];
            let width = self.page.measure(linked, style);
            self.page.text(pen, baseline, linked, link_style);
            self.page
                .rule(pen, pen + width, baseline + 1.5, 0.5, self.d.accent);
            self.page.link(pen, self.y, width, leading, url);
            pen += width;
            cursor = range.end;
        }
        self.page.text(pen, baseline, &line.text[cursor..], style);
    }

    /// Finishes the last page and draws every page's footer with "Page n of m".
    pub(crate) fn finish(mut self) -> Vec<PageOut> {
        let next = Canvas::new(self.d.fonts, self.d.page_height);
        self.done.push(std::mem::replace(&mut self.page, next));
        let d = self.d;
        let pages = self.done.len();
        let top = d.page_height - MARGIN_BOTTOM - self.footer.len().max(1) as f32 * FOOTER_LEADING;
        self.done
            .into_iter()
            .enumerate()
            .map(|(i, mut page)| {
                page.rule(MARGIN_X, d.right(), top - 6.0, 0.5, HAIRLINE);
                for (n, line) in self.footer.iter().enumerate() {
                    let baseline = top + n as f32 * FOOTER_LEADING + FOOTER_LEADING * 0.75;
                    page.text(MARGIN_X, baseline, &line.text, FOOTER);
                }
                let label = d.labels.page_text(i + 1, pages);
                page.text_right(d.right(), top + FOOTER_LEADING * 0.75, &label, FOOTER);
                let (ops, regular, bold) = page.finish();
                PageOut { ops, regular, bold }
            })
            .collect()
    }
}

/// Height of the header on continuation pages.
const CONTINUATION_HEADER: f32 = 28.0;
