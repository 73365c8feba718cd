import { describe, expect, it } from "vitest";
import { actionLabel } from "./audit";

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
