//! The reports' read queries (migration 0024): sums of stored amounts —
//! totals, settled amounts, payments, refunds, credit notes — grouped as the
//! reports need them, through covering indexes. Nothing here recomputes an
//! invoice; the arithmetic people read (rates, averages, DSO, the forecast's
//! weeks) is the domain's.

mod aging;
mod flows;
mod scope;

pub use aging::AgingCell;
pub use flows::{DayAmount, OpenBalance, PaymentSpeedRow};
pub use scope::ReportScope;
