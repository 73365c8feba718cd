import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppEvent } from "./bindings/AppEvent";
import { APP_EVENT } from "./bindings/constants";
import type { DeliveryView } from "./bindings/DeliveryView";
import { dispatch, route, startAppEvents, stopAppEvents, subscribe, subscriberCount } from "./events";

// Tests run in Node; Tauri's mocks install the IPC layer on `window`, as the webview has it.
const global = globalThis as unknown as { window?: Record<string, unknown> };
global.window = globalThis as unknown as Record<string, unknown>;

const delivery = { id: 9, invoice_id: 4, status: "sent" } as DeliveryView;

afterEach(async () => {
  await stopAppEvents();
  clearMocks();
  vi.restoreAllMocks();
});

describe("route", () => {
  it("calls only the handler for the event's type, with the typed event", () => {
    const seen: string[] = [];
    const handlers = {
      invoice_changed: (e: { invoice_id: number }) => seen.push(`invoice ${e.invoice_id}`),
      delivery_counts: (e: { failed: number; unknown: number }) => seen.push(`counts ${e.failed}/${e.unknown}`),
    };
    route({ type: "invoice_changed", invoice_id: 4 }, handlers);
    route({ type: "delivery_counts", failed: 2, unknown: 1 }, handlers);
    route({ type: "delivery_changed", delivery }, handlers);
    expect(seen).toEqual(["invoice 4", "counts 2/1"]);
  });
});

describe("subscribe", () => {
  it("hands every event to every subscriber until it unsubscribes", () => {
    const a: AppEvent[] = [];
    const b: AppEvent[] = [];
    const stopA = subscribe({ delivery_changed: (e) => a.push(e) });
    const stopB = subscribe({ delivery_changed: (e) => b.push(e) });
    dispatch({ type: "delivery_changed", delivery });
    stopA();
    dispatch({ type: "delivery_changed", delivery });
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(2);
    stopB();
    expect(subscriberCount()).toBe(0);
  });

  it("keeps handing out an event after one subscriber throws", () => {
    const warned = vi.spyOn(console, "warn").mockImplementation(() => {});
    const got: number[] = [];
    const stops = [
      subscribe({
        invoice_changed: () => {
          throw new Error("broken screen");
        },
      }),
      subscribe({ invoice_changed: (e) => got.push(e.invoice_id) }),
    ];
    dispatch({ type: "invoice_changed", invoice_id: 7 });
    expect(got).toEqual([7]);
    expect(warned).toHaveBeenCalledOnce();
    stops.forEach((stop) => stop());
  });
});

describe("startAppEvents", () => {
  it("listens under the event name generated from Rust and routes the payloads", async () => {
    expect(APP_EVENT).toBe("invoicer://event");
    mockIPC(() => null, { shouldMockEvents: true });
    const got: AppEvent[] = [];
    const stop = subscribe({
      delivery_changed: (e) => got.push(e),
      delivery_counts: (e) => got.push(e),
    });
    expect(await startAppEvents()).toBe(true);
    // A second start (e.g. the app mounted again) adds no second listener: each event arrives once.
    expect(await startAppEvents()).toBe(true);
    await emit(APP_EVENT, { type: "delivery_counts", failed: 1, unknown: 0 });
    await emit("some-other-event", { type: "delivery_counts", failed: 5, unknown: 5 });
    await emit(APP_EVENT, { type: "delivery_changed", delivery });
    expect(got).toEqual([
      { type: "delivery_counts", failed: 1, unknown: 0 },
      { type: "delivery_changed", delivery },
    ]);
    stop();
  });

  it("says so when the window cannot listen, and can try again later", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    mockIPC(() => {
      throw new Error("not allowed");
    });
    expect(await startAppEvents()).toBe(false);
    mockIPC(() => null, { shouldMockEvents: true });
    expect(await startAppEvents()).toBe(true);
  });
});
