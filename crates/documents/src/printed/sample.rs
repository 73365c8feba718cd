//! Realistic example invoices for template validation, previews and benchmarks.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use super::{
    PrintedCompany, PrintedCurrency, PrintedCustomer, PrintedInvoice, PrintedLine, PrintedTax,
    PrintedTotals,
};

/// A line before its amounts are worked out: description, quantity, unit price,
/// discount percent and tax rate percent, all in hundredths.
struct SampleLine {
    description: &'static str,
    quantity: i64,
    unit_price_cents: i64,
    discount_percent: i64,
    tax_percent: i64,
}

const SAMPLE_LINES: [SampleLine; 4] = [
    SampleLine {
        description: "Software development, sprint 42: payment API, webhook retries and \
                      reconciliation report (hours)",
        quantity: 40,
        unit_price_cents: 9_500,
        discount_percent: 0,
        tax_percent: 19,
    },
    SampleLine {
        description: "UX workshop on site in Łódź, two days including preparation and a \
                      written summary of the results",
        quantity: 2,
        unit_price_cents: 120_000,
        discount_percent: 10,
        tax_percent: 19,
    },
    SampleLine {
        description: "Hosting and monitoring, November 2026",
        quantity: 1,
        unit_price_cents: 24_900,
        discount_percent: 0,
        tax_percent: 19,
    },
    SampleLine {
        description: "Handbook \"Clean Architecture\", print edition",
        quantity: 3,
        unit_price_cents: 3_990,
        discount_percent: 0,
        tax_percent: 7,
    },
];

/// Extra line texts used to grow an invoice to any length for previews and benchmarks.
const FILLER_DESCRIPTIONS: [&str; 4] = [
    "Support retainer, priority queue (hours)",
    "Licence: analytics dashboard, 10 seats",
    "Travel expenses Berlin–München, Straße & Bahn",
    "Data migration from the legacy ERP system",
];

/// The long line text of [`PrintedInvoice::sample_with_lines`], which wraps over lines.
const LONG_DESCRIPTION: &str = "Code review and pair programming with the in-house team, \
     including written recommendations for the deployment pipeline and the on-call rotation";

impl PrintedInvoice {
    /// A realistic four-line invoice in euros from a Berlin company to a customer with a
    /// Polish/German name, two VAT rates, a discount, a partial payment, a payment link
    /// and notes. Template validation renders every block against it, and the UI uses
    /// it to preview templates.
    pub fn sample() -> PrintedInvoice {
        let lines = SAMPLE_LINES
            .iter()
            .map(|l| {
                (
                    l.description.to_string(),
                    Decimal::from(l.quantity),
                    Decimal::new(l.unit_price_cents, 2),
                    Decimal::from(l.discount_percent),
                    Decimal::from(l.tax_percent),
                )
            })
            .collect();
        build(lines, Decimal::new(100_000, 2))
    }

    /// The sample invoice grown to `count` lines (at least one), for previews of long
    /// invoices and for benchmarks. Every tenth added line has a long description so
    /// wrapping is exercised.
    pub fn sample_with_lines(count: usize) -> PrintedInvoice {
        let count = count.max(1);
        let lines = (0..count)
            .map(|i| {
                if let Some(l) = SAMPLE_LINES.get(i) {
                    return (
                        l.description.to_string(),
                        Decimal::from(l.quantity),
                        Decimal::new(l.unit_price_cents, 2),
                        Decimal::from(l.discount_percent),
                        Decimal::from(l.tax_percent),
                    );
                }
                let text = if i % 10 == 5 {
                    LONG_DESCRIPTION
                } else {
                    FILLER_DESCRIPTIONS[i % FILLER_DESCRIPTIONS.len()]
                };
                let quantity = Decimal::from(1 + (i as i64 % 7));
                let price = Decimal::new(2_500 + (i as i64 * 731) % 50_000, 2);
                let tax = if i % 9 == 0 { 7 } else { 19 };
                (
                    format!("{text} (item {})", i + 1),
                    quantity,
                    price,
                    Decimal::ZERO,
                    Decimal::from(tax),
                )
            })
            .collect();
        build(lines, Decimal::ZERO)
    }

