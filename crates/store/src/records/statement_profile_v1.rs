//! Version 1 of a stored bank statement profile: the JSON in
//! `statement_profiles.record`. Field names and the spellings of fields and
//! styles are fixed here, as for bulk mapping profiles.

use super::mapping_profile_v1::{date_style_text, one_char, parse_date_style};
use super::parse_versioned;
use crate::codec::corrupt;
use crate::StoreError;
use invoicer_domain::bulk_mapping::NumberStyle;
use invoicer_domain::statement_mapping::{StatementColumn, StatementField, StatementProfile};
use serde::{Deserialize, Serialize};

const VERSION: u64 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StatementProfileV1 {
    record_version: u64,
    name: String,
    encoding: String,
    delimiter: String,
    columns: Vec<ColumnV1>,
    decimal_separator: String,
    thousands_separator: Option<String>,
    date_style: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ColumnV1 {
    header: String,
    field: Option<String>,
}

fn field_text(f: StatementField) -> &'static str {
    match f {
        StatementField::Date => "date",
        StatementField::Amount => "amount",
        StatementField::Reference => "reference",
        StatementField::Counterparty => "counterparty",
        StatementField::Iban => "iban",
    }
}

fn parse_field(s: &str) -> Result<StatementField, StoreError> {
    Ok(match s {
        "date" => StatementField::Date,
        "amount" => StatementField::Amount,
        "reference" => StatementField::Reference,
        "counterparty" => StatementField::Counterparty,
        "iban" => StatementField::Iban,
        _ => return Err(corrupt("statement field", s)),
    })
}

/// The JSON stored for `profile`.
pub(crate) fn to_json(p: &StatementProfile) -> Result<String, StoreError> {
    let record = StatementProfileV1 {
        record_version: VERSION,
        name: p.name.clone(),
        encoding: p.encoding.clone(),
        delimiter: p.delimiter.to_string(),
        columns: p
            .columns
            .iter()
            .map(|c| ColumnV1 {
                header: c.header.clone(),
                field: c.field.map(|f| field_text(f).to_string()),
            })
            .collect(),
        decimal_separator: p.numbers.decimal.to_string(),
        thousands_separator: p.numbers.thousands.map(String::from),
        date_style: date_style_text(p.dates).to_string(),
    };
    serde_json::to_string(&record).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The profile a stored JSON document holds.
pub(crate) fn from_json(json: &str) -> Result<StatementProfile, StoreError> {
    let value = parse_versioned("statement profile", json, VERSION)?;
    let r: StatementProfileV1 =
        serde_json::from_value(value).map_err(|_| corrupt("statement profile", json))?;
    Ok(StatementProfile {
        delimiter: one_char("delimiter", &r.delimiter)?,
        columns: r
            .columns
            .into_iter()
            .map(|c| {
                Ok(StatementColumn {
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
