//! `invoicer report aging|collection|dso|automation|forecast|exceptions` and
//! `invoicer dashboard`: the same use cases as the Reports screen and the
//! dashboard. Text tables by default, the `Report` JSON with `--json`, CSV
//! streamed to stdout with `--csv`.

use crate::output::Output;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use invoicer_app::api::*;
use invoicer_app::{ApiError, AppResult, Invoicer, Session};

/// Which report.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportKind {
    /// Open balances by days past due.
    Aging,
    /// Invoiced vs collected per period, days to pay, DSO.
    Collection,
    /// Days sales outstanding.
    Dso,
    /// How the automation performs.
    Automation,
    /// Expected receipts per week.
    Forecast,
    /// What needs a person.
    Exceptions,
}

/// Period lengths, as typed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PeriodArg {
    /// Monday to Sunday.
    Week,
    /// Calendar months.
    Month,
    /// Calendar quarters.
    Quarter,
}

/// `invoicer report …`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Which report.
    pub kind: ReportKind,
    /// The day it is computed as of (default: today).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// First day of the range.
    #[arg(long, value_name = "DATE")]
    pub from: Option<NaiveDate>,
    /// Last day of the range.
    #[arg(long, value_name = "DATE")]
    pub to: Option<NaiveDate>,
    /// Only this customer (id).
    #[arg(long, value_name = "ID")]
    pub customer: Option<i64>,
    /// Only this currency.
    #[arg(long)]
    pub currency: Option<String>,
    /// Only invoices printed with this template.
    #[arg(long)]
    pub template: Option<String>,
    /// Only invoices made this way (manual, bulk, recurring, api, threshold).
    #[arg(long)]
    pub source: Option<String>,
    /// Aging: bucket bounds in days past due (default: the company's, 30,60,90).
    #[arg(long, value_delimiter = ',', value_name = "DAYS")]
    pub buckets: Option<Vec<u32>>,
    /// Collection: period length.
    #[arg(long, value_enum, default_value = "month")]
    pub period: PeriodArg,
    /// Forecast: how many weeks (default 13).
    #[arg(long)]
    pub weeks: Option<u32>,
    /// Automation: "paid within N days after a reminder step" (default 7).
    #[arg(long, value_name = "N")]
    pub paid_within_days: Option<u32>,
    /// Exceptions: approvals pending for more than N days (default 3).
    #[arg(long, value_name = "N")]
    pub approval_days: Option<u32>,
    /// Exceptions: customers with no update for N days (default 90).
    #[arg(long, value_name = "N")]
    pub stale_customer_days: Option<u32>,
    /// Stream the report as CSV to stdout (formula-neutralised).
    #[arg(long)]
    pub csv: bool,
}

/// The request `a` asks for.
pub fn request(a: &ReportArgs) -> ReportRequest {
    let filter = ReportFilter {
        as_of: a.as_of,
        from: a.from,
        to: a.to,
        customer_id: a.customer,
        currency: a.currency.clone(),
        template: a.template.clone(),
        source: a.source.clone(),
    };
    match a.kind {
        ReportKind::Aging => ReportRequest::Aging {
            filter,
            bucket_bounds: a.buckets.clone(),
        },
        ReportKind::Collection => ReportRequest::Collection {
            filter,
            period: match a.period {
                PeriodArg::Week => ReportPeriod::Week,
                PeriodArg::Month => ReportPeriod::Month,
                PeriodArg::Quarter => ReportPeriod::Quarter,
            },
        },
        ReportKind::Dso => ReportRequest::Dso { filter },
        ReportKind::Automation => ReportRequest::Automation {
            filter,
            paid_within_days: a.paid_within_days,
        },
        ReportKind::Forecast => ReportRequest::Forecast {
            filter,
            weeks: a.weeks,
        },
        ReportKind::Exceptions => ReportRequest::Exceptions {
            filter,
            approval_days: a.approval_days,
            stale_customer_days: a.stale_customer_days,
        },
    }
}

/// Runs `invoicer report …`.
pub fn run(app: &Invoicer, s: &Session, a: &ReportArgs) -> AppResult<Output> {
    let req = request(a);
    if a.csv {
        let stdout = std::io::stdout();
        let rows = app.export_report_csv(s, &req, stdout.lock())?;
        return Ok(Output::Streamed(rows));
    }
    Ok(Output::Report(Box::new(app.report(s, &req)?)))
}

/// Runs `invoicer dashboard`.
pub fn dashboard(app: &Invoicer, s: &Session) -> AppResult<Output> {
    Ok(Output::Dashboard(Box::new(app.dashboard(s)?)))
}

/// A table: the header, then the rows, each column as wide as its widest
/// cell, numbers right-aligned.
pub(crate) fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let line = |cells: &[String]| {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let w = widths.get(i).copied().unwrap_or(0);
                let numeric = c
                    .chars()
                    .next()
                    .is_some_and(|ch| ch.is_ascii_digit() || ch == '-')
                    && i > 0;
                if numeric {
                    format!("{c:>w$}")
                } else {
                    format!("{c:<w$}")
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = vec![line(header)];
    out.extend(rows.iter().map(|r| line(r)));
    out.join("\n")
}

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "–".into())
}

