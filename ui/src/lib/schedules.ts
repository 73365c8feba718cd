// Recurring schedules as the Triggers screen edits and lists them: the editor's form and the
// ScheduleInput it sends, how a schedule's cadence and state read, and which actions a schedule
// offers now. Pure functions, tested without a window.
import type { ScheduleInput } from "./bindings/ScheduleInput";
import type { ScheduleView } from "./bindings/ScheduleView";

export type Frequency = "weekly" | "monthly" | "quarterly" | "yearly";

/** One line of the editor, all text as typed. */
export type ScheduleLineForm = { description: string; quantity: string; unit_price: string; discount: string };

/** The editor's form, all text as typed; `end` says which of until/count applies. */
export type ScheduleForm = {
  name: string;
  customer_id: number | null;
  lines: ScheduleLineForm[];
  frequency: Frequency;
  interval: string;
  anchor: string;
  starts_on: string;
  end: "never" | "until" | "count";
  until: string;
  count: string;
  prorate: boolean;
  mode: "issue_and_send" | "draft";
  terms_days: string;
  template: string;
  currency: string;
};

export const emptyLine = (): ScheduleLineForm => ({ description: "", quantity: "1", unit_price: "", discount: "" });

/** A new schedule's form: monthly from `today`, leaving drafts for review. */
export function emptyScheduleForm(today: string): ScheduleForm {
  return {
    name: "",
    customer_id: null,
    lines: [emptyLine()],
    frequency: "monthly",
    interval: "1",
    anchor: today,
    starts_on: "",
    end: "never",
    until: "",
    count: "",
    prorate: true,
    mode: "draft",
    terms_days: "",
    template: "",
    currency: "",
  };
}

/** The form of a stored schedule, to edit it. */
export function scheduleForm(s: ScheduleView): ScheduleForm {
  return {
    name: s.name,
    customer_id: s.customer_id,
    lines: s.lines.map((l) => ({
      description: l.description,
      quantity: l.quantity,
      unit_price: l.unit_price,
      discount: l.discount_percent ?? "",
    })),
    frequency: s.frequency as Frequency,
    interval: String(s.interval),
    anchor: s.anchor,
    starts_on: s.starts_on ?? "",
    end: s.until ? "until" : s.count !== null ? "count" : "never",
    until: s.until ?? "",
    count: s.count === null ? "" : String(s.count),
    prorate: s.prorate,
    mode: s.mode === "issue_and_send" ? "issue_and_send" : "draft",
    terms_days: s.terms_days === null ? "" : String(s.terms_days),
    template: s.template ?? "",
    currency: s.currency ?? "",
  };
}

const blankToNull = (text: string): string | null => (text.trim() === "" ? null : text.trim());

/** A whole number typed in a field, or null when blank (or not a whole number: see `formProblems`). */
function wholeNumber(text: string): number | null {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : null;
}

/**
 * What the form itself can tell before sending, under the backend's field paths: a number field
 * that is not a whole number would otherwise cross as null and be silently ignored.
 */
export function formProblems(form: ScheduleForm): Record<string, string> {
  const problems: Record<string, string> = {};
  const check = (path: string, text: string) => {
    if (text.trim() !== "" && !/^\d+$/.test(text.trim())) problems[path] = `"${text}" is not a whole number`;
  };
  check("interval", form.interval);
  check("terms_days", form.terms_days);
  if (form.end === "count") check("count", form.count);
  if (form.customer_id === null) problems["customer_id"] = "choose the customer billed";
  return problems;
}

/** What the editor sends. Fully blank lines are dropped; numbers are checked by the backend, by field. */
export function toScheduleInput(form: ScheduleForm): ScheduleInput {
  return {
    name: form.name.trim(),
    customer_id: form.customer_id ?? 0,
    lines: form.lines
      .filter((l) => l.description.trim() !== "" || l.unit_price.trim() !== "")
      .map((l) => ({
        description: l.description,
        quantity: l.quantity,
        unit_price: l.unit_price,
        discount_percent: blankToNull(l.discount.replace("%", "")),
        tax_rate_id: null,
        proration: null,
        tax_exempt_reason: null,
      })),
    currency: blankToNull(form.currency),
    template: blankToNull(form.template),
    terms_days: wholeNumber(form.terms_days),
    frequency: form.frequency,
    interval: wholeNumber(form.interval),
    anchor: form.anchor,
    starts_on: blankToNull(form.starts_on),
    until: form.end === "until" ? blankToNull(form.until) : null,
    count: form.end === "count" ? wholeNumber(form.count) : null,
    prorate: form.prorate,
    mode: form.mode,
  };
}

const UNITS: Record<string, [string, string]> = {
  weekly: ["week", "weeks"],
  monthly: ["month", "months"],
  quarterly: ["quarter", "quarters"],
  yearly: ["year", "years"],
};

/** "Every month", "Every 2 weeks". */
export function cadenceLabel(s: Pick<ScheduleView, "frequency" | "interval">): string {
  const [one, many] = UNITS[s.frequency] ?? [s.frequency, s.frequency];
  return s.interval === 1 ? `Every ${one}` : `Every ${s.interval} ${many}`;
}

/** How a schedule's state reads in the list. */
export function stateLabel(s: Pick<ScheduleView, "state" | "paused_on" | "tested_at">): string {
  if (s.state === "active") return "Active";
  if (s.state === "paused") return s.paused_on ? `Paused since ${s.paused_on}` : "Paused";
  return s.tested_at ? "Disabled (tested)" : "Disabled — test it first";
}

export type ScheduleAction = "test" | "enable" | "pause" | "resume" | "skip";

/** The actions a schedule offers now; enabling waits for a passed test run, as the backend insists. */
export function scheduleActions(s: Pick<ScheduleView, "state" | "tested_at" | "next_period">): ScheduleAction[] {
  const actions: ScheduleAction[] = ["test"];
  if (s.state === "disabled" && s.tested_at) actions.push("enable");
  if (s.state === "active") actions.push("pause");
  if (s.state === "paused") actions.push("resume");
  if (s.next_period) actions.push("skip");
  return actions;
}

/** What a test run's outcome means, in words. */
export function outcomeLabel(outcome: string): string {
  switch (outcome) {
    case "draft":
      return "a draft for review";
    case "issued":
      return "issued";
    case "queued_for_sending":
      return "issued and emailed";
    case "awaiting_approval":
      return "waiting for approval";
    default:
      return outcome;
  }
}
