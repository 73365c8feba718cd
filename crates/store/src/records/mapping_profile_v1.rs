//! Version 1 of a stored mapping profile: the JSON in
//! `mapping_profiles.record` and `bulk_jobs.profile`. Field names and the
//! spellings of target fields and date styles are fixed here, so renaming
//! anything in `invoicer_domain::bulk_mapping` cannot change what is stored.

use super::parse_versioned;
use crate::codec::corrupt;
use crate::StoreError;
use invoicer_domain::bulk_mapping::{
    ColumnMapping, DateStyle, MappingProfile, NumberStyle, TargetField,
};
use serde::{Deserialize, Serialize};

/// What `record_version` says for this shape.
pub(crate) const VERSION: u64 = 1;

/// The stored profile, version 1. Separators are one-character strings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct MappingProfileV1 {
    record_version: u64,
    name: String,
    encoding: String,
    delimiter: String,
    columns: Vec<ColumnMappingV1>,
    decimal_separator: String,
    thousands_separator: Option<String>,
    date_style: String,
}

/// One stored column mapping, version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ColumnMappingV1 {
    header: String,
    field: Option<String>,
}

impl From<&MappingProfile> for MappingProfileV1 {
    fn from(p: &MappingProfile) -> Self {
        MappingProfileV1 {
            record_version: VERSION,
            name: p.name.clone(),
            encoding: p.encoding.clone(),
            delimiter: p.delimiter.to_string(),
            columns: p
                .columns
                .iter()
                .map(|c| ColumnMappingV1 {
                    header: c.header.clone(),
                    field: c.field.map(|f| field_text(f).to_string()),
                })
                .collect(),
            decimal_separator: p.numbers.decimal.to_string(),
            thousands_separator: p.numbers.thousands.map(String::from),
            date_style: date_style_text(p.dates).to_string(),
        }
    }
}

impl TryFrom<MappingProfileV1> for MappingProfile {
    type Error = StoreError;

