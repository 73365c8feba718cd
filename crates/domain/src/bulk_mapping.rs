//! The vocabulary of a bulk import: which invoice, customer or line field a
//! column of the user's file fills, how its numbers and dates are written,
//! and the named mapping profiles that remember it.
//!
//! Only the words live here; reading files is `invoicer-import`'s, storing
//! profiles the store's, so both speak the same types.

use serde::{Deserialize, Serialize};

/// A field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetField {
    /// The customer's contact or legal name.
    CustomerName,
    /// The customer's company.
    Company,
    /// The customer's billing email.
    Email,
    /// Street address, first line.
    AddressLine1,
    /// Street address, second line.
    AddressLine2,
    /// City.
    City,
    /// State, province or region code.
    Region,
    /// Postal code.
    PostalCode,
    /// ISO country code.
    Country,
    /// VAT or sales-tax id.
    TaxId,
    /// Invoice currency (ISO 4217).
    Currency,
    /// Rows sharing it become one invoice (e.g. a deal id).
    InvoiceKey,
    /// The invoice's issue date.
    IssueDate,
    /// Payment terms in days.
    Terms,
    /// A line's description.
    Description,
    /// A line's quantity.
    Quantity,
    /// A line's unit price.
    UnitPrice,
    /// A line's discount in percent.
    Discount,
    /// A line's tax rate in percent.
    TaxRate,
    /// A line's tax exemption reason.
    TaxExemption,
    /// The template to print with.
    Template,
    /// The customer's id in the source system.
    ExternalReference,
    /// The customer's purchase-order number.
    PoNumber,
}

/// Every field, in the order a mapping screen lists them.
pub const ALL_FIELDS: [TargetField; 23] = [
    TargetField::InvoiceKey,
    TargetField::CustomerName,
    TargetField::Company,
    TargetField::Email,
    TargetField::AddressLine1,
    TargetField::AddressLine2,
    TargetField::City,
    TargetField::Region,
    TargetField::PostalCode,
    TargetField::Country,
    TargetField::TaxId,
    TargetField::ExternalReference,
    TargetField::Currency,
    TargetField::IssueDate,
    TargetField::Terms,
    TargetField::PoNumber,
    TargetField::Template,
    TargetField::Description,
    TargetField::Quantity,
    TargetField::UnitPrice,
    TargetField::Discount,
    TargetField::TaxRate,
    TargetField::TaxExemption,
];

impl TargetField {
    /// The snake_case name (as in profiles and the IPC types).
    pub fn as_str(self) -> &'static str {
        match self {
            TargetField::CustomerName => "customer_name",
            TargetField::Company => "company",
            TargetField::Email => "email",
            TargetField::AddressLine1 => "address_line1",
            TargetField::AddressLine2 => "address_line2",
            TargetField::City => "city",
            TargetField::Region => "region",
            TargetField::PostalCode => "postal_code",
            TargetField::Country => "country",
            TargetField::TaxId => "tax_id",
            TargetField::Currency => "currency",
            TargetField::InvoiceKey => "invoice_key",
            TargetField::IssueDate => "issue_date",
            TargetField::Terms => "terms",
            TargetField::Description => "description",
            TargetField::Quantity => "quantity",
            TargetField::UnitPrice => "unit_price",
            TargetField::Discount => "discount",
            TargetField::TaxRate => "tax_rate",
            TargetField::TaxExemption => "tax_exemption",
            TargetField::Template => "template",
            TargetField::ExternalReference => "external_reference",
            TargetField::PoNumber => "po_number",
        }
    }

    /// Reads a snake_case name.
    pub fn parse(name: &str) -> Option<TargetField> {
        ALL_FIELDS.into_iter().find(|f| f.as_str() == name.trim())
    }

    /// Whether every import must map it: without these no invoice can be
    /// made (the customer is found by email, or created from the address).
    pub fn is_required(self) -> bool {
        matches!(
            self,
            TargetField::InvoiceKey
                | TargetField::CustomerName
                | TargetField::Email
                | TargetField::Description
                | TargetField::Quantity
                | TargetField::UnitPrice
        )
    }
}

/// How the numbers of a file are written: `1.249,50` is decimal `,` and
/// thousands `.`; `1,249.50` the other way round. A value that does not fit
/// is an error, never a different number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberStyle {
    /// The decimal separator: `.` or `,`.
    pub decimal: char,
    /// The thousands separator, if the file uses one: `,` `.` `'`, a space
    /// or a no-break space; never the decimal separator.
    pub thousands: Option<char>,
}

impl Default for NumberStyle {
    fn default() -> Self {
        NumberStyle {
            decimal: '.',
            thousands: None,
        }
    }
}

/// How the dates of a file are written, besides ISO `YYYY-MM-DD`, which is
/// always accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateStyle {
    /// ISO 8601 only: `2026-03-01`.
    Iso,
    /// Day, month, year: `01.03.2026`, `01/03/2026`, `1-3-2026`.
    DayMonthYear,
    /// Month, day, year: `03/01/2026`.
    MonthDayYear,
}

/// One column of the file and what it fills.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// The column's header as the file spells it.
    pub header: String,
    /// The field it fills; `None` leaves the column out.
    pub field: Option<TargetField>,
}

/// A saved mapping: how files of one source are read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingProfile {
    /// The profile's name, e.g. "HubSpot deals".
    pub name: String,
    /// The file's encoding, by its WHATWG label (e.g. `utf-8`, `windows-1252`).
    pub encoding: String,
    /// The field delimiter: `,` `;` tab or `|`.
    pub delimiter: char,
    /// Each column, in the file's order.
    pub columns: Vec<ColumnMapping>,
    /// How numbers are written.
    pub numbers: NumberStyle,
    /// How dates are written.
    pub dates: DateStyle,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_round_trip_and_the_required_ones_make_an_invoice() {
        for f in ALL_FIELDS {
            assert_eq!(TargetField::parse(f.as_str()), Some(f));
            assert_eq!(
                serde_json::to_value(f).unwrap(),
                serde_json::Value::String(f.as_str().into())
            );
        }
        let required: Vec<&str> = ALL_FIELDS
            .into_iter()
            .filter(|f| f.is_required())
            .map(TargetField::as_str)
            .collect();
        assert_eq!(
            required,
            [
                "invoice_key",
                "customer_name",
                "email",
                "description",
                "quantity",
                "unit_price"
            ]
        );
        assert_eq!(TargetField::parse("nonsense"), None);
    }
}
