//! The reports and the dashboard: one implementation each, which the
//! Reports screen, the dashboard, `invoicer report …` and the CSV export
//! all call, so they cannot disagree.
//!
//! Who may see them: every signed-in role (`Permission::View`). Reports show
//! the same invoices, payments and customers every role already reads on the
//! invoice list and the "Due & overdue" view; they add sums, not secrets.
//!
//! The store sums stored amounts (totals, settled amounts, payments, refunds,
//! credit notes) through indexes; the domain (`invoicer_domain::reports`)
//! does the arithmetic people read; this module checks the request, scopes
//! the queries and shapes the answer.

mod aging;
mod automation;
mod collection;
pub(crate) mod csv_rows;
mod dashboard;
mod exceptions;
mod forecast;
mod needs_you;
mod ops_csv;
mod ops_scope;

use crate::api::{Report, ReportFilter, ReportPeriod, ReportRequest};
use crate::invoice_pdf::not_initialized;
use crate::{ApiError, AppResult, ErrorCode, Invoicer, Session};
use chrono::NaiveDate;
use invoicer_domain::approval_rules::TriggerSource;
use invoicer_domain::authorization::Permission;
use invoicer_domain::company::CompanySettings;
use invoicer_domain::reports::periods::PeriodLength;
use invoicer_domain::Currency;
use invoicer_store::{ReportScope, Tx};

/// The longest range a report spans, in days (ten years).
const MAX_RANGE_DAYS: i64 = 3660;

/// A request's filter, checked: the store's scope and the days it names.
pub(crate) struct Checked {
    /// Which invoices (without issue dates; each report adds its own).
    pub scope: ReportScope,
    /// `as_of`, defaulting to the company's today.
    pub as_of: NaiveDate,
    /// `from` as given.
    pub from: Option<NaiveDate>,
    /// `to` as given.
    pub to: Option<NaiveDate>,
}

/// Checks `f` against the company's today `today`: a currency Invoicer
/// knows, a trigger source that exists, `from` not after `to`, a range of at
/// most ten years. Each refusal names its field, value and reason.
pub(crate) fn check_filter(f: &ReportFilter, today: NaiveDate) -> AppResult<Checked> {
    let currency = match f.currency.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(Currency::from_code(&code.to_uppercase()).ok_or_else(|| {
            ApiError::field("currency", code, "is not a currency code Invoicer knows")
        })?),
    };
    let source = match f.source.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(TriggerSource::parse(s).map_err(|why| ApiError::field("source", s, &why))?),
    };
    let template = f
        .template
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    if let (Some(from), Some(to)) = (f.from, f.to) {
        if from > to {
            return Err(ApiError::field(
                "from",
                &from.to_string(),
                &format!("is after to ({to})"),
            ));
        }
        if (to - from).num_days() > MAX_RANGE_DAYS {
            return Err(ApiError::field(
                "from",
                &from.to_string(),
                &format!("starts more than {MAX_RANGE_DAYS} days before to ({to})"),
            ));
        }
    }
    Ok(Checked {
        scope: ReportScope {
            customer_id: f.customer_id,
            currency,
            template,
            source,
            issued_from: None,
            issued_to: None,
        },
        as_of: f.as_of.unwrap_or(today),
        from: f.from,
        to: f.to,
    })
}

/// A range that ends on `to` and starts `default_days` before it (both
/// included) unless `from` is given; refuses a range longer than ten years.
pub(crate) fn range(
    from: Option<NaiveDate>,
    to: NaiveDate,
    default_from: NaiveDate,
) -> AppResult<(NaiveDate, NaiveDate)> {
    let from = from.unwrap_or(default_from);
    if from > to {
        return Err(ApiError::field(
            "from",
            &from.to_string(),
            &format!("is after to ({to})"),
        ));
    }
    if (to - from).num_days() > MAX_RANGE_DAYS {
        return Err(ApiError::field(
            "from",
            &from.to_string(),
            &format!("starts more than {MAX_RANGE_DAYS} days before to ({to})"),
        ));
    }
    Ok((from, to))
}

/// The domain's period length for the API's.
pub(crate) fn period_length(p: ReportPeriod) -> PeriodLength {
    match p {
        ReportPeriod::Week => PeriodLength::Week,
        ReportPeriod::Month => PeriodLength::Month,
        ReportPeriod::Quarter => PeriodLength::Quarter,
    }
}

/// The refusal of a report another part of the issue builds.
fn not_built(kind: &str) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!("the {kind} report is not built yet"),
    )
}

impl Invoicer {
    /// The company settings and today in its time zone, in `tx`.
    pub(crate) fn report_context(&self, tx: &Tx<'_>) -> AppResult<(CompanySettings, NaiveDate)> {
        let settings = tx.company()?.ok_or_else(not_initialized)?;
        let today = self.clock.today(settings.timezone);
        Ok((settings, today))
    }

    /// Runs one report for the signed-in user (any role).
    pub fn report(&self, session: &Session, request: &ReportRequest) -> AppResult<Report> {
        session.require(Permission::View)?;
        match request {
            ReportRequest::Automation {
                filter,
                paid_within_days,
            } => Ok(Report::Automation(self.automation_report(
                session,
                filter,
                *paid_within_days,
            )?)),
            ReportRequest::Exceptions {
                filter,
                approval_days,
                stale_customer_days,
            } => Ok(Report::Exceptions(self.exceptions_report(
                session,
                filter,
                *approval_days,
                *stale_customer_days,
            )?)),
            _ => self.store.read(|tx| {
                let (settings, today) = self.report_context(tx)?;
                run(tx, &settings, today, request)
            }),
        }
    }

    /// Runs `request` and writes it as CSV to `out`, a row at a time, every
    /// cell formula-neutralised; answers how many data rows were written.
    pub fn export_report_csv(
        &self,
        session: &Session,
        request: &ReportRequest,
        out: impl std::io::Write,
    ) -> AppResult<u64> {
        let report = self.report(session, request)?;
        let mut w = csv::Writer::from_writer(out);
        let rows = csv_rows::write_report(&report, &mut w)?;
        w.flush().map_err(|e| {
            ApiError::new(ErrorCode::Internal, format!("cannot write the CSV: {e}"))
        })?;
        Ok(rows)
    }
}

/// One report in `tx`.
fn run(
    tx: &Tx<'_>,
    settings: &CompanySettings,
    today: NaiveDate,
    request: &ReportRequest,
) -> AppResult<Report> {
    Ok(match request {
        ReportRequest::Aging {
            filter,
            bucket_bounds,
        } => Report::Aging(aging::aging_report(
            tx,
            settings,
            today,
            filter,
            bucket_bounds.as_deref(),
        )?),
        ReportRequest::Collection { filter, period } => {
            Report::Collection(collection::collection_report(tx, today, filter, *period)?)
        }
        ReportRequest::Dso { filter } => Report::Dso(collection::dso_report(tx, today, filter)?),
        ReportRequest::Forecast { filter, weeks } => {
            Report::Forecast(forecast::forecast_report(tx, today, filter, *weeks)?)
        }
        // Answered by `Invoicer::report` before a transaction is opened.
        ReportRequest::Automation { .. } => return Err(not_built("automation")),
        ReportRequest::Exceptions { .. } => return Err(not_built("exceptions")),
    })
}
