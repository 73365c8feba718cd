//! Named points where a crash test can freeze the process, to kill it with
//! SIGKILL exactly there and check what survives.
//!
//! Inert unless `INVOICER_FREEZE_AT=<point>:<marker file>` is set: then the
//! first thread that reaches `<point>` creates the marker file and waits
//! forever, so the test knows the process is frozen at that point and kills
//! it. Real crashes do not announce themselves; this only makes "killed
//! between the server's acceptance and the status update" reproducible.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};

/// The environment variable that names the point and the marker file.
pub const FREEZE_AT_ENV: &str = "INVOICER_FREEZE_AT";

fn configured() -> &'static Option<(String, PathBuf)> {
    static POINT: OnceLock<Option<(String, PathBuf)>> = OnceLock::new();
    POINT.get_or_init(|| {
        let value = std::env::var(FREEZE_AT_ENV).ok()?;
        let (point, marker) = value.split_once(':')?;
        Some((point.to_string(), PathBuf::from(marker)))
    })
}

/// How many times the configured point has been reached.
static REACHED: AtomicU32 = AtomicU32::new(0);

/// Freezes the calling thread here if a crash test asked for `point`. A
/// point written `name#N` freezes the N-th time `name` is reached (e.g.
/// `bulk_rendering#7`: while rendering the seventh invoice of a run), so a
/// test can kill a run in its middle, not only at its first step.
pub(crate) fn reached(point: &str) {
    let Some((wanted, marker)) = configured() else {
        return;
    };
    let (name, nth) = match wanted.split_once('#') {
        Some((name, n)) => (name, n.parse::<u32>().unwrap_or(1).max(1)),
        None => (wanted.as_str(), 1),
    };
    if name != point || REACHED.fetch_add(1, Ordering::SeqCst) + 1 < nth {
        return;
    }
    tracing::warn!(point, "frozen at a fault point for a crash test");
    // The marker is written with create_new so only the first thread to get
    // here announces itself; every thread that reaches the point stops.
    let _ = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(marker);
    let lock = Mutex::new(());
    let never = Condvar::new();
    let mut guard = lock.lock().unwrap_or_else(|p| p.into_inner());
    loop {
        guard = never.wait(guard).unwrap_or_else(|p| p.into_inner());
    }
}
