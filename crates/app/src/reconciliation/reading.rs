//! Reading a statement file into lines with the bulk import's machinery:
//! sniffing, the streaming reader, `parse_number` and `parse_date`. A row
//! that cannot be read is reported with its line, field and reason; the
//! rows after it are read all the same.

use crate::api::{StatementColumnView, StatementImportInput, StatementRowError};
use crate::{ApiError, AppResult};
use invoicer_domain::bulk_mapping::{DateStyle, NumberStyle};
use invoicer_domain::reconciliation::StatementLine;
use invoicer_domain::statement_mapping::{
    auto_map_statement, StatementColumn, StatementField, StatementProfile,
};
use invoicer_import::{
    guess_date_style, guess_number_style, parse_date, parse_number, sniff, DateGuess, NumberGuess,
    ReadOptions, Rows, SNIFF_LEN,
};

/// One row of the file: a line, or why it could not be read.
pub(crate) type ReadRow = (u64, Result<StatementLine, StatementRowError>);

/// The profile to read `bytes` with: the saved one when named, else the
/// sniffed file with the input's overrides.
pub(crate) fn settle_profile(
    input: &StatementImportInput,
    bytes: &[u8],
    saved: Option<StatementProfile>,
) -> AppResult<Settled> {
    let settled = settle_unchecked(input, bytes, saved)?;
    check_mapping(settled.profile.clone())?;
    Ok(settled)
}

/// A profile to read the file with, and whether its encoding is only
/// chardetng's guess (no byte-order mark, not valid UTF-8, not confirmed):
/// such a file is not imported until a person confirms the encoding, so no
/// text is ever read wrongly without anyone seeing it.
#[derive(Debug, Clone)]
pub(crate) struct Settled {
    pub(crate) profile: StatementProfile,
    pub(crate) encoding_guessed: bool,
}

/// The profile as settled, required fields possibly unmapped (what the
/// mapping step shows before a person completes it).
pub(crate) fn settle_unchecked(
    input: &StatementImportInput,
    bytes: &[u8],
    saved: Option<StatementProfile>,
) -> AppResult<Settled> {
    if let Some(profile) = saved {
        return Ok(Settled {
            profile,
            encoding_guessed: false,
        });
    }
    let confirmed = match input.encoding.as_deref().filter(|e| !e.trim().is_empty()) {
        None => None,
        Some(label) => Some(
            invoicer_import::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
                ApiError::field(
                    "encoding",
                    label,
                    "is not a known encoding (e.g. utf-8, windows-1252, utf-16le)",
                )
            })?,
        ),
    };
    let prefix = &bytes[..bytes.len().min(SNIFF_LEN)];
    let mut sniffed =
        sniff(prefix).map_err(|e| ApiError::field("path", &input.path, &e.to_string()))?;
    if let Some(encoding) = confirmed {
        // The headers and preview are read again in the confirmed encoding.
        let options = ReadOptions {
            encoding,
            delimiter: sniffed.delimiter,
        };
        let rows = Rows::new(prefix, &options)
            .map_err(|e| ApiError::field("path", &input.path, &e.to_string()))?;
        sniffed.headers = rows.headers().to_vec();
        sniffed.preview = rows.take(invoicer_import::PREVIEW_ROWS).collect();
        sniffed.encoding.encoding = encoding;
    }
    let encoding_guessed = confirmed.is_none() && sniffed.encoding.needs_confirmation();
    let columns = match &input.columns {
        // The columns given are matched to the file's headers by name; a
        // header not given is left out, a name the file lacks is refused.
        Some(cols) => {
            for c in cols {
                if !sniffed.headers.contains(&c.header) {
                    return Err(ApiError::field(
                        "columns",
                        &c.header,
                        &format!(
                            "is not a header of the file ({})",
                            sniffed.headers.join(", ")
                        ),
                    ));
                }
            }
            sniffed
                .headers
                .iter()
                .map(|h| {
                    let given = cols.iter().find(|c| &c.header == h);
                    let field = match given.and_then(|c| c.field.as_deref()).filter(|f| !f.trim().is_empty()) {
                        None => None,
                        Some(f) => Some(StatementField::parse(f).ok_or_else(|| {
                            ApiError::field(
                                &format!("columns.{h}"),
                                f,
                                "is not a statement field (date, amount, reference, counterparty, iban)",
                            )
                        })?),
                    };
                    Ok(StatementColumn {
                        header: h.clone(),
                        field,
                    })
                })
                .collect::<AppResult<Vec<_>>>()?
        }
        None => auto_map_statement(&sniffed.headers),
    };
    let column_values = |field: StatementField| -> Vec<&str> {
        let Some(i) = columns.iter().position(|c| c.field == Some(field)) else {
            return Vec::new();
        };
        sniffed
            .preview
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .filter_map(|r| r.fields.get(i).map(String::as_str))
            .collect()
    };
    let numbers = match input.decimal.as_deref() {
        Some(",") => NumberStyle {
            decimal: ',',
            thousands: Some('.'),
        },
        Some(".") => NumberStyle {
            decimal: '.',
            thousands: Some(','),
        },
        Some(other) => return Err(ApiError::field("decimal", other, "must be \".\" or \",\"")),
        // Values no style reads (a row's typo) are left out of the guess, as
        // bulk send's sniffer does; the full read reports them.
        None => match guess_number_style(
            column_values(StatementField::Amount)
                .into_iter()
                .filter(|v| guess_number_style([*v]) != NumberGuess::NotNumbers),
        ) {
            NumberGuess::Certain(s) => s,
            _ => NumberStyle::default(),
        },
    };
    let dates = match input.dates.as_deref() {
        Some("iso") => DateStyle::Iso,
        Some("day_month_year") => DateStyle::DayMonthYear,
        Some("month_day_year") => DateStyle::MonthDayYear,
        Some(other) => {
            return Err(ApiError::field(
                "dates",
                other,
                "must be iso, day_month_year or month_day_year",
            ))
        }
        None => match guess_date_style(
            column_values(StatementField::Date)
                .into_iter()
                .filter(|v| guess_date_style([*v]) != DateGuess::NotDates),
        ) {
            DateGuess::Certain(s) => s,
            DateGuess::Ambiguous => {
                return Err(ApiError::field(
                    "dates",
                    "",
                    "cannot be told from the file (every day is 12 or less): choose day_month_year or month_day_year",
                ))
            }
            DateGuess::NotDates => DateStyle::Iso,
        },
    };
    Ok(Settled {
        profile: StatementProfile {
            name: input.save_profile.clone().unwrap_or_default(),
            encoding: sniffed.encoding.encoding.name().to_lowercase(),
            delimiter: sniffed.delimiter,
            columns,
            numbers,
            dates,
        },
        encoding_guessed,
    })
}

