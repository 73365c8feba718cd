import { describe, expect, it } from "vitest";
import { actionLabel, rejectionReason } from "./audit";

describe("actionLabel", () => {
  it("reads machine action names as words", () => {
    expect(actionLabel("invoice.issued")).toBe("Invoice issued");
    expect(actionLabel("payment_recorded")).toBe("Payment recorded");
    expect(actionLabel("INVOICE_VOIDED")).toBe("Invoice voided");
  });

  it("keeps an action made only of separators as it is", () => {
    expect(actionLabel("..")).toBe("..");
  });
});

describe("rejectionReason", () => {
  const event = (seq: number, action: string, data: string) => ({
    seq,
    at: "2025-06-01T10:00:00Z",
    actor: "Ann",
    action,
    entity: "invoice:7",
    data,
    hash: "h",
  });

  it("reads the reason of the latest rejection", () => {
    const events = [
      event(1, "invoice.rejected", '{"reason":"Wrong rate"}'),
      event(2, "invoice.submitted", "{}"),
      event(3, "invoice.rejected", '{"reason":"Missing PO number"}'),
    ];
    expect(rejectionReason(events)).toBe("Missing PO number");
  });

  it("has no reason without a rejection or with unreadable data", () => {
    expect(rejectionReason([event(1, "invoice.created", "{}")])).toBeNull();
    expect(rejectionReason([event(1, "invoice.rejected", "not json")])).toBeNull();
  });
});
