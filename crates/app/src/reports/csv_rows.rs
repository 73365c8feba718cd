//! The reports as CSV: one header, then one record per table row, written
//! to the `csv::Writer` as it is produced (nothing is assembled into a
//! whole file first). Every cell goes through the import crate's
//! `neutralize_formula`, like every other CSV Invoicer writes, so a customer
//! named `=HYPERLINK(…)` opens in a spreadsheet as text.

use crate::api::{AgingReport, CollectionReport, DsoReport, ForecastReport, Report};
use crate::{ApiError, AppResult, ErrorCode};
use invoicer_import::neutralize_formula;
use std::io::Write;

/// Writes one record, each cell formula-neutralised.
pub(crate) fn write_row<W: Write, S: AsRef<str>>(
    w: &mut csv::Writer<W>,
    cells: &[S],
) -> AppResult<()> {
    w.write_record(
        cells
            .iter()
            .map(|c| neutralize_formula(c.as_ref()).into_owned()),
    )
    .map_err(|e| ApiError::new(ErrorCode::Internal, format!("cannot write the CSV: {e}")))
}

/// Writes `report`; answers the number of data rows.
pub(crate) fn write_report<W: Write>(report: &Report, w: &mut csv::Writer<W>) -> AppResult<u64> {
    match report {
        Report::Aging(r) => aging(r, w),
        Report::Collection(r) => collection(r, w),
        Report::Dso(r) => dso(r, w),
        Report::Forecast(r) => forecast(r, w),
        Report::Automation(r) => super::automation::write_automation_csv(r, w),
        Report::Exceptions(r) => super::exceptions::write_exceptions_csv(r, w),
    }
}

fn aging<W: Write>(r: &AgingReport, w: &mut csv::Writer<W>) -> AppResult<u64> {
    let mut header = vec![
        "as_of".to_string(),
        "customer_id".into(),
        "customer".into(),
        "currency".into(),
    ];
    header.extend(r.buckets.iter().map(|b| b.label.clone()));
    header.extend(["total".to_string(), "invoices".into()]);
    write_row(w, &header)?;
    let mut n = 0;
    for row in r.customers.iter().chain(r.totals.iter()) {
        let mut cells = vec![
            r.as_of.to_string(),
            row.customer_id.map(|id| id.to_string()).unwrap_or_default(),
            row.customer_name.clone().unwrap_or_else(|| "Total".into()),
            row.currency.clone(),
        ];
        cells.extend(row.buckets.iter().cloned());
        cells.extend([row.total.clone(), row.invoice_count.to_string()]);
        write_row(w, &cells)?;
        n += 1;
    }
    Ok(n)
}

fn collection<W: Write>(r: &CollectionReport, w: &mut csv::Writer<W>) -> AppResult<u64> {
    write_row(
        w,
        &[
            "period",
            "period_start",
            "period_end",
            "currency",
            "invoiced",
            "collected",
            "collection_rate_percent",
        ],
    )?;
    let mut n = 0;
    for p in &r.periods {
        write_row(
            w,
            &[
                p.label.clone(),
                p.period_start.to_string(),
                p.period_end.to_string(),
                p.currency.clone(),
                p.invoiced.clone(),
                p.collected.clone(),
                p.collection_rate.clone().unwrap_or_default(),
            ],
        )?;
        n += 1;
    }
    Ok(n)
}

fn dso<W: Write>(r: &DsoReport, w: &mut csv::Writer<W>) -> AppResult<u64> {
    write_row(
        w,
        &[
            "from",
            "to",
            "currency",
            "receivables",
            "credit_sales",
            "days",
            "dso",
        ],
    )?;
    let mut n = 0;
    for f in &r.figures {
        write_row(
            w,
            &[
                r.from.to_string(),
                r.to.to_string(),
                f.currency.clone(),
                f.receivables.clone(),
                f.credit_sales.clone(),
                f.days.to_string(),
                f.dso.clone().unwrap_or_default(),
            ],
        )?;
        n += 1;
    }
    Ok(n)
}

fn forecast<W: Write>(r: &ForecastReport, w: &mut csv::Writer<W>) -> AppResult<u64> {
    write_row(
        w,
        &[
            "week_start",
            "week_end",
            "currency",
            "expected",
            "from_overdue",
            "invoices",
        ],
    )?;
    let mut n = 0;
    for wk in &r.weeks {
        write_row(
            w,
            &[
                wk.week_start.to_string(),
                wk.week_end.to_string(),
                wk.currency.clone(),
                wk.expected.clone(),
                wk.from_overdue.clone(),
                wk.invoice_count.to_string(),
            ],
        )?;
        n += 1;
    }
    // What falls after the last week: "beyond" in place of its dates.
    for b in &r.beyond {
        write_row(
            w,
            &[
                "beyond".to_string(),
                String::new(),
                b.currency.clone(),
                b.amount.clone(),
                String::new(),
                b.count.to_string(),
            ],
        )?;
        n += 1;
    }
    Ok(n)
}
