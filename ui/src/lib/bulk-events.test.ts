import { afterEach, describe, expect, it, vi } from "vitest";
import type { DeliveryView } from "./bindings/DeliveryView";
import { BULK_SEND_JOB, followBulkJobs } from "./bulk-events";
import { dispatch, subscriberCount } from "./events";

const progress = (job: string) =>
  ({
    type: "job_progress",
    job,
    done: 1,
    total: 10,
    rate_per_second: "5",
    current: null,
    failed: 0,
    finished: false,
  }) as const;

afterEach(() => {
  vi.useRealTimers();
});

describe("following a bulk job", () => {
  it("keeps reading while events never pause, at most once per wait", () => {
    vi.useFakeTimers();
    const reload = vi.fn();
    const stop = followBulkJobs(() => 7, reload, 250);
    // Ten events a second for three seconds, as a long job sends them.
    for (let i = 0; i < 30; i++) {
      dispatch(progress(BULK_SEND_JOB));
      vi.advanceTimersByTime(100);
    }
    expect(reload.mock.calls.length).toBeGreaterThanOrEqual(10);
    expect(reload.mock.calls.length).toBeLessThanOrEqual(12);
    stop();
  });

  it("reads a burst of progress once, after the wait", () => {
    vi.useFakeTimers();
    const reload = vi.fn();
    const stop = followBulkJobs(() => 7, reload, 250);
    for (let i = 0; i < 50; i++) {
      dispatch(progress(BULK_SEND_JOB));
      dispatch({ type: "bulk_job_changed", job_id: 7, status: "running" });
    }
    expect(reload).not.toHaveBeenCalled();
    vi.advanceTimersByTime(250);
    expect(reload).toHaveBeenCalledTimes(1);
    stop();
  });

  it("reads the sent figure again as the outbox delivers", () => {
    vi.useFakeTimers();
    const reload = vi.fn();
    const stop = followBulkJobs(() => 7, reload, 250);
    dispatch({ type: "delivery_changed", delivery: { id: 1 } as DeliveryView });
    vi.advanceTimersByTime(250);
    expect(reload).toHaveBeenCalledTimes(1);
    stop();
  });

  it("ignores other jobs and the outbox sender's progress", () => {
    vi.useFakeTimers();
    const reload = vi.fn();
    const stop = followBulkJobs(() => 7, reload, 250);
    dispatch({ type: "bulk_job_changed", job_id: 8, status: "running" });
    dispatch(progress("outbox_sender"));
    vi.advanceTimersByTime(1000);
    expect(reload).not.toHaveBeenCalled();
    stop();
  });

  it("shows a status change at once", () => {
    vi.useFakeTimers();
    const reload = vi.fn();
    const stop = followBulkJobs(() => null, reload, 250);
    dispatch({ type: "bulk_job_changed", job_id: 3, status: "running" });
    dispatch({ type: "bulk_job_changed", job_id: 3, status: "finished" });
    expect(reload).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(reload).toHaveBeenCalledTimes(1);
    stop();
  });

  it("stops listening and drops a waiting reload when stopped", () => {
    vi.useFakeTimers();
    const reload = vi.fn();
    const before = subscriberCount();
    const stop = followBulkJobs(() => 7, reload, 250);
    dispatch(progress(BULK_SEND_JOB));
    stop();
    vi.advanceTimersByTime(1000);
    dispatch(progress(BULK_SEND_JOB));
    expect(reload).not.toHaveBeenCalled();
    expect(subscriberCount()).toBe(before);
  });
});
