//! Credit notes and refunds: what a credit note credits, how much of an
//! invoice may still be credited or refunded, and the status the balance that
//! is left gives the invoice.
//!
//! A credit note is its own document with its own gapless number series; it
//! corrects an issued invoice without changing it. Its amounts are computed
//! here, from the invoice's frozen totals, so that the preview, the PDF and the
//! stored figures can never disagree.

use crate::invoice::Invoice;
use crate::lifecycle::InvoiceStatus;
use crate::money::{Currency, RoundingMode};
use crate::validation::ValidationErrors;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The number format credit notes use unless the company sets its own.
pub const DEFAULT_CREDIT_NOTE_FORMAT: &str = "CN-{YYYY}-{SEQ:5}";

/// The longest reason a credit note takes, in characters.
pub const MAX_REASON: usize = 500;

/// What part of an invoice a credit note credits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditScope {
    /// Everything not credited yet.
    Full,
    /// Chosen lines, each wholly or for some of its quantity.
    Lines(Vec<LineCredit>),
    /// An amount including tax; the tax is split off in proportion.
    Amount(Decimal),
}

/// One invoice line to credit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineCredit {
    /// The line's number as printed, starting at 1.
    pub line: usize,
    /// How many units to credit; `None` credits the whole line.
    pub quantity: Option<Decimal>,
}

/// One credited line of a credit note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditedLine {
    /// The invoice line's number (from 1); `None` for an amount credit.
    pub line: Option<usize>,
    /// What is credited, as the credit note prints it.
    pub description: String,
    /// Units credited.
    pub quantity: Decimal,
    /// Price of one unit (the invoice line's).
    pub unit_price: Decimal,
    /// The credited amount before tax.
    pub net: Decimal,
    /// The credited tax.
    pub tax: Decimal,
    /// `net + tax`: what the line takes off the invoice.
    pub total: Decimal,
}

/// The figures of a credit note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditAmounts {
    /// The credited lines.
    pub lines: Vec<CreditedLine>,
    /// Sum of the lines' net amounts.
    pub net: Decimal,
    /// Sum of the lines' tax.
    pub tax: Decimal,
    /// `net + tax`: what the credit note takes off the invoice's balance.
    pub total: Decimal,
}

/// An issued credit note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditNote {
    /// Stored id.
    pub id: i64,
    /// Its number in the credit-note series, e.g. `CN-2026-00001`.
    pub number: String,
    /// The invoice it credits.
    pub invoice_id: i64,
    /// The day it was issued (in the company's time zone).
    pub issue_date: NaiveDate,
    /// Why the invoice is corrected.
    pub reason: String,
    /// What it credits.
    pub amounts: CreditAmounts,
    /// The template version it was printed with (the invoice's pinned one).
    pub template: Option<crate::invoice::TemplateRef>,
    /// SHA-256 of its archived PDF.
    pub pdf_sha256: String,
    /// Who issued it (user id).
    pub issued_by: i64,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
}

/// The figures of a credit note for `scope` on `inv`, refused when they
/// exceed what is left to credit ([`Invoice::creditable`]) or, for a line,
/// the units of it not credited by `earlier` credit notes.
///
/// Rounding, to the currency's minor unit with the invoice's rounding mode:
/// - a whole line credits exactly the line's net and tax as invoiced;
/// - part of a line (`q` of its `Q` units) credits `total × q/Q` and
///   `tax × q/Q`, each rounded, and the net is their difference, so net + tax
///   is always the rounded total;
/// - an amount `A` carries the tax `A × tax_total/total` rounded, and the net
///   is `A −` that tax; a full credit is the amount left to credit.
pub fn credit_amounts(
    inv: &Invoice,
    scope: &CreditScope,
    earlier: &[CreditAmounts],
) -> Result<CreditAmounts, ValidationErrors> {
    let cur = inv.content.currency;
    let mode = inv.rounding_mode;
    let left = inv.creditable();
    let (field, value, lines) = match scope {
        CreditScope::Full => ("amount", left.to_string(), vec![amount_line(inv, left)]),
        CreditScope::Amount(a) => {
            check_amount(*a, cur)?;
            ("amount", a.to_string(), vec![amount_line(inv, *a)])
        }
        CreditScope::Lines(chosen) => {
            let lines = line_credits(inv, chosen, earlier)?;
            let text = chosen
                .iter()
                .map(|c| match c.quantity {
                    Some(q) => format!("{}:{q}", c.line),
                    None => c.line.to_string(),
                })
                .collect::<Vec<_>>()
                .join(",");
            ("lines", text, lines)
        }
    };
    let net = lines.iter().map(|l| l.net).sum::<Decimal>();
    let tax = lines.iter().map(|l| l.tax).sum::<Decimal>();
    let total = net + tax;
    if total <= Decimal::ZERO {
        return Err(ValidationErrors::single(
            field,
            value,
            "credits nothing: a credit note must credit more than zero",
        ));
    }
    if total > left {
        return Err(ValidationErrors::single(
            field,
            value,
            format!(
                "would credit {} {code}, more than the {} {code} left to credit on this invoice",
                cur.round(total, mode),
                cur.round(left, mode),
                code = cur.code()
            ),
        ));
    }
    Ok(CreditAmounts {
        lines,
        net,
        tax,
        total,
    })
}

