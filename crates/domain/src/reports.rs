//! The pure arithmetic of the reports: percentiles and medians computed
//! exactly on integers, rates in percent, and the per-step tally of
//! reminders paid after them. The store reads the facts, the app composes;
//! nothing here reads a table or a clock.

pub mod ops;
