//! The reports and the dashboard as the UI, the CLI's `--json` and the CSV
//! export see them. One implementation computes each report; the Reports
//! screen, `invoicer report …` and the dashboard all read it, so they can
//! never disagree.
//!
//! Amounts are decimal text in their currency's decimals; rates and shares
//! are decimal text in percent with one decimal ("87.5"); day counts are
//! decimal text with one decimal. A figure that cannot be computed (no
//! sales in the period, no invoice paid yet) is `None`, never zero.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The filters every report takes. Unset fields do not filter; `as_of`
/// defaults to the company's today, `from`/`to` to the report's own
/// default range (stated by each report's query).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportFilter {
    /// The day the report is computed as of (balances, days past due).
    #[serde(default)]
    #[ts(optional)]
    pub as_of: Option<NaiveDate>,
    /// The first day of the range (issue dates, payment dates, …).
    #[serde(default)]
    #[ts(optional)]
    pub from: Option<NaiveDate>,
    /// The last day of the range, inclusive.
    #[serde(default)]
    #[ts(optional)]
    pub to: Option<NaiveDate>,
    /// Only this customer.
    #[serde(default)]
    #[ts(optional)]
    pub customer_id: Option<i64>,
    /// Only this currency (ISO code).
    #[serde(default)]
    #[ts(optional)]
    pub currency: Option<String>,
    /// Only invoices printed with this template.
    #[serde(default)]
    #[ts(optional)]
    pub template: Option<String>,
    /// Only invoices made this way (`manual`, `bulk`, `recurring`, `api`,
    /// `threshold`).
    #[serde(default)]
    #[ts(optional)]
    pub source: Option<String>,
}

/// The length of a report's periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ReportPeriod {
    /// Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
}

/// Which report to run, with its own options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum ReportRequest {
    /// Open balances by days past due.
    Aging {
        /// The filters (`as_of` matters; `from`/`to` limit issue dates).
        filter: ReportFilter,
        /// The buckets' upper bounds in days past due, ascending, e.g.
        /// `[30, 60, 90]` for current, 1–30, 31–60, 61–90, 91+; none uses
        /// the company's setting.
        #[serde(default)]
        #[ts(optional)]
        bucket_bounds: Option<Vec<u32>>,
    },
    /// Invoiced vs collected per period, days to pay per customer, and DSO.
    Collection {
        /// The filters (`from`/`to` default to the last 12 months).
        filter: ReportFilter,
        /// The period length.
        period: ReportPeriod,
    },
    /// Days sales outstanding alone.
    Dso {
        /// The filters (`from`/`to` default to the last 90 days to `as_of`).
        filter: ReportFilter,
    },
    /// How the automation performs.
    Automation {
        /// The filters (`from`/`to` default to the last 90 days).
        filter: ReportFilter,
        /// "Paid within N days after a reminder step" uses this N (default 7).
        #[serde(default)]
        #[ts(optional)]
        paid_within_days: Option<u32>,
    },
    /// Expected receipts per week.
    Forecast {
        /// The filters (`as_of` is the forecast's first day).
        filter: ReportFilter,
        /// How many weeks (default 13).
        #[serde(default)]
        #[ts(optional)]
        weeks: Option<u32>,
    },
    /// What needs a person.
    Exceptions {
        /// The filters.
        filter: ReportFilter,
        /// Invoices pending approval for more than this many days (default 3).
        #[serde(default)]
        #[ts(optional)]
        approval_days: Option<u32>,
        /// Customers with no update from their source for this many days
        /// (default 90).
        #[serde(default)]
        #[ts(optional)]
        stale_customer_days: Option<u32>,
    },
}

/// A report's result; the variant matches the request's `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Report {
    /// See [`AgingReport`].
    Aging(AgingReport),
    /// See [`CollectionReport`].
    Collection(CollectionReport),
    /// See [`DsoReport`].
    Dso(DsoReport),
    /// See [`AutomationReport`].
    Automation(AutomationReport),
    /// See [`ForecastReport`].
    Forecast(ForecastReport),
    /// See [`ExceptionsReport`].
    Exceptions(ExceptionsReport),
}

/// An amount in one currency, with how many documents make it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CurrencyAmount {
    /// ISO code.
    pub currency: String,
    /// Decimal text.
    pub amount: String,
    /// How many invoices (or payments) it sums.
    pub count: u64,
}

/// One aging bucket: days past due from `from_days` to `to_days` inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgingBucket {
    /// "Current", "1–30", …, "91+".
    pub label: String,
    /// The first day past due it holds; `None` for "current" (not yet due).
    pub from_days: Option<u32>,
    /// The last day past due it holds; `None` for the open-ended last one.
    pub to_days: Option<u32>,
}

/// One row of the aging table: a customer's (or the total's) open balance
/// in one currency, split by bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgingRow {
    /// The customer; `None` on a total row.
    pub customer_id: Option<i64>,
    /// The customer's name; `None` on a total row.
    pub customer_name: Option<String>,
    /// ISO code.
    pub currency: String,
    /// One amount per bucket, in the buckets' order.
    pub buckets: Vec<String>,
    /// The sum of the buckets.
    pub total: String,
    /// How many open invoices.
    pub invoice_count: u64,
}

