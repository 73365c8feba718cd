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
    /// First day the rate applies, if it is time-bound.
    pub valid_from: Option<NaiveDate>,
    /// Last day the rate applies, if it is time-bound.
    pub valid_to: Option<NaiveDate>,
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

/// Picks the rate for a customer's country and region on a date: a rate for the
/// exact region wins over a country-wide one, because a US state or Canadian
/// province sets its own sales tax.
pub fn applicable_rate<'a>(
    rates: &'a [TaxRate],
    country: &str,
    region: Option<&str>,
    date: NaiveDate,
) -> Option<&'a TaxRate> {
    let in_force = |r: &&TaxRate| r.country.eq_ignore_ascii_case(country) && r.valid_on(date);
    let regional = region.and_then(|reg| {
        rates.iter().filter(in_force).find(|r| {
            r.region
                .as_deref()
                .is_some_and(|rr| rr.eq_ignore_ascii_case(reg))
        })
    });
    regional.or_else(|| rates.iter().filter(in_force).find(|r| r.region.is_none()))
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
            valid_from: None,
            valid_to: None,
        }
    }

    #[test]
    fn region_rate_wins_over_country_rate() {
        let rates = vec![
            rate("US", None, dec!(0)),
            rate("US", Some("CA"), dec!(8.25)),
        ];
        let d = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(
            applicable_rate(&rates, "us", Some("ca"), d).unwrap().rate,
            dec!(8.25)
        );
        assert_eq!(
            applicable_rate(&rates, "US", Some("TX"), d).unwrap().rate,
            dec!(0)
        );
        assert!(applicable_rate(&rates, "DE", None, d).is_none());
    }

    #[test]
    fn expired_rate_is_not_applied() {
        let mut old = rate("DE", None, dec!(16));
        old.valid_to = NaiveDate::from_ymd_opt(2020, 12, 31);
        let rates = vec![old, rate("DE", None, dec!(19))];
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(
            applicable_rate(&rates, "DE", None, d).unwrap().rate,
            dec!(19)
        );
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
