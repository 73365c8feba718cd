//! Bulk jobs on real SQLite files: an invoice key is made at most once
//! (within a job, across jobs, across a crash), a job resumes from its
//! cursor, and its counts agree with its rows.

mod bulk_support;

use bulk_support::*;
use invoicer_domain::bulk_job::{
    BulkInvoiceFailure, BulkJobEvent, BulkJobStatus, BulkOutcome, BulkRowError, BulkRowKey,
    BulkRowStatus, NewBulkJob,
};
use invoicer_domain::delivery::DeliveryStatus;
use invoicer_store::{DeliveryChange, KeyClaim, PlannedBulkInvoice, Store, StoreError, Tx};

#[test]
fn one_key_claimed_twice_has_one_owner_and_the_second_learns_the_invoice() {
    let dir = tempfile::tempdir().unwrap();
    let (store, user, customer) = setup(&dir.path().join("invoicer.db"));
    let first = running_job(&store, user, 1, &[]);
    let second = running_job(&store, user, 1, &[]);
    let made = store
        .write(|tx| {
            assert_eq!(
                tx.claim_bulk_invoice_key(first, &key("D-0"))?,
                KeyClaim::Owned
            );
            let id = make_invoice(tx, user, &customer)?;
            let outcome = BulkOutcome::Made {
                status: BulkRowStatus::QueuedForSending,
                invoice_id: id,
            };
            assert!(tx.record_bulk_outcome(first, 0, &outcome)?);
            Ok::<_, StoreError>(id)
        })
        .unwrap();
    // The same job again (a retry after a restart), then another job.
    for job in [first, second] {
        let again = store
            .write(|tx| tx.claim_bulk_invoice_key(job, &key("D-0")))
            .unwrap();
        assert_eq!(
            again,
            KeyClaim::AlreadyInvoiced {
                job_id: first,
                invoice_id: Some(made)
            }
        );
    }
    // The same key from another file is another invoice; by external
    // reference it is the same whatever the file.
    let other_file = BulkRowKey::for_invoice(&"0".repeat(64), None, "D-0").unwrap();
    let by_ref = BulkRowKey::for_invoice(SHA, Some("CRM-1"), "D-0").unwrap();
    let by_ref_elsewhere = BulkRowKey::for_invoice(&"0".repeat(64), Some("CRM-1"), "D-0").unwrap();
    store
        .write(|tx| {
            assert_eq!(
                tx.claim_bulk_invoice_key(second, &other_file)?,
                KeyClaim::Owned
            );
            assert_eq!(tx.claim_bulk_invoice_key(second, &by_ref)?, KeyClaim::Owned);
            assert!(matches!(
                tx.claim_bulk_invoice_key(first, &by_ref_elsewhere)?,
                KeyClaim::AlreadyInvoiced { job_id, .. } if job_id == second
            ));
            // Rolled back: nothing was made for them.
            Err::<(), _>(StoreError::Corrupt("roll back".into()))
        })
        .unwrap_err();
    // An outcome is recorded once; "made" without a claim is refused.
    let twice = store.write(|tx| {
        tx.record_bulk_outcome(first, 0, &BulkOutcome::AlreadyInvoiced { invoice_id: None })
    });
    assert!(!twice.unwrap());
    let unclaimed = store.write(|tx| {
        tx.record_bulk_outcome(
            second,
            0,
            &BulkOutcome::Made {
                status: BulkRowStatus::Issued,
                invoice_id: made,
            },
        )
    });
    assert!(
        unclaimed
            .unwrap_err()
            .to_string()
            .contains("without claiming"),
        "made without a claim was accepted"
    );
}

