//! Invoice totals: subtotal, discounts, tax per rate and the total.
//!
//! Two rounding scopes are supported. Per line, each line's gross, discount and
//! tax are rounded to the minor unit and then summed; per document, the exact
//! line amounts are summed per tax rate and rounded once per rate. Either way the
//! tax breakdown always sums exactly to the tax total, and the total is always
//! `subtotal − discount + exclusive tax`, so what the customer reads adds up.

use crate::line::LineItem;
use crate::money::{Currency, RoundingMode, RoundingScope};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The computed amounts of one line, rounded to the currency for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineAmounts {
    /// Quantity × unit price × proration factor.
    pub gross: Decimal,
    /// The discount taken off `gross`.
    pub discount: Decimal,
    /// `gross − discount`: what the line charges before exclusive tax.
    pub net: Decimal,
    /// Tax on the line (contained in `net` for inclusive rates).
    pub tax: Decimal,
    /// What the line contributes to the invoice total.
    pub total: Decimal,
}

/// Tax collected at one rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxLine {
    /// The rate's display name.
    pub name: String,
    /// The rate in percent.
    pub rate: Decimal,
    /// Whether the rate is contained in the prices.
    pub inclusive: bool,
    /// The taxable amount, excluding the tax itself.
    pub base: Decimal,
    /// The tax at this rate.
    pub tax: Decimal,
}

/// Every amount an invoice shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Per-line amounts, in line order.
    pub lines: Vec<LineAmounts>,
    /// Sum of the lines' gross amounts.
    pub subtotal: Decimal,
    /// Sum of the discounts.
    pub discount_total: Decimal,
    /// Tax per rate, in order of first appearance.
    pub tax_breakdown: Vec<TaxLine>,
    /// Sum of `tax_breakdown`.
    pub tax_total: Decimal,
    /// What the customer owes before payments.
    pub total: Decimal,
}

