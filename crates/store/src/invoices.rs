//! Invoices, their lines and their tax breakdown.
//!
//! Computed amounts are stored, not recomputed on load: an issued invoice must
//! read back exactly as it was issued even if the rules change later.

use crate::codec::{currency, date, decimal, instant, instant_text, minor, opt_date};
use crate::records::customer_snapshot_v1;
use crate::records::enum_names::{
    parse_rounding_mode, parse_rounding_scope, parse_status, rounding_mode_text,
    rounding_scope_text, status_text,
};
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use invoicer_domain::customer::Customer;
use invoicer_domain::invoice::{Invoice, InvoiceContent, TemplateRef};
use invoicer_domain::lifecycle::InvoiceStatus;
use invoicer_domain::line::{LineItem, Proration};
use invoicer_domain::money::{RoundingMode, RoundingScope};
use invoicer_domain::tax::TaxRate;
use invoicer_domain::totals::{LineAmounts, TaxLine, Totals};
use invoicer_domain::{Currency, Decimal};
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension};
use std::collections::HashMap;

/// What is written when a draft is created or edited.
#[derive(Debug, Clone, Copy)]
pub struct InvoiceRecord<'a> {
    /// The content.
    pub content: &'a InvoiceContent,
    /// Its computed totals.
    pub totals: &'a Totals,
    /// The rounding scope used.
    pub rounding_scope: RoundingScope,
    /// The rounding mode used.
    pub rounding_mode: RoundingMode,
}

/// The header columns a draft's content sets, in the order of [`header_values`].
const HEADER_COLUMNS: [&str; 14] = [
    "customer_id",
    "customer_name",
    "customer",
    "currency",
    "issue_date",
    "terms_days",
    "due_date",
    "notes",
    "rounding_scope",
    "rounding_mode",
    "subtotal_minor",
    "discount_minor",
    "tax_minor",
    "total_minor",
];

/// The values of [`HEADER_COLUMNS`] for a draft.
fn header_values(rec: InvoiceRecord<'_>) -> Result<[Value; 14], StoreError> {
    let c = rec.content;
    let cur = c.currency;
    let t = rec.totals;
    let customer_json = customer_snapshot_v1::to_json(&c.customer)?;
    Ok([
        Value::Integer(c.customer.id),
        Value::Text(display_name(&c.customer)),
        Value::Text(customer_json),
        Value::Text(cur.code().to_string()),
        Value::Text(c.issue_date.to_string()),
        Value::Integer(i64::from(c.terms_days)),
        Value::Text(c.due_date().to_string()),
        c.notes.clone().map_or(Value::Null, Value::Text),
        Value::Text(rounding_scope_text(rec.rounding_scope).to_string()),
        Value::Text(rounding_mode_text(rec.rounding_mode).to_string()),
        Value::Integer(minor(cur, t.subtotal)?),
        Value::Integer(minor(cur, t.discount_total)?),
        Value::Integer(minor(cur, t.tax_total)?),
        Value::Integer(minor(cur, t.total)?),
    ])
}