#[test]
fn rerunning_the_same_file_makes_nothing_and_says_how_many_were_invoiced() {
    let dir = tempfile::tempdir().unwrap();
    let (store, user, customer) = setup(&dir.path().join("invoicer.db"));
    let first = running_job(&store, user, 5, &[]);
    assert_eq!(run(&store, first, user, &customer, usize::MAX), 5);
    let second = running_job(&store, user, 5, &[]);
    assert_eq!(run(&store, second, user, &customer, usize::MAX), 5);
    assert_eq!(invoice_count(&store), 5);
    let job = store.read(|tx| tx.bulk_job(second)).unwrap().unwrap();
    assert_eq!(
        (job.counts.already_invoiced, job.counts.queued_for_sending),
        (5, 0)
    );
    // Each skipped invoice names the invoice made the first time.
    let firsts = store
        .read(|tx| tx.bulk_invoices(first, None, None, 10))
        .unwrap();
    let seconds = store
        .read(|tx| tx.bulk_invoices(second, None, None, 10))
        .unwrap();
    for (a, b) in firsts.iter().zip(&seconds) {
        assert_eq!(b.status, BulkRowStatus::SkippedAlreadyInvoiced);
        assert_eq!((b.invoice_id, &b.key), (a.invoice_id, &a.key));
    }
}

#[test]
fn an_interrupted_job_resumes_from_its_cursor_and_claims_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invoicer.db");
    let (store, user, customer) = setup(&path);
    let job = running_job(&store, user, 10, &[3]);
    // Four invoices made, then the process dies in the middle of the fifth's
    // transaction (claimed and made, not committed).
    assert_eq!(run(&store, job, user, &customer, 4), 4);
    let next = store.read(|tx| tx.pending_bulk_invoices(job, 1)).unwrap();
    assert_eq!(next[0].position, 5, "the invalid fourth is skipped");
    store
        .write(|tx| {
            assert_eq!(
                tx.claim_bulk_invoice_key(job, &next[0].key)?,
                KeyClaim::Owned
            );
            make_invoice(tx, user, &customer)?;
            Err::<(), _>(StoreError::Corrupt("killed".into()))
        })
        .unwrap_err();
    drop(store);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.write(|tx| tx.interrupt_bulk_jobs()).unwrap(), [job]);
    let stopped = store.read(|tx| tx.bulk_job(job)).unwrap().unwrap();
    assert_eq!(
        (stopped.status, stopped.cursor),
        (BulkJobStatus::Interrupted, 5)
    );
    assert_eq!(
        (stopped.counts.queued_for_sending, stopped.counts.pending),
        (4, 5)
    );
    let resumed = stopped
        .status
        .apply(BulkJobEvent::Resume {
            validated: stopped.validated,
        })
        .unwrap();
    assert!(store
        .write(|tx| tx.change_bulk_job_status(job, stopped.status, resumed, at()))
        .unwrap());
    assert_eq!(run(&store, job, user, &customer, usize::MAX), 5);
    store
        .write(|tx| {
            tx.change_bulk_job_status(job, BulkJobStatus::Running, BulkJobStatus::Finished, at())
        })
        .unwrap();

    let done = store.read(|tx| tx.bulk_job(job)).unwrap().unwrap();
    assert_eq!(done.status, BulkJobStatus::Finished);
    assert_eq!(done.finished_at, Some(at()));
    assert_eq!(done.cursor, 10);
    assert_eq!(
        (done.counts.queued_for_sending, done.counts.invalid),
        (9, 1)
    );
    assert_eq!(
        invoice_count(&store),
        9,
        "an invoice was made twice or lost"
    );
    let emails = store.read(|tx| tx.list_deliveries(None, 100)).unwrap();
    assert_eq!(emails.len(), 9);
    // Every made invoice is a different one.
    let rows = store
        .read(|tx| tx.bulk_invoices(job, None, None, 100))
        .unwrap();
    let mut ids: Vec<i64> = rows.iter().filter_map(|r| r.invoice_id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 9);
}

