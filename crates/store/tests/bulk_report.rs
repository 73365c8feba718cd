//! A bulk job's report on a real SQLite file: 100,000 row errors recorded
//! in batches and paged by key, never loaded at once.

mod bulk_support;

use bulk_support::*;
use invoicer_domain::bulk_job::BulkRowError;

#[test]
fn a_hundred_thousand_row_errors_are_recorded_and_paged() {
    let dir = tempfile::tempdir().unwrap();
    let (store, user, _) = setup(&dir.path().join("invoicer.db"));
    let job = running_job(&store, user, 0, &[]);
    const TOTAL: u32 = 100_000;
    const BATCH: u32 = 5_000;
    let started = std::time::Instant::now();
    for batch in 0..TOTAL / BATCH {
        let errors: Vec<BulkRowError> = (0..BATCH)
            .map(|i| {
                let line = 2 + batch * BATCH + i;
                BulkRowError {
                    line,
                    column: Some("Amount".into()),
                    value: format!("=1+{line}"),
                    reason: "is not a number in the format 1,234.56".into(),
                }
            })
            .collect();
        store
            .write(|tx| tx.record_bulk_row_errors(job, &errors))
            .unwrap();
    }
    let recorded = started.elapsed();
    let started = std::time::Instant::now();
    let counts = store.read(|tx| tx.bulk_job(job)).unwrap().unwrap().counts;
    let counted = started.elapsed();
    assert_eq!(counts.row_errors, TOTAL);

    let started = std::time::Instant::now();
    let (mut after, mut seen, mut pages, mut expected_line) = (None, 0u32, 0u32, 2u32);
    loop {
        let page = store
            .read(|tx| tx.bulk_row_errors(job, after, 1_000))
            .unwrap();
        assert!(
            page.len() <= 1_000,
            "a page held more than it was asked for"
        );
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        for e in &page {
            assert_eq!(e.error.line, expected_line, "an error was lost or repeated");
            expected_line += 1;
        }
        seen += page.len() as u32;
        pages += 1;
    }
    assert_eq!((seen, pages), (TOTAL, TOTAL / 1_000));
    // A page from the middle is read by its key, not by skipping rows:
    // the error with id 49,998 is line 49,999, so the page starts at 50,000.
    let middle = store
        .read(|tx| tx.bulk_row_errors(job, Some(49_998), 3))
        .unwrap();
    let lines: Vec<u32> = middle.iter().map(|e| e.error.line).collect();
    assert_eq!(lines, [50_000, 50_001, 50_002]);
    assert_eq!(
        middle[0].error.value, "=1+50000",
        "stored as text, as given"
    );
    println!(
        "100,000 row errors: recorded in {recorded:?} ({} transactions), counted in {counted:?}, \
         paged (100 pages of 1,000) in {:?}",
        TOTAL / BATCH,
        started.elapsed()
    );
}