/// Open balances by days past due, as of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AgingReport {
    /// The day it is computed as of.
    pub as_of: NaiveDate,
    /// The buckets, in order.
    pub buckets: Vec<AgingBucket>,
    /// One total row per currency.
    pub totals: Vec<AgingRow>,
    /// One row per customer and currency, largest total first.
    pub customers: Vec<AgingRow>,
}

/// Invoiced and collected in one period and currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CollectionPeriodRow {
    /// The period's first day.
    pub period_start: NaiveDate,
    /// Its last day.
    pub period_end: NaiveDate,
    /// "2026-11", "2026-Q4", "2026-W47".
    pub label: String,
    /// ISO code.
    pub currency: String,
    /// Total of the invoices issued in the period (less their credit notes).
    pub invoiced: String,
    /// Payments received in the period (less refunds).
    pub collected: String,
    /// Collected ÷ invoiced in percent; `None` when nothing was invoiced.
    pub collection_rate: Option<String>,
}

/// How quickly one customer pays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerPaymentSpeed {
    /// The customer.
    pub customer_id: i64,
    /// Its name.
    pub customer_name: String,
    /// Invoices paid in full in the range.
    pub invoices_paid: u64,
    /// Average days from issue to full payment; `None` when none was paid.
    pub average_days_to_pay: Option<String>,
    /// Average days paid after the due date (negative: early).
    pub average_days_late: Option<String>,
}

/// Days sales outstanding in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DsoFigure {
    /// ISO code.
    pub currency: String,
    /// Receivables open at the end of the period.
    pub receivables: String,
    /// Credit sales (invoices issued) in the period.
    pub credit_sales: String,
    /// Days in the period.
    pub days: u32,
    /// receivables ÷ credit sales × days; `None` without sales.
    pub dso: Option<String>,
}

/// DSO for a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DsoReport {
    /// The period's first day.
    pub from: NaiveDate,
    /// Its last day.
    pub to: NaiveDate,
    /// One figure per currency.
    pub figures: Vec<DsoFigure>,
    /// The formula in words, shown next to the figure.
    pub formula: String,
}

/// Invoiced vs collected per period, days to pay per customer, and DSO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CollectionReport {
    /// The range's first day.
    pub from: NaiveDate,
    /// Its last day.
    pub to: NaiveDate,
    /// One row per period and currency, oldest first.
    pub periods: Vec<CollectionPeriodRow>,
    /// Collected ÷ invoiced over the whole range, per currency.
    pub overall_rate: Vec<CurrencyRate>,
    /// Per customer, slowest payer first.
    pub customers: Vec<CustomerPaymentSpeed>,
    /// DSO over the same range.
    pub dso: DsoReport,
}

/// A rate in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CurrencyRate {
    /// ISO code.
    pub currency: String,
    /// Percent; `None` when it cannot be computed.
    pub rate: Option<String>,
}

/// Invoices made one way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OriginRow {
    /// `manual`, `bulk`, `recurring`, `api`, `threshold`.
    pub source: String,
    /// How many invoices.
    pub invoices: u64,
    /// Their share of all, in percent.
    pub share: String,
    /// Median time from the trigger (the invoice made) to its email sent,
    /// in minutes; `None` when none was sent.
    pub median_minutes_to_sent: Option<String>,
    /// The 90th percentile of the same.
    pub p90_minutes_to_sent: Option<String>,
}

/// How email deliveries went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeliveryStats {
    /// Delivered to the mail server.
    pub sent: u64,
    /// Failed for good.
    pub failed: u64,
    /// Outcome unknown (the connection died after the data was sent).
    pub unknown: u64,
    /// Still queued or retrying.
    pub pending: u64,
    /// Deliveries that needed more than one attempt.
    pub retried: u64,
    /// sent ÷ (sent + failed + unknown), percent.
    pub success_rate: Option<String>,
    /// retried ÷ all, percent.
    pub retry_rate: Option<String>,
}

/// One reminder step's results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReminderStepRow {
    /// The step, from 1.
    pub step: u32,
    /// Reminders sent at this step.
    pub sent: u64,
    /// Of those, invoices paid in full within N days after.
    pub paid_within: u64,
    /// paid_within ÷ sent, percent.
    pub paid_within_share: Option<String>,
}

/// How quickly approvals are decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApprovalTurnaround {
    /// Invoices decided (approved or rejected) in the range.
    pub decided: u64,
    /// Still waiting now.
    pub pending: u64,
    /// Median hours from submission to the final decision.
    pub median_hours: Option<String>,
    /// The 90th percentile of the same.
    pub p90_hours: Option<String>,
}

