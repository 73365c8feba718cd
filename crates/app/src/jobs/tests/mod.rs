//! The runner on a real app (a SQLite file in a temp folder) with test jobs
//! and a manual clock. Nothing here sleeps or measures time: the tests wait
//! on channels and on the jobs' status board.

use super::status::{JobState, JobStatus};
use super::{Job, JobContext, JobSet, PassOutcome, DEFAULT_POLL, FIRST_BACKOFF};
use crate::api::{AppEvent, JobProgress, NotificationView, SetupInput};
use crate::{ApiError, AppResult, ChannelSink, ErrorCode, Invoicer, ManualClock};
use chrono::{DateTime, Duration, TimeZone, Utc};
use invoicer_domain::audit::NewAuditEvent;
use std::collections::VecDeque;
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::Arc;

/// How long a test waits for a job before it declares it stuck. A guard
/// against hanging, never a measurement.
const STUCK: std::time::Duration = std::time::Duration::from_secs(60);

mod progress;
mod waiting;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap()
}

struct World {
    _dir: tempfile::TempDir,
    clock: Arc<ManualClock>,
    app: Arc<Invoicer>,
}

fn world() -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(ManualClock::new(t0()));
    let app = Arc::new(Invoicer::open(dir.path(), clock.clone()).expect("open"));
    World {
        _dir: dir,
        clock,
        app,
    }
}

/// What a test job tells the test.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Note {
    /// Pass `n` (from 1) began at this clock time.
    Pass(u32, DateTime<Utc>),
    /// Unit `i` began.
    Began(u32),
    /// Unit `i` ended.
    Ended(u32),
    /// The job stopped where the test asked it to and waits for a go.
    Held,
}

/// How a test job's pass ends.
#[derive(Debug, Clone, Copy)]
enum Ending {
    /// It returns, asking to run again after this long (or the default poll).
    Succeed(Option<Duration>),
    /// It returns an error.
    Fail,
    /// It panics.
    Panic,
}

/// Where a test job stops and waits for the test's go, in its first pass.
#[derive(Debug, Clone, Copy)]
enum HoldAt {
    /// Inside unit `i`, after it began and before it ends.
    InsideUnit(u32),
    /// Between unit `i` and the next.
    AfterUnit(u32),
}

/// A job of `units` units per pass that tells the test about each step.
struct TestJob {
    name: &'static str,
    units: u32,
    endings: VecDeque<Ending>,
    hold: Option<(HoldAt, Receiver<()>)>,
    /// Moves the clock by this much in every unit, to give the pass a rate.
    unit_takes: Option<(Arc<ManualClock>, Duration)>,
    /// Writes an audit event as the job's actor in every pass.
    audits: bool,
    notes: Sender<Note>,
    passes: u32,
}

impl TestJob {
    fn new(name: &'static str, units: u32) -> (TestJob, Receiver<Note>) {
        let (notes, rx) = mpsc::channel();
        let job = TestJob {
            name,
            units,
            endings: VecDeque::new(),
            hold: None,
            unit_takes: None,
            audits: false,
            notes,
            passes: 0,
        };
        (job, rx)
    }

    fn ending(mut self, endings: &[Ending]) -> Self {
        self.endings = endings.iter().copied().collect();
        self
    }

    /// Holds at `at` until the returned sender sends.
    fn hold(mut self, at: HoldAt) -> (Self, Sender<()>) {
        let (go, wait) = mpsc::channel();
        self.hold = Some((at, wait));
        (self, go)
    }

    fn held(&self, at: fn(&HoldAt) -> Option<u32>, unit: u32) {
        if let Some((hold, go)) = &self.hold {
            if self.passes == 1 && at(hold) == Some(unit) {
                let _ = self.notes.send(Note::Held);
                let _ = go.recv();
            }
        }
    }
}

