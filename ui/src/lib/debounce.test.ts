import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { debounce } from "./debounce";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("debounce", () => {
  it("waits for a quiet period and then calls once with the last arguments", () => {
    const calls: string[] = [];
    const typed = debounce((text: string) => calls.push(text), 250);
    typed("1");
    vi.advanceTimersByTime(200);
    typed("12");
    vi.advanceTimersByTime(200);
    typed("12.5");
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(249);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(["12.5"]);
  });

  it("calls again for input after the call", () => {
    const calls: number[] = [];
    const typed = debounce((n: number) => calls.push(n), 100);
    typed(1);
    vi.advanceTimersByTime(100);
    typed(2);
    vi.advanceTimersByTime(100);
    expect(calls).toEqual([1, 2]);
  });

  it("drops a pending call when cancelled", () => {
    const calls: number[] = [];
    const typed = debounce((n: number) => calls.push(n), 100);
    typed(1);
    typed.cancel();
    vi.advanceTimersByTime(500);
    expect(calls).toEqual([]);
  });

  it("runs a pending call at once when flushed, and only once", () => {
    const calls: number[] = [];
    const typed = debounce((n: number) => calls.push(n), 100);
    typed(7);
    typed.flush();
    expect(calls).toEqual([7]);
    vi.advanceTimersByTime(500);
    typed.flush();
    expect(calls).toEqual([7]);
  });
});
