// Settings → Approvals: the rules as the page edits them, the sentence that says what each rule
// means, and the one input the page saves. No rule is decided here: the backend evaluates and
// validates the rules; the page only has to say in words what an admin typed.
import type { ApprovalRulesView } from "./bindings/ApprovalRulesView";
import type { CustomerView } from "./bindings/CustomerView";
import type { RuleScopeView } from "./bindings/RuleScopeView";
import { displayLocale } from "./locale";
import { formatMoney } from "./money";

/** The most distinct approvers a rule may ask for (the backend's MAX_APPROVERS). */
export const MAX_APPROVERS = 3;

export type ScopeKind = RuleScopeView["kind"];

export type LevelForm = { min_total: string; approvers: number };

/** A scoped rule being edited: every picker keeps its value while the kind changes. */
export type ScopedForm = {
  kind: ScopeKind;
  customer_id: number | null;
  template: string;
  source: string;
  /** Empty for "every invoice in scope". */
  min_total: string;
  approvers: number;
};

export type RulesForm = {
  every_invoice: boolean;
  levels: LevelForm[];
  scoped: ScopedForm[];
};

/** The form for the rules the backend sent. */
export function toForm(view: ApprovalRulesView): RulesForm {
  return {
    every_invoice: view.every_invoice,
    levels: view.levels.map((l) => ({ min_total: l.min_total, approvers: l.approvers })),
    scoped: view.scoped.map((r) => ({
      kind: r.scope.kind,
      customer_id: r.scope.kind === "customer" ? r.scope.customer_id : null,
      template: r.scope.kind === "template" ? r.scope.template : "",
      source: r.scope.kind === "source" ? r.scope.source : "",
      min_total: r.min_total ?? "",
      approvers: r.approvers,
    })),
  };
}

function scopeOf(rule: ScopedForm): RuleScopeView {
  switch (rule.kind) {
    case "customer":
      // 0 names no customer; the backend refuses it next to the picker.
      return { kind: "customer", customer_id: rule.customer_id ?? 0 };
    case "template":
      return { kind: "template", template: rule.template };
    case "source":
      return { kind: "source", source: rule.source };
  }
}

/** What the page saves, in one call: amounts trimmed, an empty rule amount meaning "every invoice". */
export function toInput(form: RulesForm, currency: string): ApprovalRulesView {
  return {
    currency,
    every_invoice: form.every_invoice,
    levels: form.levels.map((l) => ({ min_total: l.min_total.trim(), approvers: l.approvers })),
    scoped: form.scoped.map((r) => ({
      scope: scopeOf(r),
      min_total: r.min_total.trim() === "" ? null : r.min_total.trim(),
      approvers: r.approvers,
    })),
    sources: [],
  };
}

/** Whether the page has a place for a backend error on `field` (else it joins the summary). */
export function isRulesField(field: string): boolean {
  return /^(every_invoice|levels|scoped|(levels|scoped)\[\d+\]\.(min_total|approvers|scope))$/.test(field);
}

/** A new level above the last one: ten times its amount, as many approvers (the backend refuses fewer). */
export function nextLevel(levels: readonly LevelForm[]): LevelForm {
  const last = levels[levels.length - 1];
  if (!last) return { min_total: "10000.00", approvers: 1 };
  const amount = /^\d+(\.\d+)?$/.test(last.min_total.trim()) ? tenTimes(last.min_total.trim()) : "";
  return { min_total: amount, approvers: Math.min(MAX_APPROVERS, last.approvers + 1) };
}

// Decimal text times ten, exactly: the dot moves one place to the right.
function tenTimes(text: string): string {
  const [int = "0", frac = ""] = text.split(".");
  const digits = `${int}${frac.charAt(0) || "0"}`.replace(/^0+(?=\d)/, "");
  const rest = frac.slice(1);
  return rest === "" ? digits : `${digits}.${rest}`;
}

/** A new scoped rule: the first customer, if any, for every invoice, one approver. */
export function newScopedRule(customers: readonly CustomerView[]): ScopedForm {
  return {
    kind: "customer",
    customer_id: customers[0]?.id ?? null,
    template: "",
    source: "bulk",
    min_total: "",
    approvers: 1,
  };
}

const NUMBER_WORDS = ["no approver", "one approver", "two different approvers", "three different approvers"];

export function approversText(n: number): string {
  return NUMBER_WORDS[n] ?? `${n} different approvers`;
}

const DECIMAL = /^\d+(\.\d+)?$/;

function amount(text: string, currency: string, locale: string): string | null {
  const t = text.trim();
  return DECIMAL.test(t) ? formatMoney(t, currency, locale) : null;
}

/** What level `index` means, e.g. "Invoices totalling $5,000.00 or more and below $100,000.00 … need one approver." */
export function levelSentence(
  levels: readonly LevelForm[],
  index: number,
  currency: string,
  locale: string = displayLocale,
): string {
  const level = levels[index];
  if (!level) return "";
  const from = amount(level.min_total, currency, locale);
  if (from === null) return "Enter the minimum total, e.g. 10000.00.";
  const who = approversText(level.approvers);
  const next = levels[index + 1];
  const upTo = next ? amount(next.min_total, currency, locale) : null;
  const range = upTo === null ? `${from} or more` : `${from} or more and below ${upTo}`;
  return `Invoices totalling ${range} (in ${currency}, converted at the recorded rate) need ${who}.`;
}

const SOURCE_WORDS: Record<string, string> = {
  manual: "made by hand",
  bulk: "made by a bulk job",
  recurring: "made by a recurring schedule",
  api: "made through the API",
  threshold: "made by a usage threshold",
};

export function sourceLabel(source: string): string {
  const words = SOURCE_WORDS[source];
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : source;
}

/** Who or what a scoped rule applies to, in words: "for Bob Buyer", "with template “modern”". */
function scopeWords(rule: ScopedForm, customers: readonly CustomerView[]): string | null {
  switch (rule.kind) {
    case "customer": {
      const customer = customers.find((c) => c.id === rule.customer_id);
      return customer ? `for ${customer.name}` : null;
    }
    case "template":
      return rule.template.trim() === "" ? null : `with the template “${rule.template.trim()}”`;
    case "source":
      return SOURCE_WORDS[rule.source] ?? null;
  }
}

/** What a scoped rule means, e.g. "Every invoice for Bob Buyer needs one approver." */
export function scopedSentence(
  rule: ScopedForm,
  customers: readonly CustomerView[],
  currency: string,
  locale: string = displayLocale,
): string {
  const scope = scopeWords(rule, customers);
  if (scope === null) {
    return rule.kind === "customer"
      ? "Pick the customer this rule is for."
      : rule.kind === "template"
        ? "Pick the template this rule is for."
        : "Pick how the invoices are made.";
  }
  const who = approversText(rule.approvers);
  if (rule.min_total.trim() === "") return `Every invoice ${scope} needs ${who}.`;
  const from = amount(rule.min_total, currency, locale);
  if (from === null) return "Enter the minimum total, e.g. 5000.00, or leave it empty for every invoice.";
  return `Invoices ${scope} totalling ${from} or more need ${who}.`;
}

/** What the switch means when it is on. */
export const EVERY_INVOICE_SENTENCE = "Every invoice needs at least one approver, whatever its total.";