impl Job for TestJob {
    fn name(&self) -> &'static str {
        self.name
    }

    fn run_pass(&mut self, ctx: &JobContext<'_>) -> AppResult<PassOutcome> {
        self.passes += 1;
        let _ = self
            .notes
            .send(Note::Pass(self.passes, ctx.app().clock().now()));
        if self.audits {
            let at = ctx.app().clock().now();
            ctx.app().store.write(|tx| {
                tx.append_audit(
                    NewAuditEvent::new(
                        Some(&super::system_actor(ctx.job())),
                        "test_job.pass",
                        "job:test",
                        serde_json::json!({ "pass": self.passes }),
                    ),
                    at,
                )
            })?;
        }
        let ending = self.endings.pop_front().unwrap_or(Ending::Succeed(None));
        match ending {
            Ending::Fail => {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "the test job failed on purpose",
                ))
            }
            Ending::Panic => panic!("the test job panicked on purpose"),
            Ending::Succeed(_) => {}
        }
        let mut done = 0;
        for unit in 0..self.units {
            if ctx.is_cancelled() {
                break;
            }
            let _ = self.notes.send(Note::Began(unit));
            self.held(
                |h| match h {
                    HoldAt::InsideUnit(i) => Some(*i),
                    HoldAt::AfterUnit(_) => None,
                },
                unit,
            );
            if let Some((clock, by)) = &self.unit_takes {
                clock.advance(*by);
            }
            let _ = self.notes.send(Note::Ended(unit));
            done += 1;
            ctx.progress(done, self.units, Some(&format!("unit {unit}")), 0);
            self.held(
                |h| match h {
                    HoldAt::AfterUnit(i) => Some(*i),
                    HoldAt::InsideUnit(_) => None,
                },
                unit,
            );
        }
        let next_due = match ending {
            Ending::Succeed(Some(after)) => Some(ctx.app().clock().now() + after),
            _ => None,
        };
        Ok(PassOutcome {
            done,
            failed: 0,
            next_due,
        })
    }
}

fn next(rx: &Receiver<Note>) -> Note {
    rx.recv_timeout(STUCK)
        .expect("the job told nothing (stuck or gone)")
}

/// Waits for the notes up to and including `until`.
fn notes_until(rx: &Receiver<Note>, until: &Note) -> Vec<Note> {
    let mut seen = Vec::new();
    loop {
        let note = next(rx);
        seen.push(note.clone());
        if &note == until {
            return seen;
        }
    }
}

fn waiting(s: &JobStatus) -> bool {
    matches!(s.state, JobState::Waiting { .. })
}

/// The job progress events of `job` received so far, up to the end of the
/// first pass that finished.
fn progress_of(events: &Receiver<AppEvent>, job: &str) -> Vec<JobProgress> {
    let mut seen = Vec::new();
    loop {
        match events
            .recv_timeout(STUCK)
            .expect("no finished pass was told")
        {
            AppEvent::JobProgress(p) if p.job == job => {
                let finished = p.finished;
                seen.push(p);
                if finished {
                    return seen;
                }
            }
            _ => {}
        }
    }
}

fn notifications(events: &Receiver<AppEvent>) -> Vec<NotificationView> {
    events
        .try_iter()
        .filter_map(|e| match e {
            AppEvent::Notification(n) => Some(n),
            _ => None,
        })
        .collect()
}

fn start(w: &World, jobs: Vec<TestJob>) -> JobSet {
    let jobs = jobs
        .into_iter()
        .map(|j| Box::new(j) as Box<dyn Job>)
        .collect();
    JobSet::start(Arc::clone(&w.app), jobs).expect("the jobs start")
}

#[test]
fn cancelling_inside_a_unit_finishes_that_unit_and_stops() {
    let w = world();
    let (events_sink, events) = ChannelSink::new();
    w.app.subscribe(events_sink);
    let (job, notes) = TestJob::new("ten_units", 10);
    let (job, go) = job.hold(HoldAt::InsideUnit(3));
    let set = start(&w, vec![job]);
    notes_until(&notes, &Note::Held);
    set.cancel();
    go.send(()).unwrap();
    let status = set
        .board()
        .wait_for("stopped", |s| s[0].state == JobState::Stopped);
    set.stop();

    let rest: Vec<Note> = notes.try_iter().collect();
    assert_eq!(
        rest,
        vec![Note::Ended(3)],
        "unit 3 is finished, unit 4 never begun"
    );
    let last = status[0].last_progress.clone().expect("progress told");
    assert_eq!((last.done, last.total, last.finished), (4, 10, true));
    let told = progress_of(&events, "ten_units");
    assert_eq!(told.last(), Some(&last), "the window heard the same");
}

#[test]
fn cancelling_between_units_stops_before_the_next_one() {
    let w = world();
    let (job, notes) = TestJob::new("ten_units", 10);
    let (job, go) = job.hold(HoldAt::AfterUnit(2));
    let set = start(&w, vec![job]);
    let before = notes_until(&notes, &Note::Held);
    set.cancel();
    go.send(()).unwrap();
    set.stop();

    assert_eq!(
        before,
        vec![
            Note::Pass(1, t0()),
            Note::Began(0),
            Note::Ended(0),
            Note::Began(1),
            Note::Ended(1),
            Note::Began(2),
            Note::Ended(2),
            Note::Held
        ]
    );
    assert_eq!(
        notes.try_recv(),
        Err(TryRecvError::Disconnected),
        "nothing after unit 2, and the job is gone"
    );
}

