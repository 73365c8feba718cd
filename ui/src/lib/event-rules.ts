// Event rules as Triggers → Event rules lists, edits and tests them: the action's words, a rule's
// state, which buttons it offers the signed-in person, the editor's form and the EventRuleInput it
// sends, and how a logged event reads. Field labels are the bulk send's (the same vocabulary).
// Pure functions, tested without a window.
import type { ApiEventView } from "./bindings/ApiEventView";
import type { EventRuleInput } from "./bindings/EventRuleInput";
import type { EventRuleView } from "./bindings/EventRuleView";
import type { EventRulesView } from "./bindings/EventRulesView";
import { fieldLabel } from "./bulk";

export type RuleActionName = "create_draft" | "issue" | "issue_and_send" | "await_approval";

export const RULE_ACTIONS: readonly { value: RuleActionName; label: string }[] = [
  { value: "create_draft", label: "Create a draft" },
  { value: "issue", label: "Issue" },
  { value: "issue_and_send", label: "Issue & send" },
  { value: "await_approval", label: "Wait for approval" },
];

/** The words of a rule's action. */
export function actionLabel(action: string): string {
  return RULE_ACTIONS.find((a) => a.value === action)?.label ?? action;
}

/** Enabled, or why not. */
export function ruleStateLabel(rule: EventRuleView): string {
  if (rule.enabled) return "Enabled";
  return rule.needs_test ? "Disabled — needs a test" : "Disabled — tested, ready to enable";
}

export type RuleButton = "test" | "enable" | "disable" | "edit";

/** The buttons a rule offers now: admins edit and switch; anyone who makes invoices tests. */
export function ruleButtons(rule: EventRuleView, view: Pick<EventRulesView, "can_edit" | "can_test">): RuleButton[] {
  const buttons: RuleButton[] = [];
  if (view.can_test) buttons.push("test");
  if (view.can_edit) {
    if (rule.enabled) buttons.push("disable");
    else if (!rule.needs_test) buttons.push("enable");
    buttons.push("edit");
  }
  return buttons;
}

/** One row of the mapping editor. */
export type MappingRow = { field: string; path: string };

/** The editor's form, all text as typed. */
export type RuleForm = { action: RuleActionName; template: string; terms_days: string; mapping: MappingRow[] };

export function ruleForm(rule: EventRuleView): RuleForm {
  return {
    action: (RULE_ACTIONS.some((a) => a.value === rule.action) ? rule.action : "create_draft") as RuleActionName,
    template: rule.template ?? "",
    terms_days: rule.terms_days === null ? "" : String(rule.terms_days),
    mapping: rule.mapping.map((m) => ({ field: m.field, path: m.path })),
  };
}

/** Problems the form can know without the backend, by the input's path. */
export function ruleFormProblems(form: RuleForm): Record<string, string> {
  const problems: Record<string, string> = {};
  const terms = form.terms_days.trim();
  if (terms !== "" && (!/^\d+$/.test(terms) || Number(terms) > 365)) {
    problems.terms_days = "Enter whole days from 0 to 365, or leave it empty for the company's terms.";
  }
  form.mapping.forEach((row, i) => {
    if (row.path.trim() === "")
      problems[`mapping[${i}].path`] = "Enter the key in the event's data, e.g. contact.email.";
  });
  return problems;
}

/** The form as the one IPC input; rows without a field are left out. */
export function toRuleInput(form: RuleForm): EventRuleInput {
  const terms = form.terms_days.trim();
  return {
    action: form.action,
    template: form.template.trim() === "" ? null : form.template.trim(),
    terms_days: terms === "" ? null : Number(terms),
    mapping: form.mapping.filter((m) => m.field !== "").map((m) => ({ field: m.field, path: m.path.trim() })),
  };
}

/** Whether saving `form` would send the rule back to "needs a new test" (and disable it). */
export function needsNewTest(rule: EventRuleView, form: RuleForm): boolean {
  const input = toRuleInput(form);
  const mapping = (m: { field: string; path: string }[]) => JSON.stringify(m.map((x) => [x.field, x.path]));
  return (
    input.action !== rule.action ||
    (input.template ?? null) !== (rule.template ?? null) ||
    mapping(input.mapping) !== mapping(rule.mapping)
  );
}

/** A mapping row's field as the bulk send names it. */
export const mappingFieldLabel = (name: string): string => fieldLabel(name);

/** A logged event as a line: when, its reference, and what became of it. */
export function eventLine(e: ApiEventView): string {
  const when = e.received_at.slice(0, 16).replace("T", " ");
  const reference = e.reference ? ` ${e.reference}` : "";
  return `${when}${reference} · ${e.summary}`;
}

/** Whether a logged event is a refusal (shown as a problem). */
export const isRefused = (e: ApiEventView): boolean => e.outcome === "refused";
