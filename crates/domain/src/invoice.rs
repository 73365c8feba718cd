//! The invoice aggregate: header, customer snapshot, lines and computed totals.

use crate::customer::Customer;
use crate::lifecycle::{display_status, DisplayStatus, InvoiceStatus};
use crate::line::LineItem;
use crate::money::{Currency, RoundingMode, RoundingScope};
use crate::totals::{compute_totals, Totals};
use crate::validation::{check_printed, ValidationErrors};
use chrono::{DateTime, Days, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The editable content of an invoice, already checked line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceContent {
    /// The customer, as it will be printed. Drafts refresh it on every edit;
    /// issuing freezes it, so later edits of the customer never change an issued invoice.
    pub customer: Customer,
    /// The invoice currency.
    pub currency: Currency,
    /// The calendar day of issue (in the company's time zone).
    pub issue_date: NaiveDate,
    /// Payment terms in days after the issue date.
    pub terms_days: u32,
    /// Free text printed on the invoice.
    pub notes: Option<String>,
    /// The lines, in order.
    pub lines: Vec<LineItem>,
}

/// The most lines one invoice may have.
pub const MAX_LINES: usize = 1000;

/// The most characters of an invoice's notes.
pub const MAX_NOTES: usize = 2000;

impl InvoiceContent {
    /// The due date: issue date plus the payment terms.
    pub fn due_date(&self) -> NaiveDate {
        self.issue_date
            .checked_add_days(Days::new(u64::from(self.terms_days)))
            .unwrap_or(NaiveDate::MAX)
    }

    /// Checks what the lines alone cannot: at least one line, sane terms.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::new();
        if self.lines.is_empty() {
            errs.push("lines", "", "an invoice needs at least one line");
        }
        if self.terms_days > 365 {
            errs.push(
                "terms_days",
                self.terms_days.to_string(),
                "must be between 0 and 365",
            );
        }
        if self.lines.len() > MAX_LINES {
            errs.push(
                "lines",
                self.lines.len().to_string(),
                format!("an invoice has at most {MAX_LINES} lines"),
            );
        }
        if let Some(notes) = &self.notes {
            check_printed(&mut errs, "notes", notes, MAX_NOTES, true);
        }
        for (i, l) in self.lines.iter().enumerate() {
            if let Some(p) = &l.proration {
                errs.extend_prefixed(&format!("lines[{i}]"), p.validate());
            }
            if let Some(reason) = &l.tax_exemption {
                check_printed(
                    &mut errs,
                    &format!("lines[{i}].tax_exempt_reason"),
                    reason,
                    crate::line::MAX_EXEMPTION_REASON,
                    false,
                );
            }
        }
        errs.into_result()
    }

    /// Checks what only the computed totals show: every amount must fit the
    /// store's integer minor units (a field error, never a storage failure), and
    /// an invoice whose every line rounds to zero is refused, because issuing it
    /// would use up a number for nothing.
    pub fn check_totals(&self, totals: &Totals) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let cur = self.currency;
        for (i, a) in totals.lines.iter().enumerate() {
            if [a.gross, a.total].iter().any(|x| cur.to_minor(*x).is_err()) {
                errs.push(
                    format!("lines[{i}].quantity"),
                    self.lines
                        .get(i)
                        .map(|l| l.quantity.to_string())
                        .unwrap_or_default(),
                    format!(
                        "makes the line amount {} {} too large to store",
                        a.gross,
                        cur.code()
                    ),
                );
            }
        }
        if errs.is_empty()
            && [totals.subtotal, totals.tax_total, totals.total]
                .iter()
                .any(|x| cur.to_minor(*x).is_err())
        {
            errs.push(
                "lines",
                totals.total.to_string(),
                format!("the invoice total is too large to store in {}", cur.code()),
            );
        }
        if !totals.lines.is_empty() && totals.lines.iter().all(|a| a.total.is_zero()) {
            for (i, l) in self.lines.iter().enumerate() {
                errs.push(
                    format!("lines[{i}].unit_price"),
                    l.unit_price.to_string(),
                    format!(
                        "rounds this line to 0 {} (like every other line); an invoice must charge something",
                        cur.code()
                    ),
                );
            }
        }
        errs.into_result()
    }

    /// Computes the totals under the given rounding rules.
    pub fn totals(&self, scope: RoundingScope, mode: RoundingMode) -> Totals {
        compute_totals(&self.lines, self.currency, scope, mode)
    }
}

/// A stored invoice in any state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    /// Stored id.
    pub id: i64,
    /// The gapless number, given when the invoice is issued.
    pub number: Option<String>,
    /// The stored lifecycle state.
    pub status: InvoiceStatus,
    /// What the invoice says.
    pub content: InvoiceContent,
    /// Rounding scope pinned when the draft was last computed.
    pub rounding_scope: RoundingScope,
    /// Rounding mode pinned when the draft was last computed.
    pub rounding_mode: RoundingMode,
    /// Computed amounts.
    pub totals: Totals,
    /// Sum of recorded payments less the refunds paid back.
    pub amount_paid: Decimal,
    /// Sum of the credit notes issued against it.
    pub amount_credited: Decimal,
    /// Who created the draft (user id).
    pub created_by: i64,
    /// Who last changed the content (user id); the maker until someone edits it.
    pub last_edited_by: i64,
    /// When the draft was created.
    pub created_at: DateTime<Utc>,
    /// When it was issued.
    pub issued_at: Option<DateTime<Utc>>,
    /// Why it was voided.
    pub void_reason: Option<String>,
    /// The day a dispute was opened, while one is open.
    pub disputed_on: Option<NaiveDate>,
    /// The template (name and version) the invoice is printed with.
    pub template: Option<TemplateRef>,
    /// SHA-256 of the archived PDF, once issued.
    pub pdf_sha256: Option<String>,
}

/// A pinned template version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRef {
    /// Template name, e.g. `standard-en`.
    pub name: String,
    /// Version number within the template.
    pub version: u32,
}

impl Invoice {
    /// What is still owed, net of payments (less refunds) and credit notes:
    /// the one balance every rule reads (status, overdue, reminders). It is
    /// negative when the customer is owed money back (a credit note on a
    /// paid invoice not refunded yet).
    pub fn balance(&self) -> Decimal {
        self.totals.total - self.amount_paid - self.amount_credited
    }

    /// How much may still be credited: the total less the credit notes so far.
    pub fn creditable(&self) -> Decimal {
        self.totals.total - self.amount_credited
    }

    /// Whether the invoice was really issued: numbered, with an archived PDF.
    /// The status alone is not enough, because databases written before
    /// approved invoices stopped being voidable hold void invoices that were
    /// never issued.
    pub fn was_issued(&self) -> bool {
        self.status.is_issued() && self.number.is_some()
    }

    /// The due date.
    pub fn due_date(&self) -> NaiveDate {
        self.content.due_date()
    }

    /// The status a person sees on `today`.
    pub fn display_status(&self, today: NaiveDate) -> DisplayStatus {
        display_status(self.status, self.due_date(), self.balance(), today)
    }
}
