//! Invoicer's local integration API: an HTTP server bound to **127.0.0.1
//! only**, over the same use cases the desktop app and the CLI call. The
//! desktop app serves it while it runs, `invoicer serve` on headless
//! machines.
//!
//! Every request is checked in this order: its `Host` must name loopback
//! (421 otherwise) and its `Origin`, when present, must be the app's own
//! (403) — so a web page on a rebinding DNS name cannot reach it; its
//! bearer token must match (401, compared in constant time); a POST must
//! carry JSON (415), no larger than [`MAX_BODY`] (413), and an
//! `Idempotency-Key` (400). Every request is audited as `api.request` with
//! the token's name, never the token.

mod checks;
mod openapi;
mod routes;

pub use openapi::{openapi_json, ApiDoc};

use invoicer_app::Invoicer;
use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use tokio::sync::oneshot;

/// The port the API listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 4517;

/// The largest request body accepted (1 MiB).
pub const MAX_BODY: usize = 1024 * 1024;

/// What the handlers share.
pub(crate) struct ServerState {
    pub(crate) app: Arc<Invoicer>,
    /// The port actually listened on (for the `Host` check).
    pub(crate) port: u16,
    /// Idempotency keys whose request is being processed right now.
    pub(crate) in_flight: Mutex<HashSet<String>>,
}

/// A running server; stops when [`Server::stop`] is called or it is dropped.
pub struct Server {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `127.0.0.1:port` (`0` picks a free port) and serves `app` on
    /// a thread of its own. Fails when the port is taken or the token cannot
    /// be read from (or created in) the keychain.
    pub fn start(app: Arc<Invoicer>, port: u16) -> Result<Server, String> {
        app.current_api_token()
            .map_err(|e| format!("the API token is not available: {}", e.message))?;
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
        let state = Arc::new(ServerState {
            app,
            port: addr.port(),
            in_flight: Mutex::new(HashSet::new()),
        });
        let (tx, rx) = oneshot::channel::<()>();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("invoicer-api")
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the API's runtime: {e}"))?;
        let thread = std::thread::Builder::new()
            .name("invoicer-api".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            tracing::error!(error = %e, "the API cannot listen");
                            return;
                        }
                    };
                    let router = routes::router(state);
                    let served = axum::serve(listener, router).with_graceful_shutdown(async {
                        let _ = rx.await;
                    });
                    if let Err(e) = served.await {
                        tracing::error!(error = %e, "the API stopped");
                    }
                });
            })
            .map_err(|e| format!("cannot start the API's thread: {e}"))?;
        Ok(Server {
            addr,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// The port listened on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The base URL, e.g. `http://127.0.0.1:4517`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets requests in progress finish, and returns.
    pub fn stop(mut self) {
        self.shutdown_now();
    }

    fn shutdown_now(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}

/// Serves until Ctrl-C or SIGTERM, then stops cleanly. `listening` is told
/// the URL once the port is bound.
pub fn serve_until_signal(
    app: Arc<Invoicer>,
    port: u16,
    listening: impl FnOnce(&str),
) -> Result<(), String> {
    let server = Server::start(app, port)?;
    listening(&server.url());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot wait for signals: {e}"))?;
    runtime.block_on(stop_signal());
    server.stop();
    Ok(())
}

async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
