import { describe, expect, it } from "vitest";
import type { InvoiceStatus } from "./bindings/InvoiceStatus";
import { DISPLAY_STATUSES, invoiceActions, statusLook } from "./status";

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

describe("invoiceActions", () => {
  const allowed = (status: InvoiceStatus) =>
    Object.entries(invoiceActions(status))
      .filter(([, yes]) => yes)
      .map(([action]) => action);

  it("lets a draft be edited, issued or nothing else", () => {
    expect(allowed("draft")).toEqual(["issue", "edit"]);
  });

  it("lets an approved invoice be issued or voided", () => {
    expect(allowed("approved")).toEqual(["issue", "void"]);
  });

  it("takes payments only on open invoices", () => {
    expect(allowed("issued")).toEqual(["void", "pay"]);
    expect(allowed("partially_paid")).toEqual(["void", "pay"]);
  });

  it("offers nothing on finished or waiting invoices", () => {
    expect(allowed("paid")).toEqual([]);
    expect(allowed("void")).toEqual([]);
    expect(allowed("pending_approval")).toEqual([]);
    expect(allowed("rejected")).toEqual([]);
  });
});
