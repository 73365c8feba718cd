//! Property: no typed quantity, price or discount — however long or large —
//! makes parsing, totals or the conversion to stored minor units panic. Before
//! the caps, values near `Decimal`'s limits panicked with "Multiplication
//! overflowed" in `to_minor`, the totals and `tax_at`.

use invoicer_domain::invoice::InvoiceContent;
use invoicer_domain::line::LineText;
use invoicer_domain::money::{RoundingMode, RoundingScope};
use invoicer_domain::tax::TaxRate;
use invoicer_domain::{Currency, Decimal};
use proptest::prelude::*;

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,32}(\\.[0-9]{0,32})?",
        Just("79228162514264337593543950335".to_string()),
        Just("1000000000".to_string()),
        Just("1000000000000".to_string()),
        Just("999999999999999.9999999999".to_string()),
        Just("0.0000000001".to_string()),
    ]
}

fn group() -> impl Strategy<Value = Vec<TaxRate>> {
    prop::collection::vec((0i64..=100_000, any::<bool>(), any::<bool>()), 0..5).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (r, compound, inclusive))| TaxRate {
                id: None,
                country: "CA".into(),
                region: None,
                name: format!("T{i}"),
                rate: Decimal::new(r, 3),
                inclusive: inclusive && !compound,
                compound,
                position: i as i64,
                automatic: true,
                valid_from: None,
                valid_to: None,
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn extreme_typed_numbers_never_panic(
        lines in prop::collection::vec((number(), number(), prop::option::of(number())), 1..6),
        taxes in group(),
        exponent in 0usize..4,
    ) {
        let currency = [
            Currency::from_code("JPY").unwrap(),
            Currency::from_code("USD").unwrap(),
            Currency::from_code("KWD").unwrap(),
            Currency::from_code("EUR").unwrap(),
        ][exponent];
        let mut items = Vec::new();
        for (q, p, d) in &lines {
            let text = LineText {
                description: "x".into(),
                quantity: q.clone(),
                unit_price: p.clone(),
                discount_percent: d.clone().unwrap_or_default(),
            };
            if let Ok(mut item) = text.parse() {
                item.taxes = taxes.clone();
                items.push(item);
            }
        }
        prop_assume!(!items.is_empty());
        let content = InvoiceContent {
            customer: serde_json::from_value(serde_json::json!({
                "id": 1, "name": "n", "company": null, "email": "a@b.c", "address": "a",
                "city": "c", "region": null, "postal_code": "1", "country": "CA",
                "tax_id": null, "currency": null, "template": null
            })).unwrap(),
            currency,
            issue_date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            terms_days: 30,
            notes: None,
            lines: items,
        };
        for scope in [RoundingScope::PerLine, RoundingScope::PerDocument] {
            let t = content.totals(scope, RoundingMode::HalfUp);
            // Either every amount fits the store or the check names a field.
            if content.check_totals(&t).is_ok() {
                for a in [t.subtotal, t.tax_total, t.total] {
                    prop_assert!(currency.to_minor(a).is_ok());
                }
            }
        }
    }

    #[test]
    fn stacked_taxes_add_up_in_both_scopes(
        lines in prop::collection::vec((1i64..100_000, 0u32..4, 0i64..10_000_000, 0u32..5), 1..12),
        taxes in group(),
    ) {
        let items: Vec<_> = lines
            .iter()
            .map(|(q, qs, p, ps)| invoicer_domain::line::LineItem {
                description: "x".into(),
                quantity: Decimal::new(*q, *qs),
                unit_price: Decimal::new(*p, *ps),
                discount_percent: None,
                taxes: taxes.clone(),
                tax_exemption: None,
                proration: None,
            })
            .collect();
        let usd = Currency::from_code("USD").unwrap();
        for scope in [RoundingScope::PerLine, RoundingScope::PerDocument] {
            let t = invoicer_domain::totals::compute_totals(&items, usd, scope, RoundingMode::HalfUp);
            let sum: Decimal = t.tax_breakdown.iter().map(|x| x.tax).sum();
            prop_assert_eq!(sum, t.tax_total);
            let exclusive: Decimal = t
                .tax_breakdown
                .iter()
                .filter(|x| !x.inclusive)
                .map(|x| x.tax)
                .sum();
            // What the customer reads adds up: subtotal − discount + tax added on top.
            prop_assert_eq!(t.total, t.subtotal - t.discount_total + exclusive);
            // One breakdown line per distinct rate of the group.
            prop_assert_eq!(t.tax_breakdown.len(), taxes.len());
            if scope == RoundingScope::PerLine {
                for a in &t.lines {
                    prop_assert_eq!(a.taxes.iter().copied().sum::<Decimal>(), a.tax);
                }
            }
        }
    }
}