fn check_mapping(p: StatementProfile) -> AppResult<StatementProfile> {
    let missing = p.missing_fields();
    if missing.is_empty() {
        return Ok(p);
    }
    let headers: Vec<&str> = p.columns.iter().map(|c| c.header.as_str()).collect();
    Err(ApiError::field(
        "columns",
        &headers.join(", "),
        &format!(
            "map a column to {} (no header was recognised for it)",
            missing
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ))
}

/// The mapping as the API shows it.
pub(crate) fn column_views(p: &StatementProfile) -> Vec<StatementColumnView> {
    p.columns
        .iter()
        .map(|c| StatementColumnView {
            header: c.header.clone(),
            field: c.field.map(|f| f.as_str().to_string()),
        })
        .collect()
}

/// Every row of the file, read with `profile`.
pub(crate) fn read_rows(
    path: &str,
    bytes: &[u8],
    profile: &StatementProfile,
) -> AppResult<Vec<ReadRow>> {
    let encoding = invoicer_import::Encoding::for_label(profile.encoding.as_bytes())
        .ok_or_else(|| ApiError::field("encoding", &profile.encoding, "is not a known encoding"))?;
    let options = ReadOptions {
        encoding,
        delimiter: profile.delimiter,
    };
    let rows =
        Rows::new(bytes, &options).map_err(|e| ApiError::field("path", path, &e.to_string()))?;
    if rows.headers().len() != profile.columns.len() {
        return Err(ApiError::field(
            "profile",
            &profile.name,
            &format!(
                "has {} columns but the file has {} ({})",
                profile.columns.len(),
                rows.headers().len(),
                rows.headers().join(", ")
            ),
        ));
    }
    let at = |f| profile.column_of(f);
    let (date_at, amount_at, reference_at) = match (
        at(StatementField::Date),
        at(StatementField::Amount),
        at(StatementField::Reference),
    ) {
        (Some(d), Some(a), Some(r)) => (d, a, r),
        _ => {
            return Err(check_mapping(profile.clone()).err().unwrap_or_else(|| {
                ApiError::field("columns", "", "map date, amount and reference")
            }))
        }
    };
    let counterparty_at = at(StatementField::Counterparty);
    let iban_at = at(StatementField::Iban);
    let mut out = Vec::new();
    for row in rows {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                out.push((
                    e.line(),
                    Err(StatementRowError {
                        field: "row".into(),
                        value: String::new(),
                        reason: e.to_string(),
                    }),
                ));
                continue;
            }
        };
        let cell = |i: usize| row.fields.get(i).map(|s| s.trim()).unwrap_or("");
        let optional = |i: Option<usize>| i.map(cell).filter(|s| !s.is_empty()).map(str::to_string);
        let err = |field: &str, value: &str, reason: String| StatementRowError {
            field: field.into(),
            value: value.into(),
            reason,
        };
        let line = parse_date(cell(date_at), profile.dates)
            .map_err(|e| err("date", cell(date_at), e.reason))
            .and_then(|date| {
                parse_number(cell(amount_at), profile.numbers)
                    .map_err(|e| err("amount", cell(amount_at), e.reason))
                    .map(|amount| StatementLine {
                        date,
                        amount,
                        reference: cell(reference_at).to_string(),
                        counterparty: optional(counterparty_at),
                        iban: optional(iban_at),
                    })
            });
        out.push((row.line, line));
    }
    Ok(out)
}
