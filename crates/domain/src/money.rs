//! Money: exact decimals with an ISO 4217 currency and explicit rounding.
//!
//! Amounts are `rust_decimal::Decimal`, never floats. Stored amounts are integer
//! minor units of their currency (cents for USD, yen for JPY, fils for KWD), so
//! the conversion here must be exact or refuse.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An ISO 4217 currency with its minor-unit exponent.
///
/// The codes and exponents are ISO 4217's, from the `iso_currency` crate: the
/// one table of currency data in the workspace (the documents crate reads the
/// same one), so a code is never known with two different exponents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    exponent: u32,
}

impl Currency {
    /// Looks up a currency by its ISO 4217 code (case-insensitive).
    ///
    /// Codes that are not money an invoice can be paid in are unknown here:
    /// precious metals, testing and accounting units (no minor unit) and funds.
    /// Superseded codes (BGN, HRK) are still known, so invoices issued in them
    /// read back.
    pub fn from_code(code: &str) -> Option<Currency> {
        let iso = iso_currency::Currency::from_code(&code.trim().to_ascii_uppercase())?;
        if iso.is_special() || iso.is_fund() {
            return None;
        }
        Some(Currency {
            code: iso.code(),
            exponent: u32::from(iso.exponent()?),
        })
    }

    /// Looks up a currency entered in `field`, recording a refusal in `errs`
    /// when the code is unknown.
    pub fn from_field(
        errs: &mut crate::ValidationErrors,
        field: &str,
        code: &str,
    ) -> Option<Currency> {
        let found = Currency::from_code(code);
        if found.is_none() {
            errs.push(field, code, "is not a known ISO 4217 currency code");
        }
        found
    }

    /// The three-letter ISO code, e.g. `USD`.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The number of decimal places of the minor unit (USD 2, JPY 0, KWD 3).
    pub fn exponent(&self) -> u32 {
        self.exponent
    }

    /// Rounds an amount to this currency's minor unit with the given mode.
    pub fn round(&self, amount: Decimal, mode: RoundingMode) -> Decimal {
        amount.round_dp_with_strategy(self.exponent, mode.strategy())
    }

    /// Converts an amount to integer minor units; refuses amounts with more
    /// precision than the currency has, because silently rounding stored money
    /// would lose value.
    pub fn to_minor(&self, amount: Decimal) -> Result<i64, String> {
        let scaled = amount
            .checked_mul(Decimal::from(10i64.pow(self.exponent)))
            .ok_or_else(|| format!("{amount} {} is too large to store", self.code))?;
        if scaled.fract() != Decimal::ZERO {
            return Err(format!(
                "{amount} has more than {} decimal places for {}",
                self.exponent, self.code
            ));
        }
        i64::try_from(scaled.trunc())
            .map_err(|_| format!("{amount} {} is too large to store", self.code))
    }

    /// Converts integer minor units back to an amount.
    pub fn from_minor(&self, minor: i64) -> Decimal {
        Decimal::new(minor, self.exponent)
    }

    /// Half a minor unit, the largest error one rounding step may introduce.
    pub fn half_unit(&self) -> Decimal {
        Decimal::new(5, self.exponent + 1)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code)
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Currency::from_code(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown currency {code:?}")))
    }
}

/// How a midpoint is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RoundingMode {
    /// 0.005 → 0.01 and -0.005 → -0.01: the commercial default.
    #[default]
    HalfUp,
    /// 0.005 → 0.00, 0.015 → 0.02: banker's rounding, asked for by some tax authorities.
    HalfEven,
}

impl RoundingMode {
    fn strategy(self) -> RoundingStrategy {
        match self {
            RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        }
    }
}

/// Where rounding to the minor unit happens when totals are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RoundingScope {
    /// Every line's amounts are rounded, then summed.
    #[default]
    PerLine,
    /// Exact line amounts are summed per tax rate and rounded once.
    PerDocument,
}

/// The most digits a typed number may have before its decimal point: far above
/// any real invoice, and far below where `Decimal` arithmetic could overflow.
pub const MAX_INTEGER_DIGITS: usize = 15;

/// The most decimal places a typed number may have (prices such as 0.0125 per
/// API call need several; more is noise that only risks precision loss).
pub const MAX_DECIMAL_PLACES: usize = 10;