    /// Variations of the sample used to validate templates: besides [`PrintedInvoice::sample`]
    /// they cover the branches templates usually have (a draft without payment link or
    /// notes, a Californian customer billed in dollars, an EU business customer under
    /// reverse charge), so a typo hidden in an `{% if %}` is still found.
    pub(crate) fn validation_samples() -> Vec<PrintedInvoice> {
        let mut draft = PrintedInvoice::sample();
        draft.number = None;
        draft.payment_link = None;
        draft.notes = None;
        draft.totals.amount_paid = Decimal::ZERO;
        draft.totals.balance_due = draft.totals.total;

        let mut california = PrintedInvoice::sample();
        california.currency = PrintedCurrency {
            code: "USD".into(),
            exponent: 2,
        };
        california.customer = PrintedCustomer {
            name: "Dana Whitfield".into(),
            company: None,
            address_lines: vec![
                "1450 Mission Street".into(),
                "San Francisco, CA 94103".into(),
                "United States".into(),
            ],
            country: "US".into(),
            region: Some("CA".into()),
            tax_id: None,
            email: Some("dana@whitfield.example".into()),
        };

        let mut reverse_charge = PrintedInvoice::sample();
        reverse_charge.customer = PrintedCustomer {
            name: "Tomasz Wiśniewski".into(),
            company: Some("Wiśniewski Logistyka Sp. z o.o.".into()),
            address_lines: vec![
                "ul. Piotrkowska 104".into(),
                "90-926 Łódź".into(),
                "Poland".into(),
            ],
            country: "PL".into(),
            region: None,
            tax_id: Some("PL7251801126".into()),
            email: Some("faktury@wisniewski.example".into()),
        };

        vec![PrintedInvoice::sample(), draft, california, reverse_charge]
    }
}

type RawLine = (String, Decimal, Decimal, Decimal, Decimal);

/// Works the sample's amounts out the way an invoice would: per line, rounded half-up
/// to cents, tax per rate on the summed net amounts.
fn build(raw: Vec<RawLine>, amount_paid: Decimal) -> PrintedInvoice {
    let cents = |d: Decimal| d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let hundred = Decimal::from(100);
    let mut subtotal = Decimal::ZERO;
    let mut discount_total = Decimal::ZERO;
    let mut bases: BTreeMap<Decimal, Decimal> = BTreeMap::new();
    let mut lines = Vec::with_capacity(raw.len());
    for (description, quantity, unit_price, discount_percent, tax_percent) in raw {
        let gross = cents(quantity * unit_price);
        let discount = cents(gross * discount_percent / hundred);
        let net = gross - discount;
        subtotal += gross;
        discount_total += discount;
        *bases.entry(tax_percent).or_default() += net;
        lines.push(PrintedLine {
            description,
            quantity,
            unit_price,
            discount_percent,
            tax_label: format!("{tax_percent} %"),
            net_amount: net,
        });
    }
    // Higher rates first, as German invoices usually list them.
    let taxes: Vec<PrintedTax> = bases
        .into_iter()
        .rev()
        .map(|(rate, base)| PrintedTax {
            name: "VAT".into(),
            rate_percent: rate,
            base,
            tax: cents(base * rate / hundred),
        })
        .collect();
    let tax_total: Decimal = taxes.iter().map(|t| t.tax).sum();
    let total = subtotal - discount_total + tax_total;
    let issue_date = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default();
    let due_date = issue_date
        .checked_add_days(Days::new(30))
        .unwrap_or(issue_date);
    PrintedInvoice {
        company: PrintedCompany {
            name: "Nordlicht Software GmbH".into(),
            address_lines: vec![
                "Friedrichstraße 123".into(),
                "10117 Berlin".into(),
                "Germany".into(),
            ],
            country: "DE".into(),
            email: "billing@nordlicht.example".into(),
            tax_id: Some("DE123456789".into()),
        },
        customer: PrintedCustomer {
            name: "Zofia Wiśniewska-Müller".into(),
            company: Some("Müller & Söhne Maschinenbau GmbH".into()),
            address_lines: vec![
                "Königstraße 5".into(),
                "70173 Stuttgart".into(),
                "Germany".into(),
            ],
            country: "DE".into(),
            region: Some("BW".into()),
            tax_id: Some("DE987654321".into()),
            email: Some("buchhaltung@mueller-soehne.example".into()),
        },
        number: Some("INV-2026-0042".into()),
        issue_date,
        due_date,
        terms_days: 30,
        currency: PrintedCurrency {
            code: "EUR".into(),
            exponent: 2,
        },
        lines,
        taxes,
        totals: PrintedTotals {
            subtotal,
            discount_total,
            tax_total,
            total,
            amount_paid,
            balance_due: total - amount_paid,
        },
        payment_link: Some("https://pay.nordlicht.example/i/INV-2026-0042".into()),
        notes: Some(
            "Purchase order PO-7781. Please quote the invoice number with your payment.".into(),
        ),
        credit_note: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_totals_add_up() {
        let v = PrintedInvoice::sample();
        assert_eq!(v.lines.len(), 4);
        let net: Decimal = v.lines.iter().map(|l| l.net_amount).sum();
        assert_eq!(net, v.totals.subtotal - v.totals.discount_total);
        assert_eq!(v.totals.total, net + v.totals.tax_total);
        assert_eq!(v.totals.total.to_string(), "7516.79");
        assert_eq!(v.totals.balance_due.to_string(), "6516.79");
    }

    #[test]
    fn long_sample_has_the_requested_lines() {
        assert_eq!(PrintedInvoice::sample_with_lines(200).lines.len(), 200);
        assert_eq!(PrintedInvoice::sample_with_lines(0).lines.len(), 1);
    }
}
