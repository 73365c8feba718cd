//! The app's events reaching the window: the shell's forwarder on Tauri's
//! mock runtime, headless, and the background jobs' lifetime in the shell.

use chrono::{TimeZone, Utc};
use invoicer_app::api::{AppEvent, NotificationView, APP_EVENT};
use invoicer_app::{EventSink, Invoicer, ManualClock};
use invoicer_desktop::{start_background, with_commands, AppState, WindowEvents};
use serde_json::{json, Value};
use std::sync::{mpsc, Arc};
use std::time::Duration;
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::{App, Listener, Manager};
use tempfile::TempDir;

/// An app with the notification plugin, like the real one, and a window.
fn app(with_notifications: bool) -> (App<MockRuntime>, TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
    ));
    let invoicer = Invoicer::open(dir.path(), clock).expect("open");
    let mut builder = with_commands(mock_builder()).manage(AppState::new(invoicer));
    if with_notifications {
        builder = builder.plugin(tauri_plugin_notification::init());
    }
    let app = builder
        .build(mock_context(noop_assets()))
        .expect("mock app");
    tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("window");
    (app, dir)
}

/// Every payload emitted under [`APP_EVENT`], as JSON.
fn window_events(app: &App<MockRuntime>) -> mpsc::Receiver<Value> {
    let (tx, rx) = mpsc::channel();
    app.listen_any(APP_EVENT, move |event| {
        let payload = serde_json::from_str(event.payload()).expect("a JSON payload");
        let _ = tx.send(payload);
    });
    rx
}

/// The next event the window received. Emitting is synchronous on the mock
/// runtime, so the event is there already; the wait only bounds a failure.
fn next(events: &mpsc::Receiver<Value>) -> Value {
    events
        .recv_timeout(Duration::from_secs(10))
        .expect("an event reached the window")
}

#[test]
fn every_app_event_reaches_the_window_under_the_event_name_in_its_binding_shape() {
    let (app, _dir) = app(true);
    let events = window_events(&app);
    let sink = WindowEvents::new(app.handle().clone());

    sink.publish(&AppEvent::DeliveryCounts {
        failed: 2,
        unknown: 1,
    });
    assert_eq!(
        next(&events),
        json!({"type": "delivery_counts", "failed": 2, "unknown": 1})
    );
    sink.publish(&AppEvent::InvoiceChanged { invoice_id: 42 });
    assert_eq!(
        next(&events),
        json!({"type": "invoice_changed", "invoice_id": 42})
    );
}

#[test]
fn a_notification_reaches_the_window_even_when_the_desktop_cannot_show_it() {
    // No notification service runs here (no session bus): showing it fails,
    // which is only logged; the window still hears about it.
    for with_plugin in [true, false] {
        let (app, _dir) = app(with_plugin);
        let events = window_events(&app);
        let sink = WindowEvents::new(app.handle().clone());
        sink.publish(&AppEvent::Notification(NotificationView {
            title: "Delivery failed".into(),
            body: "INV-2026-00001 to bob@example.com: 550 mailbox unavailable".into(),
            topic: "deliveries".into(),
        }));
        let event = next(&events);
        assert_eq!(event["type"], "notification");
        assert_eq!(event["title"], "Delivery failed");
        assert_eq!(event["topic"], "deliveries");
    }
}

#[test]
fn the_jobs_start_with_the_app_and_stop_when_it_exits() {
    let (app, _dir) = app(true);
    let state = app.state::<AppState>();
    assert!(!state.jobs_running());
    start_background(app.handle(), &state);
    assert!(state.jobs_running());
    state.stop_jobs();
    assert!(!state.jobs_running());
    // Stopping twice (an exit after a failed start) is harmless.
    state.stop_jobs();
}
