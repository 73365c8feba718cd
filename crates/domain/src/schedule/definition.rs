//! A schedule as people define it: whom it bills, what, how and when.

use super::{ScheduleMode, ScheduleRule, ScheduleState};
use crate::money::Currency;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

/// One line billed every period, already checked (see
/// [`crate::line::LineText::parse`]); prorated per period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleLine {
    /// What is sold, as the customer reads it.
    pub description: String,
    /// How many units.
    pub quantity: Decimal,
    /// The price of one unit.
    pub unit_price: Decimal,
    /// The discount in percent, if any.
    pub discount_percent: Option<Decimal>,
    /// One explicit tax rate instead of the customer's group.
    pub tax_rate_id: Option<i64>,
    /// Why the line carries no tax, when it is exempt.
    pub tax_exempt_reason: Option<String>,
}

/// What a schedule makes its invoices from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleTerms {
    /// A name people recognise it by (e.g. "Acme retainer").
    pub name: String,
    /// The customer billed.
    pub customer_id: i64,
    /// The lines billed each period.
    pub lines: Vec<ScheduleLine>,
    /// The invoices' currency; the customer's (else the company's) when absent.
    pub currency: Option<Currency>,
    /// The template's name; the customer's or the default when absent.
    pub template: Option<String>,
    /// Payment terms in days; the company's when absent.
    pub terms_days: Option<u32>,
    /// When it bills.
    pub rule: ScheduleRule,
    /// Issue and send, or leave drafts for review.
    pub mode: ScheduleMode,
}

/// A stored schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    /// Its id.
    pub id: i64,
    /// What it bills.
    pub terms: ScheduleTerms,
    /// Whether it makes invoices now.
    pub state: ScheduleState,
    /// When a test run last passed; a schedule is enabled only after one.
    pub tested_at: Option<DateTime<Utc>>,
    /// The user who made it: its invoices' maker.
    pub created_by: i64,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}
