//! What a check settles before any row is read: the encoding, delimiter,
//! mapping and styles the caller confirmed or the file makes certain, and
//! what is still open.

use crate::api::{BulkCheckInput, BulkColumn};
use crate::{ApiError, AppResult};
use invoicer_domain::bulk_mapping::{DateStyle, NumberStyle, TargetField};
use invoicer_import::{DateGuess, Encoding, NumberGuess};

/// What the caller settled, or what is still open.
pub(crate) struct Settled {
    pub(super) encoding: &'static Encoding,
    pub(super) encoding_certain: bool,
    pub(super) delimiter: char,
    pub(super) columns: Vec<BulkColumn>,
    pub(super) fields: Vec<Option<TargetField>>,
    pub(super) numbers: Option<NumberStyle>,
    pub(super) dates: Option<DateStyle>,
    pub(super) needs_confirmation: Vec<String>,
    pub(super) mapping_problems: Vec<String>,
}

/// Combines what the caller confirmed with what the file says for sure, and
/// lists what is still open.
pub(super) fn settle(
    input: &BulkCheckInput,
    sniffed: &invoicer_import::Sniffed,
) -> AppResult<Settled> {
    let mut needs = Vec::new();
    let (encoding, encoding_certain) = match input.encoding.as_deref().map(str::trim) {
        Some(label) if !label.is_empty() => (
            Encoding::for_label(label.as_bytes()).ok_or_else(|| {
                ApiError::field(
                    "encoding",
                    label,
                    "is not a known encoding (e.g. utf-8, windows-1252, utf-16le)",
                )
            })?,
            true,
        ),
        _ => {
            if sniffed.encoding.needs_confirmation() {
                needs.push("encoding".to_string());
            }
            (
                sniffed.encoding.encoding,
                !sniffed.encoding.needs_confirmation(),
            )
        }
    };
    let delimiter = match input.delimiter.as_deref() {
        Some("\\t") | Some("tab") => '\t',
        Some(d) if d.chars().count() == 1 => {
            let c = d.chars().next().unwrap_or(',');
            if !invoicer_import::DELIMITERS.contains(&c) {
                return Err(ApiError::field(
                    "delimiter",
                    d,
                    "must be a comma, a semicolon, a tab or |",
                ));
            }
            c
        }
        Some(d) if !d.is_empty() => {
            return Err(ApiError::field("delimiter", d, "must be one character"))
        }
        _ => sniffed.delimiter,
    };
    let columns: Vec<BulkColumn> = match &input.columns {
        Some(given) => given.clone(),
        None => sniffed
            .mapping
            .columns
            .iter()
            .map(|c| BulkColumn {
                header: c.header.clone(),
                field: c.field.map(|f| f.as_str().to_string()),
            })
            .collect(),
    };
    let mut fields = Vec::with_capacity(columns.len());
    for (i, c) in columns.iter().enumerate() {
        match c.field.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
            None => fields.push(None),
            Some(name) => fields.push(Some(TargetField::parse(name).ok_or_else(|| {
                ApiError::field(
                    &format!("columns[{i}].field"),
                    name,
                    "is not a field an import can fill",
                )
            })?)),
        }
    }
    let mut mapping_problems = Vec::new();
    for f in invoicer_domain::bulk_mapping::ALL_FIELDS {
        let claimed = fields.iter().filter(|x| **x == Some(f)).count();
        if claimed > 1 {
            mapping_problems.push(format!("{} is filled by {claimed} columns", f.as_str()));
        } else if claimed == 0 && f.is_required() {
            mapping_problems.push(format!("{} is not filled by any column", f.as_str()));
        }
    }
    if !mapping_problems.is_empty() || (input.columns.is_none() && !sniffed.mapping.is_complete()) {
        needs.push("mapping".to_string());
    }
    let numbers = match input.decimal_separator.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => {
            let decimal = d.chars().next().unwrap_or('.');
            let thousands = input
                .thousands_separator
                .as_deref()
                .and_then(|t| t.chars().next());
            Some(NumberStyle { decimal, thousands })
        }
        _ => match &sniffed.numbers {
            NumberGuess::Certain(style) => Some(*style),
            NumberGuess::NotNumbers => Some(NumberStyle::default()),
            NumberGuess::Ambiguous(_) => {
                needs.push("numbers".to_string());
                None
            }
        },
    };
    let dates = match input.date_style.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => Some(parse_date_style(name).ok_or_else(|| {
            ApiError::field(
                "date_style",
                name,
                "must be iso, day_month_year or month_day_year",
            )
        })?),
        _ => match &sniffed.dates {
            DateGuess::Certain(style) => Some(*style),
            DateGuess::NotDates => Some(DateStyle::Iso),
            DateGuess::Ambiguous => {
                needs.push("dates".to_string());
                None
            }
        },
    };
    Ok(Settled {
        encoding,
        encoding_certain,
        delimiter,
        columns,
        fields,
        numbers,
        dates,
        needs_confirmation: needs,
        mapping_problems,
    })
}

pub(super) fn delimiter_text(c: char) -> String {
    if c == '\t' {
        "\\t".into()
    } else {
        c.to_string()
    }
}

pub(super) fn date_style_name(d: DateStyle) -> &'static str {
    match d {
        DateStyle::Iso => "iso",
        DateStyle::DayMonthYear => "day_month_year",
        DateStyle::MonthDayYear => "month_day_year",
    }
}

fn parse_date_style(name: &str) -> Option<DateStyle> {
    match name {
        "iso" => Some(DateStyle::Iso),
        "day_month_year" | "dmy" => Some(DateStyle::DayMonthYear),
        "month_day_year" | "mdy" => Some(DateStyle::MonthDayYear),
        _ => None,
    }
}
