//! Invoice lines: quantity × unit price, discount, proration and the tax rate.

use crate::money::parse_decimal;
use crate::tax::TaxRate;
use crate::validation::{check_printed, ValidationErrors};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A partial billing period: the line is charged for `billed_from..=billed_to`
/// out of the full `period_start..=period_end` (e.g. an upgrade mid-month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proration {
    /// First day of the full service period.
    pub period_start: NaiveDate,
    /// Last day of the full service period.
    pub period_end: NaiveDate,
    /// First day actually billed.
    pub billed_from: NaiveDate,
    /// Last day actually billed.
    pub billed_to: NaiveDate,
}

impl Proration {
    /// The share of the period billed: billed days ÷ period days, both inclusive.
    pub fn factor(&self) -> Decimal {
        let period = (self.period_end - self.period_start).num_days() + 1;
        let billed = (self.billed_to - self.billed_from).num_days() + 1;
        Decimal::from(billed) / Decimal::from(period)
    }

    /// Checks that the billed days lie inside the period.
    pub fn validate(&self) -> ValidationErrors {
        let mut errs = ValidationErrors::new();
        if self.period_end < self.period_start {
            errs.push(
                "proration.period_end",
                self.period_end.to_string(),
                "must not be before the period start",
            );
        }
        if self.billed_to < self.billed_from {
            errs.push(
                "proration.billed_to",
                self.billed_to.to_string(),
                "must not be before the billed-from date",
            );
        }
        if self.billed_from < self.period_start || self.billed_to > self.period_end {
            errs.push(
                "proration.billed_from",
                self.billed_from.to_string(),
                "the billed days must lie inside the service period",
            );
        }
        errs
    }
}

/// One line of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineItem {
    /// What was sold, as the customer will read it.
    pub description: String,
    /// How many units; may be fractional (hours, usage).
    pub quantity: Decimal,
    /// Price of one unit in the invoice currency; may have more decimals than the
    /// currency (e.g. 0.0125 per API call).
    pub unit_price: Decimal,
    /// Discount in percent (0–100), if any.
    pub discount_percent: Option<Decimal>,
    /// The tax rates resolved for this line, in group order; all of them apply
    /// (Quebec: GST then QST). Empty when the line is untaxed or exempt.
    pub taxes: Vec<TaxRate>,
    /// Why the line carries no tax, printed on the invoice (e.g. "Reverse
    /// charge — Article 196 VAT Directive"); `None` unless the line is exempt.
    pub tax_exemption: Option<String>,
    /// The partial period billed, if the line is prorated.
    pub proration: Option<Proration>,
}

/// The largest quantity a line may have.
pub const MAX_QUANTITY: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// The largest unit price a line may have (10^12 in any currency).
pub const MAX_UNIT_PRICE: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// The most characters of a line description (it wraps inside the table).
pub const MAX_DESCRIPTION: usize = 500;

/// The most characters of a tax exemption reason.
pub const MAX_EXEMPTION_REASON: usize = 200;

/// A line as typed by a user or read from a CSV row: all text, not yet checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineText {
    /// Description text.
    pub description: String,
    /// Quantity text.
    pub quantity: String,
    /// Unit price text.
    pub unit_price: String,
    /// Discount percent text; empty for none.
    pub discount_percent: String,
}

impl LineText {
    /// Parses and checks the line, naming each bad field. The tax rate and
    /// proration are attached by the caller.
    pub fn parse(&self) -> Result<LineItem, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let description = self.description.trim().to_string();
        if description.is_empty() {
            errs.push("description", "", "is required");
        } else {
            check_printed(
                &mut errs,
                "description",
                &description,
                MAX_DESCRIPTION,
                false,
            );
        }
        let quantity = match parse_decimal(&self.quantity) {
            Ok(q) if q <= Decimal::ZERO => {
                errs.push("quantity", &self.quantity, "must be greater than zero");
                None
            }
            Ok(q) if q > MAX_QUANTITY => {
                errs.push(
                    "quantity",
                    &self.quantity,
                    format!("is too large (at most {MAX_QUANTITY})"),
                );
                None
            }
            Ok(q) => Some(q),
            Err(m) => {
                errs.push("quantity", &self.quantity, m);
                None
            }
        };
        let unit_price = match parse_decimal(&self.unit_price) {
            Ok(p) if p < Decimal::ZERO => {
                errs.push(
                    "unit_price",
                    &self.unit_price,
                    "must not be negative (issue a credit note for refunds)",
                );
                None
            }
            Ok(p) if p > MAX_UNIT_PRICE => {
                errs.push(
                    "unit_price",
                    &self.unit_price,
                    format!("is too large (at most {MAX_UNIT_PRICE})"),
                );
                None
            }
            Ok(p) => Some(p),
            Err(m) => {
                errs.push("unit_price", &self.unit_price, m);
                None
            }
        };
        let discount_percent = if self.discount_percent.trim().is_empty() {
            None
        } else {
            match parse_decimal(&self.discount_percent) {
                Ok(d) if d < Decimal::ZERO || d > Decimal::ONE_HUNDRED => {
                    errs.push(
                        "discount_percent",
                        &self.discount_percent,
                        "must be between 0 and 100",
                    );
                    None
                }
                Ok(d) => Some(d),
                Err(m) => {
                    errs.push("discount_percent", &self.discount_percent, m);
                    None
                }
            }
        };
        match (quantity, unit_price, errs.is_empty()) {
            (Some(quantity), Some(unit_price), true) => Ok(LineItem {
                description,
                quantity,
                unit_price,
                discount_percent,
                taxes: Vec::new(),
                tax_exemption: None,
                proration: None,
            }),
            _ => Err(errs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn each_bad_field_is_named_with_its_value() {
        let err = LineText {
            description: " ".into(),
            quantity: "-3".into(),
            unit_price: "abc".into(),
            discount_percent: "120".into(),
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["description", "quantity", "unit_price", "discount_percent"]
        );
        assert_eq!(err.errors[1].value, "-3");
    }

    #[test]
    fn magnitudes_and_control_characters_are_refused_by_field() {
        let err = LineText {
            description: "bell\u{7}".into(),
            quantity: "1000000001".into(),
            unit_price: "1000000000000.01".into(),
            discount_percent: String::new(),
        }
        .parse()
        .unwrap_err();
        let fields: Vec<_> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["description", "quantity", "unit_price"]);
        assert!(err.errors[1].message.contains("too large"));
        assert_eq!(MAX_UNIT_PRICE, dec!(1000000000000));
        let ok = LineText {
            description: "Max".into(),
            quantity: "1000000000".into(),
            unit_price: "1000000000000".into(),
            discount_percent: String::new(),
        };
        assert!(ok.parse().is_ok());
    }

    #[test]
    fn proration_factor_counts_inclusive_days() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let p = Proration {
            period_start: d(11, 1),
            period_end: d(11, 30),
            billed_from: d(11, 16),
            billed_to: d(11, 30),
        };
        assert_eq!(p.factor(), dec!(0.5));
        assert!(p.validate().is_empty());
        let bad = Proration {
            billed_from: d(10, 20),
            ..p
        };
        assert_eq!(bad.validate().errors[0].field, "proration.billed_from");
    }
}
