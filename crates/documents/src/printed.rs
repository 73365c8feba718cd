//! The invoice as a document sees it: every fact the PDF, the emails and the templates
//! print, already computed.
//!
//! This is deliberately not the domain's invoice type. The documents crate does not
//! depend on `invoicer-domain`; the application maps an issued (or draft) invoice into
//! a [`PrintedInvoice`], which keeps typesetting free of business rules: nothing here is
//! recalculated, only formatted.

mod sample;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Everything needed to typeset one invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrintedInvoice {
    /// The issuing company.
    pub company: PrintedCompany,
    /// The customer being billed.
    pub customer: PrintedCustomer,
    /// The gapless invoice number; `None` for drafts, which print "DRAFT" instead.
    pub number: Option<String>,
    /// The day the invoice was issued.
    pub issue_date: NaiveDate,
    /// The day payment is due.
    pub due_date: NaiveDate,
    /// Payment terms in days (30 for "Net 30", 0 for "due on receipt").
    pub terms_days: u32,
    /// The invoice's currency.
    pub currency: PrintedCurrency,
    /// The billed lines, in order.
    pub lines: Vec<PrintedLine>,
    /// Tax per rate, in the order they should be listed.
    pub taxes: Vec<PrintedTax>,
    /// The invoice totals.
    pub totals: PrintedTotals,
    /// Where the customer can pay online, if anywhere.
    pub payment_link: Option<String>,
    /// Free text the issuer added to this invoice.
    pub notes: Option<String>,
    /// Set when the document is a credit note: it is printed as one (its
    /// title, number caption, the invoice it credits and no amount due),
    /// `number` is the credit note's and the lines and totals are what it
    /// credits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_note: Option<PrintedCreditNote>,
}

/// What a credit note says about the invoice it corrects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrintedCreditNote {
    /// The credited invoice's number.
    pub invoice_number: String,
    /// The credited invoice's issue date.
    pub invoice_date: NaiveDate,
    /// Why the invoice is corrected.
    pub reason: String,
}

/// The issuing company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrintedCompany {
    /// Legal name.
    pub name: String,
    /// Postal address, one entry per printed line.
    pub address_lines: Vec<String>,
    /// ISO 3166-1 alpha-2 country code of the registered office, e.g. `DE`.
    pub country: String,
    /// Contact email address.
    pub email: String,
    /// VAT or other tax identification number.
    pub tax_id: Option<String>,
}

/// The customer being billed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrintedCustomer {
    /// The contact person's (or sole trader's) name.
    pub name: String,
    /// The customer's company, when billing a business.
    pub company: Option<String>,
    /// Postal address, one entry per printed line (country included if it should print).
    pub address_lines: Vec<String>,
    /// ISO 3166-1 alpha-2 country code, e.g. `DE`, `US`.
    pub country: String,
    /// ISO 3166-2 subdivision code without the country prefix, e.g. `CA` for California.
    pub region: Option<String>,
    /// The customer's VAT or tax identification number.
    pub tax_id: Option<String>,
    /// Where invoices and reminders are sent.
    pub email: Option<String>,
}

/// An ISO 4217 currency and its number of minor-unit digits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintedCurrency {
    /// ISO 4217 code, e.g. `EUR`.
    pub code: String,
    /// Number of fraction digits: 2 for EUR, 0 for JPY, 3 for KWD.
    pub exponent: u32,
}

/// One billed line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrintedLine {
    /// What was sold; may be long, the PDF wraps it.
    pub description: String,
    /// How many units.
    pub quantity: Decimal,
    /// Price of one unit before discount.
    pub unit_price: Decimal,
    /// Line discount in percent (`10` = 10 %), zero when none.
    pub discount_percent: Decimal,
    /// Short label of the line's tax rate, e.g. `19 %` or `CA 7.25%`.
    pub tax_label: String,
    /// Line amount after discount, before tax.
    pub net_amount: Decimal,
}

/// The tax charged at one rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrintedTax {
    /// Name of the tax, e.g. `VAT` or `USt.`.
    pub name: String,
    /// Rate in percent (`19` = 19 %).
    pub rate_percent: Decimal,
    /// Net amount taxed at this rate.
    pub base: Decimal,
    /// Tax charged at this rate.
    pub tax: Decimal,
}

/// The invoice totals.
///
/// `total = subtotal - discount_total + tax_total` and
/// `balance_due = total - amount_paid`; the domain guarantees this, the PDF only prints it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrintedTotals {
    /// Sum of quantity × unit price before discounts.
    pub subtotal: Decimal,
    /// Sum of all line discounts (a positive number).
    pub discount_total: Decimal,
    /// Sum of all taxes.
    pub tax_total: Decimal,
    /// What the invoice is for.
    pub total: Decimal,
    /// Payments already received.
    pub amount_paid: Decimal,
    /// What is still owed.
    pub balance_due: Decimal,
}

impl PrintedInvoice {
    /// Whether this is a draft (no number assigned yet).
    pub fn is_draft(&self) -> bool {
        self.number.is_none()
    }
}