fn check_amount(a: Decimal, cur: Currency) -> Result<(), ValidationErrors> {
    if a <= Decimal::ZERO {
        return Err(ValidationErrors::single(
            "amount",
            a.to_string(),
            "must be greater than zero",
        ));
    }
    if cur.to_minor(a).is_err() {
        return Err(ValidationErrors::single(
            "amount",
            a.to_string(),
            format!(
                "has more than {} decimal places for {}",
                cur.exponent(),
                cur.code()
            ),
        ));
    }
    Ok(())
}

/// One line crediting `amount` (tax included) with the tax split off in the
/// invoice's proportion of tax to total.
fn amount_line(inv: &Invoice, amount: Decimal) -> CreditedLine {
    let t = &inv.totals;
    let tax = if t.total.is_zero() {
        Decimal::ZERO
    } else {
        round(inv, amount * t.tax_total / t.total)
    };
    CreditedLine {
        line: None,
        description: match &inv.number {
            Some(n) => format!("Credit on invoice {n}"),
            None => "Credit".to_string(),
        },
        quantity: Decimal::ONE,
        unit_price: amount - tax,
        net: amount - tax,
        tax,
        total: amount,
    }
}

fn line_credits(
    inv: &Invoice,
    chosen: &[LineCredit],
    earlier: &[CreditAmounts],
) -> Result<Vec<CreditedLine>, ValidationErrors> {
    let mut errs = ValidationErrors::new();
    let mut out = Vec::new();
    if chosen.is_empty() {
        errs.push("lines", "", "name at least one line to credit");
    }
    for (i, c) in chosen.iter().enumerate() {
        let field = format!("lines[{i}]");
        let found = c
            .line
            .checked_sub(1)
            .and_then(|n| Some((inv.content.lines.get(n)?, inv.totals.lines.get(n)?)));
        let Some((item, amounts)) = found else {
            errs.push(
                field,
                c.line.to_string(),
                format!(
                    "is not a line of this invoice; it has lines 1 to {}",
                    inv.content.lines.len()
                ),
            );
            continue;
        };
        if chosen[..i].iter().any(|o| o.line == c.line) {
            errs.push(field, c.line.to_string(), "is named twice");
            continue;
        }
        let done: Decimal = earlier
            .iter()
            .flat_map(|a| &a.lines)
            .filter(|l| l.line == Some(c.line))
            .map(|l| l.quantity)
            .sum();
        let open = item.quantity - done;
        let q = c.quantity.unwrap_or(open);
        if q <= Decimal::ZERO || q > open {
            let message = if done.is_zero() {
                format!(
                    "must be more than 0 and at most the {} invoiced",
                    item.quantity
                )
            } else {
                format!(
                    "must be more than 0 and at most the {open} of {} not credited yet",
                    item.quantity
                )
            };
            errs.push(format!("{field}.quantity"), q.to_string(), message);
            continue;
        }
        let (total, tax) = if q == item.quantity {
            (amounts.total, amounts.tax)
        } else if q == open {
            // The last units of a line credit what its earlier credits left,
            // so a line credited in parts adds up to the line exactly.
            let before = |f: fn(&CreditedLine) -> Decimal| -> Decimal {
                earlier
                    .iter()
                    .flat_map(|a| &a.lines)
                    .filter(|l| l.line == Some(c.line))
                    .map(f)
                    .sum()
            };
            (
                amounts.total - before(|l| l.total),
                amounts.tax - before(|l| l.tax),
            )
        } else {
            let share = q / item.quantity;
            (
                round(inv, amounts.total * share),
                round(inv, amounts.tax * share),
            )
        };
        out.push(CreditedLine {
            line: Some(c.line),
            description: item.description.clone(),
            quantity: q,
            unit_price: item.unit_price,
            net: total - tax,
            tax,
            total,
        });
    }
    errs.into_result().map(|()| out)
}

fn round(inv: &Invoice, x: Decimal) -> Decimal {
    inv.content.currency.round(x, inv.rounding_mode)
}

/// The status an issued invoice has once its balance changed by a credit
/// note or a refund: paid (settled) when nothing is owed, partially paid
/// when some money arrived, otherwise issued.
pub fn settlement_status(inv: &Invoice) -> InvoiceStatus {
    if inv.status == InvoiceStatus::Void {
        return InvoiceStatus::Void;
    }
    if inv.balance() <= Decimal::ZERO {
        InvoiceStatus::Paid
    } else if inv.amount_paid > Decimal::ZERO {
        InvoiceStatus::PartiallyPaid
    } else {
        InvoiceStatus::Issued
    }
}

/// Checks a refund of `amount` against what was paid (less earlier refunds):
/// more money than arrived is never paid back.
pub fn check_refund(amount: Decimal, paid: Decimal, cur: Currency) -> Result<(), ValidationErrors> {
    check_amount(amount, cur)?;
    if amount > paid {
        return Err(ValidationErrors::single(
            "amount",
            amount.to_string(),
            format!(
                "is more than the {} {} paid on this invoice (less refunds)",
                cur.round(paid, RoundingMode::HalfUp),
                cur.code()
            ),
        ));
    }
    Ok(())
}

/// A refund: money paid back to the customer for an invoice. It has a
/// payment's shape (amount, day, method, reference, who and when) and is
/// stored the same way in its own ledger; only the direction differs.
pub type Refund = crate::payment::Payment;

#[cfg(test)]
#[path = "credit_note_tests.rs"]
mod tests;