/// A report as text.
pub fn report_text(r: &Report) -> String {
    match r {
        Report::Aging(a) => aging_text(a),
        Report::Collection(c) => {
            let mut out = vec![format!("Collection {} to {}", c.from, c.to)];
            let rows: Vec<Vec<String>> = c
                .periods
                .iter()
                .map(|p| {
                    vec![
                        p.label.clone(),
                        p.currency.clone(),
                        p.invoiced.clone(),
                        p.collected.clone(),
                        opt(&p.collection_rate),
                    ]
                })
                .collect();
            out.push(table(
                &strings(&["Period", "Currency", "Invoiced", "Collected", "Rate %"]),
                &rows,
            ));
            for r in &c.overall_rate {
                out.push(format!(
                    "Overall collection rate {}: {} %",
                    r.currency,
                    opt(&r.rate)
                ));
            }
            if !c.customers.is_empty() {
                let rows: Vec<Vec<String>> = c
                    .customers
                    .iter()
                    .map(|s| {
                        vec![
                            s.customer_name.clone(),
                            s.invoices_paid.to_string(),
                            opt(&s.average_days_to_pay),
                            opt(&s.average_days_late),
                        ]
                    })
                    .collect();
                out.push(table(
                    &strings(&["Customer", "Paid", "Days to pay", "Days late"]),
                    &rows,
                ));
            }
            out.push(dso_text(&c.dso));
            out.join("\n\n")
        }
        Report::Dso(d) => dso_text(d),
        Report::Forecast(f) => {
            let mut rows: Vec<Vec<String>> = f
                .weeks
                .iter()
                .map(|w| {
                    vec![
                        format!("{} – {}", w.week_start, w.week_end),
                        w.currency.clone(),
                        w.expected.clone(),
                        w.from_overdue.clone(),
                        w.invoice_count.to_string(),
                    ]
                })
                .collect();
            for b in &f.beyond {
                rows.push(vec![
                    "beyond".into(),
                    b.currency.clone(),
                    b.amount.clone(),
                    String::new(),
                    b.count.to_string(),
                ]);
            }
            format!(
                "Cash forecast from {}\n{}\n\n{}",
                f.as_of,
                table(
                    &strings(&[
                        "Week",
                        "Currency",
                        "Expected",
                        "Of which overdue",
                        "Invoices"
                    ]),
                    &rows
                ),
                f.method
            )
        }
        Report::Automation(a) => crate::report_ops::automation_text(a),
        Report::Exceptions(e) => crate::report_ops::exceptions_text(e),
    }
}

fn aging_text(a: &AgingReport) -> String {
    let mut header = strings(&["Customer", "Currency"]);
    header.extend(a.buckets.iter().map(|b| b.label.clone()));
    header.extend(strings(&["Total", "Invoices"]));
    let rows: Vec<Vec<String>> = a
        .customers
        .iter()
        .chain(a.totals.iter())
        .map(|r| {
            let mut cells = vec![
                r.customer_name.clone().unwrap_or_else(|| "Total".into()),
                r.currency.clone(),
            ];
            cells.extend(r.buckets.iter().cloned());
            cells.extend([r.total.clone(), r.invoice_count.to_string()]);
            cells
        })
        .collect();
    format!("Aging as of {}\n{}", a.as_of, table(&header, &rows))
}

fn dso_text(d: &DsoReport) -> String {
    let rows: Vec<Vec<String>> = d
        .figures
        .iter()
        .map(|f| {
            vec![
                f.currency.clone(),
                f.receivables.clone(),
                f.credit_sales.clone(),
                f.days.to_string(),
                opt(&f.dso),
            ]
        })
        .collect();
    format!(
        "DSO {} to {}\n{}\n{}",
        d.from,
        d.to,
        table(
            &strings(&["Currency", "Receivables", "Credit sales", "Days", "DSO"]),
            &rows
        ),
        d.formula
    )
}

/// The dashboard as text.
pub fn dashboard_text(d: &Dashboard) -> String {
    let amounts = |v: &[CurrencyAmount]| {
        if v.is_empty() {
            return "none".to_string();
        }
        v.iter()
            .map(|a| format!("{} {} ({})", a.currency, a.amount, a.count))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let dso: Vec<String> = d
        .dso
        .figures
        .iter()
        .map(|f| format!("{} {} days", f.currency, opt(&f.dso)))
        .collect();
    let n = &d.needs_you;
    [
        format!("Dashboard as of {}", d.as_of),
        format!("Outstanding: {}", amounts(&d.outstanding)),
        format!("Overdue: {}", amounts(&d.overdue)),
        format!("Collected this month: {}", amounts(&d.collected_this_month)),
        format!("Collected last month: {}", amounts(&d.collected_last_month)),
        format!("DSO ({} to {}): {}", d.dso.from, d.dso.to, dso.join(", ")),
        aging_text(&d.aging),
        format!(
            "Needs you: {} approvals, {} failed and {} unknown deliveries, {} disputes near their window's end, {} bulk rows with errors, {} failed triggers",
            n.approvals_waiting,
            n.failed_deliveries,
            n.unknown_deliveries,
            n.disputes_near_window_end,
            n.bulk_rows_with_errors,
            n.failed_triggers
        ),
    ]
    .join("\n")
}

/// Refuses `--csv` together with `--json` (clap's `conflicts_with` cannot
/// see a global flag).
pub fn check_flags(a: &ReportArgs, json: bool) -> AppResult<()> {
    if a.csv && json {
        return Err(ApiError::field(
            "csv",
            "--csv",
            "cannot be combined with --json",
        ));
    }
    Ok(())
}
