// The Reports screen's filter bar as plain values, and the one `run_report` request it stands
// for. Which fields a report takes, and what a field typed wrongly says, are decided here so the
// screen only shows them; the reports themselves are computed by the backend.
import type { ExceptionKind } from "./bindings/ExceptionKind";
import type { ReportFilter } from "./bindings/ReportFilter";
import type { ReportPeriod } from "./bindings/ReportPeriod";
import type { ReportRequest } from "./bindings/ReportRequest";
import { fieldMessages, isApiError } from "./errors";
import { formatDecimal } from "./money";
import type { ReportTab } from "./route";

/** The tabs in the order the screen shows them, with their names. */
export const REPORT_TABS: readonly { tab: ReportTab; label: string }[] = [
  { tab: "aging", label: "Aging" },
  { tab: "collection", label: "Collection & DSO" },
  { tab: "automation", label: "Automation" },
  { tab: "forecast", label: "Cash forecast" },
  { tab: "exceptions", label: "Exceptions" },
];

/** The filter bar as the screen holds it: the text of each field, an empty text = not set. */
export type ReportFilters = {
  asOf: string;
  from: string;
  to: string;
  customerId: number | null;
  currency: string;
  template: string;
  source: string;
  /** The aging buckets' upper bounds, "30, 60, 90". */
  bucketBounds: string;
  period: ReportPeriod;
  paidWithinDays: string;
  weeks: string;
  approvalDays: string;
  staleCustomerDays: string;
};

export const NO_REPORT_FILTERS: ReportFilters = {
  asOf: "",
  from: "",
  to: "",
  customerId: null,
  currency: "",
  template: "",
  source: "",
  bucketBounds: "",
  period: "month",
  paidWithinDays: "",
  weeks: "",
  approvalDays: "",
  staleCustomerDays: "",
};

export type FilterField = keyof ReportFilters;

// The fields that mean something to each report; the others are hidden on its tab, so a date
// range never seems to narrow a report that ignores it.
const SHARED: FilterField[] = ["customerId", "currency", "template", "source"];
const TAB_FIELDS: Record<ReportTab, readonly FilterField[]> = {
  aging: ["asOf", "from", "to", ...SHARED, "bucketBounds"],
  collection: ["from", "to", ...SHARED, "period"],
  automation: ["from", "to", ...SHARED, "paidWithinDays"],
  forecast: ["asOf", ...SHARED, "weeks"],
  exceptions: ["asOf", ...SHARED, "approvalDays", "staleCustomerDays"],
};

/** Whether the filter bar shows `field` on `tab`. */
export function tabHasField(tab: ReportTab, field: FilterField): boolean {
  return TAB_FIELDS[tab].includes(field);
}

/** How invoices can be made, as the `source` filter takes them. */
export const SOURCES: readonly { value: string; label: string }[] = [
  { value: "manual", label: "Manual" },
  { value: "bulk", label: "Bulk send" },
  { value: "recurring", label: "Recurring schedule" },
  { value: "api", label: "API event" },
  { value: "threshold", label: "Usage threshold" },
];

/** A field the request cannot be built from, with what is wrong, shown next to the field. */
export type FilterProblem = { field: FilterField; message: string };

export type BuiltRequest = { ok: true; request: ReportRequest } | { ok: false; problems: FilterProblem[] };

const WHOLE = /^\d{1,5}$/;

/** A whole number of days from `min` to `max`, or undefined when the field is empty. */
function days(
  filters: ReportFilters,
  field: FilterField,
  label: string,
  min: number,
  max: number,
  problems: FilterProblem[],
): number | undefined {
  const text = String(filters[field] ?? "").trim();
  if (text === "") return undefined;
  const value = WHOLE.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    problems.push({ field, message: `${label} must be a whole number from ${min} to ${max}; "${text}" is not.` });
    return undefined;
  }
  return value;
}

/**
 * "30, 60, 90" → [30, 60, 90]. Bounds must be whole days, strictly ascending, at most ten, so the
 * buckets neither overlap nor leave a gap.
 */
export function parseBucketBounds(
  text: string,
): { ok: true; bounds: number[] | undefined } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, bounds: undefined };
  const parts = trimmed.split(/[\s,;]+/).filter((p) => p !== "");
  if (parts.length > 10) return { ok: false, message: "At most 10 bucket bounds." };
  const bounds: number[] = [];
  for (const part of parts) {
    if (!WHOLE.test(part) || Number(part) < 1 || Number(part) > 3650) {
      return { ok: false, message: `"${part}" is not a number of days from 1 to 3650.` };
    }
    const value = Number(part);
    const last = bounds[bounds.length - 1];
    if (last !== undefined && value <= last) {
      return { ok: false, message: `Bounds must go up: ${value} comes after ${last}.` };
    }
    bounds.push(value);
  }
  return { ok: true, bounds };
}

