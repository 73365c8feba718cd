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
    /// signed in here (see [`approval_notification`]).
    fn approval_notification(&self, event: &AppEvent) -> Option<NotificationView> {
        let me = self.app.try_state::<AppState>()?.current()?;
        let user = me.user();
        approval_notification(event, user.id, user.role)
    }
}

/// The desktop notification an approval event means for the signed-in user
/// `user_id` with `role`: an approver or admin hears that something waits,
/// the maker hears the decision, anyone else hears nothing. The invoice is
/// named by the event's label (customer and amount, and the number once
/// issued), never by its database id.
pub fn approval_notification(
    event: &AppEvent,
    user_id: i64,
    role: Role,
) -> Option<NotificationView> {
    match event {
        AppEvent::ApprovalRequested { label, .. }
            if matches!(role, Role::Approver | Role::Admin) =>
        {
            Some(NotificationView {
                title: "Invoice waiting for approval".into(),
                body: format!("{label} waits for an approver."),
                topic: "approvals".into(),
            })
        }
        AppEvent::ApprovalDecided {
            label,
            maker_id,
            decision,
            by,
            reason,
            ..
        } if *maker_id == user_id => Some(NotificationView {
            title: format!("Invoice {decision}"),
            body: match reason {
                Some(why) => format!("{by} {decision} {label}: {why}"),
                None => format!("{by} {decision} {label}."),
            },
            topic: "approvals".into(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decided(label: &str, decision: &str, reason: Option<&str>) -> AppEvent {
        AppEvent::ApprovalDecided {
            invoice_id: 42,
            label: label.into(),
            maker_id: 7,
            decision: decision.into(),
            by: "ann@example.com".into(),
            reason: reason.map(Into::into),
        }
    }

    #[test]
    fn an_approver_is_told_which_invoice_waits_by_customer_and_amount() {
        let event = AppEvent::ApprovalRequested {
            invoice_id: 42,
            label: "Acme Ltd, 12,000.00 USD".into(),
        };
        let note = approval_notification(&event, 3, Role::Approver).unwrap();
        assert_eq!(note.body, "Acme Ltd, 12,000.00 USD waits for an approver.");
        assert!(!note.title.contains("42") && !note.body.contains("42"));
        assert!(approval_notification(&event, 3, Role::Specialist).is_none());
    }

    #[test]
    fn the_maker_is_told_the_decision_with_the_number_once_issued() {
        let approved = decided("INV-2026-00001 · Acme Ltd, 12,000.00 USD", "approved", None);
        let note = approval_notification(&approved, 7, Role::Specialist).unwrap();
        assert_eq!(note.title, "Invoice approved");
        assert_eq!(
            note.body,
            "ann@example.com approved INV-2026-00001 · Acme Ltd, 12,000.00 USD."
        );
        let rejected = decided(
            "Acme Ltd, 12,000.00 USD",
            "rejected",
            Some("Rate should be 140.00"),
        );
        let note = approval_notification(&rejected, 7, Role::Specialist).unwrap();
        assert_eq!(
            note.body,
            "ann@example.com rejected Acme Ltd, 12,000.00 USD: Rate should be 140.00"
        );
        assert!(!note.body.contains("42"));
        // Someone else's invoice: nothing to tell.
        assert!(approval_notification(&rejected, 8, Role::Admin).is_none());
    }
}