/// Computes an invoice's totals.
pub fn compute_totals(
    lines: &[LineItem],
    currency: Currency,
    scope: RoundingScope,
    mode: RoundingMode,
) -> Totals {
    let round = |d: Decimal| currency.round(d, mode);
    struct Exact {
        gross: Decimal,
        net: Decimal,
    }
    let exact: Vec<Exact> = lines
        .iter()
        .map(|l| {
            let factor = l.proration.map_or(Decimal::ONE, |p| p.factor());
            let gross = l.quantity * l.unit_price * factor;
            let discount = l
                .discount_percent
                .map_or(Decimal::ZERO, |d| gross * d / Decimal::ONE_HUNDRED);
            Exact {
                gross,
                net: gross - discount,
            }
        })
        .collect();

    // Per-line amounts are always rounded for display; per-line scope also uses
    // them for the sums.
    let line_amounts: Vec<LineAmounts> = lines
        .iter()
        .zip(&exact)
        .map(|(l, e)| {
            let gross = round(e.gross);
            let net = round(e.net);
            let tax = l
                .tax
                .as_ref()
                .map_or(Decimal::ZERO, |t| round(t.tax_on(net)));
            let exclusive = l.tax.as_ref().is_some_and(|t| !t.inclusive);
            LineAmounts {
                gross,
                discount: gross - net,
                net,
                tax,
                total: if exclusive { net + tax } else { net },
            }
        })
        .collect();

    // Group by rate identity (name, rate, inclusive) in order of first appearance.
    let mut groups: Vec<(TaxLine, Decimal)> = Vec::new();
    let mut untaxed_net = Decimal::ZERO;
    for ((l, e), a) in lines.iter().zip(&exact).zip(&line_amounts) {
        let net = match scope {
            RoundingScope::PerLine => a.net,
            RoundingScope::PerDocument => e.net,
        };
        let Some(t) = &l.tax else {
            untaxed_net += net;
            continue;
        };
        let pos = groups
            .iter()
            .position(|(g, _)| g.name == t.name && g.rate == t.rate && g.inclusive == t.inclusive);
        let idx = pos.unwrap_or_else(|| {
            groups.push((
                TaxLine {
                    name: t.name.clone(),
                    rate: t.rate,
                    inclusive: t.inclusive,
                    base: Decimal::ZERO,
                    tax: Decimal::ZERO,
                },
                Decimal::ZERO,
            ));
            groups.len() - 1
        });
        let (g, group_net) = &mut groups[idx];
        *group_net += net;
        if scope == RoundingScope::PerLine {
            g.tax += a.tax;
        }
    }

    let mut net_total = round(untaxed_net);
    let mut exclusive_tax = Decimal::ZERO;
    let mut tax_breakdown = Vec::with_capacity(groups.len());
    for (mut g, group_net) in groups {
        let group_net = round(group_net);
        if scope == RoundingScope::PerDocument {
            g.tax = round(crate::tax::tax_at(group_net, g.rate, g.inclusive));
        }
        g.base = if g.inclusive {
            group_net - g.tax
        } else {
            exclusive_tax += g.tax;
            group_net
        };
        net_total += group_net;
        tax_breakdown.push(g);
    }

    let subtotal = match scope {
        RoundingScope::PerLine => line_amounts.iter().map(|a| a.gross).sum(),
        RoundingScope::PerDocument => round(exact.iter().map(|e| e.gross).sum()),
    };
    let tax_total = tax_breakdown.iter().map(|t| t.tax).sum();
    Totals {
        lines: line_amounts,
        subtotal,
        discount_total: subtotal - net_total,
        tax_breakdown,
        tax_total,
        total: net_total + exclusive_tax,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tax::TaxRate;
    use rust_decimal_macros::dec;

    fn usd() -> Currency {
        Currency::from_code("USD").unwrap()
    }

    fn line(q: Decimal, p: Decimal, disc: Option<Decimal>, tax: Option<&TaxRate>) -> LineItem {
        LineItem {
            description: "x".into(),
            quantity: q,
            unit_price: p,
            discount_percent: disc,
            tax: tax.cloned(),
            proration: None,
        }
    }

    fn rate(name: &str, pct: Decimal, inclusive: bool) -> TaxRate {
        TaxRate {
            id: None,
            country: "US".into(),
            region: Some("CA".into()),
            name: name.into(),
            rate: pct,
            inclusive,
            valid_from: None,
            valid_to: None,
        }
    }

    #[test]
    fn california_consulting_and_hosting_scenario() {
        // The Foundation issue's CLI scenario: 10 × 150.00 and 1 × 49.99 less 10 %, at 8.25 %.
        let ca = rate("CA sales tax", dec!(8.25), false);
        let t = compute_totals(
            &[
                line(dec!(10), dec!(150.00), None, Some(&ca)),
                line(dec!(1), dec!(49.99), Some(dec!(10)), Some(&ca)),
            ],
            usd(),
            RoundingScope::PerLine,
            RoundingMode::HalfUp,
        );
        assert_eq!(t.subtotal, dec!(1549.99));
        assert_eq!(t.discount_total, dec!(5.00));
        // 1500.00 × 8.25 % = 123.75; 44.99 × 8.25 % = 3.711… → 3.71.
        assert_eq!(t.tax_total, dec!(127.46));
        assert_eq!(t.total, dec!(1672.45));
    }

    #[test]
    fn several_rates_are_broken_down_and_sum_to_the_tax_total() {
        let std = rate("VAT 19%", dec!(19), false);
        let red = rate("VAT 7%", dec!(7), false);
        let t = compute_totals(
            &[
                line(dec!(2), dec!(100), None, Some(&std)),
                line(dec!(1), dec!(50), None, Some(&red)),
                line(dec!(1), dec!(10), None, Some(&std)),
                line(dec!(1), dec!(5), None, None),
            ],
            usd(),
            RoundingScope::PerLine,
            RoundingMode::HalfUp,
        );
        assert_eq!(t.tax_breakdown.len(), 2);
        assert_eq!(t.tax_breakdown[0].base, dec!(210));
        assert_eq!(t.tax_breakdown[0].tax, dec!(39.90));
        assert_eq!(t.tax_breakdown[1].tax, dec!(3.50));
        assert_eq!(t.tax_total, dec!(43.40));
        assert_eq!(t.total, dec!(308.40));
    }

    #[test]
    fn inclusive_tax_does_not_raise_the_total() {
        let vat = rate("VAT 19%", dec!(19), true);
        let t = compute_totals(
            &[line(dec!(1), dec!(119.00), None, Some(&vat))],
            usd(),
            RoundingScope::PerLine,
            RoundingMode::HalfUp,
        );
        assert_eq!(t.total, dec!(119.00));
        assert_eq!(t.tax_total, dec!(19.00));
        assert_eq!(t.tax_breakdown[0].base, dec!(100.00));
    }

    #[test]
    fn document_rounding_rounds_once_per_rate() {
        // Three lines of 0.333 at 10 %: per line each tax rounds to 0.03 (0.09),
        // per document the base 0.999 → 1.00 gives 0.10.
        let r = rate("T", dec!(10), false);
        let lines: Vec<_> = (0..3)
            .map(|_| line(dec!(1), dec!(0.333), None, Some(&r)))
            .collect();
        let per_line = compute_totals(&lines, usd(), RoundingScope::PerLine, RoundingMode::HalfUp);
        let per_doc = compute_totals(
            &lines,
            usd(),
            RoundingScope::PerDocument,
            RoundingMode::HalfUp,
        );
        assert_eq!(per_line.subtotal, dec!(0.99));
        assert_eq!(per_line.tax_total, dec!(0.09));
        assert_eq!(per_doc.subtotal, dec!(1.00));
        assert_eq!(per_doc.tax_total, dec!(0.10));
        assert_eq!(per_doc.total, dec!(1.10));
    }

    #[test]
    fn zero_decimal_currency_rounds_to_whole_units() {
        let jpy = Currency::from_code("JPY").unwrap();
        let r = rate("消費税", dec!(10), false);
        let t = compute_totals(
            &[line(dec!(3), dec!(333), None, Some(&r))],
            jpy,
            RoundingScope::PerLine,
            RoundingMode::HalfUp,
        );
        assert_eq!(t.tax_total, dec!(100));
        assert_eq!(t.total, dec!(1099));
    }
}
