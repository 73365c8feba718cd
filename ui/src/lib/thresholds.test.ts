import { describe, expect, it } from "vitest";
import { sourceLabel } from "./approval-rules";
import { sourceText } from "./approvals";
import type { ThresholdView } from "./bindings/ThresholdView";
import {
  actionLabel,
  emptyThresholdForm,
  formProblems,
  reasonLabel,
  stateLabel,
  thresholdActions,
  thresholdForm,
  toThresholdInput,
  triggerLabel,
  withRule,
} from "./thresholds";

const view: ThresholdView = {
  id: 4,
  name: "Globex consulting",
  customer_id: 7,
  customer_name: "Globex",
  project: "P-9",
  measure: "hours",
  unit_price: "40.00",
  description_template: "{date} {description}",
  quantity_threshold: "40",
  amount_threshold: "5000.00",
  period: "monthly",
  period_anchor: "2027-01-01",
  template: null,
  terms_days: 14,
  action: "issue_and_send",
  state: "disabled",
  tested_at: null,
  progress: {
    quantity: "31.5",
    quantity_threshold: "40",
    amount: "1260.00",
    amount_threshold: "5000.00",
    currency: "USD",
    label: "31.5 of 40 h · 1,260.00 of 5,000.00 USD",
  },
  current_period_end: "2027-01-31",
  unbilled: [],
  unbilled_count: 0,
  billings: [],
};

describe("the threshold editor's form", () => {
  it("round-trips a stored rule into the input the backend takes", () => {
    const input = toThresholdInput(thresholdForm(view));
    expect(input).toEqual({
      name: "Globex consulting",
      customer_id: 7,
      project: "P-9",
      measure: "hours",
      unit_price: "40.00",
      description_template: "{date} {description}",
      quantity_threshold: "40",
      amount_threshold: "5000.00",
      period: "monthly",
      period_anchor: "2027-01-01",
      template: null,
      terms_days: 14,
      action: "issue_and_send",
    });
  });

  it("sends blanks as absent and drops the anchor without a period", () => {
    const form = { ...emptyThresholdForm(), customer_id: 3, period_anchor: "2027-01-01", unit_price: "  " };
    const input = toThresholdInput(form);
    expect(input.unit_price).toBeNull();
    expect(input.period).toBeNull();
    expect(input.period_anchor).toBeNull();
    expect(input.quantity_threshold).toBe("40");
  });

  it("names the fields it can check itself by the backend's paths", () => {
    const form = { ...emptyThresholdForm(), quantity_threshold: "", terms_days: "ten" };
    expect(formProblems(form)).toEqual({
      customer_id: "choose the customer billed",
      terms_days: '"ten" is not a whole number',
      quantity_threshold: "give a quantity, an amount or a period end",
    });
    expect(formProblems({ ...form, customer_id: 1, terms_days: "", period: "quarterly" })).toEqual({});
  });
});

describe("the thresholds list", () => {
  it("says what triggers a rule and what it does", () => {
    expect(triggerLabel(view)).toBe("40 h or 5000.00 USD, and at each month's end");
    expect(triggerLabel({ ...view, quantity_threshold: null, amount_threshold: null, period: "quarterly" })).toBe(
      "At each quarter's end",
    );
    expect(actionLabel("approval")).toBe("Wait for approval");
    expect(reasonLabel("period_end", "2027-01-01")).toBe("Period from 2027-01-01 ended");
  });

  it("offers Enable only after a passed test run, and nothing to non-admins", () => {
    expect(stateLabel(view)).toBe("Disabled — test it first");
    expect(thresholdActions(view, true)).toEqual(["test"]);
    const tested = { ...view, tested_at: "2027-01-02T09:00:00Z" };
    expect(stateLabel(tested)).toBe("Disabled (tested)");
    expect(thresholdActions(tested, true)).toEqual(["test", "enable"]);
    expect(thresholdActions({ ...tested, state: "active" }, true)).toEqual(["test", "disable"]);
    expect(thresholdActions(tested, false)).toEqual([]);
  });

  it("puts the rule an action answered with in place of its row", () => {
    const other = { ...view, id: 5, name: "Other" };
    const list = [view, other];
    const enabled = { ...view, state: "active" };
    expect(withRule(list, enabled).map((r) => [r.id, r.state])).toEqual([
      [4, "active"],
      [5, "disabled"],
    ]);
    expect(withRule([other], view).map((r) => r.id)).toEqual([5, 4]);
  });
});

describe("an invoice a threshold made", () => {
  it("names its source in the approvals queue and the approval rules", () => {
    expect(sourceText("threshold")).toBe("Threshold");
    expect(sourceLabel("threshold")).toBe("Made by a usage threshold");
  });
});
