//! Invoice totals: subtotal, discounts, tax per rate and the total.
//!
//! Two rounding scopes are supported. Per line, each line's gross, discount and
//! tax are rounded to the minor unit and then summed; per document, the exact
//! line amounts are summed per tax rate and rounded once per rate. Either way the
//! tax breakdown always sums exactly to the tax total, and the total is always
//! `subtotal − discount + exclusive tax`, so what the customer reads adds up.

use crate::line::LineItem;
use crate::money::{Currency, RoundingMode, RoundingScope};
use crate::tax::{tax_at, TaxRate};
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
    /// Tax on the line, all rates together (inclusive ones are contained in `net`).
    pub tax: Decimal,
    /// The tax at each of the line's rates, in the line's rate order; sums to `tax`.
    #[serde(default)]
    pub taxes: Vec<Decimal>,
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
    /// Whether the rate was computed on the net plus the earlier taxes of its group.
    #[serde(default)]
    pub compound: bool,
    /// The taxable amount, excluding the tax itself (for a compound rate it
    /// includes the earlier taxes it is computed on).
    pub base: Decimal,
    /// The tax at this rate.
    pub tax: Decimal,
}

impl TaxLine {
    fn same_rate(&self, r: &TaxRate) -> bool {
        self.name == r.name
            && self.rate == r.rate
            && self.inclusive == r.inclusive
            && self.compound == r.compound
    }
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

/// The base and tax of each of a line's stacked rates, `rnd` applied to each
/// tax (rounding per line, or the identity for exact per-document sums).
///
/// The taxes contained in the price (inclusive rates) are extracted first, all
/// from the same price: `net × r / (100 + Σ inclusive r)`. The rest is the
/// taxable base of every exclusive rate; a compound rate's base also holds the
/// taxes of the rates placed before it on the line.
fn stack(
    net: Decimal,
    rates: &[TaxRate],
    rnd: impl Fn(Decimal) -> Decimal,
) -> Vec<(Decimal, Decimal)> {
    let inclusive_sum: Decimal = rates.iter().filter(|r| r.inclusive).map(|r| r.rate).sum();
    let inclusive: Vec<Decimal> = rates
        .iter()
        .map(|r| {
            if r.inclusive {
                rnd(net * r.rate / (Decimal::ONE_HUNDRED + inclusive_sum))
            } else {
                Decimal::ZERO
            }
        })
        .collect();
    let net_ex = net - inclusive.iter().copied().sum::<Decimal>();
    let mut earlier = Decimal::ZERO;
    rates
        .iter()
        .zip(inclusive)
        .map(|(r, incl)| {
            let (base, tax) = if r.inclusive {
                (net_ex, incl)
            } else {
                let base = if r.compound { net_ex + earlier } else { net_ex };
                (base, rnd(tax_at(base, r.rate, false)))
            };
            earlier += tax;
            (base, tax)
        })
        .collect()
}

/// Computes an invoice's totals.
///
/// Every rate of a line applies (see [`stack`] for how they combine). Per-line
/// rounding rounds each line's tax per rate and sums; per-document rounding
/// sums each rate's exact base over the lines carrying it, rounds it once and
/// taxes it once (an inclusive rate: the rounded gross, as before stacking).
/// Inputs are capped where they are parsed (quantity, unit price, decimal
/// places, rates of at most 100 %), which keeps every product here far inside
/// `Decimal`'s range.
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
    let rounded_stacks: Vec<Vec<(Decimal, Decimal)>> = lines
        .iter()
        .zip(&exact)
        .map(|(l, e)| stack(round(e.net), &l.taxes, round))
        .collect();
    let line_amounts: Vec<LineAmounts> = lines
        .iter()
        .zip(&exact)
        .zip(&rounded_stacks)
        .map(|((l, e), st)| {
            let gross = round(e.gross);
            let net = round(e.net);
            let taxes: Vec<Decimal> = st.iter().map(|(_, t)| *t).collect();
            let exclusive: Decimal = l
                .taxes
                .iter()
                .zip(&taxes)
                .filter(|(r, _)| !r.inclusive)
                .map(|(_, t)| *t)
                .sum();
            LineAmounts {
                gross,
                discount: gross - net,
                net,
                tax: taxes.iter().copied().sum(),
                taxes,
                total: net + exclusive,
            }
        })
        .collect();