/** The filters every report takes, with only what is set and applies to `tab`. */
export function reportFilter(tab: ReportTab, filters: ReportFilters): ReportFilter {
  const out: ReportFilter = {};
  const has = (field: FilterField) => tabHasField(tab, field);
  if (has("asOf") && filters.asOf) out.as_of = filters.asOf;
  if (has("from") && filters.from) out.from = filters.from;
  if (has("to") && filters.to) out.to = filters.to;
  if (filters.customerId !== null) out.customer_id = filters.customerId;
  const currency = filters.currency.trim().toUpperCase();
  if (currency !== "") out.currency = currency;
  if (filters.template.trim() !== "") out.template = filters.template.trim();
  if (filters.source !== "") out.source = filters.source;
  return out;
}

/**
 * The one `run_report` request for `tab` with `filters`, or the fields that must be corrected
 * first (nothing is sent while a field is wrong).
 */
export function reportRequest(tab: ReportTab, filters: ReportFilters): BuiltRequest {
  const problems: FilterProblem[] = [];
  const filter = reportFilter(tab, filters);
  if (tabHasField(tab, "from") && filter.from && filter.to && filter.from > filter.to) {
    problems.push({ field: "to", message: "The range ends before it starts." });
  }
  let request: ReportRequest;
  switch (tab) {
    case "aging": {
      request = { kind: "aging", filter };
      const parsed = parseBucketBounds(filters.bucketBounds);
      if (!parsed.ok) problems.push({ field: "bucketBounds", message: parsed.message });
      else if (parsed.bounds) request.bucket_bounds = parsed.bounds;
      break;
    }
    case "collection":
      request = { kind: "collection", filter, period: filters.period };
      break;
    case "automation": {
      request = { kind: "automation", filter };
      const n = days(filters, "paidWithinDays", "Paid within", 1, 365, problems);
      if (n !== undefined) request.paid_within_days = n;
      break;
    }
    case "forecast": {
      request = { kind: "forecast", filter };
      const n = days(filters, "weeks", "Weeks", 1, 52, problems);
      if (n !== undefined) request.weeks = n;
      break;
    }
    case "exceptions": {
      request = { kind: "exceptions", filter };
      const approval = days(filters, "approvalDays", "Approval waiting days", 0, 365, problems);
      if (approval !== undefined) request.approval_days = approval;
      const stale = days(filters, "staleCustomerDays", "Stale customer days", 1, 3650, problems);
      if (stale !== undefined) request.stale_customer_days = stale;
      break;
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, request };
}

/** The file name the save dialog suggests: "aging-2026-11-26.csv". */
export function csvFileName(tab: ReportTab, asOf: string): string {
  return `${tab}-${asOf}.csv`;
}

/** The words of each exception kind, for the Exceptions tab's filter and its headings. */
export const EXCEPTION_LABELS: Record<ExceptionKind, string> = {
  failed_delivery: "Failed deliveries",
  unknown_delivery: "Deliveries of unknown outcome",
  invalid_bulk_row: "Invalid bulk rows",
  refused_event: "Events refused by the API",
  failed_trigger: "Failed schedules and thresholds",
  dispute_past_window: "Disputes past their window",
  stale_approval: "Approvals waiting too long",
  stale_customer: "Customers with stale data",
};

/** "87.5" → "87.5%"; a figure that could not be computed (`null`) reads as a dash, never 0. */
export function rateText(rate: string | null, locale?: string): string {
  return rate === null ? "—" : `${formatDecimal(rate, locale)}%`;
}

/** "12.5" → "12.5 days"; `null` → a dash. */
export function daysText(days: string | null, locale?: string): string {
  return days === null ? "—" : `${formatDecimal(days, locale)} days`;
}

// The backend names a refused filter by its request field; the filter bar shows it at its own.
const BACKEND_FIELDS: Record<string, FilterField> = {
  as_of: "asOf",
  from: "from",
  to: "to",
  customer_id: "customerId",
  currency: "currency",
  template: "template",
  source: "source",
  bucket_bounds: "bucketBounds",
  period: "period",
  paid_within_days: "paidWithinDays",
  weeks: "weeks",
  approval_days: "approvalDays",
  stale_customer_days: "staleCustomerDays",
};

/**
 * The refusal of a `run_report` call as problems at the filter bar's fields (`filter.from` and
 * `from` both name From), and whatever has no field there, for the message bar.
 */
export function refusedFilters(reason: unknown): { problems: FilterProblem[]; unplaced: boolean } {
  const problems: FilterProblem[] = [];
  let unplaced = !isApiError(reason) || !reason.details || reason.details.length === 0;
  for (const [path, message] of Object.entries(fieldMessages(reason))) {
    const field = BACKEND_FIELDS[path.replace(/^filter\./, "")];
    if (field) problems.push({ field, message });
    else unplaced = true;
  }
  return { problems, unplaced };
}
