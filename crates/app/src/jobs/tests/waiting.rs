//! Waiting between passes: on the clock's time (a manual clock that tests
//! move, the system clock for real), woken early by a nudge.

use super::*;

#[test]
fn a_job_due_in_an_hour_runs_when_the_clock_gets_there_and_not_before() {
    let w = world();
    let (job, notes) = TestJob::new("hourly", 1);
    let job = job.ending(&[
        Ending::Succeed(Some(Duration::hours(1))),
        Ending::Succeed(Some(Duration::hours(1))),
    ]);
    let set = start(&w, vec![job]);
    assert_eq!(next(&notes), Note::Pass(1, t0()));
    set.board().wait_for("waiting", |s| waiting(&s[0]));

    w.clock.advance(Duration::minutes(59));
    let seen = set.board().wait_for("the job looked at the moved clock", |s| {
        s[0].passes > 1
            || matches!(s[0].state, JobState::Waiting { looked_at, .. } if looked_at >= t0() + Duration::minutes(59))
    });
    assert_eq!(seen[0].passes, 1, "59 minutes in, the job still waits");
    assert_eq!(
        seen[0].state,
        JobState::Waiting {
            until: t0() + Duration::hours(1),
            looked_at: t0() + Duration::minutes(59)
        }
    );

    w.clock.advance(Duration::minutes(2));
    let after = notes_until(&notes, &Note::Pass(2, t0() + Duration::minutes(61)));
    assert_eq!(
        after,
        vec![
            Note::Began(0),
            Note::Ended(0),
            Note::Pass(2, t0() + Duration::minutes(61))
        ]
    );
    set.stop();
}

#[test]
fn a_nudge_runs_a_waiting_job_at_once() {
    let w = world();
    let (job, notes) = TestJob::new("hourly", 0);
    let job = job.ending(&[Ending::Succeed(Some(Duration::hours(1)))]);
    let set = start(&w, vec![job]);
    set.board().wait_for("waiting", |s| waiting(&s[0]));
    set.nudge();
    assert_eq!(
        notes_until(&notes, &Note::Pass(2, t0())),
        vec![Note::Pass(1, t0()), Note::Pass(2, t0())],
        "the second pass ran with the clock unmoved"
    );
    set.stop();
}

#[test]
fn queueing_work_through_the_app_wakes_its_jobs() {
    let w = world();
    let (job, notes) = TestJob::new("hourly", 0);
    let job = job.ending(&[Ending::Succeed(Some(Duration::hours(1)))]);
    let set = start(&w, vec![job]);
    set.board().wait_for("waiting", |s| waiting(&s[0]));
    w.app.nudge_jobs();
    notes_until(&notes, &Note::Pass(2, t0()));
    set.stop();
    // With no jobs running it is harmless.
    w.app.nudge_jobs();
}

#[test]
fn on_the_system_clock_a_job_runs_when_due_and_answers_nudges_and_drops() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = Arc::new(Invoicer::open(dir.path(), Arc::new(crate::SystemClock)).expect("open"));
    let (job, notes) = TestJob::new("real_time", 0);
    // Due again in a few milliseconds of real time, then in an hour.
    let job = job.ending(&[
        Ending::Succeed(Some(Duration::milliseconds(5))),
        Ending::Succeed(Some(Duration::hours(1))),
    ]);
    let set = JobSet::start(Arc::clone(&app), vec![Box::new(job)]).expect("start");
    let pass = |n: u32| loop {
        if let Note::Pass(k, _) = next(&notes) {
            assert_eq!(k, n);
            return;
        }
    };
    pass(1);
    pass(2);
    set.board()
        .wait_for("waiting an hour", |s| s[0].passes == 2 && waiting(&s[0]));
    set.nudge();
    pass(3);
    set.board()
        .wait_for("waiting again", |s| s[0].passes == 3 && waiting(&s[0]));
    // Dropping ends the hour's wait at once.
    drop(set);
    assert_eq!(notes.try_recv(), Err(TryRecvError::Disconnected));
}

#[test]
fn a_pass_that_names_no_time_runs_again_after_the_default_poll() {
    let w = world();
    let (job, notes) = TestJob::new("poller", 0);
    let set = start(&w, vec![job]);
    let status = set.board().wait_for("waiting", |s| waiting(&s[0]));
    assert!(
        matches!(status[0].state, JobState::Waiting { until, .. } if until == t0() + DEFAULT_POLL)
    );
    w.clock.advance(DEFAULT_POLL);
    assert_eq!(
        notes_until(&notes, &Note::Pass(2, t0() + DEFAULT_POLL)).len(),
        2
    );
    set.stop();
}
