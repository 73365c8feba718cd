//! Named points where a crash test can freeze the process, to kill it with
//! SIGKILL exactly there and check what survives.
//!
//! Inert unless `INVOICER_FREEZE_AT=<point>:<marker file>` is set: then the
//! first thread that reaches `<point>` creates the marker file and waits
//! forever, so the test knows the process is frozen at that point and kills
//! it. Real crashes do not announce themselves; this only makes "killed
//! between the server's acceptance and the status update" reproducible.

use std::path::PathBuf;
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

/// Freezes the calling thread here if a crash test asked for `point`.
pub(crate) fn reached(point: &str) {
    let Some((wanted, marker)) = configured() else {
        return;
    };
    if wanted != point {
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
