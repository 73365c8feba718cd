import { describe, expect, it } from "vitest";
import type { InvoiceStatus } from "./bindings/InvoiceStatus";
import type { Role } from "./bindings/Role";
import { DISPLAY_STATUSES, invoiceActions, needsApproval, statusLook } from "./status";

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
  const allowed = (status: InvoiceStatus, role: Role = "specialist") =>
    Object.entries(invoiceActions(status, role))
      .filter(([, yes]) => yes)
      .map(([action]) => action);
  const ROLES: Role[] = ["specialist", "approver", "admin"];

  it("lets a draft be issued, submitted for approval or edited, whoever works on it", () => {
    for (const role of ROLES) expect(allowed("draft", role)).toEqual(["issue", "submit", "edit"]);
  });

  it("lets only approvers and admins approve or reject a pending invoice", () => {
    expect(allowed("pending_approval", "specialist")).toEqual(["edit", "sendBack"]);
    expect(allowed("pending_approval", "approver")).toEqual(["approve", "reject", "edit", "sendBack"]);
    expect(allowed("pending_approval", "admin")).toEqual(["approve", "reject", "edit", "sendBack"]);
  });

  it("sends a rejected invoice back to the editor, for every role", () => {
    for (const role of ROLES) expect(allowed("rejected", role)).toEqual(["edit"]);
  });

  it("lets an approved invoice be issued, edited or sent back to draft, but never voided", () => {
    for (const role of ROLES) expect(allowed("approved", role)).toEqual(["issue", "edit", "sendBack"]);
  });

  it("takes payments only on open invoices, and voids only unpaid ones", () => {
    expect(allowed("issued")).toEqual(["void", "pay"]);
    expect(allowed("partially_paid")).toEqual(["pay"]);
  });

  it("offers nothing on finished invoices", () => {
    for (const role of ROLES) {
      expect(allowed("paid", role)).toEqual([]);
      expect(allowed("void", role)).toEqual([]);
    }
  });
});

describe("needsApproval", () => {
  const threshold = {
    code: "invalid_state",
    message:
      "this invoice's total of 12000.00 USD reaches the approval threshold of 10000.00 USD; submit it for approval first",
    details: null,
  };

  it("recognises the backend's approval-threshold refusal", () => {
    expect(needsApproval(threshold)).toBe(true);
  });

  it("ignores other refusals and other codes", () => {
    expect(needsApproval({ ...threshold, message: "cannot issue a void invoice" })).toBe(false);
    expect(needsApproval({ ...threshold, code: "forbidden" })).toBe(false);
    expect(needsApproval(new Error("approval threshold"))).toBe(false);
  });
});
