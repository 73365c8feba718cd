//! The outbox sender as a background job: started like the desktop app
//! starts it, cancelled in the middle of a batch, and resumed. Every delivery
//! ends either sent with exactly one `.eml` file or still queued with none;
//! none is left `sending`, and resuming sends each of the rest once.

use invoicer_app::api::*;
use invoicer_app::{EventSink, Invoicer};
use invoicer_tests::Fixture;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A guard against a stuck test, not a measurement.
const STUCK: Duration = Duration::from_secs(120);

const INVOICES: usize = 8;

/// Holds the sender inside the `n`th "sent" event until the test says go,
/// so the test can cancel at a known point in the batch.
struct HoldAtSent {
    n: u32,
    sent: AtomicU32,
    reached: Mutex<Sender<()>>,
    go: Mutex<Receiver<()>>,
}

impl EventSink for HoldAtSent {
    fn publish(&self, event: &AppEvent) {
        if let AppEvent::DeliveryChanged { delivery } = event {
            if delivery.status == DeliveryStatus::Sent
                && self.sent.fetch_add(1, Ordering::SeqCst) + 1 == self.n
            {
                let _ = self.reached.lock().unwrap().send(());
                let _ = self.go.lock().unwrap().recv_timeout(STUCK);
            }
        }
    }
}

fn eml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("outbox"))
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    files.sort();
    files
}

fn deliveries(app: &Invoicer, admin: &invoicer_app::Session) -> Vec<DeliveryView> {
    app.deliveries(admin, &DeliveryFilter::default())
        .expect("deliveries")
        .rows
}

/// Every delivery is sent with its one file, or queued with none.
fn assert_consistent(dir: &Path, rows: &[DeliveryView]) {
    let files = eml_files(dir);
    for d in rows {
        let file = dir.join("outbox").join(format!("delivery-{}.eml", d.id));
        match d.status {
            DeliveryStatus::Sent => {
                assert!(files.contains(&file), "{} is sent but has no file", d.id);
                assert_eq!(d.attempts, 1, "{d:?}");
            }
            DeliveryStatus::Queued => {
                assert!(!files.contains(&file), "{} is queued but was written", d.id);
                assert_eq!(d.attempts, 0, "{d:?}");
            }
            other => panic!("delivery {} is {other:?} after a cancel", d.id),
        }
    }
    let sent = rows
        .iter()
        .filter(|d| d.status == DeliveryStatus::Sent)
        .count();
    assert_eq!(files.len(), sent, "one file per sent delivery, no other");
}

#[test]
fn cancelling_the_sender_mid_batch_leaves_every_delivery_consistent() {
    let f = Fixture::new();
    f.set_up_email();
    for _ in 0..INVOICES {
        let draft = f.app.create_invoice(&f.admin, &f.draft()).unwrap();
        f.app.issue_and_send_invoice(&f.admin, draft.id).unwrap();
    }
    let (reached_tx, reached) = mpsc::channel();
    let (go, go_rx) = mpsc::channel();
    f.app.subscribe(Arc::new(HoldAtSent {
        n: 3,
        sent: AtomicU32::new(0),
        reached: Mutex::new(reached_tx),
        go: Mutex::new(go_rx),
    }));
    let dir = f.dir.path().to_path_buf();
    let admin = f.admin;
    let app = Arc::new(f.app);

    let jobs = app.start_jobs().expect("start the jobs");
    reached
        .recv_timeout(STUCK)
        .expect("the sender sent three emails");
    jobs.cancel();
    go.send(()).unwrap();
    jobs.stop();

    let rows = deliveries(&app, &admin);
    assert_eq!(rows.len(), INVOICES);
    assert_consistent(&dir, &rows);
    let sent = eml_files(&dir).len();
    assert_eq!(
        sent, 3,
        "the email in hand was finished and no other begun (the outbox folder sends one at a time)"
    );

    // Resuming sends the rest, each once.
    let report = app.run_jobs_once().expect("one pass");
    let sender = report
        .jobs
        .iter()
        .find(|j| j.job == "outbox_sender")
        .expect("the outbox sender ran");
    assert_eq!(sender.done as usize, INVOICES - 3);
    let rows = deliveries(&app, &admin);
    assert!(rows.iter().all(|d| d.status == DeliveryStatus::Sent));
    assert_consistent(&dir, &rows);
    assert_eq!(eml_files(&dir).len(), INVOICES);
}

#[test]
fn a_running_sender_sends_what_is_queued_and_the_window_hears_it() {
    let f = Fixture::new();
    f.set_up_email();
    let (sink, events) = invoicer_app::ChannelSink::new();
    f.app.subscribe(sink);
    let draft_input = f.draft();
    let admin = f.admin;
    let dir = f.dir.path().to_path_buf();
    let app = Arc::new(f.app);
    let jobs = app.start_jobs().expect("start the jobs");

    let draft = app.create_invoice(&admin, &draft_input).unwrap();
    let screen = app.issue_and_send_invoice(&admin, draft.id).unwrap();
    let id = screen.deliveries[0].id;
    // Queueing work wakes the jobs at once rather than at their next poll.
    app.nudge_jobs();

    let mut progress = Vec::new();
    loop {
        match events.recv_timeout(STUCK).expect("the sender sends") {
            AppEvent::JobProgress(p) if p.job == "outbox_sender" => {
                let finished = p.finished;
                progress.push(p);
                if finished {
                    break;
                }
            }
            _ => {}
        }
    }
    jobs.stop();
    let last = progress.last().unwrap();
    assert_eq!((last.done, last.total, last.failed), (1, 1, 0));
    let rows = deliveries(&app, &admin);
    let d = rows.iter().find(|d| d.id == id).unwrap();
    assert_eq!(d.status, DeliveryStatus::Sent);
    assert_eq!(eml_files(&dir).len(), 1);
}
