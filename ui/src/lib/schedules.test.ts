import { describe, expect, it } from "vitest";
import type { ScheduleView } from "./bindings/ScheduleView";
import {
  cadenceLabel,
  emptyScheduleForm,
  formProblems,
  outcomeLabel,
  scheduleActions,
  scheduleForm,
  stateLabel,
  toScheduleInput,
} from "./schedules";

const view: ScheduleView = {
  id: 3,
  name: "Globex retainer",
  customer_id: 7,
  customer_name: "Globex",
  currency: null,
  template: null,
  terms_days: 14,
  frequency: "monthly",
  interval: 1,
  anchor: "2027-01-31",
  starts_on: null,
  until: null,
  count: 12,
  prorate: true,
  mode: "issue_and_send",
  lines: [
    {
      description: "Retainer",
      quantity: "1",
      unit_price: "1500.00",
      discount_percent: "5",
      tax_rate_id: null,
      tax_exempt_reason: null,
    },
  ],
  state: "disabled",
  paused_on: null,
  tested_at: null,
  next_period: "2027-01-31",
  made: 0,
  skipped: 0,
};

describe("schedule form", () => {
  it("sends what was typed, blank lines dropped and the end chosen", () => {
    const form = emptyScheduleForm("2027-01-31");
    form.customer_id = 7;
    form.lines = [
      { description: "Retainer", quantity: "1", unit_price: "1500.00", discount: "5%" },
      { description: "", quantity: "1", unit_price: "", discount: "" },
    ];
    form.end = "until";
    form.until = "2027-12-31";
    form.count = "4";
    form.terms_days = "14";
    const input = toScheduleInput(form);
    expect(input.lines).toHaveLength(1);
    expect(input.lines[0]?.discount_percent).toBe("5");
    expect(input.until).toBe("2027-12-31");
    expect(input.count).toBeNull();
    expect(input.terms_days).toBe(14);
    expect(input.interval).toBe(1);
    expect(input.mode).toBe("draft");
  });

  it("round-trips a stored schedule through the editor", () => {
    const form = scheduleForm(view);
    expect(form.end).toBe("count");
    const input = toScheduleInput(form);
    expect(input.count).toBe(12);
    expect(input.mode).toBe("issue_and_send");
    expect(input.lines[0]?.unit_price).toBe("1500.00");
  });

  it("names a mistyped number before sending it", () => {
    const form = emptyScheduleForm("2027-01-01");
    form.interval = "two";
    form.customer_id = 7;
    expect(formProblems(form)).toEqual({ interval: '"two" is not a whole number' });
    form.interval = "2";
    expect(formProblems(form)).toEqual({});
  });
});

describe("schedule list", () => {
  it("reads cadences and states", () => {
    expect(cadenceLabel(view)).toBe("Every month");
    expect(cadenceLabel({ frequency: "weekly", interval: 2 })).toBe("Every 2 weeks");
    expect(stateLabel(view)).toBe("Disabled — test it first");
    expect(stateLabel({ ...view, state: "paused", paused_on: "2027-03-01" })).toBe("Paused since 2027-03-01");
    expect(outcomeLabel("awaiting_approval")).toBe("waiting for approval");
  });

  it("offers enabling only after a test run passed", () => {
    expect(scheduleActions(view)).toEqual(["test", "skip"]);
    expect(scheduleActions({ ...view, tested_at: "2026-11-26T09:00:00Z" })).toEqual(["test", "enable", "skip"]);
    expect(scheduleActions({ ...view, state: "active" })).toEqual(["test", "pause", "skip"]);
    expect(scheduleActions({ ...view, state: "paused", next_period: null })).toEqual(["test", "resume"]);
  });
});
