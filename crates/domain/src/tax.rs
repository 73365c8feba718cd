//! Tax rates by region and the choice of the rate that applies.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A tax rate for a country or a region (state, province) of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxRate {
    /// Stored id; `None` before the rate is saved.
    pub id: Option<i64>,
    /// ISO 3166-1 alpha-2 country code, upper case.
    pub country: String,
    /// Region code within the country (e.g. `CA`), or `None` for the whole country.
    pub region: Option<String>,
    /// The name shown on invoices, e.g. `CA sales tax` or `VAT 19%`.
    pub name: String,
    /// The rate in percent, e.g. `8.25`.
    pub rate: Decimal,
    /// Whether prices already include this tax (typical for EU consumer prices).
    pub inclusive: bool,
    /// Whether the tax is computed on the net plus the taxes before it in its
    /// group (e.g. the former Quebec QST on top of GST). A compound rate cannot
    /// be inclusive.
    #[serde(default)]
    pub compound: bool,
    /// The rate's place in its group: lower first. Compound rates see the taxes
    /// of every rate placed before them.
    #[serde(default)]
    pub position: i64,
    /// Whether the rate belongs to its region's automatic group. A rate that is
    /// not automatic applies only to lines that name it, e.g. a reduced VAT
    /// rate next to the standard one, which must not stack on top of it.
    #[serde(default = "automatic_by_default")]
    pub automatic: bool,
    /// First day the rate applies, if it is time-bound.
    pub valid_from: Option<NaiveDate>,
    /// Last day the rate applies, if it is time-bound.
    pub valid_to: Option<NaiveDate>,
}

fn automatic_by_default() -> bool {
    true
}

impl TaxRate {
    /// Whether the rate is in force on `date`.
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|f| f <= date) && self.valid_to.is_none_or(|t| date <= t)
    }

    /// The tax contained in `amount`, rounded by the caller.
    ///
    /// For an exclusive rate the tax is added on top of `amount`; for an inclusive
    /// rate `amount` already contains it, so the tax is `amount × r / (100 + r)`.
    pub fn tax_on(&self, amount: Decimal) -> Decimal {
        tax_at(amount, self.rate, self.inclusive)
    }
}

/// The tax at `rate` percent in `amount`: added on top when exclusive,
/// contained in it (`amount × r / (100 + r)`) when inclusive.
pub fn tax_at(amount: Decimal, rate: Decimal, inclusive: bool) -> Decimal {
    let hundred = Decimal::ONE_HUNDRED;
    if inclusive {
        amount * rate / (hundred + rate)
    } else {
        amount * rate / hundred
    }
}

/// The tax group for a customer's country and region on a date: every
/// automatic rate in force for the exact region, all of which apply (Quebec charges GST and QST on
/// the same line); when the region has none, every country-wide rate in force.
/// A region's rates replace the country's because a US state or Canadian
/// province sets its own taxes (set the country-wide part again for the region
/// when both apply). Rates come back in their group order (position, then id).
pub fn applicable_rates(
    rates: &[TaxRate],
    country: &str,
    region: Option<&str>,
    date: NaiveDate,
) -> Vec<TaxRate> {
    let in_force =
        |r: &&TaxRate| r.automatic && r.country.eq_ignore_ascii_case(country) && r.valid_on(date);
    let mut group: Vec<TaxRate> = match region {
        Some(reg) => rates
            .iter()
            .filter(in_force)
            .filter(|r| {
                r.region
                    .as_deref()
                    .is_some_and(|rr| rr.eq_ignore_ascii_case(reg))
            })
            .cloned()
            .collect(),
        None => Vec::new(),
    };
    if group.is_empty() {
        group = rates
            .iter()
            .filter(in_force)
            .filter(|r| r.region.is_none())
            .cloned()
            .collect();
    }
    group.sort_by_key(|r| (r.position, r.id));
    group
}