    // Each rate identity (name, rate, inclusive, compound) in order of first
    // appearance, with the sum of its bases (per document: exact) and taxes.
    let mut groups: Vec<(TaxLine, Decimal)> = Vec::new();
    // Lines with the same rates form one partition whose net is rounded once
    // per document; per line the rounded line nets are summed.
    let mut partitions: Vec<(Vec<usize>, Decimal)> = Vec::new();
    for (((l, e), a), st) in lines
        .iter()
        .zip(&exact)
        .zip(&line_amounts)
        .zip(&rounded_stacks)
    {
        let exact_stack;
        let (net, st) = match scope {
            RoundingScope::PerLine => (a.net, st),
            RoundingScope::PerDocument => {
                exact_stack = stack(e.net, &l.taxes, |d| d);
                (e.net, &exact_stack)
            }
        };
        let mut keys = Vec::with_capacity(l.taxes.len());
        for (r, (base, tax)) in l.taxes.iter().zip(st) {
            let idx = groups
                .iter()
                .position(|(g, _)| g.same_rate(r))
                .unwrap_or_else(|| {
                    groups.push((
                        TaxLine {
                            name: r.name.clone(),
                            rate: r.rate,
                            inclusive: r.inclusive,
                            compound: r.compound,
                            base: Decimal::ZERO,
                            tax: Decimal::ZERO,
                        },
                        Decimal::ZERO,
                    ));
                    groups.len() - 1
                });
            keys.push(idx);
            let (g, acc) = &mut groups[idx];
            // An inclusive rate is taxed on the price that contains it.
            *acc += if r.inclusive { net } else { *base };
            if scope == RoundingScope::PerLine {
                g.base += base;
                g.tax += tax;
            }
        }
        match partitions.iter_mut().find(|(k, _)| *k == keys) {
            Some((_, sum)) => *sum += net,
            None => partitions.push((keys, net)),
        }
    }

