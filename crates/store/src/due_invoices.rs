//! The "Due & overdue" view's query: open invoices that still owe something,
//! most overdue first, one page at a time through the partial index
//! `invoices_due_open` (migration 0020).

use crate::codec::{currency, date};
use crate::records::enum_names::parse_status;
use crate::{StoreError, Tx};
use chrono::NaiveDate;
use invoicer_domain::lifecycle::InvoiceStatus;
use invoicer_domain::{Currency, Decimal};
use rusqlite::types::Value;

/// Which open invoices the view lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DueFilter {
    /// Only invoices due on or before this day (the day before today lists
    /// the overdue ones only; today plus N days adds those due within N days).
    pub due_until: Option<NaiveDate>,
    /// Only this customer's invoices.
    pub customer_id: Option<i64>,
    /// Only invoices in this currency.
    pub currency: Option<Currency>,
    /// Only invoices with an open dispute whose window ends on or before this
    /// day (ended windows included): the dashboard's "disputes near their
    /// window's end" with today plus 7 days. The disputes are chosen by
    /// `open_disputes_ending_by`, the one rule for them.
    pub dispute_window_ends_by: Option<NaiveDate>,
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return.
    pub limit: u64,
}

/// One open invoice of the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueInvoiceRow {
    /// Invoice id.
    pub id: i64,
    /// Its number.
    pub number: Option<String>,
    /// Stored status (issued or partially paid).
    pub status: InvoiceStatus,
    /// Customer id.
    pub customer_id: i64,
    /// Customer's display name.
    pub customer_name: String,
    /// Currency.
    pub currency: Currency,
    /// Due date.
    pub due_date: NaiveDate,
    /// What is still owed: the total less payments, refunds and credit notes.
    pub balance: Decimal,
}

// The view's rows are exactly the partial index's: the planner uses a partial
// index only when the query's WHERE contains the index's terms as written.
const OPEN_OWING: &str = "status IN ('issued', 'partially_paid') AND total_minor > paid_minor";

/// The view's WHERE clause for `filter` and its arguments, numbered from 1;
/// `disputed` are the invoices the dispute filter keeps, when it is on.
fn conditions(filter: &DueFilter, disputed: Option<&[i64]>) -> (String, Vec<Value>) {
    let mut clauses = vec![OPEN_OWING.to_string()];
    let mut args: Vec<Value> = Vec::new();
    if let Some(d) = filter.due_until {
        args.push(Value::Text(d.to_string()));
        clauses.push(format!("due_date <= ?{}", args.len()));
    }
    if let Some(c) = filter.customer_id {
        args.push(Value::Integer(c));
        clauses.push(format!("customer_id = ?{}", args.len()));
    }
    if let Some(c) = filter.currency {
        args.push(Value::Text(c.code().to_string()));
        clauses.push(format!("currency = ?{}", args.len()));
    }
    if let Some(ids) = disputed {
        // An empty list keeps nothing; `id IN ()` is not standard SQL.
        if ids.is_empty() {
            clauses.push("1 = 0".to_string());
        } else {
            let mut marks = Vec::with_capacity(ids.len());
            for id in ids {
                args.push(Value::Integer(*id));
                marks.push(format!("?{}", args.len()));
            }
            clauses.push(format!("id IN ({})", marks.join(", ")));
        }
    }
    (clauses.join(" AND "), args)
}

/// A page's query for `filter`, with its arguments (the limit and offset
/// last).
fn page_query(filter: &DueFilter, disputed: Option<&[i64]>) -> (String, Vec<Value>) {
    let (where_sql, mut args) = conditions(filter, disputed);
    args.push(Value::Integer(
        i64::try_from(filter.limit.min(1000)).unwrap_or(1000),
    ));
    let limit = args.len();
    args.push(Value::Integer(
        i64::try_from(filter.offset).unwrap_or(i64::MAX),
    ));
    let offset = args.len();
    (
        format!(
            "SELECT id, number, status, customer_id, customer_name, currency, due_date,
                    total_minor, paid_minor
             FROM invoices WHERE {where_sql}
             ORDER BY due_date, id LIMIT ?{limit} OFFSET ?{offset}"
        ),
        args,
    )
}

impl Tx<'_> {
    /// One page of open invoices with a balance matching `filter`, by due
    /// date (most overdue first; ties by id so pages never overlap), and how
    /// many match in all.
    pub fn due_invoices(
        &self,
        filter: &DueFilter,
    ) -> Result<(Vec<DueInvoiceRow>, u64), StoreError> {
        let disputed = self.disputed_ids(filter)?;
        let (where_sql, args) = conditions(filter, disputed.as_deref());
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM invoices WHERE {where_sql}"),
            rusqlite::params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let (sql, args) = page_query(filter, disputed.as_deref());
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let cur = currency(&r.get::<_, String>(5)?)?;
            out.push(DueInvoiceRow {
                id: r.get(0)?,
                number: r.get(1)?,
                status: parse_status(&r.get::<_, String>(2)?)?,
                customer_id: r.get(3)?,
                customer_name: r.get(4)?,
                currency: cur,
                due_date: date(&r.get::<_, String>(6)?)?,
                balance: cur.from_minor(r.get::<_, i64>(7)? - r.get::<_, i64>(8)?),
            });
        }
        Ok((out, u64::try_from(total).unwrap_or(0)))
    }

    /// The plan SQLite chooses for a page of the view with `filter`, one line
    /// per step (`EXPLAIN QUERY PLAN` of the very query `due_invoices` runs),
    /// so a test can check that the view walks an index instead of sorting
    /// every open invoice.
    pub fn due_invoices_plan(&self, filter: &DueFilter) -> Result<Vec<String>, StoreError> {
        let disputed = self.disputed_ids(filter)?;
        let (sql, args) = page_query(filter, disputed.as_deref());
        let mut st = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let plan = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                r.get::<_, String>(3)
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(plan)
    }

    /// The invoices whose open dispute the filter's dispute rule keeps, when
    /// it is on: few (one open dispute per invoice, only those near their
    /// window's end), and chosen in Rust because SQL date arithmetic differs
    /// between databases.
    fn disputed_ids(&self, filter: &DueFilter) -> Result<Option<Vec<i64>>, StoreError> {
        filter
            .dispute_window_ends_by
            .map(|day| {
                let mut ids: Vec<i64> = self
                    .open_disputes_ending_by(day)?
                    .iter()
                    .map(|d| d.invoice_id)
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                Ok(ids)
            })
            .transpose()
    }
}
