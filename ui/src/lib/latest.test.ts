import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { latestRequests } from "./latest";

type Pending = { input: string; resolve: (value: string) => void; reject: (reason: unknown) => void };

/** A load function whose answers the test releases by hand, in any order. */
function manualLoad() {
  const pending: Pending[] = [];
  const load = (input: string) =>
    new Promise<string>((resolve, reject) => {
      pending.push({ input, resolve, reject });
    });
  return { load, pending };
}

function recorder() {
  const results: string[] = [];
  const errors: unknown[] = [];
  const busy: boolean[] = [];
  return {
    results,
    errors,
    busy,
    handlers: {
      onResult: (r: string) => results.push(r),
      onError: (e: unknown) => errors.push(e),
      onBusy: (b: boolean) => busy.push(b),
    },
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("latestRequests", () => {
  it("waits for a pause in the edits and sends only the last input", async () => {
    const { load, pending } = manualLoad();
    const seen = recorder();
    const previews = latestRequests(load, 400, seen.handlers);
    previews.request("a");
    await vi.advanceTimersByTimeAsync(300);
    previews.request("ab");
    await vi.advanceTimersByTimeAsync(399);
    expect(pending).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(pending.map((p) => p.input)).toEqual(["ab"]);
    pending[0]?.resolve("pdf(ab)");
    await vi.runAllTimersAsync();
    expect(seen.results).toEqual(["pdf(ab)"]);
    expect(seen.busy.at(-1)).toBe(false);
  });

  it("never lets a slow older preview overwrite a newer one", async () => {
    const { load, pending } = manualLoad();
    const seen = recorder();
    const previews = latestRequests(load, 400, seen.handlers);
    previews.request("old");
    await vi.advanceTimersByTimeAsync(400);
    previews.request("new");
    await vi.advanceTimersByTimeAsync(400);
    expect(pending.map((p) => p.input)).toEqual(["old", "new"]);
    pending[1]?.resolve("pdf(new)");
    await vi.runAllTimersAsync();
    pending[0]?.resolve("pdf(old)");
    await vi.runAllTimersAsync();
    expect(seen.results).toEqual(["pdf(new)"]);
  });

  it("drops an older answer that arrives while a newer edit is still waiting", async () => {
    const { load, pending } = manualLoad();
    const seen = recorder();
    const previews = latestRequests(load, 400, seen.handlers);
    previews.request("old");
    await vi.advanceTimersByTimeAsync(400);
    previews.request("newer");
    pending[0]?.reject({ code: "validation", message: "bad", details: [] });
    pending[0]?.resolve("pdf(old)");
    await vi.advanceTimersByTimeAsync(10);
    expect(seen.results).toEqual([]);
    expect(seen.errors).toEqual([]);
    expect(seen.busy.at(-1)).toBe(true);
  });

  it("reports the newest request's error, and nothing after cancel", async () => {
    const { load, pending } = manualLoad();
    const seen = recorder();
    const previews = latestRequests(load, 400, seen.handlers);
    previews.request("broken");
    previews.flush();
    pending[0]?.reject("tera error");
    await vi.runAllTimersAsync();
    expect(seen.errors).toEqual(["tera error"]);

    previews.request("later");
    previews.flush();
    previews.cancel();
    pending[1]?.resolve("pdf(later)");
    await vi.runAllTimersAsync();
    expect(seen.results).toEqual([]);
    expect(seen.busy.at(-1)).toBe(false);
  });
});