    let net_total: Decimal = partitions.iter().map(|(_, sum)| round(*sum)).sum();
    let mut exclusive_tax = Decimal::ZERO;
    let mut tax_breakdown = Vec::with_capacity(groups.len());
    for (mut g, acc) in groups {
        if scope == RoundingScope::PerDocument {
            let acc = round(acc);
            g.tax = round(tax_at(acc, g.rate, g.inclusive));
            g.base = if g.inclusive { acc - g.tax } else { acc };
        }
        if !g.inclusive {
            exclusive_tax += g.tax;
        }
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
            taxes: tax.into_iter().cloned().collect(),
            tax_exemption: None,
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
            compound: false,
            position: 0,
            automatic: true,
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

    fn stacked(name: &str, pct: Decimal, compound: bool) -> TaxRate {
        TaxRate {
            compound,
            ..rate(name, pct, false)
        }
    }

    fn lines_with(q: Decimal, p: Decimal, n: usize, rates: &[TaxRate]) -> Vec<LineItem> {
        (0..n)
            .map(|_| LineItem {
                taxes: rates.to_vec(),
                ..line(q, p, None, None)
            })
            .collect()
    }

    fn both_scopes(lines: &[LineItem], cur: Currency) -> [Totals; 2] {
        [RoundingScope::PerLine, RoundingScope::PerDocument]
            .map(|s| compute_totals(lines, cur, s, RoundingMode::HalfUp))
    }

    fn breakdown(t: &Totals) -> Vec<(String, Decimal, Decimal)> {
        t.tax_breakdown
            .iter()
            .map(|x| (x.name.clone(), x.base, x.tax))
            .collect()
    }

    #[test]
    fn quebec_charges_gst_and_qst_on_the_same_line() {
        // 100.00 × 5 % = 5.00; 100.00 × 9.975 % = 9.975 → 9.98; total 114.98.
        let group = [
            stacked("GST", dec!(5), false),
            stacked("QST", dec!(9.975), false),
        ];
        let cad = Currency::from_code("CAD").unwrap();
        for t in both_scopes(&lines_with(dec!(1), dec!(100.00), 1, &group), cad) {
            assert_eq!(
                breakdown(&t),
                [
                    ("GST".into(), dec!(100.00), dec!(5.00)),
                    ("QST".into(), dec!(100.00), dec!(9.98))
                ]
            );
            assert_eq!(t.tax_total, dec!(14.98));
            assert_eq!(t.total, dec!(114.98));
            assert_eq!(t.lines[0].taxes, [dec!(5.00), dec!(9.98)]);
            assert_eq!(t.lines[0].total, dec!(114.98));
        }
    }

    #[test]
    fn us_state_and_county_tax_round_per_rate_in_each_scope() {
        // Three lines of 0.333 taxed at a state 6.25 % and a county 2 %.
        // Per line: net 0.33 each; 0.020625 → 0.02 and 0.0066 → 0.01 per line,
        // so 0.06 + 0.03 and a total of 0.99 + 0.09 = 1.08.
        // Per document: net 0.999 → 1.00; 0.0625 → 0.06 and 0.02; 1.00 + 0.08 = 1.08.
        let group = [
            stacked("TX state", dec!(6.25), false),
            stacked("Travis County", dec!(2), false),
        ];
        let [per_line, per_doc] = both_scopes(&lines_with(dec!(1), dec!(0.333), 3, &group), usd());
        assert_eq!(
            breakdown(&per_line),
            [
                ("TX state".into(), dec!(0.99), dec!(0.06)),
                ("Travis County".into(), dec!(0.99), dec!(0.03))
            ]
        );
        assert_eq!(per_line.total, dec!(1.08));
        assert_eq!(
            breakdown(&per_doc),
            [
                ("TX state".into(), dec!(1.00), dec!(0.06)),
                ("Travis County".into(), dec!(1.00), dec!(0.02))
            ]
        );
        assert_eq!(per_doc.tax_total, dec!(0.08));
        assert_eq!(per_doc.total, dec!(1.08));
    }

    #[test]
    fn compound_rate_is_computed_on_net_plus_earlier_taxes() {
        // Prince Edward Island before 2013: GST 5 %, then PST 10 % on the
        // GST-inclusive amount. 100.00 → 5.00, then 10 % of 105.00 = 10.50.
        let group = [
            stacked("GST", dec!(5), false),
            stacked("PEI PST", dec!(10), true),
        ];
        let cad = Currency::from_code("CAD").unwrap();
        for t in both_scopes(&lines_with(dec!(1), dec!(100.00), 1, &group), cad) {
            assert_eq!(
                breakdown(&t),
                [
                    ("GST".into(), dec!(100.00), dec!(5.00)),
                    ("PEI PST".into(), dec!(105.00), dec!(10.50))
                ]
            );
            assert!(t.tax_breakdown[1].compound);
            assert_eq!(t.total, dec!(115.50));
        }
        // Three lines of 33.333. Per line: net 33.33, GST 1.6665 → 1.67, PST on
        // 35.00 = 3.50; three times: GST 5.01, PST 10.50, total 99.99 + 15.51 = 115.50.
        // Per document: net 99.999 → 100.00, GST 5.00; PST base 3 × (33.333 +
        // 1.66665) = 104.99895 → 105.00, PST 10.50; total 115.50.
        let [per_line, per_doc] = both_scopes(&lines_with(dec!(1), dec!(33.333), 3, &group), cad);
        assert_eq!(
            breakdown(&per_line),
            [
                ("GST".into(), dec!(99.99), dec!(5.01)),
                ("PEI PST".into(), dec!(105.00), dec!(10.50))
            ]
        );
        assert_eq!(per_line.total, dec!(115.50));
        assert_eq!(
            breakdown(&per_doc),
            [
                ("GST".into(), dec!(100.00), dec!(5.00)),
                ("PEI PST".into(), dec!(105.00), dec!(10.50))
            ]
        );
        assert_eq!(per_doc.total, dec!(115.50));
    }

    #[test]
    fn exempt_line_carries_no_tax_next_to_a_taxed_one() {
        // 100.00 at VAT 19 % and a reverse-charge line of 50.00:
        // tax 19.00 on a base of 100.00 only, total 169.00.
        let vat = rate("VAT 19%", dec!(19), false);
        let mut exempt = line(dec!(1), dec!(50.00), None, None);
        exempt.tax_exemption = Some("Reverse charge — Article 196 VAT Directive".into());
        let lines = [line(dec!(1), dec!(100.00), None, Some(&vat)), exempt];
        for t in both_scopes(&lines, usd()) {
            assert_eq!(
                breakdown(&t),
                [("VAT 19%".into(), dec!(100.00), dec!(19.00))]
            );
            assert_eq!(t.lines[1].tax, dec!(0));
            assert_eq!(t.total, dec!(169.00));
        }
    }

    #[test]
    fn inclusive_rate_is_extracted_before_an_exclusive_one_is_added() {
        // 119.00 containing VAT 19 % (19.00) with a 1 % levy added on the 100.00 net.
        let group = [rate("VAT", dec!(19), true), stacked("Levy", dec!(1), false)];
        for t in both_scopes(&lines_with(dec!(1), dec!(119.00), 1, &group), usd()) {
            assert_eq!(
                breakdown(&t),
                [
                    ("VAT".into(), dec!(100.00), dec!(19.00)),
                    ("Levy".into(), dec!(100.00), dec!(1.00))
                ]
            );
            assert_eq!(t.total, dec!(120.00));
        }
    }
}