#[test]
fn counts_agree_with_the_rows_after_a_mix_of_outcomes() {
    let dir = tempfile::tempdir().unwrap();
    let (store, user, customer) = setup(&dir.path().join("invoicer.db"));
    let earlier = running_job(&store, user, 1, &[]);
    run(&store, earlier, user, &customer, 1);
    let job = running_job(&store, user, 8, &[6, 7]);
    let failure = BulkInvoiceFailure {
        code: "validation".into(),
        message: "the customer's email was refused".into(),
    };
    store
        .write(|tx| {
            let made = |position: u32, status| -> Result<i64, StoreError> {
                assert_eq!(
                    tx.claim_bulk_invoice_key(job, &key(&format!("D-{position}")))?,
                    KeyClaim::Owned
                );
                let invoice_id = make_invoice(tx, user, &customer)?;
                tx.record_bulk_outcome(job, position, &BulkOutcome::Made { status, invoice_id })?;
                Ok(invoice_id)
            };
            // D-0 was made by the earlier job.
            let KeyClaim::AlreadyInvoiced { invoice_id, .. } =
                tx.claim_bulk_invoice_key(job, &key("D-0"))?
            else {
                panic!("D-0 was claimed again");
            };
            tx.record_bulk_outcome(job, 0, &BulkOutcome::AlreadyInvoiced { invoice_id })?;
            let sent = made(1, BulkRowStatus::QueuedForSending)?;
            made(2, BulkRowStatus::QueuedForSending)?;
            made(3, BulkRowStatus::AwaitingApproval)?;
            made(4, BulkRowStatus::Issued)?;
            // D-5 fails: its claim is given back.
            assert_eq!(
                tx.claim_bulk_invoice_key(job, &key("D-5"))?,
                KeyClaim::Owned
            );
            tx.record_bulk_outcome(job, 5, &BulkOutcome::Failed(failure.clone()))?;
            let email = tx
                .list_deliveries(None, 100)?
                .into_iter()
                .find(|d| d.invoice_id == Some(sent))
                .unwrap();
            for (from, to) in [
                (DeliveryStatus::Queued, DeliveryStatus::Sending),
                (DeliveryStatus::Sending, DeliveryStatus::Sent),
            ] {
                assert!(tx.change_delivery(
                    &DeliveryChange {
                        id: email.id,
                        from,
                        to,
                        starts_attempt: to == DeliveryStatus::Sending,
                        resets_attempts: false,
                        next_attempt_at: None,
                        reply: None,
                        message_id: None,
                    },
                    at(),
                )?);
            }
            tx.record_bulk_row_errors(
                job,
                &[
                    BulkRowError {
                        line: 14,
                        column: Some("Contact Email".into()),
                        value: "ann@".into(),
                        reason: "is not an email address".into(),
                    },
                    BulkRowError {
                        line: 16,
                        column: None,
                        value: "a,b".into(),
                        reason: "has 2 columns; the header has 4".into(),
                    },
                ],
            )
        })
        .unwrap();

    let counts = store.read(|tx| tx.bulk_job(job)).unwrap().unwrap().counts;
    let rows = store
        .read(|tx| tx.bulk_invoices(job, None, None, 100))
        .unwrap();
    let tally = |s: BulkRowStatus| rows.iter().filter(|r| r.status == s).count() as u32;
    assert_eq!(counts.rows, 16);
    assert_eq!(counts.invoices, rows.len() as u32);
    assert_eq!(
        counts.already_invoiced,
        tally(BulkRowStatus::SkippedAlreadyInvoiced)
    );
    assert_eq!(
        counts.queued_for_sending,
        tally(BulkRowStatus::QueuedForSending)
    );
    assert_eq!(
        counts.awaiting_approval,
        tally(BulkRowStatus::AwaitingApproval)
    );
    assert_eq!(counts.issued, tally(BulkRowStatus::Issued));
    assert_eq!(counts.failed, tally(BulkRowStatus::Failed));
    assert_eq!(counts.invalid, tally(BulkRowStatus::Invalid));
    assert_eq!(counts.pending, tally(BulkRowStatus::Pending));
    assert_eq!(
        (
            counts.already_invoiced,
            counts.queued_for_sending,
            counts.awaiting_approval
        ),
        (1, 2, 1)
    );
    assert_eq!(
        (counts.issued, counts.failed, counts.invalid, counts.pending),
        (1, 1, 2, 0)
    );
    assert_eq!((counts.sent, counts.row_errors), (1, 2));
    let failed = store
        .read(|tx| tx.bulk_invoices(job, Some(BulkRowStatus::Failed), None, 10))
        .unwrap();
    assert_eq!(failed[0].failure.as_ref(), Some(&failure));
    assert_eq!(failed[0].first_line, 12);
    // The failed key is free for a later run.
    let later = running_job(&store, user, 6, &[]);
    assert_eq!(
        store
            .write(|tx| tx.claim_bulk_invoice_key(later, &key("D-5")))
            .unwrap(),
        KeyClaim::Owned
    );
    // Newest first.
    let listed: Vec<i64> = store
        .read(|tx| tx.list_bulk_jobs(10))
        .unwrap()
        .iter()
        .map(|j| j.id)
        .collect();
    assert_eq!(listed, [later, job, earlier]);
}

