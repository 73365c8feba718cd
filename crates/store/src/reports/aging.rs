//! Open balances as of a day, summed by bucket of due dates.
//!
//! As of today a balance is `total_minor - paid_minor`, read from the partial
//! covering index `invoices_aging_open`. As of an earlier day D it is that
//! plus whatever moved after D — payments and credit notes dated after D are
//! added back, refunds after D taken off — for invoices issued on or before
//! D: the balance the books showed on D. An invoice settled today but open on
//! D is found through the movements after D (indexes `payments_by_date`,
//! `refunds_by_date`, `credit_notes_by_date`), so a past day costs the
//! movements since then, never a pass over every invoice.

use super::scope::ReportScope;
use crate::codec::currency;
use crate::{StoreError, Tx};
use chrono::NaiveDate;
use invoicer_domain::{Currency, Decimal};
use rusqlite::types::Value;

/// The open balance of one bucket, in one currency (and for one customer,
/// when asked by customer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgingCell {
    /// The customer, when grouped by customer.
    pub customer_id: Option<i64>,
    /// Its display name (company, else name), when grouped by customer.
    pub customer_name: Option<String>,
    /// The currency.
    pub currency: Currency,
    /// The bucket's index (see the domain's `AgingBuckets::due_date_floors`).
    pub bucket: usize,
    /// What was open.
    pub balance: Decimal,
    /// How many invoices.
    pub invoices: u64,
}

// The invoices settled since the day are found from the movements after it:
// `adj CROSS JOIN invoices` makes SQLite loop over those few movements and
// look each invoice up by id (a plain join lets it walk every invoice issued
// before the day instead, when its statistics misjudge the movements);
// PostgreSQL reads it as the same inner join.
//
// Open and owing now: the partial index's terms as written.
const OPEN_OWING: &str =
    "i.status IN ('issued', 'partially_paid') AND i.total_minor > i.paid_minor";

/// The aging query for `scope` as of `as_of`, bucketed by `floors`.
fn aging_query(
    scope: &ReportScope,
    as_of: NaiveDate,
    floors: &[NaiveDate],
    by_customer: bool,
) -> (String, Vec<Value>) {
    let mut args = vec![Value::Text(as_of.to_string())];
    let cond = scope.conditions(&mut args);
    let mut case = String::from("CASE");
    for (k, f) in floors.iter().enumerate() {
        args.push(Value::Text(f.to_string()));
        case.push_str(&format!(" WHEN due_date >= ?{} THEN {k}", args.len()));
    }
    case.push_str(&format!(" ELSE {} END", floors.len()));
    let (key, outer) = if by_customer {
        (
            "customer_id",
            "SELECT g.customer_id, COALESCE(c.company, c.name), g.currency, g.bucket, g.balance, g.n
             FROM g JOIN customers c ON c.id = g.customer_id",
        )
    } else {
        (
            "NULL",
            "SELECT NULL, NULL, g.currency, g.bucket, g.balance, g.n FROM g",
        )
    };
    let group = if by_customer {
        "customer_id, currency, bucket"
    } else {
        "currency, bucket"
    };
    let sql = format!(
        "WITH later (invoice_id, m) AS (
             SELECT invoice_id, amount_minor FROM payments WHERE date > ?1
             UNION ALL SELECT invoice_id, -amount_minor FROM refunds WHERE date > ?1
             UNION ALL SELECT invoice_id, total_minor FROM credit_notes WHERE issue_date > ?1
         ),
         adj AS (SELECT invoice_id, SUM(m) AS m FROM later GROUP BY invoice_id),
         open_at AS (
             SELECT i.customer_id, i.currency, i.due_date,
                    i.total_minor - i.paid_minor + COALESCE(a.m, 0) AS balance
             FROM invoices i LEFT JOIN adj a ON a.invoice_id = i.id
             WHERE {OPEN_OWING} AND i.issue_date <= ?1{cond}
             UNION ALL
             SELECT i.customer_id, i.currency, i.due_date, i.total_minor - i.paid_minor + a.m
             FROM adj a CROSS JOIN invoices i
             WHERE i.id = a.invoice_id AND i.status IN ('issued', 'partially_paid', 'paid')
               AND i.total_minor <= i.paid_minor AND i.issue_date <= ?1{cond}
         ),
         g AS (
             SELECT {key} AS customer_id, currency, {case} AS bucket,
                    SUM(balance) AS balance, COUNT(*) AS n
             FROM open_at WHERE balance > 0 GROUP BY {group}
         )
         {outer}"
    );
    (sql, args)
}

impl Tx<'_> {
    /// Open balances as of `as_of` of the invoices in `scope`, summed per
    /// currency and bucket (and per customer with `by_customer`). Bucket `k`
    /// holds balances due on or after `floors[k]` (the first that applies);
    /// the last bucket, index `floors.len()`, the rest. Draft, void and
    /// unapproved invoices never count; disputed ones do (they are owed
    /// until resolved).
    pub fn aging_cells(
        &self,
        scope: &ReportScope,
        as_of: NaiveDate,
        floors: &[NaiveDate],
        by_customer: bool,
    ) -> Result<Vec<AgingCell>, StoreError> {
        let (sql, args) = aging_query(scope, as_of, floors, by_customer);
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(args.iter()))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let cur = currency(&r.get::<_, String>(2)?)?;
            out.push(AgingCell {
                customer_id: r.get(0)?,
                customer_name: r.get(1)?,
                currency: cur,
                bucket: usize::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
                balance: cur.from_minor(r.get(4)?),
                invoices: u64::try_from(r.get::<_, i64>(5)?).unwrap_or(0),
            });
        }
        Ok(out)
    }

    /// The plan SQLite chooses for [`Tx::aging_cells`], one line per step,
    /// for the benchmark and the index test.
    pub fn aging_plan(
        &self,
        scope: &ReportScope,
        as_of: NaiveDate,
        floors: &[NaiveDate],
        by_customer: bool,
    ) -> Result<Vec<String>, StoreError> {
        let (sql, args) = aging_query(scope, as_of, floors, by_customer);
        let mut st = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let plan = st
            .query_map(rusqlite::params_from_iter(args.iter()), |r| {
                r.get::<_, String>(3)
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(plan)
    }
}
