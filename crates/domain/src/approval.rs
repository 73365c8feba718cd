//! Whether an invoice needs an approver: its total converted into the company
//! currency with an explicit, recorded exchange rate, compared with the threshold.
//!
//! The threshold is in the company currency, so comparing it with a total in
//! another currency would let 9,999.999 KWD (about 32,500 USD) through a
//! 10,000 USD threshold. Conversion uses only rates the company entered; an
//! invoice in a currency with no rate in force is refused rather than guessed.

use crate::approval_rules::{approval_refusal, ApprovalRules, Requirement};
use crate::money::Currency;
use crate::validation::ValidationErrors;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One exchange rate the company uses for approval thresholds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeRate {
    /// The foreign currency this rate converts from.
    pub currency: Currency,
    /// Units of the company currency for one unit of `currency`, e.g. 3.25 USD per KWD.
    pub rate: Decimal,
    /// The first calendar day the rate applies; it holds until a later rate starts.
    pub valid_from: NaiveDate,
}

/// How an invoice's total compares with the approval threshold, and the
/// figures that decided it (recorded in the audit event).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalDecision {
    /// Whether an approver must accept the invoice before it is issued.
    pub needs_approval: bool,
    /// The invoice total in its own currency.
    pub total: Decimal,
    /// The invoice currency.
    pub currency: Currency,
    /// The total in the company currency (equal to `total` when no conversion was needed).
    pub converted_total: Decimal,
    /// The company currency, which the threshold is in.
    pub company_currency: Currency,
    /// The rate used, `None` when the invoice is in the company currency.
    pub rate: Option<ExchangeRate>,
    /// The threshold: the first level's amount in the rules compared with.
    pub threshold: Decimal,
    /// How many distinct approvers the rules require, and which rule said
    /// so; `needs_approval` is `required.approvers > 0`.
    pub required: Requirement,
}

impl ApprovalDecision {
    /// The figures as JSON for audit events and error details.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "needs_approval": self.needs_approval,
            "total": self.total.to_string(),
            "currency": self.currency.code(),
            "converted_total": self.converted_total.to_string(),
            "company_currency": self.company_currency.code(),
            "exchange_rate": self.rate.as_ref().map(|r| r.rate.to_string()),
            "rate_valid_from": self.rate.as_ref().map(|r| r.valid_from.to_string()),
            "threshold": self.threshold.to_string(),
            "required": self.required,
        })
    }

    /// "9999.999 KWD = 32499.99675 USD at 3.25 (from 2026-01-01)", or just the total.
    pub fn describe(&self) -> String {
        match &self.rate {
            Some(r) => format!(
                "{} {} (= {} {} at {} {} per {} from {})",
                self.total,
                self.currency,
                self.converted_total,
                self.company_currency,
                r.rate,
                self.company_currency,
                self.currency,
                r.valid_from
            ),
            None => format!("{} {}", self.total, self.currency),
        }
    }
}

/// No exchange rate is in force for an invoice's currency on its issue date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingRate {
    /// The invoice currency.
    pub currency: Currency,
    /// The invoice's issue date.
    pub date: NaiveDate,
}

impl fmt::Display for MissingRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no exchange rate for {} on {}; add one in Settings → Exchange rates",
            self.currency, self.date
        )
    }
}

/// The rate in force for `currency` on `date`: the one with the latest
/// `valid_from` that is not after `date`.
pub fn rate_on(
    rates: &[ExchangeRate],
    currency: Currency,
    date: NaiveDate,
) -> Option<&ExchangeRate> {
    rates
        .iter()
        .filter(|r| r.currency == currency && r.valid_from <= date)
        .max_by_key(|r| r.valid_from)
}

/// Decides whether an invoice of `total` in `currency`, issued on `date`,
/// reaches `threshold` (in `company_currency`; zero means every invoice):
/// the rules from before levels existed, one approver from the threshold.
pub fn decide(
    total: Decimal,
    currency: Currency,
    date: NaiveDate,
    company_currency: Currency,
    threshold: Decimal,
    rates: &[ExchangeRate],
) -> Result<ApprovalDecision, MissingRate> {
    crate::approval_rules::decision(
        &ApprovalRules::from_threshold(threshold),
        &crate::approval_rules::InvoiceFacts {
            total,
            currency,
            date,
            customer_id: 0,
            template: None,
            source: crate::approval_rules::TriggerSource::Manual,
        },
        company_currency,
        rates,
    )
}

/// `total` in `currency` converted into `company_currency` with the rate in
/// force on `date`, and that rate (`None` when no conversion was needed).
pub(crate) fn convert(
    total: Decimal,
    currency: Currency,
    date: NaiveDate,
    company_currency: Currency,
    rates: &[ExchangeRate],
) -> Result<(Decimal, Option<ExchangeRate>), MissingRate> {
    if currency == company_currency {
        return Ok((total, None));
    }
    let r = rate_on(rates, currency, date).ok_or(MissingRate { currency, date })?;
    // Totals are bounded by minor units in an i64, so a checked multiply
    // only fails for absurd rates; treat that as "needs approval".
    let converted = total
        .checked_mul(r.rate)
        .unwrap_or(Decimal::MAX)
        .normalize();
    Ok((converted, Some(r.clone())))
}

