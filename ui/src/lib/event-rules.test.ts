import { describe, expect, it } from "vitest";
import type { ApiEventView } from "./bindings/ApiEventView";
import type { EventRuleView } from "./bindings/EventRuleView";
import {
  actionLabel,
  eventLine,
  needsNewTest,
  ruleButtons,
  ruleForm,
  ruleFormProblems,
  ruleStateLabel,
  toRuleInput,
} from "./event-rules";

const rule: EventRuleView = {
  event_type: "deal.closed_won",
  action: "issue_and_send",
  template: null,
  terms_days: null,
  mapping: [{ field: "email", path: "contact.email" }],
  enabled: false,
  needs_test: true,
  tested_at: null,
  tested_by: null,
  recent_events: [],
};

describe("event rules", () => {
  it("says what a rule does and whether it is on", () => {
    expect(actionLabel("await_approval")).toBe("Wait for approval");
    expect(ruleStateLabel(rule)).toBe("Disabled — needs a test");
    expect(ruleStateLabel({ ...rule, needs_test: false })).toBe("Disabled — tested, ready to enable");
    expect(ruleStateLabel({ ...rule, enabled: true, needs_test: false })).toBe("Enabled");
  });

  it("offers enable only once a test passed, and edits only to admins", () => {
    const admin = { can_edit: true, can_test: true };
    const specialist = { can_edit: false, can_test: true };
    expect(ruleButtons(rule, admin)).toEqual(["test", "edit"]);
    expect(ruleButtons({ ...rule, needs_test: false }, admin)).toEqual(["test", "enable", "edit"]);
    expect(ruleButtons({ ...rule, enabled: true, needs_test: false }, admin)).toEqual(["test", "disable", "edit"]);
    expect(ruleButtons({ ...rule, needs_test: false }, specialist)).toEqual(["test"]);
    expect(ruleButtons(rule, { can_edit: false, can_test: false })).toEqual([]);
  });

  it("turns the form into the one input and knows which edits need a new test", () => {
    const form = ruleForm(rule);
    expect(toRuleInput(form)).toEqual({
      action: "issue_and_send",
      template: null,
      terms_days: null,
      mapping: [{ field: "email", path: "contact.email" }],
    });
    expect(needsNewTest(rule, { ...form, terms_days: "14" })).toBe(false);
    expect(toRuleInput({ ...form, terms_days: " 14 " }).terms_days).toBe(14);
    expect(needsNewTest(rule, { ...form, action: "issue" })).toBe(true);
    expect(needsNewTest(rule, { ...form, mapping: [...form.mapping, { field: "unit_price", path: "amount" }] })).toBe(
      true,
    );
    expect(toRuleInput({ ...form, mapping: [{ field: "", path: "x" }] }).mapping).toEqual([]);
  });

  it("names the form's problems by path", () => {
    const form = ruleForm(rule);
    expect(ruleFormProblems({ ...form, terms_days: "400" })).toHaveProperty("terms_days");
    expect(ruleFormProblems({ ...form, terms_days: "1.5" })).toHaveProperty("terms_days");
    expect(ruleFormProblems({ ...form, mapping: [{ field: "email", path: " " }] })).toHaveProperty("mapping[0].path");
    expect(ruleFormProblems(form)).toEqual({});
  });

  it("reads a logged event as a line", () => {
    const e: ApiEventView = {
      id: 1,
      received_at: "2026-11-21T09:00:00+00:00",
      event_type: "deal.closed_won",
      reference: "DEAL-42",
      outcome: "created",
      invoice_id: 3,
      invoice_number: "INV-2026-00001",
      error_code: null,
      error_message: null,
      summary: "received · invoice INV-2026-00001 created",
    };
    expect(eventLine(e)).toBe("2026-11-21 09:00 DEAL-42 · received · invoice INV-2026-00001 created");
  });
});
