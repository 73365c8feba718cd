//! Payments against an invoice.

use crate::money::Currency;
use crate::validation::ValidationErrors;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How the money came (or went back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PaymentMethod {
    /// A bank or wire transfer; the usual way invoices are paid.
    #[default]
    BankTransfer,
    /// A card payment.
    Card,
    /// Cash.
    Cash,
    /// A cheque.
    Cheque,
    /// Anything else (also payments recorded before the method was kept).
    Other,
}

impl PaymentMethod {
    /// Every method, in the order pickers show them.
    pub const ALL: [PaymentMethod; 5] = [
        PaymentMethod::BankTransfer,
        PaymentMethod::Card,
        PaymentMethod::Cash,
        PaymentMethod::Cheque,
        PaymentMethod::Other,
    ];

    /// The stored and typed name (`bank_transfer`, `card`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::BankTransfer => "bank_transfer",
            PaymentMethod::Card => "card",
            PaymentMethod::Cash => "cash",
            PaymentMethod::Cheque => "cheque",
            PaymentMethod::Other => "other",
        }
    }

    /// Reads a method name; `-` and `_` are the same so that the CLI may
    /// take `bank-transfer`.
    pub fn parse(text: &str) -> Result<PaymentMethod, ValidationErrors> {
        let norm = text.trim().to_ascii_lowercase().replace('-', "_");
        PaymentMethod::ALL
            .into_iter()
            .find(|m| m.as_str() == norm)
            .ok_or_else(|| {
                ValidationErrors::single(
                    "method",
                    text,
                    "must be one of bank_transfer, card, cash, cheque, other",
                )
            })
    }
}

/// A recorded payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// Stored id.
    pub id: i64,
    /// The invoice paid.
    pub invoice_id: i64,
    /// The amount, in the invoice currency.
    pub amount: Decimal,
    /// The day the money arrived.
    pub date: NaiveDate,
    /// How it was paid.
    pub method: PaymentMethod,
    /// Bank or processor reference.
    pub reference: Option<String>,
    /// Who recorded it (user id).
    pub recorded_by: i64,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// Checks a payment against the invoice's balance and returns whether it
/// settles the invoice.
///
/// Overpayments are refused rather than kept as credit: a credit balance needs
/// a refund or credit-note workflow of its own, and silently accepting more
/// than is owed would hide a data-entry error (a typo of one extra digit).
pub fn check_payment(
    amount: Decimal,
    balance: Decimal,
    currency: Currency,
) -> Result<bool, ValidationErrors> {
    if amount <= Decimal::ZERO {
        return Err(ValidationErrors::single(
            "amount",
            amount.to_string(),
            "must be greater than zero",
        ));
    }
    if currency.to_minor(amount).is_err() {
        return Err(ValidationErrors::single(
            "amount",
            amount.to_string(),
            format!(
                "has more than {} decimal places for {}",
                currency.exponent(),
                currency.code()
            ),
        ));
    }
    if amount > balance {
        return Err(ValidationErrors::single(
            "amount",
            amount.to_string(),
            format!(
                "is more than the balance of {balance} {}; overpayments are not accepted",
                currency.code()
            ),
        ));
    }
    Ok(amount == balance)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn payments_are_checked_against_the_balance() {
        let usd = Currency::from_code("USD").unwrap();
        assert!(!check_payment(dec!(500), dec!(1672.45), usd).unwrap());
        assert!(check_payment(dec!(1672.45), dec!(1672.45), usd).unwrap());
        let over = check_payment(dec!(1672.46), dec!(1672.45), usd).unwrap_err();
        assert!(over.errors[0].message.contains("more than the balance"));
        assert!(check_payment(dec!(0), dec!(10), usd).is_err());
        assert!(check_payment(dec!(1.001), dec!(10), usd).is_err());
    }

    #[test]
    fn methods_read_back_from_their_names() {
        for m in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::parse(m.as_str()).unwrap(), m);
        }
        assert_eq!(
            PaymentMethod::parse("Bank-Transfer").unwrap(),
            PaymentMethod::BankTransfer
        );
        let err = PaymentMethod::parse("bitcoin").unwrap_err();
        assert_eq!(err.errors[0].field, "method");
    }
}
