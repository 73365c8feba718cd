//! The invoice list: filters, sorting and one page at a time, so the list stays
//! fast with a hundred thousand invoices.

use crate::codec::{currency, date};
use crate::records::enum_names::{parse_status, status_text};
use crate::{StoreError, Tx};
use chrono::NaiveDate;
use invoicer_domain::lifecycle::{display_status, DisplayStatus, InvoiceStatus};
use invoicer_domain::{Currency, Decimal};
use rusqlite::types::Value;

/// Which invoices a status filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Invoices whose displayed status is this one (`overdue` is derived).
    Display(DisplayStatus),
}

/// Columns the list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InvoiceSort {
    /// Invoice number (drafts last).
    Number,
    /// Issue date.
    #[default]
    IssueDate,
    /// Due date.
    DueDate,
    /// Customer name.
    Customer,
    /// Total.
    Total,
    /// Balance.
    Balance,
    /// Stored status.
    Status,
}

/// A list query.
#[derive(Debug, Clone, Default)]
pub struct InvoiceFilter {
    /// Status filter.
    pub status: Option<StatusFilter>,
    /// Only this customer's invoices.
    pub customer_id: Option<i64>,
    /// Only invoices in this currency.
    pub currency: Option<Currency>,
    /// Issued on or after.
    pub date_from: Option<NaiveDate>,
    /// Issued on or before.
    pub date_to: Option<NaiveDate>,
    /// Number or customer name contains this text.
    pub search: Option<String>,
    /// Sort column.
    pub sort: InvoiceSort,
    /// Descending order.
    pub descending: bool,
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return.
    pub limit: u64,
}

/// One row of the invoice list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceListRow {
    /// Invoice id.
    pub id: i64,
    /// Number, once issued.
    pub number: Option<String>,
    /// Stored status.
    pub status: InvoiceStatus,
    /// Status shown on `today`.
    pub display_status: DisplayStatus,
    /// Customer id.
    pub customer_id: i64,
    /// Customer's display name.
    pub customer_name: String,
    /// Currency.
    pub currency: Currency,
    /// Issue date.
    pub issue_date: NaiveDate,
    /// Due date.
    pub due_date: NaiveDate,
    /// Total.
    pub total: Decimal,
    /// Balance.
    pub balance: Decimal,
    /// The last day of the window of its open dispute, if one is open.
    pub dispute_ends_on: Option<NaiveDate>,
}

const OPEN: &str = "status IN ('issued', 'partially_paid')";

/// The list's WHERE clause (empty, or starting with `WHERE`) for `filter` on
/// `today`, and its arguments numbered from 1.
fn conditions(filter: &InvoiceFilter, today: NaiveDate) -> (String, Vec<Value>) {
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<Value> = Vec::new();
    let arg = |v: Value, args: &mut Vec<Value>| {
        args.push(v);
        format!("?{}", args.len())
    };
    if let Some(StatusFilter::Display(s)) = filter.status {
        let today_arg = arg(Value::Text(today.to_string()), &mut args);
        let overdue = format!("({OPEN} AND due_date < {today_arg} AND total_minor > paid_minor)");
        clauses.push(match s.stored() {
            None => overdue,
            Some(st @ (InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid)) => {
                let a = arg(Value::Text(status_text(st).into()), &mut args);
                format!("(status = {a} AND NOT {overdue})")
            }
            Some(st) => {
                let a = arg(Value::Text(status_text(st).into()), &mut args);
                format!("status = {a}")
            }
        });
    }
    if let Some(c) = filter.customer_id {
        let a = arg(Value::Integer(c), &mut args);
        clauses.push(format!("customer_id = {a}"));
    }
    if let Some(c) = filter.currency {
        let a = arg(Value::Text(c.code().to_string()), &mut args);
        clauses.push(format!("currency = {a}"));
    }
    if let Some(d) = filter.date_from {
        let a = arg(Value::Text(d.to_string()), &mut args);
        clauses.push(format!("issue_date >= {a}"));
    }
    if let Some(d) = filter.date_to {
        let a = arg(Value::Text(d.to_string()), &mut args);
        clauses.push(format!("issue_date <= {a}"));
    }
    if let Some(s) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if s.chars().count() >= 3 {
            // The trigram index finds substrings of three characters or
            // more; the text is matched as one quoted phrase.
            let phrase = format!("\"{}\"", s.replace('"', "\"\""));
            let a = arg(Value::Text(phrase), &mut args);
            clauses.push(format!(
                "id IN (SELECT rowid FROM invoice_search WHERE invoice_search MATCH {a})"
            ));
        } else {
            let escaped = s
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            let a = arg(Value::Text(format!("%{escaped}%")), &mut args);
            clauses.push(format!(
                "(ifnull(number, '') LIKE {a} ESCAPE '\\' OR customer_name LIKE {a} ESCAPE '\\')"
            ));
        }
    }
    let where_sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (where_sql, args)
}

