import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { deliveryCounts } from "./delivery-counts.svelte";
import { dispatch } from "./events";

const global = globalThis as unknown as { window?: Record<string, unknown> };
global.window = globalThis as unknown as Record<string, unknown>;

afterEach(() => {
  clearMocks();
  deliveryCounts.reset();
});

describe("deliveryCounts", () => {
  it("reads the counts from the backend at sign-in", async () => {
    const sent: unknown[] = [];
    mockIPC((command, args) => {
      sent.push({ command, args });
      return { rows: [], failed: 2, unknown: 1 };
    });
    await deliveryCounts.load();
    expect(sent).toEqual([{ command: "deliveries", args: { filter: { needs_a_person: true, limit: 1 } } }]);
    expect(deliveryCounts.needsAPerson).toBe(3);
    expect([deliveryCounts.failed, deliveryCounts.unknown]).toEqual([2, 1]);
  });

  it("follows the backend's delivery_counts events", () => {
    const stop = deliveryCounts.follow();
    dispatch({ type: "delivery_counts", failed: 0, unknown: 4 });
    expect(deliveryCounts.needsAPerson).toBe(4);
    stop();
    dispatch({ type: "delivery_counts", failed: 9, unknown: 9 });
    expect(deliveryCounts.needsAPerson).toBe(4);
  });

  it("drops an answer read before a newer event arrived", async () => {
    let answer: (value: unknown) => void = () => {};
    mockIPC(() => new Promise((resolve) => (answer = resolve)));
    const stop = deliveryCounts.follow();
    const loading = deliveryCounts.load();
    dispatch({ type: "delivery_counts", failed: 1, unknown: 0 });
    answer({ rows: [], failed: 0, unknown: 0 });
    await loading;
    expect(deliveryCounts.needsAPerson).toBe(1);
    stop();
  });

  it("keeps the badge as it was when the counts cannot be read", async () => {
    deliveryCounts.set({ failed: 1, unknown: 1 });
    mockIPC(() => Promise.reject({ code: "forbidden", message: "no", details: null }));
    await deliveryCounts.load();
    expect(deliveryCounts.needsAPerson).toBe(2);
  });
});