/// Why a rate cannot join its group, if it cannot: a compound rate must be
/// exclusive (a compound tax contained in the price has no single base), and a
/// group holds at most one inclusive rate in force at a time, because the tax
/// contained in a price is extracted once, before any tax is added on top.
pub fn group_conflict(rate: &TaxRate, existing: &[TaxRate]) -> Option<(&'static str, String)> {
    if rate.compound && rate.inclusive {
        return Some((
            "compound",
            "a compound rate cannot be inclusive; make it exclusive or not compound".into(),
        ));
    }
    if !rate.inclusive {
        return None;
    }
    let overlaps = |o: &TaxRate| {
        rate.valid_from
            .is_none_or(|f| o.valid_to.is_none_or(|t| f <= t))
            && o.valid_from
                .is_none_or(|f| rate.valid_to.is_none_or(|t| f <= t))
    };
    existing
        .iter()
        .find(|o| {
            o.inclusive
                && o.name != rate.name
                && o.country.eq_ignore_ascii_case(&rate.country)
                && o.region.as_deref().map(str::to_ascii_uppercase)
                    == rate.region.as_deref().map(str::to_ascii_uppercase)
                && overlaps(o)
        })
        .map(|o| {
            (
                "inclusive",
                format!(
                    "{} is already an inclusive rate for this country and region; a group holds one inclusive rate",
                    o.name
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn rate(country: &str, region: Option<&str>, pct: Decimal) -> TaxRate {
        TaxRate {
            id: None,
            country: country.into(),
            region: region.map(Into::into),
            name: format!("{country} {pct}%"),
            rate: pct,
            inclusive: false,
            compound: false,
            position: 0,
            automatic: true,
            valid_from: None,
            valid_to: None,
        }
    }

    #[test]
    fn region_rates_win_over_country_rates() {
        let rates = vec![
            rate("US", None, dec!(0)),
            rate("US", Some("CA"), dec!(8.25)),
        ];
        let d = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let ca = applicable_rates(&rates, "us", Some("ca"), d);
        assert_eq!(ca.len(), 1);
        assert_eq!(ca[0].rate, dec!(8.25));
        assert_eq!(
            applicable_rates(&rates, "US", Some("TX"), d)[0].rate,
            dec!(0)
        );
        assert!(applicable_rates(&rates, "DE", None, d).is_empty());
    }

    #[test]
    fn every_rate_of_a_region_applies_in_position_order() {
        let mut qst = rate("CA", Some("QC"), dec!(9.975));
        qst.position = 2;
        let mut gst = rate("CA", Some("QC"), dec!(5));
        gst.position = 1;
        let rates = vec![qst, rate("CA", Some("ON"), dec!(13)), gst];
        let d = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let qc: Vec<_> = applicable_rates(&rates, "CA", Some("QC"), d)
            .iter()
            .map(|r| r.rate)
            .collect();
        assert_eq!(qc, [dec!(5), dec!(9.975)]);
    }

    #[test]
    fn a_rate_that_is_not_automatic_only_applies_when_named() {
        // German VAT: the standard rate applies by itself; the reduced one is
        // chosen per line and must not stack on top of it.
        let mut reduced = rate("DE", None, dec!(7));
        reduced.automatic = false;
        let rates = vec![rate("DE", None, dec!(19)), reduced];
        let d = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let de: Vec<_> = applicable_rates(&rates, "DE", None, d)
            .iter()
            .map(|r| r.rate)
            .collect();
        assert_eq!(de, [dec!(19)]);
    }

    #[test]
    fn compound_inclusive_and_two_inclusive_rates_are_refused() {
        let mut c = rate("CA", Some("PE"), dec!(10));
        c.compound = true;
        c.inclusive = true;
        assert_eq!(group_conflict(&c, &[]).unwrap().0, "compound");
        let mut a = rate("DE", None, dec!(19));
        a.inclusive = true;
        let mut b = rate("DE", None, dec!(7));
        b.inclusive = true;
        b.name = "other".into();
        assert_eq!(group_conflict(&b, &[a.clone()]).unwrap().0, "inclusive");
        // A successor that starts after the old rate ended may join.
        a.valid_to = NaiveDate::from_ymd_opt(2026, 12, 31);
        b.valid_from = NaiveDate::from_ymd_opt(2027, 1, 1);
        assert!(group_conflict(&b, &[a]).is_none());
    }

    #[test]
    fn expired_rate_is_not_applied() {
        let mut old = rate("DE", None, dec!(16));
        old.valid_to = NaiveDate::from_ymd_opt(2020, 12, 31);
        let rates = vec![old, rate("DE", None, dec!(19))];
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let de = applicable_rates(&rates, "DE", None, d);
        assert_eq!(de.len(), 1);
        assert_eq!(de[0].rate, dec!(19));
    }

    #[test]
    fn inclusive_tax_is_extracted_not_added() {
        let mut vat = rate("DE", None, dec!(19));
        vat.inclusive = true;
        assert_eq!(vat.tax_on(dec!(119)), dec!(19));
        let sales = rate("US", Some("CA"), dec!(8.25));
        assert_eq!(sales.tax_on(dec!(100)), dec!(8.25));
    }
}
