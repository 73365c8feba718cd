//! Progress events: what the window hears while a job works, from the
//! injected clock, thinned, and never going backwards.

use super::*;

#[test]
fn progress_reaches_listeners_with_done_total_current_and_rate() {
    let w = world();
    let (sink, events) = ChannelSink::new();
    w.app.subscribe(sink);
    let (mut job, _notes) = TestJob::new("four_units", 4);
    // Each unit takes half a second of clock time: 2 units per second.
    job.unit_takes = Some((Arc::clone(&w.clock), Duration::milliseconds(500)));
    let set = start(&w, vec![job]);
    let told = progress_of(&events, "four_units");
    set.stop();

    let shown: Vec<(u32, u32, Option<&str>, &str, bool)> = told
        .iter()
        .map(|p| {
            (
                p.done,
                p.total,
                p.current.as_deref(),
                p.rate_per_second.as_str(),
                p.finished,
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            (1, 4, Some("unit 0"), "2", false),
            (2, 4, Some("unit 1"), "2", false),
            (3, 4, Some("unit 2"), "2", false),
            (4, 4, Some("unit 3"), "2", false),
            (4, 4, None, "2", true),
        ]
    );
    assert!(told.iter().all(|p| p.failed == 0));
}

#[test]
fn an_idle_pass_tells_the_window_nothing() {
    let w = world();
    let (sink, events) = ChannelSink::new();
    w.app.subscribe(sink);
    let (job, notes) = TestJob::new("idle", 0);
    let set = start(&w, vec![job]);
    set.board().wait_for("waiting", |s| waiting(&s[0]));
    set.nudge();
    notes_until(&notes, &Note::Pass(2, t0()));
    set.board()
        .wait_for("waiting again", |s| s[0].passes == 2 && waiting(&s[0]));
    set.stop();
    let told: Vec<AppEvent> = events.try_iter().collect();
    assert!(told.is_empty(), "{told:?}");
}

#[test]
fn a_pass_context_may_be_shared_with_worker_threads_and_a_set_kept_in_shared_state() {
    fn shareable<T: Sync>() {}
    fn keepable<T: Send + Sync + 'static>() {}
    shareable::<JobContext<'_>>();
    keepable::<JobSet>();
}

#[test]
fn counts_told_out_of_order_by_workers_never_go_back() {
    let w = world();
    let (sink, events) = ChannelSink::new();
    w.app.subscribe(sink);
    let wake = crate::jobs::wake::Wake::default();
    let ctx = JobContext::new(&w.app, "workers", &wake, None);
    ctx.progress(5, 10, Some("unit 5"), 1);
    ctx.progress(4, 10, Some("unit 4"), 0);
    let end = ctx.fail();
    assert_eq!(
        (end.done, end.failed),
        (5, 2),
        "five done, one failed unit and the pass"
    );
    let told: Vec<(u32, u32)> = events
        .try_iter()
        .filter_map(|e| match e {
            AppEvent::JobProgress(p) => Some((p.done, p.failed)),
            _ => None,
        })
        .collect();
    assert_eq!(told, vec![(5, 1), (5, 2)]);
}

#[test]
fn progress_is_thinned_while_the_clock_stands_still() {
    let w = world();
    let (sink, events) = ChannelSink::new();
    w.app.subscribe(sink);
    let (job, _notes) = TestJob::new("ten_units", 10);
    let set = start(&w, vec![job]);
    let told = progress_of(&events, "ten_units");
    set.stop();
    let done: Vec<(u32, bool)> = told.iter().map(|p| (p.done, p.finished)).collect();
    assert_eq!(
        done,
        vec![(1, false), (10, false), (10, true)],
        "the first unit, the last and the end; rate 0 with no time passed"
    );
    assert!(told.iter().all(|p| p.rate_per_second == "0"));
}