#[test]
fn an_unvalidated_interrupted_job_validates_again_from_scratch() {
    let dir = tempfile::tempdir().unwrap();
    let (store, user, _) = setup(&dir.path().join("invoicer.db"));
    let job = store
        .write(|tx| {
            let job = tx.create_bulk_job(
                &NewBulkJob {
                    file_name: "Rechnungen März.csv".into(),
                    file_sha256: SHA.into(),
                    profile: profile("DATEV"),
                    started_by: user,
                    dry_run: true,
                    send: true,
                    throttle_per_minute: None,
                },
                at(),
            )?;
            tx.plan_bulk_invoices(
                job,
                &[PlannedBulkInvoice {
                    position: 0,
                    key: key("R-1"),
                    first_line: 2,
                    invalid: false,
                }],
            )?;
            tx.record_bulk_row_errors(
                job,
                &[BulkRowError {
                    line: 3,
                    column: Some("Menge".into()),
                    value: "-1".into(),
                    reason: "must be more than zero".into(),
                }],
            )?;
            Ok::<_, StoreError>(job)
        })
        .unwrap();
    // Killed while validating.
    assert_eq!(store.write(|tx| tx.interrupt_bulk_jobs()).unwrap(), [job]);
    let stopped = store.read(|tx| tx.bulk_job(job)).unwrap().unwrap();
    assert!(!stopped.validated);
    assert!(stopped.dry_run);
    assert_eq!(stopped.file_name, "Rechnungen März.csv");
    let next = stopped
        .status
        .apply(BulkJobEvent::Resume { validated: false })
        .unwrap();
    assert_eq!(next, BulkJobStatus::Validating);
    store
        .write(|tx| {
            assert!(tx.change_bulk_job_status(job, stopped.status, next, at())?);
            assert!(tx.restart_bulk_validation(job)?);
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let fresh = store.read(|tx| tx.bulk_job(job)).unwrap().unwrap();
    assert_eq!((fresh.counts.invoices, fresh.counts.row_errors), (0, 0));
    // A validated job's plan is never thrown away.
    let ran = running_job(&store, user, 2, &[]);
    assert!(!store.write(|tx| tx.restart_bulk_validation(ran)).unwrap());
    assert_eq!(
        store
            .read(|tx| tx.bulk_job(ran))
            .unwrap()
            .unwrap()
            .counts
            .invoices,
        2
    );
    // A status change applies once.
    let cancel = |tx: &Tx<'_>| {
        tx.change_bulk_job_status(ran, BulkJobStatus::Running, BulkJobStatus::Cancelled, at())
    };
    assert!(store.write(cancel).unwrap());
    assert!(!store.write(cancel).unwrap());
}
