//! The parts of an invoice around the line items: letterhead, addresses and invoice
//! facts, totals with the tax summary, and the closing texts.

use super::canvas::Style;
use super::fonts::FaceKind;
use super::layout::{
    Flow, BODY, BODY_LEADING, CAPTION, HAIRLINE, INK, MARGIN_X, MUTED, SMALL, SMALL_LEADING,
};

/// Size of the document title ("Invoice").
const TITLE: Style = Style {
    face: FaceKind::Bold,
    size: 22.0,
    colour: INK,
};

/// The letterhead: logo or company name on the left with the company's details below,
/// the title on the right, and an accent rule underneath.
pub(crate) fn letterhead(flow: &mut Flow<'_>) {
    let d = flow.d;
    let company = &d.view.company;
    let top = flow.y;
    let title_style = TITLE.in_colour(d.accent);
    let title_width = flow.page.measure(&d.blocks.title, title_style);
    // The left column gets whatever the title leaves, so a long company name wraps
    // instead of running into the title.
    let left_width = (d.content_width() - title_width - 24.0).max(d.content_width() * 0.4);
    let mut left = top;
    let name_style = if let Some((width, height)) = d.logo {
        flow.page.logo(MARGIN_X, left, width, height);
        left += height + 8.0;
        BODY.bold()
    } else {
        Style {
            size: 15.0,
            ..BODY.bold()
        }
    };
    let name_leading = name_style.size * 1.3;
    let name_face = d.fonts.face(name_style.face);
    for line in super::text::wrap(name_face, &company.name, name_style.size, left_width) {
        flow.page
            .text(MARGIN_X, left + name_style.size, &line.text, name_style);
        left += name_leading;
    }
    left += 4.0;
    let mut details: Vec<String> = vec![company.address_lines.join(", ")];
    let mut contact = company.email.clone();
    if let Some(tax_id) = &company.tax_id {
        contact = format!("{contact} · {} {tax_id}", d.labels.tax_id);
    }
    details.push(contact);
    let detail_width = left_width;
    let face = d.fonts.face(SMALL.face);
    for text in details {
        for line in super::text::wrap(face, &text, SMALL.size, detail_width) {
            flow.page
                .text(MARGIN_X, left + SMALL_LEADING * 0.75, &line.text, SMALL);
            left += SMALL_LEADING;
        }
    }

    flow.page
        .text_right(d.right(), top + TITLE.size, &d.blocks.title, title_style);
    let right = top + TITLE.size + 8.0;

    flow.y = left.max(right) + 8.0;
    flow.page.rule(MARGIN_X, d.right(), flow.y, 1.5, d.accent);
    flow.y += 13.0;
}

