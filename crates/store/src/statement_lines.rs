//! Bank statement lines (migration 0018): stored once per fingerprint,
//! applied at most once, and the statement mapping profiles.

use crate::codec::{corrupt, date, decimal, instant_text};
use crate::records::statement_profile_v1::{from_json, to_json};
use crate::{StoreError, Tx};
use chrono::{DateTime, Utc};
use invoicer_domain::reconciliation::{LineStatus, MatchBasis, OpenInvoice, StatementLine};
use invoicer_domain::statement_mapping::StatementProfile;
use invoicer_domain::Currency;
use rusqlite::{params, OptionalExtension};

/// A statement line as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredStatementLine {
    /// The stored id (what `payment confirm` takes).
    pub id: i64,
    /// What the statement said.
    pub line: StatementLine,
    /// The line of the file it was first read from (header = 1).
    pub file_line: u64,
    /// Where it stands.
    pub status: LineStatus,
    /// Why it was proposed.
    pub basis: Option<MatchBasis>,
    /// The invoice proposed or paid.
    pub invoice_id: Option<i64>,
    /// The payment it was applied as.
    pub payment_id: Option<i64>,
    /// The candidates of an ambiguous line, ascending.
    pub candidates: Vec<i64>,
}

/// A line to store: what was read, and what matching made of it.
#[derive(Debug, Clone)]
pub struct NewStatementLine<'a> {
    /// Its fingerprint (unique).
    pub fingerprint: &'a str,
    /// What the statement said.
    pub line: &'a StatementLine,
    /// The file line.
    pub file_line: u64,
    /// Its status before anything is applied.
    pub status: LineStatus,
    /// Why it was proposed.
    pub basis: Option<MatchBasis>,
    /// The invoice proposed.
    pub invoice_id: Option<i64>,
    /// The candidates of an ambiguous line.
    pub candidates: &'a [i64],
    /// Who imported it.
    pub imported_by: i64,
}

fn status_text(s: LineStatus) -> &'static str {
    match s {
        LineStatus::MoneyOut => "money_out",
        LineStatus::Applied => "applied",
        LineStatus::Proposed => "proposed",
        LineStatus::Ambiguous => "ambiguous",
        LineStatus::Unmatched => "unmatched",
        LineStatus::Dismissed => "dismissed",
    }
}

fn parse_status(s: &str) -> Result<LineStatus, StoreError> {
    Ok(match s {
        "money_out" => LineStatus::MoneyOut,
        "applied" => LineStatus::Applied,
        "proposed" => LineStatus::Proposed,
        "ambiguous" => LineStatus::Ambiguous,
        "unmatched" => LineStatus::Unmatched,
        "dismissed" => LineStatus::Dismissed,
        _ => return Err(corrupt("statement line status", s)),
    })
}

fn basis_text(b: MatchBasis) -> &'static str {
    match b {
        MatchBasis::ReferenceAboveBalance => "reference_above_balance",
        MatchBasis::AmountAndCustomer => "amount_and_customer",
        MatchBasis::AmountOnly => "amount_only",
    }
}

fn parse_basis(s: &str) -> Result<MatchBasis, StoreError> {
    Ok(match s {
        "reference_above_balance" => MatchBasis::ReferenceAboveBalance,
        "amount_and_customer" => MatchBasis::AmountAndCustomer,
        "amount_only" => MatchBasis::AmountOnly,
        _ => return Err(corrupt("match basis", s)),
    })
}

const LINE_COLUMNS: &str = "id, booked_on, amount, reference, counterparty, iban, file_line, outcome, basis, invoice_id, payment_id";

