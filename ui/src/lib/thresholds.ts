// Usage thresholds as the Triggers → Thresholds tab edits and lists them: the editor's form and the
// ThresholdInput it sends, how a rule's trigger, action and state read, which actions a rule offers
// now, and folding a rule the backend answered with into the list. Pure functions, tested without a
// window.
import type { ThresholdInput } from "./bindings/ThresholdInput";
import type { ThresholdView } from "./bindings/ThresholdView";

export type Measure = "hours" | "units";
export type ThresholdActionName = "draft" | "issue" | "issue_and_send" | "approval";

/** The editor's form, all text as typed. */
export type ThresholdForm = {
  name: string;
  customer_id: number | null;
  project: string;
  measure: Measure;
  unit_price: string;
  description_template: string;
  quantity_threshold: string;
  amount_threshold: string;
  period: "" | "monthly" | "quarterly";
  period_anchor: string;
  action: ThresholdActionName;
  template: string;
  terms_days: string;
};

/** A new rule's form: hours, billed as a draft for review once 40 are logged. */
export function emptyThresholdForm(): ThresholdForm {
  return {
    name: "",
    customer_id: null,
    project: "",
    measure: "hours",
    unit_price: "",
    description_template: "{date} {description}",
    quantity_threshold: "40",
    amount_threshold: "",
    period: "",
    period_anchor: "",
    action: "draft",
    template: "",
    terms_days: "",
  };
}

/** The form of a stored rule, to edit it. */
export function thresholdForm(r: ThresholdView): ThresholdForm {
  return {
    name: r.name,
    customer_id: r.customer_id,
    project: r.project ?? "",
    measure: r.measure === "units" ? "units" : "hours",
    unit_price: r.unit_price ?? "",
    description_template: r.description_template,
    quantity_threshold: r.quantity_threshold ?? "",
    amount_threshold: r.amount_threshold ?? "",
    period: r.period === "monthly" || r.period === "quarterly" ? r.period : "",
    period_anchor: r.period_anchor ?? "",
    action: (["draft", "issue", "issue_and_send", "approval"].includes(r.action)
      ? r.action
      : "draft") as ThresholdActionName,
    template: r.template ?? "",
    terms_days: r.terms_days === null ? "" : String(r.terms_days),
  };
}

const blankToNull = (text: string): string | null => (text.trim() === "" ? null : text.trim());

/** What the form itself can tell before sending, under the backend's field paths. */
export function formProblems(form: ThresholdForm): Record<string, string> {
  const problems: Record<string, string> = {};
  if (form.customer_id === null) problems["customer_id"] = "choose the customer billed";
  const t = form.terms_days.trim();
  if (t !== "" && !/^\d+$/.test(t)) problems["terms_days"] = `"${form.terms_days}" is not a whole number`;
  if (form.quantity_threshold.trim() === "" && form.amount_threshold.trim() === "" && form.period === "") {
    problems["quantity_threshold"] = "give a quantity, an amount or a period end";
  }
  return problems;
}

/** What the editor sends; numbers are checked by the backend, by field. */
export function toThresholdInput(form: ThresholdForm): ThresholdInput {
  const days = form.terms_days.trim();
  return {
    name: form.name.trim(),
    customer_id: form.customer_id ?? 0,
    project: blankToNull(form.project),
    measure: form.measure,
    unit_price: blankToNull(form.unit_price),
    description_template: blankToNull(form.description_template),
    quantity_threshold: blankToNull(form.quantity_threshold),
    amount_threshold: blankToNull(form.amount_threshold),
    period: form.period === "" ? null : form.period,
    period_anchor: form.period === "" ? null : blankToNull(form.period_anchor),
    template: blankToNull(form.template),
    terms_days: /^\d+$/.test(days) ? Number(days) : null,
    action: form.action,
  };
}

/** "40 h or 5,000.00, and at each month's end". */
export function triggerLabel(
  r: Pick<ThresholdView, "measure" | "quantity_threshold" | "amount_threshold" | "period" | "progress">,
): string {
  const unit = r.measure === "hours" ? "h" : "units";
  const parts: string[] = [];
  if (r.quantity_threshold) parts.push(`${r.quantity_threshold} ${unit}`);
  if (r.amount_threshold) parts.push(`${r.amount_threshold} ${r.progress.currency}`);
  const crossing = parts.join(" or ");
  const period = r.period === "monthly" ? "each month's end" : r.period === "quarterly" ? "each quarter's end" : "";
  if (crossing && period) return `${crossing}, and at ${period}`;
  return crossing || (period ? `At ${period}` : "");
}

const ACTIONS: Record<string, string> = {
  draft: "Draft for review",
  issue: "Issue",
  issue_and_send: "Issue & send",
  approval: "Wait for approval",
};

/** What a rule does with its invoice, in words. */
export const actionLabel = (action: string): string => ACTIONS[action] ?? action;

/** How a rule's state reads in the list. */
export function stateLabel(r: Pick<ThresholdView, "state" | "tested_at">): string {
  if (r.state === "active") return "Active";
  return r.tested_at ? "Disabled (tested)" : "Disabled — test it first";
}

export type ThresholdAction = "test" | "enable" | "disable";

/** The actions a rule offers now: enabling waits for a passed test run, as the backend insists. */
export function thresholdActions(r: Pick<ThresholdView, "state" | "tested_at">, admin: boolean): ThresholdAction[] {
  if (!admin) return [];
  const actions: ThresholdAction[] = ["test"];
  if (r.state === "disabled" && r.tested_at) actions.push("enable");
  if (r.state === "active") actions.push("disable");
  return actions;
}

/** Why a billing happened, in words. */
export function reasonLabel(reason: string, periodStart: string | null): string {
  if (reason === "quantity") return "Quantity reached";
  if (reason === "amount") return "Amount reached";
  return periodStart ? `Period from ${periodStart} ended` : "Period ended";
}

/** The list with `rule` put in place of its old row (or added at the end): one answer, no reload. */
export function withRule(list: ThresholdView[], rule: ThresholdView): ThresholdView[] {
  return list.some((r) => r.id === rule.id) ? list.map((r) => (r.id === rule.id ? rule : r)) : [...list, rule];
}
