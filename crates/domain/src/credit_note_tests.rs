use super::*;
use crate::customer::Customer;
use crate::invoice::InvoiceContent;
use crate::line::LineItem;
use crate::money::RoundingScope;
use crate::tax::TaxRate;
use chrono::TimeZone;
use rust_decimal_macros::dec;

fn line(
    description: &str,
    quantity: Decimal,
    price: Decimal,
    discount: Option<Decimal>,
) -> LineItem {
    LineItem {
        description: description.into(),
        quantity,
        unit_price: price,
        discount_percent: discount,
        taxes: vec![TaxRate {
            id: None,
            country: "US".into(),
            region: Some("CA".into()),
            name: "CA sales tax".into(),
            rate: dec!(8.25),
            inclusive: false,
            compound: false,
            position: 0,
            automatic: true,
            valid_from: None,
            valid_to: None,
        }],
        tax_exemption: None,
        proration: None,
    }
}

/// The Foundation scenario: 10 × 150.00 and 1 × 49.99 less 10 %, 8.25 % tax:
/// total 1672.45 of which tax 127.46 (lines 1623.75 and 48.70).
fn invoice() -> Invoice {
    let content = InvoiceContent {
        customer: Customer {
            id: 1,
            name: "Ada".into(),
            company: None,
            email: "ada@example.com".into(),
            address: "1 Main St".into(),
            city: "San Francisco".into(),
            region: Some("CA".into()),
            postal_code: "94105".into(),
            country: "US".into(),
            tax_id: None,
            currency: None,
            template: None,
            cc: Vec::new(),
            bcc: Vec::new(),
            external_ref: None,
        },
        currency: Currency::from_code("USD").unwrap(),
        issue_date: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
        terms_days: 30,
        notes: None,
        lines: vec![
            line("Consulting", dec!(10), dec!(150.00), None),
            line("Hosting", dec!(1), dec!(49.99), Some(dec!(10))),
        ],
    };
    let totals = content.totals(RoundingScope::PerLine, RoundingMode::HalfUp);
    Invoice {
        id: 7,
        number: Some("INV-2026-00001".into()),
        status: InvoiceStatus::Issued,
        content,
        rounding_scope: RoundingScope::PerLine,
        rounding_mode: RoundingMode::HalfUp,
        totals,
        amount_paid: Decimal::ZERO,
        amount_credited: Decimal::ZERO,
        created_by: 1,
        last_edited_by: 1,
        created_at: Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap(),
        issued_at: None,
        void_reason: None,
        disputed_on: None,
        template: None,
        pdf_sha256: None,
    }
}

#[test]
fn the_foundation_invoice_is_what_the_tests_assume() {
    let inv = invoice();
    assert_eq!(inv.totals.total, dec!(1672.45));
    assert_eq!(inv.totals.tax_total, dec!(127.46));
}

#[test]
fn an_amount_credit_splits_the_tax_in_proportion_rounded_to_the_cent() {
    let inv = invoice();
    // 100 × 127.46 / 1672.45 = 7.6212… → 7.62; the net is what is left.
    let a = credit_amounts(&inv, &CreditScope::Amount(dec!(100)), &[]).unwrap();
    assert_eq!(
        (a.net, a.tax, a.total),
        (dec!(92.38), dec!(7.62), dec!(100))
    );
    // 0.05 × 127.46 / 1672.45 = 0.00381… → 0.00: a tiny credit carries no tax.
    let a = credit_amounts(&inv, &CreditScope::Amount(dec!(0.05)), &[]).unwrap();
    assert_eq!((a.net, a.tax), (dec!(0.05), dec!(0.00)));
}

#[test]
fn a_line_credit_takes_the_line_wholly_or_in_proportion_to_its_quantity() {
    let inv = invoice();
    let whole = credit_amounts(
        &inv,
        &CreditScope::Lines(vec![LineCredit {
            line: 2,
            quantity: None,
        }]),
        &[],
    )
    .unwrap();
    assert_eq!(
        (whole.net, whole.tax, whole.total),
        (dec!(44.99), dec!(3.71), dec!(48.70))
    );
    // 3 of 10 hours: 1623.75 × 0.3 = 487.125 → 487.13 and 123.75 × 0.3 =
    // 37.125 → 37.13 (half up), net 450.00.
    let part = credit_amounts(
        &inv,
        &CreditScope::Lines(vec![LineCredit {
            line: 1,
            quantity: Some(dec!(3)),
        }]),
        &[],
    )
    .unwrap();
    assert_eq!(
        (part.net, part.tax, part.total),
        (dec!(450.00), dec!(37.13), dec!(487.13))
    );
    assert_eq!(part.lines[0].description, "Consulting");
}