/// Why `approver` may not decide on an invoice made by `created_by` and last
/// edited by `last_edited_by`, or `None` when they may. Four eyes means that
/// neither the maker nor whoever last changed the content approves it.
pub fn four_eyes_refusal(
    created_by: i64,
    last_edited_by: i64,
    approver: i64,
) -> Option<&'static str> {
    approval_refusal(created_by, last_edited_by, &[], approver)
}

/// Checks a rate table against the company currency, naming each bad row
/// as `exchange_rates[i].field`.
pub fn validate_rates(rates: &[ExchangeRate], company_currency: Currency) -> ValidationErrors {
    let mut errs = ValidationErrors::new();
    for (i, r) in rates.iter().enumerate() {
        if r.rate <= Decimal::ZERO {
            errs.push(
                format!("exchange_rates[{i}].rate"),
                r.rate.to_string(),
                "must be greater than zero",
            );
        }
        if r.currency == company_currency {
            errs.push(
                format!("exchange_rates[{i}].currency"),
                r.currency.code(),
                "is the company currency, which needs no rate",
            );
        }
        let dup = rates[..i]
            .iter()
            .any(|o| o.currency == r.currency && o.valid_from == r.valid_from);
        if dup {
            errs.push(
                format!("exchange_rates[{i}].valid_from"),
                r.valid_from.to_string(),
                format!("{} already has a rate from this day", r.currency),
            );
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn cur(c: &str) -> Currency {
        Currency::from_code(c).unwrap()
    }
    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn rate(c: &str, r: Decimal, from: &str) -> ExchangeRate {
        ExchangeRate {
            currency: cur(c),
            rate: r,
            valid_from: day(from),
        }
    }

    #[test]
    fn a_kwd_total_under_the_number_but_over_the_threshold_needs_approval() {
        let rates = [rate("KWD", dec!(3.25), "2026-01-01")];
        let d = decide(
            dec!(9999.999),
            cur("KWD"),
            day("2026-11-25"),
            cur("USD"),
            dec!(10000),
            &rates,
        )
        .unwrap();
        assert!(d.needs_approval);
        assert_eq!(d.converted_total, dec!(32499.99675));
        assert_eq!(d.rate.as_ref().unwrap().rate, dec!(3.25));
        assert_eq!(d.to_json()["exchange_rate"], "3.25");
    }

    #[test]
    fn the_rate_in_force_on_the_issue_date_is_used() {
        let rates = [
            rate("EUR", dec!(1.10), "2026-01-01"),
            rate("EUR", dec!(1.20), "2026-06-01"),
            rate("EUR", dec!(1.30), "2027-01-01"),
        ];
        let on = |d: &str| rate_on(&rates, cur("EUR"), day(d)).map(|r| r.rate);
        assert_eq!(on("2025-12-31"), None);
        assert_eq!(on("2026-01-01"), Some(dec!(1.10)));
        assert_eq!(on("2026-05-31"), Some(dec!(1.10)));
        assert_eq!(on("2026-06-01"), Some(dec!(1.20)));
        assert_eq!(on("2026-12-31"), Some(dec!(1.20)));
        // 9,000 EUR is 10,800 USD from June, so it needs approval then but not before.
        let d = |date: &str| {
            decide(
                dec!(9000),
                cur("EUR"),
                day(date),
                cur("USD"),
                dec!(10000),
                &rates,
            )
            .unwrap()
            .needs_approval
        };
        assert!(!d("2026-03-01"));
        assert!(d("2026-07-01"));
    }

    #[test]
    fn a_currency_without_a_rate_is_refused_with_a_clear_message() {
        let err = decide(
            dec!(5),
            cur("KWD"),
            day("2026-11-25"),
            cur("USD"),
            dec!(10000),
            &[],
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "no exchange rate for KWD on 2026-11-25; add one in Settings → Exchange rates"
        );
    }

    #[test]
    fn the_company_currency_needs_no_rate() {
        let d = decide(
            dec!(10000),
            cur("USD"),
            day("2026-11-25"),
            cur("USD"),
            dec!(10000),
            &[],
        )
        .unwrap();
        assert!(d.needs_approval);
        assert!(d.rate.is_none());
    }

    #[test]
    fn neither_the_maker_nor_the_last_editor_may_decide() {
        assert!(four_eyes_refusal(1, 1, 1).unwrap().contains("made"));
        assert!(four_eyes_refusal(1, 2, 2).unwrap().contains("last edited"));
        assert_eq!(four_eyes_refusal(1, 2, 3), None);
    }

    #[test]
    fn bad_rate_tables_name_the_row() {
        let rates = [
            rate("KWD", dec!(0), "2026-01-01"),
            rate("USD", dec!(1), "2026-01-01"),
            rate("EUR", dec!(1.1), "2026-01-01"),
            rate("EUR", dec!(1.2), "2026-01-01"),
        ];
        let fields: Vec<String> = validate_rates(&rates, cur("USD"))
            .errors
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "exchange_rates[0].rate",
                "exchange_rates[1].currency",
                "exchange_rates[3].valid_from"
            ]
        );
    }
}
