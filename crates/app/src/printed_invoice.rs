//! Mapping a domain invoice to what the documents crate prints.
//!
//! Nothing is recalculated here: the document shows the stored amounts.

use invoicer_documents as doc;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::invoice::Invoice;
use invoicer_domain::Decimal;

/// What the documents print for an invoice. `number` is the number being issued (the
/// stored invoice has none yet inside the issuing transaction).
pub(crate) fn printed_invoice(
    inv: &Invoice,
    number: Option<&str>,
    company: &CompanySettings,
) -> doc::PrintedInvoice {
    let c = &inv.content;
    let cust = &c.customer;
    let city_line = city_line(
        &cust.country,
        &cust.city,
        cust.region.as_deref(),
        &cust.postal_code,
    );
    let number = number.map(str::to_string).or_else(|| inv.number.clone());
    doc::PrintedInvoice {
        company: doc::PrintedCompany {
            name: company.name.clone(),
            address_lines: company
                .address
                .as_deref()
                .map(|a| a.lines().map(str::to_string).collect())
                .unwrap_or_default(),
            country: company.country.clone(),
            email: company.email.clone().unwrap_or_default(),
            tax_id: company.tax_id.clone(),
        },
        customer: doc::PrintedCustomer {
            name: cust.name.clone(),
            company: cust.company.clone(),
            address_lines: vec![cust.address.clone(), city_line],
            country: cust.country.clone(),
            region: cust.region.clone(),
            tax_id: cust.tax_id.clone(),
            email: Some(cust.email.clone()),
        },
        // Printed at issue, when nothing is paid yet: the link asks for the
        // balance, which is then the total. Signing arrives with the payment
        // page's secret in the keychain (Jobs & Delivery).
        payment_link: number
            .as_deref()
            .and_then(|n| company.payment_link(n, inv.balance(), c.currency, None)),
        number,
        issue_date: c.issue_date,
        due_date: c.due_date(),
        terms_days: c.terms_days,
        currency: doc::PrintedCurrency {
            code: c.currency.code().to_string(),
            exponent: c.currency.exponent(),
        },
        lines: c
            .lines
            .iter()
            .zip(&inv.totals.lines)
            .map(|(l, a)| doc::PrintedLine {
                // An exempt line prints its reason under the description: the
                // law asks for it on the invoice itself (e.g. reverse charge).
                description: match &l.tax_exemption {
                    Some(reason) => format!("{}\n{reason}", l.description),
                    None => l.description.clone(),
                },
                quantity: l.quantity.normalize(),
                unit_price: l.unit_price,
                discount_percent: l.discount_percent.unwrap_or(Decimal::ZERO),
                tax_label: if l.tax_exemption.is_some() {
                    "0%".to_string()
                } else {
                    l.taxes
                        .iter()
                        .map(|t| format!("{}%", t.rate.normalize()))
                        .collect::<Vec<_>>()
                        .join(" + ")
                },
                net_amount: a.net,
            })
            .collect(),
        taxes: inv
            .totals
            .tax_breakdown
            .iter()
            .map(|t| doc::PrintedTax {
                name: t.name.clone(),
                rate_percent: t.rate,
                base: t.base,
                tax: t.tax,
            })
            .collect(),
        totals: doc::PrintedTotals {
            subtotal: inv.totals.subtotal,
            discount_total: inv.totals.discount_total,
            tax_total: inv.totals.tax_total,
            total: inv.totals.total,
            amount_paid: inv.amount_paid,
            balance_due: inv.balance(),
        },
        notes: c.notes.clone(),
        credit_note: None,
    }
}

/// The city line of a postal address in the customer's national convention:
/// `San Francisco, CA 94105` in North America and Australia, `SW1A 1AA`-style
/// postcodes after the city in the UK, `90-001 Łódź` in most of Europe.
fn city_line(country: &str, city: &str, region: Option<&str>, postal_code: &str) -> String {
    match (country, region) {
        ("US" | "CA" | "AU", Some(r)) => format!("{city}, {r} {postal_code}"),
        ("GB" | "IE", _) => format!("{city} {postal_code}"),
        (_, Some(r)) if !r.is_empty() => format!("{postal_code} {city}, {r}"),
        _ => format!("{postal_code} {city}"),
    }
}

#[cfg(test)]
mod tests {
    use super::city_line;

    #[test]
    fn address_lines_follow_national_conventions() {
        assert_eq!(
            city_line("US", "San Francisco", Some("CA"), "94105"),
            "San Francisco, CA 94105"
        );
        assert_eq!(city_line("PL", "Łódź", None, "90-001"), "90-001 Łódź");
        assert_eq!(
            city_line("GB", "London", None, "SW1A 1AA"),
            "London SW1A 1AA"
        );
    }
}
