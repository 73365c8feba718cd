//! The reports. Each lives in its own module and is computed once, for the
//! Reports screen, the dashboard, `invoicer report …` and the CSV export.

mod automation;
mod exceptions;
mod needs_you;
mod ops_csv;
mod ops_scope;

#[allow(unused_imports)]
pub(crate) use automation::write_automation_csv;
#[allow(unused_imports)]
pub(crate) use exceptions::write_exceptions_csv;
