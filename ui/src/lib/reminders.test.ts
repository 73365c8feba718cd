import { describe, expect, it } from "vitest";
import type { DisputeView } from "./bindings/DisputeView";
import type { ReminderView } from "./bindings/ReminderView";
import {
  disputeSummary,
  nextStep,
  offsetErrors,
  offsetText,
  policyForm,
  policyInput,
  reminderState,
} from "./reminders";

describe("the reminder policy form", () => {
  it("reads the policy and writes it back unchanged, fees as decimal text", () => {
    const policy = {
      steps: [
        { offset_days: -3, tone: "friendly" },
        { offset_days: 14, tone: "final", late_fee: { kind: "percent", value: "1.5" } },
      ],
    };
    const form = policyForm(policy);
    expect(form[0]).toEqual({ offset: "-3", tone: "friendly", feeKind: "none", fee: "" });
    expect(form[1]?.feeKind).toBe("percent");
    expect(policyInput(form)).toEqual(policy);
  });

  it("drops the fee when its kind is none and adds a step a week after the last", () => {
    const form = [{ offset: " 7 ", tone: "firm", feeKind: "none" as const, fee: "25.00" }];
    expect(policyInput(form)).toEqual({ steps: [{ offset_days: 7, tone: "firm" }] });
    expect(nextStep(form)).toEqual({ offset: "14", tone: "final", feeKind: "none", fee: "" });
    expect(nextStep([]).offset).toBe("7");
  });

  it("flags offsets that are not whole days by the backend's path", () => {
    const step = (offset: string) => ({ offset, tone: "firm", feeKind: "none" as const, fee: "" });
    expect(offsetErrors([step("7"), step("-3"), step("+2")])).toEqual({});
    expect(Object.keys(offsetErrors([step("7"), step("1.5"), step(""), step("x")]))).toEqual([
      "reminder_policy[1].offset_days",
      "reminder_policy[2].offset_days",
      "reminder_policy[3].offset_days",
    ]);
  });

  it("says where a step falls", () => {
    expect(offsetText(7)).toBe("7 days after the due date");
    expect(offsetText(-1)).toBe("1 day before the due date");
    expect(offsetText(0)).toBe("on the due date");
  });
});

describe("the invoice's reminders", () => {
  const row = (state: string, recorded_on: string | null): ReminderView => ({
    invoice_id: 1,
    invoice_number: "INV-2026-00001",
    customer_name: "Globex",
    step: 1,
    state,
    tone: "friendly",
    due_on: "2026-12-28",
    recorded_on,
    balance: "100.00",
    late_fee: null,
    currency: "USD",
    delivery_id: null,
  });

  it("names each state with its date", () => {
    expect(reminderState(row("sent", "2026-12-28"))).toBe("Sent 2026-12-28");
    expect(reminderState(row("skipped", "2027-01-25"))).toBe("Skipped 2027-01-25");
    expect(reminderState(row("scheduled", null))).toBe("Scheduled for 2026-12-28");
  });

  it("counts a dispute's days down and past its window", () => {
    const d = (state: string, days_left: number): DisputeView => ({
      invoice_id: 1,
      invoice_number: "INV-2026-00001",
      reason: "wrong rate",
      opened_on: "2026-12-01",
      window_days: 30,
      window_ends_on: "2026-12-31",
      days_left,
      state,
      resolved_on: null,
      opened_by: "ada@acme.test",
      next: "",
    });
    expect(disputeSummary(d("open", 12))).toBe("Disputed — 12 days left");
    expect(disputeSummary(d("open", 1))).toBe("Disputed — 1 day left");
    expect(disputeSummary(d("open", -2))).toBe("Disputed — 2 days past its window");
    expect(disputeSummary(d("upheld", -2))).toBe("Dispute upheld");
  });
});