impl Tx<'_> {
    /// The invoices a statement line can pay: issued or partially paid,
    /// numbered, with a balance left, and the names their customer goes by.
    pub fn open_invoices_for_matching(&self) -> Result<Vec<OpenInvoice>, StoreError> {
        let mut st = self.conn.prepare(
            "SELECT i.id, i.number, i.currency, i.total_minor - i.paid_minor, i.customer_name,
                    c.name, c.company
             FROM invoices i JOIN customers c ON c.id = i.customer_id
             WHERE i.status IN ('issued', 'partially_paid') AND i.number IS NOT NULL
               AND i.total_minor > i.paid_minor
             ORDER BY i.id",
        )?;
        let mut rows = st.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let code: String = r.get(2)?;
            let currency = Currency::from_code(&code).ok_or_else(|| corrupt("currency", &code))?;
            let mut names: Vec<String> = Vec::new();
            for n in [r.get::<_, String>(4)?, r.get::<_, String>(5)?]
                .into_iter()
                .chain(r.get::<_, Option<String>>(6)?)
            {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
            out.push(OpenInvoice {
                id: r.get(0)?,
                number: r.get(1)?,
                customer_names: names,
                balance: currency.from_minor(r.get(3)?),
            });
        }
        Ok(out)
    }

    /// The line stored under `fingerprint`, if any.
    pub fn statement_line_by_fingerprint(
        &self,
        fingerprint: &str,
    ) -> Result<Option<StoredStatementLine>, StoreError> {
        let id: Option<i64> = self
            .conn
            .query_row(
                "SELECT id FROM statement_lines WHERE fingerprint = ?1",
                [fingerprint],
                |r| r.get(0),
            )
            .optional()?;
        id.map(|id| self.statement_line(id))
            .transpose()
            .map(Option::flatten)
    }

    /// Stores a line unless its fingerprint is already stored: `None` then
    /// (the line was imported before). One statement, no check-then-insert.
    pub fn insert_statement_line(
        &self,
        new: &NewStatementLine<'_>,
        at: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        let l = new.line;
        let id: Option<i64> = self
            .conn
            .query_row(
                "INSERT INTO statement_lines (fingerprint, booked_on, amount, reference, counterparty,
                     iban, file_line, outcome, basis, invoice_id, imported_by, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT (fingerprint) DO NOTHING RETURNING id",
                params![
                    new.fingerprint,
                    l.date.to_string(),
                    l.amount.normalize().to_string(),
                    l.reference,
                    l.counterparty,
                    l.iban,
                    new.file_line as i64,
                    status_text(new.status),
                    new.basis.map(basis_text),
                    new.invoice_id,
                    new.imported_by,
                    instant_text(at)
                ],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = id {
            for c in new.candidates {
                self.conn.execute(
                    "INSERT INTO statement_line_candidates (line_id, invoice_id) VALUES (?1, ?2)",
                    params![id, c],
                )?;
            }
        }
        Ok(id)
    }

    /// Marks a line applied as `payment_id` on `invoice_id`, unless it is
    /// applied already or is money going out: whether it was marked. The
    /// compare-and-set and the unique payment column make a line applied at
    /// most once, whoever confirms it at the same time.
    pub fn mark_statement_line_applied(
        &self,
        id: i64,
        invoice_id: i64,
        payment_id: i64,
        by: i64,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "UPDATE statement_lines SET outcome = 'applied', invoice_id = ?2, payment_id = ?3,
                 decided_by = ?4, decided_at = ?5
             WHERE id = ?1 AND outcome NOT IN ('applied', 'money_out')",
            params![id, invoice_id, payment_id, by, instant_text(at)],
        )? == 1)
    }

    /// Marks an open line dismissed (it pays no invoice): whether it was open.
    pub fn dismiss_statement_line(
        &self,
        id: i64,
        by: i64,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "UPDATE statement_lines SET outcome = 'dismissed', decided_by = ?2, decided_at = ?3
             WHERE id = ?1 AND outcome IN ('proposed', 'ambiguous', 'unmatched')",
            params![id, by, instant_text(at)],
        )? == 1)
    }

    /// One line.
    pub fn statement_line(&self, id: i64) -> Result<Option<StoredStatementLine>, StoreError> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {LINE_COLUMNS} FROM statement_lines WHERE id = ?1"),
                [id],
                raw_line,
            )
            .optional()?;
        row.map(|r| self.finish_line(r)).transpose()
    }

    /// The lines waiting for a person (proposed, ambiguous, unmatched), by
    /// day and id.
    pub fn open_statement_lines(&self) -> Result<Vec<StoredStatementLine>, StoreError> {
        let mut st = self.conn.prepare(&format!(
            "SELECT {LINE_COLUMNS} FROM statement_lines
             WHERE outcome IN ('proposed', 'ambiguous', 'unmatched') ORDER BY booked_on, id"
        ))?;
        let raw = st.query_map([], raw_line)?.collect::<Result<Vec<_>, _>>()?;
        raw.into_iter().map(|r| self.finish_line(r)).collect()
    }

    fn finish_line(&self, r: RawLine) -> Result<StoredStatementLine, StoreError> {
        let mut st = self.conn.prepare_cached(
            "SELECT invoice_id FROM statement_line_candidates WHERE line_id = ?1 ORDER BY invoice_id",
        )?;
        let candidates = st
            .query_map([r.id], |row| row.get(0))?
            .collect::<Result<Vec<i64>, _>>()?;
        Ok(StoredStatementLine {
            id: r.id,
            line: StatementLine {
                date: date(&r.booked_on)?,
                amount: decimal(&r.amount)?,
                reference: r.reference,
                counterparty: r.counterparty,
                iban: r.iban,
            },
            file_line: r.file_line as u64,
            status: parse_status(&r.outcome)?,
            basis: r.basis.as_deref().map(parse_basis).transpose()?,
            invoice_id: r.invoice_id,
            payment_id: r.payment_id,
            candidates,
        })
    }

    /// Saves a statement profile under its name (replacing one of that name).
    pub fn save_statement_profile(
        &self,
        profile: &StatementProfile,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "INSERT INTO statement_profiles (name, record, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET record = excluded.record,
                                              updated_at = excluded.updated_at
             RETURNING id",
            (&profile.name, to_json(profile)?, instant_text(at)),
            |r| r.get(0),
        )?)
    }

    /// The statement profile named `name`.
    pub fn statement_profile(&self, name: &str) -> Result<Option<StatementProfile>, StoreError> {
        self.conn
            .query_row(
                "SELECT record FROM statement_profiles WHERE name = ?1",
                [name],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .map(|json| from_json(&json))
            .transpose()
    }

    /// Every statement profile, by name.
    pub fn statement_profiles(&self) -> Result<Vec<StatementProfile>, StoreError> {
        let mut st = self
            .conn
            .prepare("SELECT record FROM statement_profiles ORDER BY name")?;
        let rows = st
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        rows.iter().map(|j| from_json(j)).collect()
    }
}

struct RawLine {
    id: i64,
    booked_on: String,
    amount: String,
    reference: String,
    counterparty: Option<String>,
    iban: Option<String>,
    file_line: i64,
    outcome: String,
    basis: Option<String>,
    invoice_id: Option<i64>,
    payment_id: Option<i64>,
}

fn raw_line(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawLine> {
    Ok(RawLine {
        id: r.get(0)?,
        booked_on: r.get(1)?,
        amount: r.get(2)?,
        reference: r.get(3)?,
        counterparty: r.get(4)?,
        iban: r.get(5)?,
        file_line: r.get(6)?,
        outcome: r.get(7)?,
        basis: r.get(8)?,
        invoice_id: r.get(9)?,
        payment_id: r.get(10)?,
    })
}
