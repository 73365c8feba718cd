import { describe, expect, it } from "vitest";
import { DISPLAY_STATUSES, statusLook } from "./status";

describe("statusLook", () => {
  it("covers every display status with its own readable label", () => {
    expect(DISPLAY_STATUSES).toHaveLength(9);
    const labels = DISPLAY_STATUSES.map((status) => statusLook(status).label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(statusLook("pending_approval").label).toBe("Pending approval");
    expect(statusLook("partially_paid").label).toBe("Partially paid");
    for (const label of labels) expect(label).not.toContain("_");
  });

  it("colours overdue differently from issued and from paid", () => {
    expect(statusLook("overdue").tone).not.toBe(statusLook("issued").tone);
    expect(statusLook("overdue").tone).not.toBe(statusLook("paid").tone);
    expect(statusLook("paid").tone).not.toBe(statusLook("partially_paid").tone);
    expect(statusLook("void").tone).not.toBe(statusLook("draft").tone);
  });
});