#[test]
fn a_credit_above_what_is_left_is_refused_with_the_figures() {
    let mut inv = invoice();
    inv.amount_credited = dec!(1600);
    let err = credit_amounts(&inv, &CreditScope::Amount(dec!(100)), &[]).unwrap_err();
    assert_eq!(err.errors[0].field, "amount");
    assert!(
        err.errors[0]
            .message
            .contains("more than the 72.45 USD left"),
        "{}",
        err.errors[0].message
    );
    let full = credit_amounts(&inv, &CreditScope::Full, &[]).unwrap();
    assert_eq!(full.total, dec!(72.45));
    let bad = credit_amounts(
        &inv,
        &CreditScope::Lines(vec![LineCredit {
            line: 3,
            quantity: None,
        }]),
        &[],
    )
    .unwrap_err();
    assert_eq!(bad.errors[0].field, "lines[0]");
    let too_many = credit_amounts(
        &invoice(),
        &CreditScope::Lines(vec![LineCredit {
            line: 1,
            quantity: Some(dec!(11)),
        }]),
        &[],
    )
    .unwrap_err();
    assert_eq!(too_many.errors[0].field, "lines[0].quantity");
}

#[test]
fn the_balance_and_status_count_payments_refunds_and_credit_notes() {
    let mut inv = invoice();
    inv.amount_paid = dec!(500);
    assert_eq!(settlement_status(&inv), InvoiceStatus::PartiallyPaid);
    inv.amount_credited = dec!(1172.45);
    assert_eq!(inv.balance(), dec!(0));
    assert_eq!(settlement_status(&inv), InvoiceStatus::Paid);
    // Credited beyond what was left unpaid: the customer is owed 100.
    inv.amount_credited = dec!(1272.45);
    assert_eq!(inv.balance(), dec!(-100));
    assert!(check_refund(dec!(100), inv.amount_paid, inv.content.currency).is_ok());
    assert!(check_refund(dec!(500.01), inv.amount_paid, inv.content.currency).is_err());
    inv.amount_paid = Decimal::ZERO;
    inv.amount_credited = dec!(100);
    assert_eq!(settlement_status(&inv), InvoiceStatus::Issued);
}

#[test]
fn a_line_credited_in_parts_never_credits_more_units_than_invoiced_and_adds_up() {
    let inv = invoice();
    let third = |earlier: &[CreditAmounts]| {
        credit_amounts(
            &inv,
            &CreditScope::Lines(vec![LineCredit {
                line: 1,
                quantity: Some(dec!(3)),
            }]),
            earlier,
        )
    };
    let a = third(&[]).unwrap();
    let b = third(std::slice::from_ref(&a)).unwrap();
    let c = third(&[a.clone(), b.clone()]).unwrap();
    let err = third(&[a.clone(), b.clone(), c.clone()]).unwrap_err();
    assert!(
        err.errors[0]
            .message
            .contains("at most the 1 of 10 not credited yet"),
        "{}",
        err.errors[0].message
    );
    // The last hour (no quantity: what is left) makes the line exact.
    let rest = credit_amounts(
        &inv,
        &CreditScope::Lines(vec![LineCredit {
            line: 1,
            quantity: None,
        }]),
        &[a.clone(), b.clone(), c.clone()],
    )
    .unwrap();
    assert_eq!(rest.lines[0].quantity, dec!(1));
    let total: Decimal = [&a, &b, &c, &rest].iter().map(|x| x.total).sum();
    let tax: Decimal = [&a, &b, &c, &rest].iter().map(|x| x.tax).sum();
    assert_eq!((total, tax), (dec!(1623.75), dec!(123.75)));
}
