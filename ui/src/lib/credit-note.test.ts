import { describe, expect, it } from "vitest";
import type { LineView } from "./bindings/LineView";
import { creditNoteInput, emptyCreditForm, lineOfField, methodLabel, previewable } from "./credit-note";

const line = (description: string, quantity: string): LineView =>
  ({ description, quantity, unit_price: "1.00" }) as LineView;
const invoiced = [line("Consulting", "10"), line("Hosting", "1")];

describe("the credit-note form", () => {
  it("credits everything left when no lines or amount are given", () => {
    const form = emptyCreditForm(invoiced);
    form.reason = "  Cancelled  ";
    expect(creditNoteInput(7, form, invoiced)).toEqual({
      invoice_id: 7,
      lines: [],
      amount: null,
      reason: "Cancelled",
      send: false,
    });
    expect(previewable(form)).toBe(true);
  });

  it("sends chosen lines by number, a whole line without a quantity and a part with it", () => {
    const form = emptyCreditForm(invoiced);
    form.mode = "lines";
    expect(previewable(form)).toBe(false);
    form.lines[0] = { chosen: true, quantity: "3" };
    form.lines[1] = { chosen: true, quantity: "1" };
    const input = creditNoteInput(7, form, invoiced);
    expect(input.lines).toEqual([
      { line: 1, quantity: "3" },
      { line: 2, quantity: null },
    ]);
    expect(input.amount).toBeNull();
    expect(previewable(form)).toBe(true);
    // The backend's `lines[1].quantity` is about the invoice's second line.
    expect(lineOfField("lines[1].quantity", input)).toBe(1);
    expect(lineOfField("amount", input)).toBeNull();
  });

  it("sends an amount as typed and ignores the lines then", () => {
    const form = emptyCreditForm(invoiced);
    form.mode = "amount";
    form.lines[0] = { chosen: true, quantity: "3" };
    expect(previewable(form)).toBe(false);
    form.amount = " 100.00 ";
    form.send = true;
    const input = creditNoteInput(7, form, invoiced);
    expect(input).toMatchObject({ amount: "100.00", lines: [], send: true });
  });

  it("names payment methods as people read them", () => {
    expect(methodLabel("bank_transfer")).toBe("Bank transfer");
    expect(methodLabel("cheque")).toBe("Cheque");
    expect(methodLabel("barter")).toBe("barter");
  });
});