    fn try_from(r: MappingProfileV1) -> Result<Self, StoreError> {
        Ok(MappingProfile {
            delimiter: one_char("delimiter", &r.delimiter)?,
            columns: r
                .columns
                .into_iter()
                .map(|c| {
                    Ok(ColumnMapping {
                        field: c.field.as_deref().map(parse_field).transpose()?,
                        header: c.header,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            numbers: NumberStyle {
                decimal: one_char("decimal separator", &r.decimal_separator)?,
                thousands: r
                    .thousands_separator
                    .as_deref()
                    .map(|t| one_char("thousands separator", t))
                    .transpose()?,
            },
            dates: parse_date_style(&r.date_style)?,
            name: r.name,
            encoding: r.encoding,
        })
    }
}

pub(crate) fn one_char(what: &str, s: &str) -> Result<char, StoreError> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(corrupt(what, s)),
    }
}

/// The JSON stored for `profile`.
pub(crate) fn to_json(profile: &MappingProfile) -> Result<String, StoreError> {
    serde_json::to_string(&MappingProfileV1::from(profile))
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The profile a stored JSON document holds.
pub(crate) fn from_json(json: &str) -> Result<MappingProfile, StoreError> {
    let value = parse_versioned("mapping profile", json, VERSION)?;
    let record: MappingProfileV1 =
        serde_json::from_value(value).map_err(|_| corrupt("mapping profile", json))?;
    record.try_into()
}

pub(crate) fn date_style_text(d: DateStyle) -> &'static str {
    match d {
        DateStyle::Iso => "iso",
        DateStyle::DayMonthYear => "day_month_year",
        DateStyle::MonthDayYear => "month_day_year",
    }
}

pub(crate) fn parse_date_style(s: &str) -> Result<DateStyle, StoreError> {
    Ok(match s {
        "iso" => DateStyle::Iso,
        "day_month_year" => DateStyle::DayMonthYear,
        "month_day_year" => DateStyle::MonthDayYear,
        _ => return Err(corrupt("date style", s)),
    })
}

/// The stored text of a target field.
pub(crate) fn field_text(f: TargetField) -> &'static str {
    match f {
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

/// A target field from its stored text.
pub(crate) fn parse_field(s: &str) -> Result<TargetField, StoreError> {
    Ok(match s {
        "customer_name" => TargetField::CustomerName,
        "company" => TargetField::Company,
        "email" => TargetField::Email,
        "address_line1" => TargetField::AddressLine1,
        "address_line2" => TargetField::AddressLine2,
        "city" => TargetField::City,
        "region" => TargetField::Region,
        "postal_code" => TargetField::PostalCode,
        "country" => TargetField::Country,
        "tax_id" => TargetField::TaxId,
        "currency" => TargetField::Currency,
        "invoice_key" => TargetField::InvoiceKey,
        "issue_date" => TargetField::IssueDate,
        "terms" => TargetField::Terms,
        "description" => TargetField::Description,
        "quantity" => TargetField::Quantity,
        "unit_price" => TargetField::UnitPrice,
        "discount" => TargetField::Discount,
        "tax_rate" => TargetField::TaxRate,
        "tax_exemption" => TargetField::TaxExemption,
        "template" => TargetField::Template,
        "external_reference" => TargetField::ExternalReference,
        "po_number" => TargetField::PoNumber,
        _ => return Err(corrupt("target field", s)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use invoicer_domain::bulk_mapping::ALL_FIELDS;

    fn european() -> MappingProfile {
        MappingProfile {
            name: "Sage export".into(),
            encoding: "windows-1252".into(),
            delimiter: ';',
            columns: vec![
                ColumnMapping {
                    header: "Beleg-Nr.".into(),
                    field: Some(TargetField::InvoiceKey),
                },
                ColumnMapping {
                    header: "Einzelpreis".into(),
                    field: Some(TargetField::UnitPrice),
                },
                ColumnMapping {
                    header: "Notiz".into(),
                    field: None,
                },
            ],
            numbers: NumberStyle {
                decimal: ',',
                thousands: Some('.'),
            },
            dates: DateStyle::DayMonthYear,
        }
    }

    /// The stored JSON is pinned: renaming a field or variant of the domain
    /// types cannot change it.
    #[test]
    fn the_stored_json_is_the_golden_v1_text() {
        assert_eq!(
            to_json(&european()).unwrap(),
            r#"{"record_version":1,"name":"Sage export","encoding":"windows-1252","delimiter":";","columns":[{"header":"Beleg-Nr.","field":"invoice_key"},{"header":"Einzelpreis","field":"unit_price"},{"header":"Notiz","field":null}],"decimal_separator":",","thousands_separator":".","date_style":"day_month_year"}"#
        );
        assert_eq!(
            from_json(&to_json(&european()).unwrap()).unwrap(),
            european()
        );
    }

    #[test]
    fn every_field_and_tab_delimiter_round_trips() {
        let mut p = european();
        p.delimiter = '\t';
        p.numbers.thousands = Some('\u{a0}');
        p.dates = DateStyle::MonthDayYear;
        p.columns = ALL_FIELDS
            .iter()
            .map(|f| ColumnMapping {
                header: format!("h {}", f.as_str()),
                field: Some(*f),
            })
            .collect();
        assert_eq!(from_json(&to_json(&p).unwrap()).unwrap(), p);
        // The stored spelling happens to be the domain's today; the tables
        // above keep it so if the domain's ever changes.
        for f in ALL_FIELDS {
            assert_eq!(field_text(f), f.as_str());
        }
    }

    #[test]
    fn a_newer_or_broken_record_is_refused_as_corrupt() {
        let json = to_json(&european()).unwrap();
        let newer = json.replace(r#""record_version":1"#, r#""record_version":2"#);
        assert!(from_json(&newer)
            .unwrap_err()
            .to_string()
            .contains("record_version 2"));
        for broken in [
            json.replace(r#""delimiter":";""#, r#""delimiter":";;""#),
            json.replace("unit_price", "price_per_unit"),
            json.replace("day_month_year", "lunar"),
        ] {
            assert!(
                matches!(from_json(&broken), Err(StoreError::Corrupt(_))),
                "{broken}"
            );
        }
    }
}
