//! The line-item table: columns sized to their contents, descriptions wrapped within
//! their column, amounts right-aligned, and the header row repeated on every page the
//! table continues on.

use super::canvas::Style;
use super::fonts::FaceKind;
use super::layout::{Flow, HAIRLINE, INK, MARGIN_X, WHITE};
use super::text::{wrap, Line};

/// Text in table cells.
const CELL: Style = Style {
    face: FaceKind::Regular,
    size: 9.0,
    colour: INK,
};
/// Text in the header row.
const HEAD: Style = Style {
    face: FaceKind::Bold,
    size: 8.5,
    colour: WHITE,
};
/// Leading of wrapped descriptions.
const LEADING: f32 = 11.0;
/// Space above and below the text of a row.
const PAD_Y: f32 = 2.25;
/// Space between a cell's text and the column edge.
const PAD_X: f32 = 6.0;
/// Height of the header row.
const HEAD_HEIGHT: f32 = 19.0;

/// A numeric, right-aligned column.
struct Column {
    header: &'static str,
    width: f32,
}

/// The table's geometry and content.
struct Table {
    description_header: &'static str,
    description_width: f32,
    columns: Vec<Column>,
    /// Numeric cells per row, one per column.
    cells: Vec<Vec<String>>,
}

/// Draws the line items at the flow's position, continuing over as many pages as needed.
pub(crate) fn line_items(flow: &mut Flow<'_>) {
    let table = build(flow);
    // Never leave the header alone at the bottom of a page.
    flow.ensure(HEAD_HEIGHT + LEADING + 2.0 * PAD_Y);
    header(flow, &table);

    let face = flow.d.fonts.face(CELL.face);
    let text_width = table.description_width - 2.0 * PAD_X;
    for (index, line) in flow.d.view.lines.iter().enumerate() {
        let mut wrapped = wrap(face, &line.description, CELL.size, text_width);
        if wrapped.is_empty() {
            wrapped.push(Line {
                text: String::new(),
                links: Vec::new(),
            });
        }
        let height = wrapped.len() as f32 * LEADING + 2.0 * PAD_Y;
        // Keep a row in one piece when it fits on a page at all; only a description
        // longer than a whole page is split across pages.
        if height <= flow.page_capacity() - HEAD_HEIGHT && flow.ensure(height) {
            header(flow, &table);
        }
        let mut first = true;
        while !wrapped.is_empty() {
            let fitting = ((flow.remaining() - 2.0 * PAD_Y) / LEADING)
                .floor()
                .max(0.0) as usize;
            if fitting == 0 {
                flow.new_page();
                header(flow, &table);
                continue;
            }
            let rest = wrapped.split_off(fitting.min(wrapped.len()));
            row(flow, &table, &wrapped, first.then_some(&table.cells[index]));
            wrapped = rest;
            first = false;
        }
    }
    flow.advance(6.0);
}

/// Works out the cell texts and column widths.
fn build(flow: &Flow<'_>) -> Table {
    let d = flow.d;
    let labels = d.labels;
    let currency = &d.view.currency;
    let mut headers: Vec<&'static str> = Vec::new();
    let shown = d.columns;
    if shown.quantity {
        headers.push(labels.quantity);
    }
    if shown.unit_price {
        headers.push(labels.unit_price);
    }
    if shown.discount {
        headers.push(labels.discount);
    }
    if shown.tax_rate {
        headers.push(labels.tax_rate);
    }
    headers.push(labels.amount);

    let cells: Vec<Vec<String>> = d
        .view
        .lines
        .iter()
        .map(|line| {
            let mut row = Vec::with_capacity(headers.len());
            if shown.quantity {
                row.push(d.locale.format_number(line.quantity));
            }
            if shown.unit_price {
                // Unit prices may carry more digits than the currency (0.125 € per unit).
                let digits = currency.exponent.max(line.unit_price.normalize().scale());
                row.push(
                    d.locale
                        .format_money(line.unit_price, &currency.code, digits),
                );
            }
            if shown.discount {
                row.push(if line.discount_percent.is_zero() {
                    String::new()
                } else {
                    d.locale.format_percent(line.discount_percent)
                });
            }
            if shown.tax_rate {
                row.push(line.tax_label.clone());
            }
            row.push(d.money(line.net_amount));
            row
        })
        .collect();

    let head_face = d.fonts.face(HEAD.face);
    let cell_face = d.fonts.face(CELL.face);
    let columns: Vec<Column> = headers
        .iter()
        .enumerate()
        .map(|(i, header)| {
            let widest = cells
                .iter()
                .map(|row| cell_face.width(&row[i], CELL.size))
                .fold(head_face.width(header, HEAD.size), f32::max);
            Column {
                header,
                width: widest + 2.0 * PAD_X,
            }
        })
        .collect();
    let numeric: f32 = columns.iter().map(|c| c.width).sum();
    Table {
        description_header: labels.description,
        description_width: (d.content_width() - numeric).max(d.content_width() * 0.3),
        columns,
        cells,
    }
}

/// The accent-coloured header row.
fn header(flow: &mut Flow<'_>, table: &Table) {
    let d = flow.d;
    let top = flow.y;
    flow.page
        .fill(MARGIN_X, top, d.content_width(), HEAD_HEIGHT, d.accent);
    let baseline = top + HEAD_HEIGHT * 0.66;
    flow.page
        .text(MARGIN_X + PAD_X, baseline, table.description_header, HEAD);
    let mut right = d.right();
    for column in table.columns.iter().rev() {
        flow.page
            .text_right(right - PAD_X, baseline, column.header, HEAD);
        right -= column.width;
    }
    flow.advance(HEAD_HEIGHT);
}

/// One row (or the part of a row that fits on this page): description lines, and the
/// numeric cells on the first part only.
fn row(flow: &mut Flow<'_>, table: &Table, lines: &[Line], cells: Option<&Vec<String>>) {
    let d = flow.d;
    let top = flow.y + PAD_Y;
    for (n, line) in lines.iter().enumerate() {
        let saved = flow.y;
        flow.y = top + n as f32 * LEADING;
        flow.line(line, CELL, LEADING, MARGIN_X + PAD_X);
        flow.y = saved;
    }
    if let Some(cells) = cells {
        let baseline = top + LEADING * 0.75;
        let mut right = d.right();
        for (column, text) in table.columns.iter().zip(cells).rev() {
            flow.page.text_right(right - PAD_X, baseline, text, CELL);
            right -= column.width;
        }
    }
    let height = lines.len() as f32 * LEADING + 2.0 * PAD_Y;
    flow.advance(height);
    flow.page.rule(MARGIN_X, d.right(), flow.y, 0.5, HAIRLINE);
}
