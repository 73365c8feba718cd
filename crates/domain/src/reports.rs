//! The pure arithmetic of the reports: aging buckets, report periods, rates,
//! averages, DSO and the cash forecast's weeks; and for the automation
//! report, percentiles and medians computed exactly on integers and the
//! per-step tally of reminders paid after them. The store sums stored
//! amounts and the app composes; every figure a person reads is computed
//! here, on integers and `Decimal`, never on floats.

pub mod aging;
pub mod figures;
pub mod forecast;
pub mod ops;
pub mod periods;