/// "Bill to" with the customer's address on the left, the invoice facts (number,
/// dates, terms) on the right.
pub(crate) fn parties(flow: &mut Flow<'_>) {
    let d = flow.d;
    let customer = &d.view.customer;
    let top = flow.y;

    let credit = d.view.credit_note.as_ref().map(|cn| {
        let words = d.locale.credit_note_labels();
        (words, cn)
    });
    let mut facts = vec![
        (
            credit.map_or(d.labels.invoice_number, |(w, _)| w.number),
            d.number_display().to_string(),
        ),
        (
            d.labels.issue_date,
            d.locale
                .format_date(d.view.issue_date, crate::locale::DateStyle::Short),
        ),
        (
            d.labels.due_date,
            d.locale
                .format_date(d.view.due_date, crate::locale::DateStyle::Short),
        ),
        (d.labels.terms, d.labels.terms_text(d.view.terms_days)),
    ];
    if let Some((words, cn)) = credit {
        // A credit note is due nowhere: the invoice it credits takes the
        // place of the due date and terms.
        facts.truncate(2);
        facts.push((words.credits_invoice, cn.invoice_number.clone()));
    }
    // The facts column is as wide as its widest label and value, but at least 210 pt so
    // that invoices look alike; the address gets the rest.
    let label_width = facts
        .iter()
        .map(|(label, _)| flow.page.measure(label, SMALL))
        .fold(0.0, f32::max);
    let value_width = facts
        .iter()
        .map(|(_, value)| flow.page.measure(value, BODY.bold()))
        .fold(0.0, f32::max);
    let facts_width = (label_width + 16.0 + value_width).max(210.0);
    let label_x = d.right() - facts_width;

    let mut left = top;
    flow.page.text(
        MARGIN_X,
        left + 7.0,
        &d.labels.bill_to.to_uppercase(),
        CAPTION,
    );
    left += 13.0;
    let mut lines: Vec<(String, Style)> = Vec::new();
    match &customer.company {
        Some(company) => {
            lines.push((company.clone(), BODY.bold()));
            lines.push((customer.name.clone(), BODY));
        }
        None => lines.push((customer.name.clone(), BODY.bold())),
    }
    for address in &customer.address_lines {
        lines.push((address.clone(), BODY));
    }
    if let Some(tax_id) = &customer.tax_id {
        lines.push((format!("{} {tax_id}", d.labels.tax_id), SMALL));
    }
    if let Some(email) = &customer.email {
        lines.push((email.clone(), SMALL));
    }
    let address_width = label_x - MARGIN_X - 20.0;
    for (text, style) in lines {
        let face = d.fonts.face(style.face);
        for line in super::text::wrap(face, &text, style.size, address_width) {
            flow.page
                .text(MARGIN_X, left + BODY_LEADING * 0.75, &line.text, style);
            left += BODY_LEADING;
        }
    }

    let mut right = top;
    for (label, value) in facts {
        let baseline = right + BODY_LEADING * 0.75;
        flow.page.text(label_x, baseline, label, SMALL);
        flow.page
            .text_right(d.right(), baseline, &value, BODY.bold());
        right += BODY_LEADING + 2.0;
    }

    flow.y = left.max(right) + 10.0;
}

/// A text block set full width, followed by some space; nothing if the block is empty.
pub(crate) fn text_block(flow: &mut Flow<'_>, text: &str, style: Style) {
    if text.is_empty() {
        return;
    }
    let width = flow.d.content_width();
    flow.paragraph(text, style, BODY_LEADING, MARGIN_X, width);
    flow.advance(6.0);
}

/// One row of the totals column.
struct TotalRow {
    label: String,
    value: String,
    emphasis: Emphasis,
}

#[derive(Clone, Copy, PartialEq)]
enum Emphasis {
    Plain,
    Total,
    Due,
}

/// Totals on the right and the tax summary per rate on the left, kept together on one
/// page.
pub(crate) fn totals(flow: &mut Flow<'_>) {
    let d = flow.d;
    let t = &d.view.totals;
    let mut rows = vec![TotalRow {
        label: d.labels.subtotal.into(),
        value: d.money(t.subtotal),
        emphasis: Emphasis::Plain,
    }];
    if !t.discount_total.is_zero() {
        rows.push(TotalRow {
            label: d.labels.discount_total.into(),
            value: d.money(-t.discount_total),
            emphasis: Emphasis::Plain,
        });
    }
    rows.push(TotalRow {
        label: d.labels.tax_total.into(),
        value: d.money(t.tax_total),
        emphasis: Emphasis::Plain,
    });
    if d.view.credit_note.is_some() {
        // What the credit note takes off the invoice is its last word:
        // nothing is paid or due on a credit note.
        rows.push(TotalRow {
            label: d.locale.credit_note_labels().total_credited.into(),
            value: d.money(t.total),
            emphasis: Emphasis::Due,
        });
        return totals_rows(flow, rows);
    }
    rows.push(TotalRow {
        label: d.labels.total.into(),
        value: d.money(t.total),
        emphasis: Emphasis::Total,
    });
    if !t.amount_paid.is_zero() {
        rows.push(TotalRow {
            label: d.labels.amount_paid.into(),
            value: d.money(-t.amount_paid),
            emphasis: Emphasis::Plain,
        });
    }
    rows.push(TotalRow {
        label: d.labels.balance_due.into(),
        value: d.money(t.balance_due),
        emphasis: Emphasis::Due,
    });
    totals_rows(flow, rows);
}