/// A page's query for `filter` on `today`, with its arguments (the limit and
/// offset last).
fn page_query(filter: &InvoiceFilter, today: NaiveDate) -> (String, Vec<Value>) {
    let (where_sql, mut args) = conditions(filter, today);
    let arg = |v: Value, args: &mut Vec<Value>| {
        args.push(v);
        format!("?{}", args.len())
    };
    let dir = if filter.descending { "DESC" } else { "ASC" };
    let order = match filter.sort {
        InvoiceSort::Number => format!("number IS NULL, number {dir}"),
        InvoiceSort::IssueDate => format!("issue_date {dir}"),
        InvoiceSort::DueDate => format!("due_date {dir}"),
        InvoiceSort::Customer => format!("customer_name COLLATE NOCASE {dir}"),
        InvoiceSort::Total => format!("total_minor {dir}"),
        InvoiceSort::Balance => format!("total_minor - paid_minor {dir}"),
        InvoiceSort::Status => format!("status {dir}"),
    };
    let limit = arg(Value::Integer(filter.limit.min(1000) as i64), &mut args);
    let offset = arg(Value::Integer(filter.offset as i64), &mut args);
    let sql = format!(
        "SELECT id, number, status, customer_id, customer_name, currency, issue_date, due_date,
                    total_minor, paid_minor
             FROM invoices {where_sql} ORDER BY {order}, id {dir} LIMIT {limit} OFFSET {offset}"
    );
    (sql, args)
}

impl Tx<'_> {
    /// One page of invoices matching `filter`, and how many match in all.
    /// `today` decides which invoices are overdue.
    pub fn list_invoices(
        &self,
        filter: &InvoiceFilter,
        today: NaiveDate,
    ) -> Result<(Vec<InvoiceListRow>, u64), StoreError> {
        let (where_sql, args) = conditions(filter, today);
        let total: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM invoices {where_sql}"),
            rusqlite::params_from_iter(args.iter()),
            |r| r.get(0),
        )?;
        let (sql, args) = page_query(filter, today);
        let mut st = self.conn.prepare(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let cur = currency(&r.get::<_, String>(5)?)?;
            let status = parse_status(&r.get::<_, String>(2)?)?;
            let due_date = date(&r.get::<_, String>(7)?)?;
            let total = cur.from_minor(r.get(8)?);
            let balance = total - cur.from_minor(r.get(9)?);
            out.push(InvoiceListRow {
                id: r.get(0)?,
                number: r.get(1)?,
                status,
                display_status: display_status(status, due_date, balance, today),
                customer_id: r.get(3)?,
                customer_name: r.get(4)?,
                currency: cur,
                issue_date: date(&r.get::<_, String>(6)?)?,
                due_date,
                total,
                balance,
                dispute_ends_on: None,
            });
        }
        self.fill_open_disputes(&mut out)?;
        Ok((out, u64::try_from(total).unwrap_or(0)))
    }

    /// The plan SQLite chooses for a page of the list with `filter` on
    /// `today`, one line per step (`EXPLAIN QUERY PLAN` of the very query
    /// `list_invoices` runs), so a test can check the list walks an index.
    pub fn list_invoices_plan(
        &self,
        filter: &InvoiceFilter,
        today: NaiveDate,
    ) -> Result<Vec<String>, StoreError> {
        let (sql, args) = page_query(filter, today);
        let mut st = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let plan = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                r.get::<_, String>(3)
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(plan)
    }

    /// Sets each listed row's open dispute window end, read for the page's
    /// invoices only: a subquery in the list's SELECT would run for every
    /// matching invoice before the sort keeps one page of them.
    fn fill_open_disputes(&self, rows: &mut [InvoiceListRow]) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let placeholders = vec!["?"; rows.len()].join(", ");
        let mut st = self.conn.prepare(&format!(
            "SELECT invoice_id, opened_on, window_days FROM disputes
             WHERE outcome IS NULL AND invoice_id IN ({placeholders})"
        ))?;
        let ids = rows.iter().map(|r| r.id);
        let mut found = st.query(rusqlite::params_from_iter(ids))?;
        while let Some(r) = found.next()? {
            let id: i64 = r.get(0)?;
            let opened = date(&r.get::<_, String>(1)?)?;
            let days: u32 = r.get(2)?;
            // The window's end is worked out here rather than in SQL, whose
            // date arithmetic differs between databases.
            let ends = opened.checked_add_days(chrono::Days::new(u64::from(days)));
            if let Some(row) = rows.iter_mut().find(|row| row.id == id) {
                row.dispute_ends_on = ends;
            }
        }
        Ok(())
    }
}
