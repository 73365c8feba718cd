//! A few SMTP connections kept open and shared by the sender's threads.
//!
//! At most `max` connections are open at once (servers limit connections per
//! client); a thread that finds none idle and the limit reached waits for
//! one to come back. A connection comes back only when it is still good; a
//! broken one is dropped and the next thread opens a fresh one.

use lettre::transport::smtp::client::SmtpConnection;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

struct State {
    idle: Vec<SmtpConnection>,
    open: usize,
}

/// The pool itself.
pub(crate) struct Pool {
    state: Mutex<State>,
    returned: Condvar,
    max: usize,
}

/// One thread's turn at a connection: an idle one (`conn` is set) or the
/// right to open one (`conn` is `None`). Given back on drop.
pub(crate) struct Lease<'a> {
    pool: &'a Pool,
    /// The connection, once there is one.
    pub(crate) conn: Option<SmtpConnection>,
}

impl Pool {
    /// A pool of at most `max` connections (at least one).
    pub(crate) fn new(max: usize) -> Pool {
        Pool {
            state: Mutex::new(State {
                idle: Vec::new(),
                open: 0,
            }),
            returned: Condvar::new(),
            max: max.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A thread that panicked while holding the lock left the list
        // consistent (every change is one push, pop or count), so go on.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits for an idle connection or room for a new one.
    pub(crate) fn lease(&self) -> Lease<'_> {
        let mut state = self.lock();
        loop {
            if let Some(conn) = state.idle.pop() {
                return Lease {
                    pool: self,
                    conn: Some(conn),
                };
            }
            if state.open < self.max {
                state.open += 1;
                return Lease {
                    pool: self,
                    conn: None,
                };
            }
            state = self
                .returned
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let mut state = self.pool.lock();
        match self.conn.take() {
            Some(conn) if !conn.has_broken() => state.idle.push(conn),
            _ => state.open -= 1,
        }
        drop(state);
        self.pool.returned.notify_one();
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Say goodbye politely; a server that does not answer only delays
        // this by the connection's timeout.
        let state = self.state.get_mut().unwrap_or_else(PoisonError::into_inner);
        for mut conn in state.idle.drain(..) {
            let _ = conn.quit();
        }
    }
}
