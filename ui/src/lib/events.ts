// What the backend tells the window without being asked: an invoice or a delivery changed, the
// counts of deliveries that need a person, a background job's progress, a notification. The shell
// emits every `AppEvent` under one Tauri event, whose name comes from Rust (`bindings/constants`),
// so it is never typed twice.
//
// The app listens to that event once (`startAppEvents`), and screens subscribe here with one handler
// per event type they care about; subscribing and unsubscribing are synchronous, so a screen's
// `onMount` can return its unsubscribe as its cleanup.
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type { AppEvent } from "./bindings/AppEvent";
import { APP_EVENT } from "./bindings/constants";

export type AppEventType = AppEvent["type"];

/** The event of one type, e.g. `EventOf<"delivery_changed">` has its `delivery`. */
export type EventOf<T extends AppEventType> = Extract<AppEvent, { type: T }>;

/** Handlers by event type; types without one are ignored. */
export type AppEventHandlers = { [T in AppEventType]?: (event: EventOf<T>) => void };

const subscribers = new Set<AppEventHandlers>();

/** Calls the handler `handlers` has for `event`'s type, if any. */
export function route(event: AppEvent, handlers: AppEventHandlers): void {
  // The cast is sound: the handler was looked up by this very event's type.
  const handler = handlers[event.type] as ((event: AppEvent) => void) | undefined;
  handler?.(event);
}

/** Hands one event to every subscriber. A subscriber that throws does not keep it from the others. */
export function dispatch(event: AppEvent): void {
  // A copy, so a handler may unsubscribe (or subscribe) while the event is being handed out.
  for (const handlers of [...subscribers]) {
    try {
      route(event, handlers);
    } catch (reason) {
      console.warn(`a ${event.type} handler failed`, reason);
    }
  }
}

/** Receives the backend's events from now on; returns the function that stops it. */
export function subscribe(handlers: AppEventHandlers): () => void {
  // A wrapper of its own, so subscribing one object twice gives two independent subscriptions.
  const entry: AppEventHandlers = { ...handlers };
  subscribers.add(entry);
  return () => {
    subscribers.delete(entry);
  };
}

/** How many subscriptions are live (for tests: a screen must not leak one). */
export function subscriberCount(): number {
  return subscribers.size;
}

let started: Promise<UnlistenFn> | null = null;

/**
 * Starts listening to the backend's events, once per page: later calls return the same listener.
 * Resolves to false when the window cannot listen (outside the desktop app); screens then simply
 * receive no events.
 */
export async function startAppEvents(): Promise<boolean> {
  started ??= listen<AppEvent>(APP_EVENT, (message) => dispatch(message.payload));
  try {
    await started;
    return true;
  } catch (reason) {
    started = null;
    console.warn("the window cannot listen to the backend's events", reason);
    return false;
  }
}

/** Stops listening and forgets every subscriber (for tests). */
export async function stopAppEvents(): Promise<void> {
  const listening = started;
  started = null;
  subscribers.clear();
  if (listening) (await listening.catch(() => null))?.();
}
