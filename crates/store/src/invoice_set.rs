//! The invoices a report's filters admit, held as a set of ids, for reads
//! that stream the rows of another table (deliveries, reminders) and keep
//! those of its invoices.
//!
//! Joining each of a million deliveries to its invoice to test a filter
//! that nearly every invoice passes (one currency is the common case) costs
//! a table lookup per row, seconds in all; reading the admitted ids once
//! from an index and testing each row against a bit set costs a fraction
//! of that, and the same whether the filter keeps one customer or all.

use crate::report_ops::{scope_clause, OpsScope};
use crate::{StoreError, Tx};

/// A set of invoice ids, one bit per id up to the largest.
#[derive(Debug, Clone, Default)]
pub(crate) struct InvoiceSet {
    bits: Vec<u64>,
}

impl InvoiceSet {
    fn insert(&mut self, id: i64) {
        let Ok(id) = usize::try_from(id) else {
            // Ids are positive: SQLite's rowids of invoices are never below
            // one, and a negative one could not be in any set.
            return;
        };
        let word = id / 64;
        if word >= self.bits.len() {
            self.bits.resize(word + 1, 0);
        }
        self.bits[word] |= 1 << (id % 64);
    }

    /// Whether `id` is in the set.
    pub(crate) fn contains(&self, id: i64) -> bool {
        usize::try_from(id).is_ok_and(|id| {
            self.bits
                .get(id / 64)
                .is_some_and(|w| w & (1 << (id % 64)) != 0)
        })
    }
}

/// Which invoices a read keeps: every one, or those of a set.
#[derive(Debug, Clone)]
pub(crate) enum Admitted {
    /// The scope filters nothing.
    All,
    /// Only these.
    Only(InvoiceSet),
}

impl Admitted {
    /// Whether the invoice `id` is kept.
    pub(crate) fn admits(&self, id: i64) -> bool {
        match self {
            Admitted::All => true,
            Admitted::Only(set) => set.contains(id),
        }
    }
}

impl Tx<'_> {
    /// The invoices `scope` admits, read once (from an index that holds the
    /// filtered columns, when one does), or `All` when it filters nothing.
    pub(crate) fn admitted_invoices(&self, scope: &OpsScope) -> Result<Admitted, StoreError> {
        if scope == &OpsScope::default() {
            return Ok(Admitted::All);
        }
        let (cond, args) = scope_clause(scope, 1);
        let mut st = self
            .conn
            .prepare(&format!("SELECT i.id FROM invoices i WHERE {cond}"))?;
        let mut rows = st.query(rusqlite::params_from_iter(args))?;
        let mut set = InvoiceSet::default();
        while let Some(r) = rows.next()? {
            set.insert(r.get(0)?);
        }
        Ok(Admitted::Only(set))
    }
}

#[cfg(test)]
mod tests {
    use super::InvoiceSet;

    /// Ids in the set are found, ids around them and beyond the largest
    /// are not, and no id panics, negative or huge.
    #[test]
    fn a_set_holds_exactly_its_ids() {
        let mut set = InvoiceSet::default();
        for id in [1, 63, 64, 65, 1_000_000, -5] {
            set.insert(id);
        }
        for id in [1, 63, 64, 65, 1_000_000] {
            assert!(set.contains(id), "{id}");
        }
        for id in [0, 2, 62, 66, 999_999, 1_000_001, -5, i64::MAX, i64::MIN] {
            assert!(!set.contains(id), "{id}");
        }
    }
}
