//! Aging buckets: how many days past due an open balance is, in bands whose
//! upper bounds the company (or one request) chooses.

use chrono::{Days, NaiveDate};

/// The default bucket bounds: current, 1–30, 31–60, 61–90, 91+.
pub const DEFAULT_AGING_BOUNDS: [u32; 3] = [30, 60, 90];

/// The most bounds a request may give (so the table stays readable).
pub const MAX_AGING_BOUNDS: usize = 10;

/// The largest bound accepted, in days (ten years).
pub const MAX_AGING_DAYS: u32 = 3660;

/// One bucket as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketSpan {
    /// "Current", "1–30", …, "91+".
    pub label: String,
    /// The first day past due it holds; `None` for "current".
    pub from_days: Option<u32>,
    /// The last day past due it holds; `None` for the open-ended last one.
    pub to_days: Option<u32>,
}

/// Validated bucket bounds: ascending upper bounds in days past due. With
/// `n` bounds there are `n + 2` buckets: current (not yet due), one per
/// bound, and the open-ended last one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgingBuckets {
    bounds: Vec<u32>,
}

impl Default for AgingBuckets {
    fn default() -> Self {
        AgingBuckets {
            bounds: DEFAULT_AGING_BOUNDS.to_vec(),
        }
    }
}

impl AgingBuckets {
    /// Bounds `bounds`, or why they cannot be used: at least one, at most
    /// [`MAX_AGING_BOUNDS`], each from 1 to [`MAX_AGING_DAYS`], strictly
    /// ascending.
    pub fn new(bounds: &[u32]) -> Result<AgingBuckets, String> {
        if bounds.is_empty() {
            return Err("must name at least one bound, e.g. 30,60,90".into());
        }
        if bounds.len() > MAX_AGING_BOUNDS {
            return Err(format!("may name at most {MAX_AGING_BOUNDS} bounds"));
        }
        if let Some(b) = bounds.iter().find(|b| **b == 0 || **b > MAX_AGING_DAYS) {
            return Err(format!(
                "bound {b} is outside 1 to {MAX_AGING_DAYS} days past due"
            ));
        }
        if bounds.windows(2).any(|w| w[0] >= w[1]) {
            return Err("must be strictly ascending, e.g. 30,60,90".into());
        }
        Ok(AgingBuckets {
            bounds: bounds.to_vec(),
        })
    }

    /// The bounds.
    pub fn bounds(&self) -> &[u32] {
        &self.bounds
    }

    /// How many buckets.
    pub fn len(&self) -> usize {
        self.bounds.len() + 2
    }

    /// Never empty (there is always "current" and the open-ended one).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The buckets in order, with their labels.
    pub fn spans(&self) -> Vec<BucketSpan> {
        let mut out = vec![BucketSpan {
            label: "Current".into(),
            from_days: None,
            to_days: None,
        }];
        let mut from = 1;
        for b in &self.bounds {
            out.push(BucketSpan {
                label: format!("{from}–{b}"),
                from_days: Some(from),
                to_days: Some(*b),
            });
            from = b + 1;
        }
        out.push(BucketSpan {
            label: format!("{from}+"),
            from_days: Some(from),
            to_days: None,
        });
        out
    }

    /// The bucket of a balance `days_past_due` days past its due date (zero
    /// or negative: not yet past due, "current").
    pub fn bucket_of_days(&self, days_past_due: i64) -> usize {
        if days_past_due <= 0 {
            return 0;
        }
        match self
            .bounds
            .iter()
            .position(|b| days_past_due <= i64::from(*b))
        {
            Some(k) => k + 1,
            None => self.bounds.len() + 1,
        }
    }

    /// The earliest due date of each bucket but the last, as of `as_of`: a
    /// balance due on `due` falls in the first bucket `k` with
    /// `due >= floors[k]`, else in the last. This is how the store buckets
    /// in one pass over the due dates without date arithmetic in SQL; it
    /// agrees with [`AgingBuckets::bucket_of_days`] (tested).
    pub fn due_date_floors(&self, as_of: NaiveDate) -> Vec<NaiveDate> {
        let mut out = vec![as_of];
        for b in &self.bounds {
            out.push(
                as_of
                    .checked_sub_days(Days::new(u64::from(*b)))
                    .unwrap_or(NaiveDate::MIN),
            );
        }
        out
    }

    /// The bucket of a balance due on `due`, by the floors of
    /// [`AgingBuckets::due_date_floors`].
    pub fn bucket_of_due(floors: &[NaiveDate], due: NaiveDate) -> usize {
        floors
            .iter()
            .position(|f| due >= *f)
            .unwrap_or(floors.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn default_buckets_are_current_then_thirty_day_bands() {
        let b = AgingBuckets::default();
        let labels: Vec<String> = b.spans().into_iter().map(|s| s.label).collect();
        assert_eq!(labels, ["Current", "1–30", "31–60", "61–90", "91+"]);
        assert_eq!(
            [-5, 0, 1, 30, 31, 60, 61, 90, 91, 5000].map(|d| b.bucket_of_days(d)),
            [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
        );
    }

    #[test]
    fn floors_bucket_exactly_like_days_past_due() {
        let b = AgingBuckets::new(&[15, 45]).unwrap();
        let as_of = d("2026-03-01");
        let floors = b.due_date_floors(as_of);
        for back in -40i64..200 {
            let due = as_of - chrono::Duration::days(back);
            assert_eq!(
                AgingBuckets::bucket_of_due(&floors, due),
                b.bucket_of_days(back),
                "{back} days past due"
            );
        }
    }

    #[test]
    fn bad_bounds_are_refused_with_the_reason() {
        assert!(AgingBuckets::new(&[]).unwrap_err().contains("at least one"));
        assert!(AgingBuckets::new(&[30, 30])
            .unwrap_err()
            .contains("ascending"));
        assert!(AgingBuckets::new(&[0, 30]).unwrap_err().contains("bound 0"));
        assert!(AgingBuckets::new(&[1; 11]).unwrap_err().contains("at most"));
        let spans = AgingBuckets::new(&[7]).unwrap().spans();
        assert_eq!(spans[1].label, "1–7");
        assert_eq!((spans[2].from_days, spans[2].to_days), (Some(8), None));
    }
}