#[test]
fn dropping_the_set_stops_waiting_and_running_jobs() {
    let w = world();
    let (waiter, waiter_notes) = TestJob::new("waiter", 1);
    let waiter = waiter.ending(&[Ending::Succeed(Some(Duration::hours(1)))]);
    let (busy, busy_notes) = TestJob::new("busy", 5);
    let (busy, go) = busy.hold(HoldAt::InsideUnit(1));
    let set = start(&w, vec![waiter, busy]);
    set.board().wait_for("the waiter waits", |s| waiting(&s[0]));
    notes_until(&busy_notes, &Note::Held);

    let board = set.board();
    let dropper = std::thread::spawn(move || drop(set));
    // The waiter stopping shows that the drop has cancelled the jobs; only
    // then may the busy job finish its unit.
    board.wait_for("the waiter stopped", |s| s[0].state == JobState::Stopped);
    go.send(()).unwrap();
    dropper.join().expect("dropping the set returns");

    assert_eq!(
        busy_notes.try_iter().collect::<Vec<_>>().last(),
        Some(&Note::Ended(1))
    );
    assert_eq!(busy_notes.try_recv(), Err(TryRecvError::Disconnected));
    assert_eq!(
        waiter_notes
            .try_iter()
            .filter(|n| matches!(n, Note::Pass(..)))
            .count(),
        1
    );
    assert_eq!(waiter_notes.try_recv(), Err(TryRecvError::Disconnected));
}

#[test]
fn a_failing_pass_is_reported_and_the_job_tries_again_after_a_backoff() {
    let w = world();
    let (sink, events) = ChannelSink::new();
    w.app.subscribe(sink);
    let (job, notes) = TestJob::new("flaky", 2);
    let job = job.ending(&[Ending::Fail, Ending::Fail, Ending::Succeed(None)]);
    let set = start(&w, vec![job]);

    let failed = progress_of(&events, "flaky");
    assert_eq!(
        failed.last().map(|p| (p.done, p.failed, p.finished)),
        Some((0, 1, true))
    );
    let status = set
        .board()
        .wait_for("waiting after the failure", |s| waiting(&s[0]));
    assert_eq!(status[0].failed_passes, 1);
    assert!(
        matches!(status[0].state, JobState::Waiting { until, .. } if until == t0() + FIRST_BACKOFF)
    );
    let told = notifications(&events);
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0].body.contains("flaky") && told[0].body.contains("the test job failed on purpose"),
        "{told:?}"
    );

    // The second failure in a row waits twice as long and notifies no more.
    w.clock.advance(FIRST_BACKOFF);
    assert_eq!(
        notes_until(&notes, &Note::Pass(2, t0() + FIRST_BACKOFF)),
        vec![Note::Pass(1, t0()), Note::Pass(2, t0() + FIRST_BACKOFF)]
    );
    let status = set
        .board()
        .wait_for("waiting after the second failure", |s| {
            s[0].failed_passes == 2 && waiting(&s[0])
        });
    assert!(
        matches!(status[0].state, JobState::Waiting { until, .. } if until == t0() + FIRST_BACKOFF * 3)
    );
    w.clock.advance(FIRST_BACKOFF * 2);
    assert_eq!(next(&notes), Note::Pass(3, t0() + FIRST_BACKOFF * 3));
    notes_until(&notes, &Note::Ended(1));
    set.board()
        .wait_for("waiting after success", |s| waiting(&s[0]));
    set.stop();
    assert!(notifications(&events).is_empty());
}

#[test]
fn a_panicking_pass_stops_that_job_only_and_says_so() {
    let w = world();
    let (sink, events) = ChannelSink::new();
    w.app.subscribe(sink);
    let (bad, _bad_notes) = TestJob::new("bad", 1);
    let bad = bad.ending(&[Ending::Panic]);
    let (good, good_notes) = TestJob::new("good", 0);
    let set = start(&w, vec![bad, good]);

    let status = set
        .board()
        .wait_for("the bad job crashed, the good one waits", |s| {
            matches!(s[0].state, JobState::Crashed { .. }) && waiting(&s[1])
        });
    assert_eq!(
        status[0].state,
        JobState::Crashed {
            message: "the test job panicked on purpose".into()
        }
    );
    let told = progress_of(&events, "bad");
    assert_eq!(told.last().map(|p| (p.failed, p.finished)), Some((1, true)));
    let notes = notifications(&events);
    assert!(
        notes
            .iter()
            .any(|n| n.title == "A background job stopped" && n.body.contains("bad")),
        "{notes:?}"
    );

    // The rest of the app goes on: the good job still answers a nudge.
    set.nudge();
    notes_until(&good_notes, &Note::Pass(2, t0()));
    set.stop();
}

