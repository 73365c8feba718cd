import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { approvalsWaiting } from "./approvals-waiting.svelte";
import { dispatch } from "./events";

const global = globalThis as unknown as { window?: Record<string, unknown> };
global.window = globalThis as unknown as Record<string, unknown>;

afterEach(() => {
  clearMocks();
  approvalsWaiting.reset();
});

describe("approvalsWaiting", () => {
  it("reads the count from the backend at sign-in", async () => {
    const sent: string[] = [];
    mockIPC((command) => {
      sent.push(command);
      return 3;
    });
    await approvalsWaiting.load();
    expect(sent).toEqual(["approvals_waiting"]);
    expect(approvalsWaiting.count).toBe(3);
  });

  it("reads it again on approval and invoice events, and stops when told", async () => {
    let waiting = 1;
    const sent: string[] = [];
    mockIPC((command) => {
      sent.push(command);
      return waiting;
    });
    const stop = approvalsWaiting.follow();
    dispatch({ type: "approval_requested", invoice_id: 7, label: "Acme Ltd, 12,000.00 USD" });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(approvalsWaiting.count).toBe(1);
    waiting = 0;
    dispatch({
      type: "approval_decided",
      invoice_id: 7,
      label: "Acme Ltd, 12,000.00 USD",
      maker_id: 2,
      decision: "approved",
      by: "a@x",
      reason: null,
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(approvalsWaiting.count).toBe(0);
    stop();
    waiting = 5;
    dispatch({ type: "invoice_changed", invoice_id: 7 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(approvalsWaiting.count).toBe(0);
    expect(sent).toEqual(["approvals_waiting", "approvals_waiting"]);
  });

  it("reads it on an invoice change only while something waits", async () => {
    let waiting = 1;
    const sent: string[] = [];
    mockIPC((command) => {
      sent.push(command);
      return waiting;
    });
    await approvalsWaiting.load();
    const stop = approvalsWaiting.follow();
    // The waiting invoice was edited back to draft.
    waiting = 0;
    dispatch({ type: "invoice_changed", invoice_id: 7 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(approvalsWaiting.count).toBe(0);
    // Nothing waits now: another invoice's change cannot take anything out of the queue.
    dispatch({ type: "invoice_changed", invoice_id: 8 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sent).toEqual(["approvals_waiting", "approvals_waiting"]);
    stop();
  });

  it("drops an older answer that arrives after a newer one", async () => {
    const answers: Array<(value: unknown) => void> = [];
    mockIPC(() => new Promise((resolve) => answers.push(resolve)));
    const first = approvalsWaiting.load();
    const second = approvalsWaiting.load();
    answers[1]?.(2);
    await second;
    answers[0]?.(9);
    await first;
    expect(approvalsWaiting.count).toBe(2);
  });

  it("keeps the badge as it was when the count cannot be read", async () => {
    mockIPC(() => 4);
    await approvalsWaiting.load();
    mockIPC(() => Promise.reject({ code: "forbidden", message: "no", details: null }));
    await approvalsWaiting.load();
    expect(approvalsWaiting.count).toBe(4);
  });
});
