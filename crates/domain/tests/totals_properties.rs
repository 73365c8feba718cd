//! Property tests for money, rounding and totals.

use invoicer_domain::line::LineItem;
use invoicer_domain::money::{Currency, RoundingMode, RoundingScope};
use invoicer_domain::tax::TaxRate;
use invoicer_domain::totals::compute_totals;
use invoicer_domain::Decimal;
use proptest::prelude::*;

fn currency() -> impl Strategy<Value = Currency> {
    prop_oneof![Just("USD"), Just("JPY"), Just("KWD"), Just("EUR")]
        .prop_map(|c| Currency::from_code(c).unwrap())
}

fn rate() -> impl Strategy<Value = Option<TaxRate>> {
    prop_oneof![
        Just(None),
        (0u32..3, any::<bool>()).prop_map(|(i, inclusive)| {
            let pct = [
                Decimal::new(825, 2),
                Decimal::new(19, 0),
                Decimal::new(7, 0),
            ][i as usize];
            Some(TaxRate {
                id: None,
                country: "US".into(),
                region: None,
                name: format!("T{i}{inclusive}"),
                rate: pct,
                inclusive,
                compound: false,
                position: 0,
                automatic: true,
                valid_from: None,
                valid_to: None,
            })
        })
    ]
}

fn line(with_tax: bool) -> impl Strategy<Value = LineItem> {
    (
        1i64..100_000,
        0u32..4,
        0i64..10_000_000,
        0u32..5,
        prop::option::of(0i64..=100),
        rate(),
    )
        .prop_map(move |(q, qs, p, ps, d, tax)| LineItem {
            description: "item".into(),
            quantity: Decimal::new(q, qs),
            unit_price: Decimal::new(p, ps),
            discount_percent: d.map(Decimal::from),
            taxes: if with_tax {
                tax.into_iter().collect()
            } else {
                Vec::new()
            },
            tax_exemption: None,
            proration: None,
        })
}

proptest! {
    #[test]
    fn tax_breakdown_sums_to_tax_total(
        lines in prop::collection::vec(line(true), 1..20),
        cur in currency(),
        per_doc in any::<bool>(),
    ) {
        let scope = if per_doc { RoundingScope::PerDocument } else { RoundingScope::PerLine };
        let t = compute_totals(&lines, cur, scope, RoundingMode::HalfUp);
        let sum: Decimal = t.tax_breakdown.iter().map(|x| x.tax).sum();
        prop_assert_eq!(sum, t.tax_total);
        let exclusive: Decimal = t.tax_breakdown.iter().filter(|x| !x.inclusive).map(|x| x.tax).sum();
        prop_assert_eq!(t.total, t.subtotal - t.discount_total + exclusive);
    }

    #[test]
    fn every_amount_is_in_whole_minor_units(
        lines in prop::collection::vec(line(true), 1..20),
        cur in currency(),
        per_doc in any::<bool>(),
    ) {
        let scope = if per_doc { RoundingScope::PerDocument } else { RoundingScope::PerLine };
        let t = compute_totals(&lines, cur, scope, RoundingMode::HalfUp);
        for amount in [t.subtotal, t.discount_total, t.tax_total, t.total] {
            prop_assert!(cur.to_minor(amount).is_ok(), "{} not in minor units of {}", amount, cur);
        }
        for l in &t.lines {
            prop_assert!(cur.to_minor(l.total).is_ok());
        }
    }

    #[test]
    fn line_and_document_rounding_differ_by_at_most_n_half_units(
        lines in prop::collection::vec(line(false), 1..30),
        cur in currency(),
    ) {
        // Without discounts and tax each line is rounded once, so the two scopes
        // can differ by at most half a minor unit per line.
        let lines: Vec<LineItem> = lines.into_iter().map(|mut l| { l.discount_percent = None; l }).collect();
        let a = compute_totals(&lines, cur, RoundingScope::PerLine, RoundingMode::HalfUp);
        let b = compute_totals(&lines, cur, RoundingScope::PerDocument, RoundingMode::HalfUp);
        let bound = cur.half_unit() * Decimal::from(lines.len());
        prop_assert!((a.total - b.total).abs() <= bound, "{} vs {} (bound {})", a.total, b.total, bound);
    }

    #[test]
    fn minor_units_round_trip(minor in -1_000_000_000_000i64..1_000_000_000_000, cur in currency()) {
        prop_assert_eq!(cur.to_minor(cur.from_minor(minor)).unwrap(), minor);
    }

    #[test]
    fn rounding_moves_at_most_half_a_unit(mantissa in -10_000_000_000i64..10_000_000_000, scale in 0u32..8, cur in currency(), even in any::<bool>()) {
        let x = Decimal::new(mantissa, scale);
        let mode = if even { RoundingMode::HalfEven } else { RoundingMode::HalfUp };
        let r = cur.round(x, mode);
        prop_assert!((r - x).abs() <= cur.half_unit());
        prop_assert!(cur.to_minor(r).is_ok());
    }

    #[test]
    fn discounts_never_exceed_the_subtotal(lines in prop::collection::vec(line(false), 1..20), cur in currency()) {
        let t = compute_totals(&lines, cur, RoundingScope::PerLine, RoundingMode::HalfUp);
        prop_assert!(t.discount_total >= Decimal::ZERO);
        prop_assert!(t.discount_total <= t.subtotal);
    }
}
