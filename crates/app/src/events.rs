//! The events port: how the use cases and the background jobs tell whoever
//! listens (the desktop window, a test) that something changed.
//!
//! Publishing never blocks and never fails a use case: a listener that is
//! slow or gone loses events, not the change that caused them, because every
//! screen can read the truth again from the store.

use crate::api::AppEvent;
use crate::Invoicer;
use std::sync::{mpsc, Arc, RwLock};

/// Something that receives the app's events, e.g. the shell's forwarder to
/// the window.
pub trait EventSink: Send + Sync {
    /// Takes one event. Must return quickly: it runs on the thread that made
    /// the change.
    fn publish(&self, event: &AppEvent);
}

/// A sink that puts events on a channel, for tests and the CLI.
#[derive(Debug)]
pub struct ChannelSink(mpsc::Sender<AppEvent>);

impl ChannelSink {
    /// A sink and the receiving end of its channel.
    pub fn new() -> (Arc<ChannelSink>, mpsc::Receiver<AppEvent>) {
        let (tx, rx) = mpsc::channel();
        (Arc::new(ChannelSink(tx)), rx)
    }
}

impl EventSink for ChannelSink {
    fn publish(&self, event: &AppEvent) {
        // A dropped receiver means nobody listens any more; that is fine.
        let _ = self.0.send(event.clone());
    }
}

/// The listeners of one [`Invoicer`].
#[derive(Default)]
pub(crate) struct Listeners {
    sinks: RwLock<Vec<Arc<dyn EventSink>>>,
}

impl Listeners {
    pub(crate) fn publish(&self, event: AppEvent) {
        let sinks = self.sinks.read().unwrap_or_else(|p| p.into_inner());
        for sink in sinks.iter() {
            sink.publish(&event);
        }
    }
}

impl Invoicer {
    /// Adds a listener for every event from now on.
    pub fn subscribe(&self, sink: Arc<dyn EventSink>) {
        self.listeners
            .sinks
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .push(sink);
    }

    /// Tells every listener.
    pub(crate) fn publish(&self, event: AppEvent) {
        self.listeners.publish(event);
    }
}
