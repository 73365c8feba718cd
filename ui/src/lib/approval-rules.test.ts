import { describe, expect, it } from "vitest";
import type { ApprovalRulesView } from "./bindings/ApprovalRulesView";
import type { CustomerView } from "./bindings/CustomerView";
import {
  EVERY_INVOICE_SENTENCE,
  isRulesField,
  levelSentence,
  newScopedRule,
  nextLevel,
  scopedSentence,
  toForm,
  toInput,
  type ScopedForm,
} from "./approval-rules";

const VIEW: ApprovalRulesView = {
  currency: "USD",
  every_invoice: false,
  levels: [
    { min_total: "10000.00", approvers: 1 },
    { min_total: "100000.00", approvers: 2 },
  ],
  scoped: [
    { scope: { kind: "customer", customer_id: 4, customer_name: "Bob Buyer" }, min_total: null, approvers: 1 },
    { scope: { kind: "source", source: "bulk" }, min_total: "5000.00", approvers: 2 },
  ],
  sources: ["manual", "bulk", "recurring", "api"],
};

function customer(id: number, name: string): CustomerView {
  return {
    id,
    name,
    company: null,
    email: `${id}@example.com`,
    address: "1 Main St",
    city: "Springfield",
    region: null,
    postal_code: "1",
    country: "US",
    tax_id: null,
    currency: null,
    template: null,
    cc: [],
    bcc: [],
    external_ref: null,
  };
}

const CUSTOMERS = [customer(4, "Bob Buyer"), customer(9, "Acme Ltd")];

function rule(extra: Partial<ScopedForm>): ScopedForm {
  return { kind: "customer", customer_id: 4, template: "", source: "", min_total: "", approvers: 1, ...extra };
}

describe("the rules form", () => {
  it("saves what it read unchanged, in one input", () => {
    expect(toInput(toForm(VIEW), "USD")).toEqual({
      ...VIEW,
      scoped: [{ scope: { kind: "customer", customer_id: 4 }, min_total: null, approvers: 1 }, VIEW.scoped[1]],
      sources: [],
    });
  });

  it("trims amounts and sends an empty rule amount as 'every invoice in scope'", () => {
    const form = toForm(VIEW);
    form.levels[0]!.min_total = " 5000 ";
    form.scoped[1]!.min_total = "  ";
    const input = toInput(form, "USD");
    expect(input.levels[0]!.min_total).toBe("5000");
    expect(input.scoped[1]!.min_total).toBeNull();
  });

  it("sends only the picker of the rule's kind", () => {
    const form = toForm(VIEW);
    form.scoped[0] = { ...form.scoped[0]!, kind: "template", template: "modern" };
    expect(toInput(form, "USD").scoped[0]!.scope).toEqual({ kind: "template", template: "modern" });
    form.scoped[0] = { ...form.scoped[0]!, kind: "customer", customer_id: null };
    // No customer picked: the backend names the picker's path with the value 0.
    expect(toInput(form, "USD").scoped[0]!.scope).toEqual({ kind: "customer", customer_id: 0 });
  });

  it("places the backend's field paths next to their fields", () => {
    for (const field of [
      "levels[1].min_total",
      "levels[0].approvers",
      "scoped[2].scope",
      "scoped[0].min_total",
      "levels",
      "every_invoice",
    ]) {
      expect(isRulesField(field)).toBe(true);
    }
    for (const field of ["approval_threshold", "levels[1].from", "name", "scoped[x].scope"]) {
      expect(isRulesField(field)).toBe(false);
    }
  });

  it("adds a level above the last, never with fewer approvers", () => {
    expect(nextLevel([{ min_total: "100000.00", approvers: 2 }])).toEqual({ min_total: "1000000.0", approvers: 3 });
    expect(nextLevel([{ min_total: "5000", approvers: 3 }])).toEqual({ min_total: "50000", approvers: 3 });
    expect(nextLevel([{ min_total: "0.05", approvers: 1 }])).toEqual({ min_total: "0.5", approvers: 2 });
    expect(nextLevel([{ min_total: "lots", approvers: 1 }])).toEqual({ min_total: "", approvers: 2 });
    expect(nextLevel([])).toEqual({ min_total: "10000.00", approvers: 1 });
  });

  it("starts a new scoped rule on the first customer", () => {
    expect(newScopedRule(CUSTOMERS)).toMatchObject({ kind: "customer", customer_id: 4, min_total: "", approvers: 1 });
    expect(newScopedRule([]).customer_id).toBeNull();
  });
});

describe("what each rule means", () => {
  const levels = toForm(VIEW).levels;

  it("says each level's range in the company currency and how many people decide", () => {
    expect(levelSentence(levels, 0, "USD", "en-US")).toBe(
      "Invoices totalling $10,000.00 or more and below $100,000.00 (in USD, converted at the recorded rate) need one approver.",
    );
    expect(levelSentence(levels, 1, "USD", "en-US")).toBe(
      "Invoices totalling $100,000.00 or more (in USD, converted at the recorded rate) need two different approvers.",
    );
  });

  it("asks for an amount instead of describing one it cannot read", () => {
    expect(levelSentence([{ min_total: "12,000", approvers: 1 }], 0, "USD", "en-US")).toBe(
      "Enter the minimum total, e.g. 10000.00.",
    );
    // A next level that cannot be read leaves the range open rather than wrong.
    expect(
      levelSentence(
        [
          { min_total: "5000", approvers: 1 },
          { min_total: "x", approvers: 2 },
        ],
        0,
        "EUR",
        "en-US",
      ),
    ).toBe("Invoices totalling €5,000.00 or more (in EUR, converted at the recorded rate) need one approver.");
  });

  it("names the customer, template or source of a scoped rule", () => {
    expect(scopedSentence(rule({}), CUSTOMERS, "USD", "en-US")).toBe("Every invoice for Bob Buyer needs one approver.");
    expect(scopedSentence(rule({ customer_id: 9, min_total: "50000", approvers: 2 }), CUSTOMERS, "USD", "en-US")).toBe(
      "Invoices for Acme Ltd totalling $50,000.00 or more need two different approvers.",
    );
    expect(scopedSentence(rule({ kind: "template", template: "modern" }), CUSTOMERS, "USD", "en-US")).toBe(
      "Every invoice with the template “modern” needs one approver.",
    );
    expect(scopedSentence(rule({ kind: "source", source: "recurring", approvers: 3 }), CUSTOMERS, "USD", "en-US")).toBe(
      "Every invoice made by a recurring schedule needs three different approvers.",
    );
  });

  it("asks for what is missing", () => {
    expect(scopedSentence(rule({ customer_id: null }), CUSTOMERS, "USD", "en-US")).toBe(
      "Pick the customer this rule is for.",
    );
    expect(scopedSentence(rule({ kind: "template" }), CUSTOMERS, "USD", "en-US")).toBe(
      "Pick the template this rule is for.",
    );
    expect(scopedSentence(rule({ min_total: "5.000,00" }), CUSTOMERS, "USD", "en-US")).toMatch(
      /^Enter the minimum total/,
    );
  });

  it("says what the every-invoice switch does", () => {
    expect(EVERY_INVOICE_SENTENCE).toBe("Every invoice needs at least one approver, whatever its total.");
  });
});
