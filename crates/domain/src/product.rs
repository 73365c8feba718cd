//! Products: the catalogue lines are picked from, so rates come from one
//! place instead of being typed again on every invoice.

use crate::money::{parse_decimal, Currency};
use crate::validation::ValidationErrors;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A catalogue entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    /// Stored id.
    pub id: i64,
    /// Short name for pickers, e.g. `Managed support (50 seats)`.
    pub name: String,
    /// The line description printed on invoices.
    pub description: String,
    /// Price of one unit.
    pub unit_price: Decimal,
    /// The price's currency.
    pub currency: Currency,
    /// The tax rate lines of this product use, if not the customer's regional rate.
    pub tax_rate_id: Option<i64>,
}

/// A product as entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductInput {
    /// Name.
    pub name: String,
    /// Description; the name when empty.
    pub description: String,
    /// Unit price text.
    pub unit_price: String,
    /// Currency code.
    pub currency: String,
    /// Tax rate id.
    pub tax_rate_id: Option<i64>,
}

impl ProductInput {
    /// Checks every field, naming each bad one.
    pub fn validate(&self, id: i64) -> Result<Product, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let name = self.name.trim();
        if name.is_empty() {
            errs.push("name", "", "is required");
        } else {
            crate::validation::check_printed(&mut errs, "name", name, 120, false);
        }
        crate::validation::check_printed(
            &mut errs,
            "description",
            self.description.trim(),
            crate::line::MAX_DESCRIPTION,
            false,
        );
        let unit_price = match parse_decimal(&self.unit_price) {
            Ok(p) if p < Decimal::ZERO => {
                errs.push("unit_price", &self.unit_price, "must not be negative");
                None
            }
            Ok(p) if p > crate::line::MAX_UNIT_PRICE => {
                errs.push(
                    "unit_price",
                    &self.unit_price,
                    format!("is too large (at most {})", crate::line::MAX_UNIT_PRICE),
                );
                None
            }
            Ok(p) => Some(p),
            Err(m) => {
                errs.push("unit_price", &self.unit_price, m);
                None
            }
        };
        let currency = Currency::from_field(&mut errs, "currency", &self.currency);
        errs.into_result()?;
        let description = match self.description.trim() {
            "" => name.to_string(),
            d => d.to_string(),
        };
        match (unit_price, currency) {
            (Some(unit_price), Some(currency)) => Ok(Product {
                id,
                name: name.to_string(),
                description,
                unit_price,
                currency,
                tax_rate_id: self.tax_rate_id,
            }),
            _ => Err(ValidationErrors::single(
                "unit_price",
                &self.unit_price,
                "is required",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_are_checked_field_by_field() {
        let bad = ProductInput {
            name: " ".into(),
            description: String::new(),
            unit_price: "-1".into(),
            currency: "XYZ".into(),
            tax_rate_id: None,
        };
        let fields: Vec<_> = bad
            .validate(0)
            .unwrap_err()
            .errors
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["name", "unit_price", "currency"]);
        let ok = ProductInput {
            name: "Consulting hours".into(),
            description: String::new(),
            unit_price: "150.00".into(),
            currency: "usd".into(),
            tax_rate_id: None,
        }
        .validate(0)
        .unwrap();
        assert_eq!(ok.description, "Consulting hours");
        assert_eq!(ok.currency.code(), "USD");
    }
}