/// Parses a user-entered decimal ("1234.5", "-3", "0.0125"), refusing
/// thousands separators and exponents so nothing is guessed, and refusing
/// magnitudes and precision no invoice needs (see [`MAX_INTEGER_DIGITS`] and
/// [`MAX_DECIMAL_PLACES`]) so later arithmetic cannot overflow.
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("is required".into());
    }
    let ok = t
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')));
    if !ok || t.matches('.').count() > 1 {
        return Err("is not a number (use digits and a dot, e.g. 1234.50)".into());
    }
    let unsigned = t.trim_start_matches(['-', '+']);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if int.trim_start_matches('0').len() > MAX_INTEGER_DIGITS {
        return Err(format!(
            "is too large (at most {MAX_INTEGER_DIGITS} digits before the decimal point)"
        ));
    }
    if frac.len() > MAX_DECIMAL_PLACES {
        return Err(format!(
            "has too many decimal places (at most {MAX_DECIMAL_PLACES})"
        ));
    }
    t.parse::<Decimal>()
        .map_err(|_| "is not a number (use digits and a dot, e.g. 1234.50)".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn exponents_follow_iso_4217() {
        assert_eq!(Currency::from_code("usd").unwrap().exponent(), 2);
        assert_eq!(Currency::from_code("JPY").unwrap().exponent(), 0);
        assert_eq!(Currency::from_code("KWD").unwrap().exponent(), 3);
        assert_eq!(Currency::from_code(" bhd ").unwrap().code(), "BHD");
        // Every ISO 4217 currency is known, not a hand-picked list.
        assert_eq!(Currency::from_code("UGX").unwrap().exponent(), 0);
        assert_eq!(Currency::from_code("LYD").unwrap().exponent(), 3);
        assert!(Currency::from_code("XYZ").is_none());
        // Gold has no minor unit and a fund is not paid in: neither is money here.
        assert!(Currency::from_code("XAU").is_none());
        assert!(Currency::from_code("USN").is_none());
        // A superseded code still reads back (invoices were issued in it).
        assert_eq!(Currency::from_code("HRK").unwrap().exponent(), 2);
    }

    #[test]
    fn minor_units_round_trip_and_refuse_excess_precision() {
        let usd = Currency::from_code("USD").unwrap();
        assert_eq!(usd.to_minor(dec!(1234.56)).unwrap(), 123456);
        assert_eq!(usd.from_minor(123456), dec!(1234.56));
        assert!(usd.to_minor(dec!(0.001)).is_err());
        let kwd = Currency::from_code("KWD").unwrap();
        assert_eq!(kwd.to_minor(dec!(1.234)).unwrap(), 1234);
        let jpy = Currency::from_code("JPY").unwrap();
        assert!(jpy.to_minor(dec!(1.5)).is_err());
    }

    #[test]
    fn half_up_and_half_even_differ_on_midpoints() {
        let usd = Currency::from_code("USD").unwrap();
        assert_eq!(usd.round(dec!(0.125), RoundingMode::HalfUp), dec!(0.13));
        assert_eq!(usd.round(dec!(0.125), RoundingMode::HalfEven), dec!(0.12));
        assert_eq!(usd.round(dec!(-0.125), RoundingMode::HalfUp), dec!(-0.13));
    }

    #[test]
    fn parse_decimal_refuses_ambiguous_text() {
        assert_eq!(parse_decimal(" 12.50 ").unwrap(), dec!(12.50));
        assert!(parse_decimal("1,234.00").is_err());
        assert!(parse_decimal("1e3").is_err());
        assert!(parse_decimal("").is_err());
        assert!(parse_decimal("1.2.3").is_err());
    }

    #[test]
    fn parse_decimal_refuses_magnitudes_that_could_overflow() {
        let e = parse_decimal("79228162514264337593543950335").unwrap_err();
        assert!(e.contains("too large"), "{e}");
        assert!(parse_decimal("0.00000000001")
            .unwrap_err()
            .contains("decimal places"));
        assert_eq!(
            parse_decimal("000999999999999999").unwrap(),
            dec!(999999999999999)
        );
    }

    #[test]
    fn to_minor_refuses_instead_of_overflowing() {
        let usd = Currency::from_code("USD").unwrap();
        assert!(usd
            .to_minor(Decimal::MAX)
            .unwrap_err()
            .contains("too large"));
        assert!(usd.to_minor(dec!(1e17)).unwrap_err().contains("too large"));
    }
}