#[test]
fn jobs_write_the_audit_trail_as_the_system_principal() {
    let w = world();
    let (mut job, _notes) = TestJob::new("auditor", 0);
    job.audits = true;
    let report = super::once::run_once(&w.app, vec![Box::new(job)]);
    assert!(report.all_passes_ran(), "{report:?}");
    let events = w
        .app
        .store
        .read(|tx| tx.audit_for_entity("job:test"))
        .expect("read the audit trail");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].actor.as_deref(), Some("system:auditor"));
}

#[test]
fn one_pass_of_each_job_is_reported_even_when_some_fail() {
    let w = world();
    let (ok, ok_notes) = TestJob::new("ok", 3);
    let ok = ok.ending(&[Ending::Succeed(Some(Duration::minutes(10)))]);
    let (failing, _) = TestJob::new("failing", 3);
    let failing = failing.ending(&[Ending::Fail]);
    let (panicking, _) = TestJob::new("panicking", 3);
    let panicking = panicking.ending(&[Ending::Panic]);
    let (last, last_notes) = TestJob::new("last", 1);
    let report = super::once::run_once(
        &w.app,
        vec![
            Box::new(ok),
            Box::new(failing),
            Box::new(panicking),
            Box::new(last),
        ],
    );

    assert_eq!(report.ran_at, "2026-11-21T09:00:00+00:00");
    assert!(!report.all_passes_ran());
    type Row<'a> = (&'a str, u32, u32, Option<&'a str>, Option<&'a str>);
    let rows: Vec<Row<'_>> = report
        .jobs
        .iter()
        .map(|j| {
            (
                j.job.as_str(),
                j.done,
                j.failed,
                j.next_due.as_deref(),
                j.error.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("ok", 3, 0, Some("2026-11-21T09:10:00+00:00"), None),
            (
                "failing",
                0,
                1,
                None,
                Some("the test job failed on purpose")
            ),
            (
                "panicking",
                0,
                1,
                None,
                Some("internal error: the test job panicked on purpose")
            ),
            ("last", 1, 0, None, None),
        ]
    );
    assert_eq!(ok_notes.try_iter().count(), 7, "one pass of three units");
    assert_eq!(last_notes.try_iter().count(), 3);
}

#[test]
fn the_app_starts_and_runs_its_registered_jobs() {
    let w = world();
    let set = w.app.start_jobs().expect("start");
    let names: Vec<&str> = set.status().iter().map(|s| s.job).collect();
    let registered: Vec<&str> = w.app.registered_jobs().iter().map(|j| j.name()).collect();
    assert_eq!(names, registered);
    set.nudge();
    set.stop();
    let report = w.app.run_jobs_once().expect("run once");
    assert_eq!(report.ran_at, "2026-11-21T09:00:00+00:00");
    assert_eq!(report.jobs.len(), registered.len());
}

#[test]
fn a_day_starts_at_midnight_in_the_company_time_zone() {
    let w = world();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    assert_eq!(
        w.app.start_of_company_day(day).unwrap(),
        Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap(),
        "before setup, in UTC"
    );
    let admin = w
        .app
        .setup(&SetupInput {
            company_name: "Acme Billing".into(),
            country: "US".into(),
            region: Some("CA".into()),
            currency: "USD".into(),
            admin_email: "admin@acme.test".into(),
            admin_name: "Ada Admin".into(),
            admin_password: "correct-horse-1".into(),
        })
        .expect("setup");
    w.app
        .set_setting(&admin, "timezone", "America/Los_Angeles")
        .expect("timezone");
    assert_eq!(
        w.app.start_of_company_day(day).unwrap(),
        Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap()
    );
    // Chile moves its clocks from 00:00 to 01:00 on the first Sunday of
    // September: that day starts at 01:00 local, 04:00 UTC.
    w.app
        .set_setting(&admin, "timezone", "America/Santiago")
        .expect("timezone");
    assert_eq!(
        w.app
            .start_of_company_day(chrono::NaiveDate::from_ymd_opt(2026, 9, 6).unwrap())
            .unwrap(),
        Utc.with_ymd_and_hms(2026, 9, 6, 4, 0, 0).unwrap()
    );
}
