import { describe, expect, it } from "vitest";
import { leaveGuard } from "./leave-guard.svelte";

describe("leaveGuard", () => {
  it("leaves at once when nothing is unsaved", () => {
    let left = 0;
    const release = leaveGuard.protect(() => false);
    leaveGuard.attempt(() => left++);
    expect(left).toBe(1);
    expect(leaveGuard.asking).toBe(false);
    release();
  });

  it("asks first when there are unsaved changes, and leaves only on discard", () => {
    let left = 0;
    const release = leaveGuard.protect(() => true);
    leaveGuard.attempt(() => left++);
    expect(leaveGuard.asking).toBe(true);
    leaveGuard.stay();
    expect(left).toBe(0);
    expect(leaveGuard.asking).toBe(false);

    leaveGuard.attempt(() => left++);
    leaveGuard.discard();
    expect(left).toBe(1);
    // Once the editor is gone (it releases on unmount), leaving is not asked about.
    release();
    leaveGuard.attempt(() => left++);
    expect(left).toBe(2);
  });

  it("ignores an editor's release after another editor took over", () => {
    const releaseOld = leaveGuard.protect(() => true);
    const releaseNew = leaveGuard.protect(() => true);
    releaseOld();
    let left = 0;
    leaveGuard.attempt(() => left++);
    expect(leaveGuard.asking).toBe(true);
    leaveGuard.stay();
    releaseNew();
  });
});
