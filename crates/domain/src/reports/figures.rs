//! Rates, averages and DSO, exact: integers in, `Decimal` out, rounded half
//! away from zero to one decimal (the precision the reports print).

use rust_decimal::{Decimal, RoundingStrategy};

/// `value` to one decimal, half away from zero, and written with exactly
/// one ("45.0", not "45").
fn one_decimal(value: Decimal) -> Decimal {
    let mut v = value.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    v.rescale(1);
    v
}

/// `part` ÷ `whole` in percent, one decimal; `None` when `whole` is zero
/// (nothing to measure against is not "0 %").
pub fn percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    let p = part.checked_mul(Decimal::ONE_HUNDRED)?;
    Some(one_decimal(p.checked_div(whole)?))
}

/// The average of `count` values summing to `sum`, one decimal; `None`
/// without values.
pub fn average(sum: i64, count: u64) -> Option<Decimal> {
    if count == 0 {
        return None;
    }
    Some(one_decimal(
        Decimal::from(sum).checked_div(Decimal::from(count))?,
    ))
}

/// The average of `count` values summing to `sum`, rounded to a whole number
/// (half away from zero); 0 without values. The forecast shifts due dates
/// by whole days.
pub fn whole_average(sum: i64, count: u64) -> i64 {
    if count == 0 {
        return 0;
    }
    Decimal::from(sum)
        .checked_div(Decimal::from(count))
        .map(|a| a.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
        .and_then(|a| i64::try_from(a).ok())
        .unwrap_or(0)
}

/// The formula [`dso`] computes, in words, for people.
pub const DSO_FORMULA: &str = "DSO = receivables open at the end of the period ÷ credit sales \
     in the period (invoices issued, less their credit notes) × days in the period";

/// Days sales outstanding: `receivables` ÷ `credit_sales` × `days`, one
/// decimal; `None` without sales in the period. Both amounts in one
/// currency.
pub fn dso(receivables: Decimal, credit_sales: Decimal, days: u32) -> Option<Decimal> {
    if credit_sales <= Decimal::ZERO {
        return None;
    }
    let r = receivables.checked_mul(Decimal::from(days))?;
    Some(one_decimal(r.checked_div(credit_sales)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn percent_is_exact_and_rounds_half_away_from_zero() {
        assert_eq!(percent(dec("1"), dec("8")), Some(dec("12.5")));
        assert_eq!(percent(dec("2.00"), dec("3.00")), Some(dec("66.7")));
        assert_eq!(percent(dec("1"), dec("16")), Some(dec("6.3")));
        assert_eq!(percent(dec("-1"), dec("16")), Some(dec("-6.3")));
        assert_eq!(percent(dec("5"), dec("0.00")), None);
    }

    #[test]
    fn averages_round_to_one_decimal_or_a_whole_day() {
        assert_eq!(average(10, 4), Some(dec("2.5")));
        assert_eq!(average(-7, 2), Some(dec("-3.5")));
        assert_eq!(average(0, 0), None);
        assert_eq!(whole_average(10, 4), 3);
        assert_eq!(whole_average(-7, 2), -4);
        assert_eq!(whole_average(9, 0), 0);
    }

    #[test]
    fn dso_is_receivables_over_sales_times_days() {
        // 4,500.00 open, 9,000.00 sold over 90 days: 45 days.
        assert_eq!(dso(dec("4500.00"), dec("9000.00"), 90), Some(dec("45")));
        assert_eq!(dso(dec("1.00"), dec("3.00"), 30), Some(dec("10")));
        assert_eq!(dso(dec("0.01"), dec("0.03"), 1), Some(dec("0.3")));
        assert_eq!(dso(dec("5.00"), dec("0"), 90), None);
        assert_eq!(
            dso(dec("4500.00"), dec("9000.00"), 90).unwrap().to_string(),
            "45.0"
        );
    }
}