/// How the automation performs over a range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AutomationReport {
    /// The range's first day.
    pub from: NaiveDate,
    /// Its last day.
    pub to: NaiveDate,
    /// Invoices by origin.
    pub by_origin: Vec<OriginRow>,
    /// Email deliveries.
    pub delivery: DeliveryStats,
    /// The N of "paid within N days".
    pub paid_within_days: u32,
    /// Per reminder step.
    pub reminder_steps: Vec<ReminderStepRow>,
    /// Approvals.
    pub approvals: ApprovalTurnaround,
}

/// Expected receipts in one week and currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ForecastWeek {
    /// Monday.
    pub week_start: NaiveDate,
    /// Sunday.
    pub week_end: NaiveDate,
    /// ISO code.
    pub currency: String,
    /// Expected receipts.
    pub expected: String,
    /// Of which already overdue today.
    pub from_overdue: String,
    /// How many invoices.
    pub invoice_count: u64,
}

/// A customer's historical lateness the forecast applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CustomerLateness {
    /// The customer.
    pub customer_id: i64,
    /// Its name.
    pub customer_name: String,
    /// Average days paid after the due date (rounded), 0 without history.
    pub average_days_late: i64,
    /// How many paid invoices it is measured on.
    pub invoices_measured: u64,
}

/// Expected receipts per week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ForecastReport {
    /// The forecast's first day.
    pub as_of: NaiveDate,
    /// One row per week and currency, in order.
    pub weeks: Vec<ForecastWeek>,
    /// Open balances expected after the last week, per currency.
    pub beyond: Vec<CurrencyAmount>,
    /// The lateness applied, per customer with open invoices.
    pub lateness: Vec<CustomerLateness>,
    /// The method in words, shown with the chart.
    pub method: String,
}

/// A kind of exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ExceptionKind {
    /// An email failed for good.
    FailedDelivery,
    /// An email's outcome is unknown.
    UnknownDelivery,
    /// A bulk row could not become an invoice.
    InvalidBulkRow,
    /// The API refused an event.
    RefusedEvent,
    /// A schedule or threshold could not make its invoice.
    FailedTrigger,
    /// A dispute is open past its window.
    DisputePastWindow,
    /// An invoice has waited for approval too long.
    StaleApproval,
    /// A customer's data had no update from its source for too long.
    StaleCustomer,
}

/// One thing that needs a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExceptionItem {
    /// What kind.
    pub kind: ExceptionKind,
    /// What it is about in a few words ("INV-2026-00012 to Acme").
    pub subject: String,
    /// What went wrong, specifically.
    pub detail: String,
    /// Since when.
    pub since: DateTime<Utc>,
    /// The action that resolves it, in words ("Retry the delivery").
    pub action: String,
    /// The invoice it concerns, if any.
    pub invoice_id: Option<i64>,
    /// The customer it concerns, if any.
    pub customer_id: Option<i64>,
    /// The record it concerns (delivery, bulk job, schedule, …), if any.
    pub record_id: Option<i64>,
}

/// How many exceptions of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExceptionCount {
    /// The kind.
    pub kind: ExceptionKind,
    /// How many.
    pub count: u64,
}

/// What needs a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExceptionsReport {
    /// The day it is computed as of.
    pub as_of: NaiveDate,
    /// Per kind, every kind listed (zero included).
    pub counts: Vec<ExceptionCount>,
    /// The items, oldest first within each kind (at most 500 per kind; the
    /// count says how many in all).
    pub items: Vec<ExceptionItem>,
}

/// The dashboard's "needs you today" counts, each the length of a filtered
/// list a click opens.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct NeedsYouToday {
    /// Invoices waiting for an approval the signed-in user may give.
    pub approvals_waiting: u64,
    /// Deliveries failed for good.
    pub failed_deliveries: u64,
    /// Deliveries with an unknown outcome.
    pub unknown_deliveries: u64,
    /// Open disputes whose window ends within 7 days (or has ended).
    pub disputes_near_window_end: u64,
    /// Bulk rows with errors in jobs not yet dismissed.
    pub bulk_rows_with_errors: u64,
    /// Schedules, thresholds or events that failed.
    pub failed_triggers: u64,
}

/// The home screen after sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Dashboard {
    /// The company's today.
    pub as_of: NaiveDate,
    /// Open balances per currency.
    pub outstanding: Vec<CurrencyAmount>,
    /// Of which past due, per currency.
    pub overdue: Vec<CurrencyAmount>,
    /// The aging totals (no customer rows).
    pub aging: AgingReport,
    /// Payments received this calendar month, per currency.
    pub collected_this_month: Vec<CurrencyAmount>,
    /// Payments received last calendar month, per currency.
    pub collected_last_month: Vec<CurrencyAmount>,
    /// DSO over the last 90 days.
    pub dso: DsoReport,
    /// Expected receipts for the next weeks (the first 6 of the forecast).
    pub forecast: Vec<ForecastWeek>,
    /// What needs the signed-in user.
    pub needs_you: NeedsYouToday,
}

/// What a CSV export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CsvExportDone {
    /// The file written.
    pub path: String,
    /// Data rows written (the header not counted).
    pub rows: u64,
}