impl Tx<'_> {
    /// Creates a draft and returns its id.
    pub fn insert_invoice(
        &self,
        rec: InvoiceRecord<'_>,
        created_by: i64,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let placeholders: Vec<String> = (3..3 + HEADER_COLUMNS.len())
            .map(|i| format!("?{i}"))
            .collect();
        let mut values = vec![Value::Integer(created_by), Value::Text(instant_text(at))];
        values.extend(header_values(rec)?);
        self.conn.execute(
            &format!(
                "INSERT INTO invoices (status, created_by, last_edited_by, created_at, {}) VALUES ('draft', ?1, ?1, ?2, {})",
                HEADER_COLUMNS.join(", "),
                placeholders.join(", ")
            ),
            params_from_iter(values),
        )?;
        let id = self.conn.last_insert_rowid();
        self.write_lines(id, rec)?;
        Ok(id)
    }

    /// Replaces a draft's content and totals, records `edited_by` as its last
    /// editor and makes it a draft again. The caller has checked that the
    /// invoice is still editable.
    pub fn replace_draft(
        &self,
        id: i64,
        rec: InvoiceRecord<'_>,
        edited_by: i64,
    ) -> Result<(), StoreError> {
        let assignments: Vec<String> = HEADER_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = ?{}", i + 3))
            .collect();
        let mut values = vec![Value::Integer(id), Value::Integer(edited_by)];
        values.extend(header_values(rec)?);
        self.conn.execute(
            &format!(
                "UPDATE invoices SET status = 'draft', last_edited_by = ?2, {} WHERE id = ?1",
                assignments.join(", ")
            ),
            params_from_iter(values),
        )?;
        self.conn
            .execute("DELETE FROM invoice_lines WHERE invoice_id = ?1", [id])?;
        self.conn
            .execute("DELETE FROM invoice_taxes WHERE invoice_id = ?1", [id])?;
        self.write_lines(id, rec)
    }

    fn write_lines(&self, id: i64, rec: InvoiceRecord<'_>) -> Result<(), StoreError> {
        let cur = rec.content.currency;
        let mut ins = self.conn.prepare_cached(
            "INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price,
                 discount_percent, tax_rate_id, tax_name, tax_rate, tax_inclusive, period_start, period_end,
                 billed_from, billed_to, gross_minor, discount_minor, net_minor, tax_minor, total_minor,
                 tax_exemption)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
        )?;
        let mut ins_line_tax = self.conn.prepare_cached(
            "INSERT INTO invoice_line_taxes (invoice_id, line_position, position, tax_rate_id, name,
                 rate, inclusive, compound, tax_minor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for (pos, (l, a)) in rec.content.lines.iter().zip(&rec.totals.lines).enumerate() {
            let p = l.proration;
            // The first rate also goes to the line's own columns, as before
            // stacking, so readers of single-tax lines see what they always saw;
            // invoice_line_taxes holds every rate.
            let first = l.taxes.first();
            ins.execute(params![
                id,
                pos,
                l.description,
                l.quantity.to_string(),
                l.unit_price.to_string(),
                l.discount_percent.map(|d| d.to_string()),
                first.and_then(|t| t.id),
                first.map(|t| t.name.clone()),
                first.map(|t| t.rate.to_string()),
                first.map(|t| t.inclusive),
                p.map(|p| p.period_start.to_string()),
                p.map(|p| p.period_end.to_string()),
                p.map(|p| p.billed_from.to_string()),
                p.map(|p| p.billed_to.to_string()),
                minor(cur, a.gross)?,
                minor(cur, a.discount)?,
                minor(cur, a.net)?,
                minor(cur, a.tax)?,
                minor(cur, a.total)?,
                l.tax_exemption,
            ])?;
            for (k, t) in l.taxes.iter().enumerate() {
                let tax = a.taxes.get(k).copied().unwrap_or_default();
                ins_line_tax.execute(params![
                    id,
                    pos,
                    k,
                    t.id,
                    t.name,
                    t.rate.to_string(),
                    t.inclusive,
                    t.compound,
                    minor(cur, tax)?,
                ])?;
            }
        }
        let mut ins_tax = self.conn.prepare_cached(
            "INSERT INTO invoice_taxes (invoice_id, position, name, rate, inclusive, base_minor, tax_minor,
                 compound)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for (pos, t) in rec.totals.tax_breakdown.iter().enumerate() {
            ins_tax.execute(params![
                id,
                pos,
                t.name,
                t.rate.to_string(),
                t.inclusive,
                minor(cur, t.base)?,
                minor(cur, t.tax)?,
                t.compound,
            ])?;
        }
        Ok(())
    }

    /// Sets the lifecycle state.
    pub fn set_invoice_status(&self, id: i64, status: InvoiceStatus) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE invoices SET status = ?2 WHERE id = ?1",
            params![id, status_text(status)],
        )?;
        Ok(())
    }

    /// Records the issue: number, instant, pinned template and archive checksum.
    pub fn mark_issued(
        &self,
        id: i64,
        number: &str,
        at: DateTime<Utc>,
        template: Option<&TemplateRef>,
        pdf_sha256: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE invoices SET status = 'issued', number = ?2, issued_at = ?3, template_name = ?4,
                 template_version = ?5, pdf_sha256 = ?6
             WHERE id = ?1",
            params![
                id,
                number,
                instant_text(at),
                template.map(|t| t.name.clone()),
                template.map(|t| t.version),
                pdf_sha256
            ],
        )?;
        Ok(())
    }

    /// Records the template a draft was chosen to be printed with (`None`:
    /// the customer's or the company default). Issuing pins the version.
    pub fn set_invoice_template(
        &self,
        id: i64,
        template: Option<&TemplateRef>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE invoices SET template_name = ?2, template_version = ?3 WHERE id = ?1",
            params![
                id,
                template.map(|t| t.name.clone()),
                template.map(|t| t.version)
            ],
        )?;
        Ok(())
    }

    /// Voids an invoice with its reason.
    pub fn mark_void(&self, id: i64, reason: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE invoices SET status = 'void', void_reason = ?2 WHERE id = ?1",
            params![id, reason],
        )?;
        Ok(())
    }

    /// A whole invoice by id.
    pub fn invoice(&self, id: i64) -> Result<Option<Invoice>, StoreError> {
        let head = self
            .conn
            .query_row(
                "SELECT number, status, customer, currency, issue_date, terms_days, notes, rounding_scope,
                        rounding_mode, subtotal_minor, discount_minor, tax_minor, total_minor, paid_minor,
                        created_by, created_at, issued_at, void_reason, disputed_on, template_name,
                        template_version, pdf_sha256, ifnull(last_edited_by, created_by), credited_minor
                 FROM invoices WHERE id = ?1",
                [id],
                |r| {
                    Ok(Head {
                        number: r.get(0)?,
                        status: r.get(1)?,
                        customer: r.get(2)?,
                        currency: r.get(3)?,
                        issue_date: r.get(4)?,
                        terms_days: r.get(5)?,
                        notes: r.get(6)?,
                        rounding_scope: r.get(7)?,
                        rounding_mode: r.get(8)?,
                        amounts: [
                            r.get(9)?,
                            r.get(10)?,
                            r.get(11)?,
                            r.get(12)?,
                            r.get(13)?,
                            r.get(23)?,
                        ],
                        created_by: r.get(14)?,
                        created_at: r.get(15)?,
                        issued_at: r.get(16)?,
                        void_reason: r.get(17)?,
                        disputed_on: r.get(18)?,
                        template_name: r.get(19)?,
                        template_version: r.get(20)?,
                        pdf_sha256: r.get(21)?,
                        last_edited_by: r.get(22)?,
                    })
                },
            )
            .optional()?;
        let Some(h) = head else { return Ok(None) };
        let cur = currency(&h.currency)?;
        let (lines, line_amounts) = self.load_lines(id, cur)?;
        let tax_breakdown = self.load_taxes(id, cur)?;
        let customer = customer_snapshot_v1::from_json(&h.customer)?;
        let [subtotal, discount, tax, total, settled, credited] =
            h.amounts.map(|m| cur.from_minor(m));
        Ok(Some(Invoice {
            id,
            number: h.number,
            status: parse_status(&h.status)?,
            content: InvoiceContent {
                customer,
                currency: cur,
                issue_date: date(&h.issue_date)?,
                terms_days: h.terms_days,
                notes: h.notes,
                lines,
            },
            rounding_scope: parse_rounding_scope(&h.rounding_scope)?,
            rounding_mode: parse_rounding_mode(&h.rounding_mode)?,
            totals: Totals {
                lines: line_amounts,
                subtotal,
                discount_total: discount,
                tax_breakdown,
                tax_total: tax,
                total,
            },
            // paid_minor holds everything that settled the invoice (see
            // migration 0016); the money received is that less the credits.
            amount_paid: settled - credited,
            amount_credited: credited,
            created_by: h.created_by,
            last_edited_by: h.last_edited_by,
            created_at: instant(&h.created_at)?,
            issued_at: h.issued_at.as_deref().map(instant).transpose()?,
            void_reason: h.void_reason,
            disputed_on: opt_date(h.disputed_on)?,
            template: match (h.template_name, h.template_version) {
                (Some(name), Some(version)) => Some(TemplateRef { name, version }),
                _ => None,
            },
            pdf_sha256: h.pdf_sha256,
        }))
    }

    fn load_lines(
        &self,
        id: i64,
        cur: Currency,
    ) -> Result<(Vec<LineItem>, Vec<LineAmounts>), StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT description, quantity, unit_price, discount_percent, tax_rate_id, tax_name, tax_rate,
                    tax_inclusive, period_start, period_end, billed_from, billed_to, gross_minor,
                    discount_minor, net_minor, tax_minor, total_minor, tax_exemption, position
             FROM invoice_lines WHERE invoice_id = ?1 ORDER BY position",
        )?;
        let mut stacked = self.load_line_taxes(id, cur)?;
        let mut rows = st.query([id])?;
        let mut lines = Vec::new();
        let mut amounts = Vec::new();
        while let Some(r) = rows.next()? {
            let tax_name: Option<String> = r.get(5)?;
            let line_tax = cur.from_minor(r.get(15)?);
            let (taxes, tax_amounts) = match stacked.remove(&r.get::<_, i64>(18)?) {
                Some(stack) => stack.into_iter().unzip(),
                // A line written before stacking: its one tax is in its own columns.
                None => match tax_name {
                    Some(name) => (
                        vec![TaxRate {
                            id: r.get(4)?,
                            country: String::new(),
                            region: None,
                            name,
                            rate: decimal(&r.get::<_, String>(6)?)?,
                            inclusive: r.get(7)?,
                            compound: false,
                            position: 0,
                            automatic: true,
                            valid_from: None,
                            valid_to: None,
                        }],
                        vec![line_tax],
                    ),
                    None => (Vec::new(), Vec::new()),
                },
            };
            let period: [Option<String>; 4] = [r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?];
            let proration = match period {
                [Some(a), Some(b), Some(c), Some(d)] => Some(Proration {
                    period_start: date(&a)?,
                    period_end: date(&b)?,
                    billed_from: date(&c)?,
                    billed_to: date(&d)?,
                }),
                _ => None,
            };
            let discount: Option<String> = r.get(3)?;
            lines.push(LineItem {
                description: r.get(0)?,
                quantity: decimal(&r.get::<_, String>(1)?)?,
                unit_price: decimal(&r.get::<_, String>(2)?)?,
                discount_percent: discount.as_deref().map(decimal).transpose()?,
                taxes,
                tax_exemption: r.get(17)?,
                proration,
            });
            let m = |i: usize| -> Result<Decimal, StoreError> { Ok(cur.from_minor(r.get(i)?)) };
            amounts.push(LineAmounts {
                gross: m(12)?,
                discount: m(13)?,
                net: m(14)?,
                tax: line_tax,
                taxes: tax_amounts,
                total: m(16)?,
            });
        }
        Ok((lines, amounts))
    }

    /// Every stacked tax of an invoice's lines, by line position, in rate order.
    fn load_line_taxes(
        &self,
        id: i64,
        cur: Currency,
    ) -> Result<HashMap<i64, Vec<(TaxRate, Decimal)>>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT line_position, tax_rate_id, name, rate, inclusive, compound, tax_minor
             FROM invoice_line_taxes WHERE invoice_id = ?1 ORDER BY line_position, position",
        )?;
        let mut rows = st.query([id])?;
        let mut out: HashMap<i64, Vec<(TaxRate, Decimal)>> = HashMap::new();
        while let Some(r) = rows.next()? {
            let rate = TaxRate {
                id: r.get(1)?,
                country: String::new(),
                region: None,
                name: r.get(2)?,
                rate: decimal(&r.get::<_, String>(3)?)?,
                inclusive: r.get(4)?,
                compound: r.get(5)?,
                position: 0,
                automatic: true,
                valid_from: None,
                valid_to: None,
            };
            out.entry(r.get(0)?)
                .or_default()
                .push((rate, cur.from_minor(r.get(6)?)));
        }
        Ok(out)
    }

    fn load_taxes(&self, id: i64, cur: Currency) -> Result<Vec<TaxLine>, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT name, rate, inclusive, base_minor, tax_minor, compound FROM invoice_taxes
             WHERE invoice_id = ?1 ORDER BY position",
        )?;
        let mut rows = st.query([id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(TaxLine {
                name: r.get(0)?,
                rate: decimal(&r.get::<_, String>(1)?)?,
                inclusive: r.get(2)?,
                base: cur.from_minor(r.get(3)?),
                tax: cur.from_minor(r.get(4)?),
                compound: r.get(5)?,
            });
        }
        Ok(out)
    }
}

struct Head {
    number: Option<String>,
    status: String,
    customer: String,
    currency: String,
    issue_date: String,
    terms_days: u32,
    notes: Option<String>,
    rounding_scope: String,
    rounding_mode: String,
    /// Subtotal, discount, tax, total, settled (`paid_minor`), credited.
    amounts: [i64; 6],
    created_by: i64,
    created_at: String,
    issued_at: Option<String>,
    void_reason: Option<String>,
    disputed_on: Option<String>,
    template_name: Option<String>,
    template_version: Option<u32>,
    pdf_sha256: Option<String>,
    last_edited_by: i64,
}

/// The name lists show: the company if there is one, else the person.
fn display_name(c: &Customer) -> String {
    c.company.clone().unwrap_or_else(|| c.name.clone())
}
