//! The filters every report query takes, as SQL conditions on `invoices i`.

use crate::records::enum_names::trigger_source_text;
use chrono::NaiveDate;
use invoicer_domain::approval_rules::TriggerSource;
use invoicer_domain::Currency;
use rusqlite::types::Value;

/// Which invoices a report reads. Unset fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportScope {
    /// Only this customer's invoices.
    pub customer_id: Option<i64>,
    /// Only invoices in this currency.
    pub currency: Option<Currency>,
    /// Only invoices printed with this template (by name).
    pub template: Option<String>,
    /// Only invoices made this way.
    pub source: Option<TriggerSource>,
    /// Only invoices issued on or after this day.
    pub issued_from: Option<NaiveDate>,
    /// Only invoices issued on or before this day.
    pub issued_to: Option<NaiveDate>,
}

impl ReportScope {
    /// ` AND …` conditions on `invoices i`, their arguments pushed onto
    /// `args` (numbered after what is already there).
    pub(crate) fn conditions(&self, args: &mut Vec<Value>) -> String {
        let mut sql = String::new();
        let mut add = |clause: &str, v: Value, args: &mut Vec<Value>| {
            args.push(v);
            sql.push_str(&format!(" AND {clause} ?{}", args.len()));
        };
        if let Some(c) = self.customer_id {
            add("i.customer_id =", Value::Integer(c), args);
        }
        if let Some(c) = self.currency {
            add("i.currency =", Value::Text(c.code().to_string()), args);
        }
        if let Some(t) = &self.template {
            add("i.template_name =", Value::Text(t.clone()), args);
        }
        if let Some(s) = self.source {
            add(
                "i.source =",
                Value::Text(trigger_source_text(s).to_string()),
                args,
            );
        }
        if let Some(d) = self.issued_from {
            add("i.issue_date >=", Value::Text(d.to_string()), args);
        }
        if let Some(d) = self.issued_to {
            add("i.issue_date <=", Value::Text(d.to_string()), args);
        }
        sql
    }
}
