//! `invoicer bulk send FILE.csv --dry-run`: the check of a bulk file, with
//! the same report the desktop app shows. A row's number is its line in the
//! file (the header is line 1).

use crate::args::BulkCommand;
use crate::output::Output;
use invoicer_app::api::*;
use invoicer_app::{ApiError, AppResult, ErrorCode, Invoicer, Session};

/// Runs a `bulk` command.
pub fn run(app: &Invoicer, s: &Session, cmd: BulkCommand) -> AppResult<Output> {
    let BulkCommand::Send {
        file,
        dry_run,
        encoding,
        delimiter,
        map,
        decimal,
        thousands,
        dates,
        profile,
        save_profile,
    } = cmd;
    if !dry_run {
        return Err(ApiError::new(
            ErrorCode::InvalidState,
            "sending a bulk file arrives with the bulk job; check it with --dry-run",
        ));
    }
    let mut input = BulkCheckInput {
        path: file.display().to_string(),
        encoding,
        delimiter,
        columns: None,
        decimal_separator: decimal,
        thousands_separator: thousands,
        date_style: dates,
        profile,
        save_profile_as: None,
    };
    if !map.is_empty() {
        // Start from the file's own mapping and change the columns named.
        let mut columns = app.check_bulk_file(s, &input)?.columns;
        for m in &map {
            let (header, field) = m.split_once('=').ok_or_else(|| {
                ApiError::field(
                    "map",
                    m,
                    "must be HEADER=field (or HEADER= to leave it out)",
                )
            })?;
            let column = columns
                .iter_mut()
                .find(|c| c.header.trim() == header.trim())
                .ok_or_else(|| ApiError::field("map", header, "is not a column of the file"))?;
            column.field = Some(field.trim().to_string()).filter(|f| !f.is_empty());
        }
        input.columns = Some(columns);
    }
    input.save_profile_as = save_profile;
    Ok(Output::BulkCheck(Box::new(app.check_bulk_file(s, &input)?)))
}

/// The report for people.
pub fn report_text(r: &BulkCheckReport) -> String {
    let mut out = vec![format!(
        "{}{} ({}, delimiter {}, {})",
        r.file_name,
        r.profile
            .as_deref()
            .map(|p| format!(" with profile {p:?}"))
            .unwrap_or_default(),
        r.encoding,
        r.delimiter,
        if r.encoding_certain {
            "encoding certain"
        } else {
            "encoding guessed"
        }
    )];
    let mapping: Vec<String> = r
        .columns
        .iter()
        .map(|c| {
            format!(
                "  {} → {}",
                c.header,
                c.field.as_deref().unwrap_or("(left out)")
            )
        })
        .collect();
    if !r.needs_confirmation.is_empty() {
        out.push(format!(
            "to confirm first: {}",
            r.needs_confirmation.join(", ")
        ));
        out.push("mapping:".into());
        out.extend(mapping);
        out.extend(r.mapping_problems.iter().map(|p| format!("  ! {p}")));
        out.push(
            "confirm with --encoding, --map HEADER=field, --decimal/--thousands or --dates".into(),
        );
        return out.join("\n");
    }
    out.push(format!(
        "{} rows: {} invoices would be created ({} need approval, {} new customers), {} refused",
        r.rows, r.invoices, r.needs_approval, r.new_customers, r.refused_invoices
    ));
    for t in &r.totals {
        out.push(format!(
            "  {} {} in {} invoices",
            t.total, t.currency, t.invoices
        ));
    }
    for p in &r.problems {
        out.push(format!(
            "line {}{} ({}): {:?} {}",
            p.line,
            p.column
                .as_deref()
                .map(|c| format!(", column {c}"))
                .unwrap_or_default(),
            p.field,
            p.value,
            p.reason
        ));
    }
    out.push("dry run: nothing was written or sent".into());
    out.join("\n")
}
