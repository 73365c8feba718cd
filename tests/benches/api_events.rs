//! Events per second through the local integration API: `deal.closed_won`
//! events posted over loopback HTTP by several client threads to the real
//! server, each creating the customer's invoice, issuing it (number, PDF,
//! archive) and queueing its email in the outbox — sending is deferred to
//! the outbox sender, which is not running here. Every event carries its
//! own `Idempotency-Key`, so each also writes its key in the invoice's
//! transaction. Budget: ≥ 500 events/s on the 2-core reference machine.
//!
//! `API_BENCH_EVENTS` changes the event count (default 2000),
//! `API_BENCH_CLIENTS` the client threads (default 4), `API_BENCH_TYPE`
//! the event type (`usage.recorded` makes drafts: no number, no PDF, no
//! email — the cost of the API and the transaction alone).
//!
//! ```text
//! scripts/with-keychain.sh cargo bench -p invoicer-tests --bench api_events
//! ```

use invoicer_api::Server;
use invoicer_tests::Fixture;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let events = env_number("API_BENCH_EVENTS", 2000);
    let clients = env_number("API_BENCH_CLIENTS", 4);
    let kind = std::env::var("API_BENCH_TYPE").unwrap_or_else(|_| "deal.closed_won".into());
    let expected = if kind == "usage.recorded" || kind == "time.logged" {
        202
    } else {
        201
    };
    let f = Fixture::new();
    f.set_up_email();
    f.enable_event_rules();
    let Fixture { dir, app, .. } = f;
    let app = Arc::new(app);
    let server = Server::start(app.clone(), 0).expect("server");
    let token = app.api_token_for_server().expect("token");
    let url = format!("{}/v1/events", server.url());
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|_| {
            let (next, url, token, kind) = (next.clone(), url.clone(), token.clone(), kind.clone());
            std::thread::spawn(move || {
                let http = reqwest::blocking::Client::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= events {
                        break;
                    }
                    let body = json!({
                        "type": kind,
                        "customer": {"external_ref": format!("crm-{}", i % 200),
                                     "email": format!("buyer{}@globex.test", i % 200),
                                     "name": "Gina Globex", "company": format!("Globex {}", i % 200),
                                     "address": "1 Main St", "city": "Springfield", "region": "IL",
                                     "postal_code": "12345", "country": "US"},
                        "lines": [{"description": "Annual licence", "quantity": "1", "unit_price": "1200.00"},
                                  {"description": "Onboarding", "quantity": "3", "unit_price": "150.00"}],
                        "reference": format!("DEAL-{i}")
                    });
                    let r = http
                        .post(&url)
                        .bearer_auth(&token)
                        .header("Idempotency-Key", format!("bench-{i}"))
                        .json(&body)
                        .send()
                        .expect("request");
                    assert_eq!(r.status(), expected, "{}", r.text().unwrap_or_default());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("client");
    }
    let wall = started.elapsed();
    let rate = events as f64 / wall.as_secs_f64();
    server.stop();
    let db = dir.path().join("invoicer.db");
    println!(
        "api_events: {events} {kind} events from {clients} clients in {:.2} s: {rate:.0} events/s \
         ({:.2} ms each); database {:.1} MB",
        wall.as_secs_f64(),
        wall.as_secs_f64() * 1000.0 / events as f64,
        std::fs::metadata(&db).map_or(0.0, |m| m.len() as f64 / 1e6),
    );
    if rate < 500.0 {
        println!("api_events: below the budget of 500 events/s");
    }
}
