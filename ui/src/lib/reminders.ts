// Settings → Reminders and the invoice's Reminders section: the policy as a form (text inputs, so
// decimals are never floats) and back, and the sentences the section shows. The rules themselves
// (sorted, distinct offsets, fee ranges) are the backend's; its errors name each field by path.
import type { DisputeView } from "./bindings/DisputeView";
import type { ReminderPolicyView } from "./bindings/ReminderPolicyView";
import type { ReminderView } from "./bindings/ReminderView";

export const TONES = ["friendly", "firm", "final"] as const;
export type Tone = (typeof TONES)[number];
export type FeeKind = "none" | "flat" | "percent";

/** One step as the form edits it. */
export type StepForm = { offset: string; tone: string; feeKind: FeeKind; fee: string };

export function policyForm(policy: ReminderPolicyView): StepForm[] {
  return policy.steps.map((s) => ({
    offset: String(s.offset_days),
    tone: s.tone,
    feeKind: s.late_fee ? (s.late_fee.kind === "percent" ? "percent" : "flat") : "none",
    fee: s.late_fee?.value ?? "",
  }));
}

/**
 * The offsets that do not read as whole numbers of days, by the backend's field path, so the form
 * shows them before sending anything; every other rule is the backend's.
 */
export function offsetErrors(steps: StepForm[]): Record<string, string> {
  const errors: Record<string, string> = {};
  steps.forEach((s, i) => {
    if (!/^[+-]?\d+$/.test(s.offset.trim())) {
      errors[`reminder_policy[${i}].offset_days`] = "Enter a whole number of days, e.g. 7 or -3.";
    }
  });
  return errors;
}

/** The policy the form describes (offsets already checked by `offsetErrors`). */
export function policyInput(steps: StepForm[]): ReminderPolicyView {
  return {
    steps: steps.map((s) => {
      const offset = Number.parseInt(s.offset.trim(), 10);
      const step = { offset_days: Number.isFinite(offset) ? offset : 0, tone: s.tone };
      return s.feeKind === "none" ? step : { ...step, late_fee: { kind: s.feeKind, value: s.fee.trim() } };
    }),
  };
}

/** A new step after the last one: a week later, in the final tone. */
export function nextStep(steps: StepForm[]): StepForm {
  const tail = steps.at(-1);
  const last = tail ? Number.parseInt(tail.offset, 10) : 0;
  return { offset: String((Number.isFinite(last) ? last : 0) + 7), tone: "final", feeKind: "none", fee: "" };
}

/** "7 days after the due date", "3 days before the due date", "on the due date". */
export function offsetText(days: number): string {
  if (days === 0) return "on the due date";
  const n = Math.abs(days);
  return `${n} day${n === 1 ? "" : "s"} ${days > 0 ? "after" : "before"} the due date`;
}

/** What a reminder row says about its state: "Sent 2026-12-28", "Skipped", "Scheduled for …". */
export function reminderState(r: ReminderView): string {
  if (r.state === "scheduled") return `Scheduled for ${r.due_on}`;
  const verb = r.state === "sent" ? "Sent" : "Skipped";
  return `${verb} ${r.recorded_on ?? ""}`.trim();
}

/** The dispute line of the invoice: "Disputed — 12 days left", "Dispute upheld", … */
export function disputeSummary(d: DisputeView): string {
  if (d.state === "open") {
    if (d.days_left < 0) {
      const n = -d.days_left;
      return `Disputed — ${n} day${n === 1 ? "" : "s"} past its window`;
    }
    return `Disputed — ${d.days_left} day${d.days_left === 1 ? "" : "s"} left`;
  }
  return d.state === "upheld" ? "Dispute upheld" : "Dispute rejected";
}