/// Typesets the totals column `rows`, with the tax summary per rate beside it.
fn totals_rows(flow: &mut Flow<'_>, rows: Vec<TotalRow>) {
    let d = flow.d;
    const ROW: f32 = 14.5;
    let totals_height = rows.len() as f32 * ROW + 15.0;
    let taxes_height = if d.view.taxes.is_empty() {
        0.0
    } else {
        16.0 + d.view.taxes.len() as f32 * SMALL_LEADING
    };
    flow.ensure(totals_height.max(taxes_height) + 8.0);
    let top = flow.y + 4.0;

    let column_width = 230.0_f32.min(d.content_width() * 0.5);
    let label_x = d.right() - column_width;
    let mut y = top;
    for row in &rows {
        let style = match row.emphasis {
            Emphasis::Plain => BODY,
            Emphasis::Total => BODY.bold(),
            Emphasis::Due => Style {
                size: 10.5,
                ..BODY.bold().in_colour(d.accent)
            },
        };
        match row.emphasis {
            Emphasis::Total => {
                // A little air above the rule so it separates rather than underlines.
                y += 3.0;
                flow.page.rule(label_x, d.right(), y, 0.8, INK);
            }
            Emphasis::Due => flow.page.fill(
                label_x - 6.0,
                y,
                column_width + 6.0,
                ROW + 2.0,
                d.tint(0.88),
            ),
            Emphasis::Plain => {}
        }
        let baseline = y + ROW * 0.72;
        flow.page.text(label_x, baseline, &row.label, style);
        flow.page
            .text_right(d.right() - 4.0, baseline, &row.value, style);
        y += ROW;
        if row.emphasis == Emphasis::Total {
            y += 2.0;
        }
    }

    if !d.view.taxes.is_empty() {
        tax_summary(flow, top, label_x - 30.0);
    }
    flow.y = y.max(top + taxes_height) + 14.0;
}

/// The per-rate tax table: rate, taxable amount, tax.
fn tax_summary(flow: &mut Flow<'_>, top: f32, right: f32) {
    let d = flow.d;
    let width = (right - MARGIN_X).min(260.0);
    let base_right = MARGIN_X + width * 0.68;
    let tax_right = MARGIN_X + width;
    let mut y = top;
    let caption_baseline = y + 9.0;
    flow.page.text(
        MARGIN_X,
        caption_baseline,
        &d.labels.tax_summary.to_uppercase(),
        CAPTION,
    );
    flow.page
        .text_right(base_right, caption_baseline, d.labels.taxable_base, CAPTION);
    flow.page
        .text_right(tax_right, caption_baseline, d.labels.tax_amount, CAPTION);
    y += 13.0;
    flow.page.rule(MARGIN_X, tax_right, y, 0.5, HAIRLINE);
    y += 3.0;
    for tax in &d.view.taxes {
        let baseline = y + SMALL_LEADING * 0.75;
        let name = format!("{} {}", tax.name, d.locale.format_percent(tax.rate_percent));
        let style = SMALL.in_colour(INK);
        flow.page.text(MARGIN_X, baseline, &name, style);
        flow.page
            .text_right(base_right, baseline, &d.money(tax.base), style);
        flow.page
            .text_right(tax_right, baseline, &d.money(tax.tax), style);
        y += SMALL_LEADING;
    }
}

/// The closing texts: region statement, notes, payment instructions.
pub(crate) fn closing(flow: &mut Flow<'_>) {
    let blocks = flow.d.blocks;
    text_block(flow, &blocks.region_statement, BODY.in_colour(MUTED));
    text_block(flow, &blocks.notes, BODY);
    text_block(flow, &blocks.payment_instructions, BODY);
}
