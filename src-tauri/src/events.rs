//! Forwards the app's events to the window, and notifications to the desktop.
//!
//! The use cases and the background jobs publish [`AppEvent`]s through
//! `invoicer-app`'s events port; [`WindowEvents`] is the shell's listener. Each
//! event goes to the page as the Tauri event named [`APP_EVENT`] (its payload
//! is the `AppEvent` binding), and a notification is also shown on the desktop
//! through tauri-plugin-notification, from Rust, so the page needs no
//! notification permission.

use crate::state::AppState;
use invoicer_app::api::{AppEvent, NotificationView, Role, APP_EVENT};
use invoicer_app::EventSink;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_notification::Notification;

/// The shell's listener on the events port.
pub struct WindowEvents<R: Runtime> {
    app: AppHandle<R>,
}

impl<R: Runtime> WindowEvents<R> {
    /// A listener that emits to the windows of `app`.
    pub fn new(app: AppHandle<R>) -> Self {
        WindowEvents { app }
    }

    /// Shows a desktop notification. A desktop without a notification
    /// service (e.g. a bare X server) only costs a log line: the same event
    /// already reached the window.
    fn notify(&self, notification: &NotificationView) {
        let Some(plugin) = self.app.try_state::<Notification<R>>() else {
            tracing::warn!(
                topic = %notification.topic,
                "no notification plugin; the notification is shown in the window only"
            );
            return;
        };
        let shown = plugin
            .builder()
            .title(&notification.title)
            .body(&notification.body)
            .show();
        if let Err(e) = shown {
            tracing::warn!(topic = %notification.topic, error = %e, "desktop notification failed");
        }
    }
}

impl<R: Runtime> EventSink for WindowEvents<R> {
    fn publish(&self, event: &AppEvent) {
        // `emit` only queues the event for the window's event loop, so the
        // thread that made the change (a command, the sender) never waits here.
        if let Err(e) = self.app.emit(APP_EVENT, event) {
            tracing::warn!(error = %e, "could not send an event to the window");
        }
        if let AppEvent::Notification(notification) = event {
            self.notify(notification);
        }
        if let Some(notification) = self.approval_notification(event) {
            self.notify(&notification);
        }
    }
}

impl<R: Runtime> WindowEvents<R> {
    /// The desktop notification an approval event means for whoever is
    /// signed in here: an approver hears that something waits, the maker
    /// hears the decision. Anyone else hears nothing.
    fn approval_notification(&self, event: &AppEvent) -> Option<NotificationView> {
        let me = self.app.try_state::<AppState>()?.current()?;
        let user = me.user();
        match event {
            AppEvent::ApprovalRequested { invoice_id }
                if matches!(user.role, Role::Approver | Role::Admin) =>
            {
                Some(NotificationView {
                    title: "Invoice waiting for approval".into(),
                    body: format!("Invoice {invoice_id} waits for an approver."),
                    topic: "approvals".into(),
                })
            }
            AppEvent::ApprovalDecided {
                invoice_id,
                maker_id,
                decision,
                by,
                reason,
            } if *maker_id == user.id => Some(NotificationView {
                title: format!("Invoice {invoice_id} {decision}"),
                body: match reason {
                    Some(why) => format!("{by} {decision} it: {why}"),
                    None => format!("{by} {decision} it."),
                },
                topic: "approvals".into(),
            }),
            _ => None,
        }
    }
}
