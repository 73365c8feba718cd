// The dashboard's logic: which filtered list each number opens, and how its figures are paired up
// for display. Every number on the dashboard is a link; the list it opens is the one whose length
// or sum the number is, so a person can always see what a figure is made of.
import type { CurrencyAmount } from "./bindings/CurrencyAmount";
import type { Dashboard } from "./bindings/Dashboard";
import type { ExceptionItem } from "./bindings/ExceptionItem";
import type { NeedsYouToday } from "./bindings/NeedsYouToday";
import type { Role } from "./bindings/Role";
import type { Route } from "./route";

/** A currency's overdue total opens the invoice list filtered to overdue invoices in that currency. */
export function overdueLink(currency: string): Route {
  return { name: "invoices", status: "overdue", currency };
}

/** Disputes are "near their window's end" from this many days before it (the backend's rule). */
export const DISPUTE_WARNING_DAYS = 7;

/** The outstanding total opens "Due & overdue" (every open invoice) in that currency. */
export function outstandingLink(currency: string): Route {
  return { name: "due", window: "all", currency };
}

/** One "needs you today" count: its words, how many, and where a click goes (null: nowhere). */
export type NeedsYouItem = { key: keyof NeedsYouToday; label: string; count: number; link: Route | null };

/**
 * The "needs you today" counts in the order a person works through them. Approvals link to the
 * queue only for those who may decide (a specialist has no queue); every other count links to the
 * list it counts.
 */
export function needsYouItems(needs: NeedsYouToday, role: Role): NeedsYouItem[] {
  const canDecide = role === "approver" || role === "admin";
  return [
    {
      key: "approvals_waiting",
      label: "Approvals waiting for you",
      count: needs.approvals_waiting,
      link: canDecide ? { name: "approvals" } : null,
    },
    {
      key: "failed_deliveries",
      label: "Failed deliveries",
      count: needs.failed_deliveries,
      link: { name: "deliveries", status: "failed" },
    },
    {
      key: "unknown_deliveries",
      label: "Deliveries of unknown outcome",
      count: needs.unknown_deliveries,
      link: { name: "deliveries", status: "unknown" },
    },
    {
      key: "disputes_near_window_end",
      label: "Disputes near their window's end",
      count: needs.disputes_near_window_end,
      // Due & overdue filtered to exactly those invoices, each labelled with the days left.
      link: { name: "due", window: "all", disputeWithinDays: DISPUTE_WARNING_DAYS },
    },
    {
      key: "bulk_rows_with_errors",
      label: "Bulk rows with errors",
      count: needs.bulk_rows_with_errors,
      link: { name: "reports", kind: "exceptions", exception: "invalid_bulk_row" },
    },
    {
      key: "failed_triggers",
      label: "Triggers that failed",
      count: needs.failed_triggers,
      link: { name: "reports", kind: "exceptions", exception: "failed_trigger" },
    },
  ];
}

/** This month's and last month's receipts side by side, per currency (a missing side is 0). */
export type CollectedPair = { currency: string; thisMonth: string; lastMonth: string };

export function collectedPairs(
  dashboard: Pick<Dashboard, "collected_this_month" | "collected_last_month">,
): CollectedPair[] {
  const pairs = new Map<string, CollectedPair>();
  const pair = (currency: string) => {
    let found = pairs.get(currency);
    if (!found) {
      found = { currency, thisMonth: "0", lastMonth: "0" };
      pairs.set(currency, found);
    }
    return found;
  };
  for (const a of dashboard.collected_this_month) pair(a.currency).thisMonth = a.amount;
  for (const a of dashboard.collected_last_month) pair(a.currency).lastMonth = a.amount;
  return [...pairs.values()];
}

/** The overdue amount in `currency`, "0" when nothing is overdue in it. */
export function amountIn(amounts: readonly CurrencyAmount[], currency: string): CurrencyAmount {
  return amounts.find((a) => a.currency === currency) ?? { currency, amount: "0", count: 0 };
}

/** "3 invoices", "1 invoice". */
export function invoiceCount(count: number): string {
  return `${count} ${count === 1 ? "invoice" : "invoices"}`;
}

/** The place that resolves an exception: a screen where its action is done. */
export function exceptionLink(item: Pick<ExceptionItem, "kind" | "invoice_id" | "record_id">, role: Role): Route {
  switch (item.kind) {
    case "failed_delivery":
      return { name: "deliveries", status: "failed" };
    case "unknown_delivery":
      return { name: "deliveries", status: "unknown" };
    case "invalid_bulk_row":
      return item.record_id !== null ? { name: "bulk", job: item.record_id } : { name: "bulk" };
    case "refused_event":
    case "failed_trigger":
      return { name: "triggers" };
    case "dispute_past_window":
      return item.invoice_id !== null ? { name: "invoice", id: item.invoice_id } : { name: "due" };
    case "stale_approval":
      if (role !== "specialist") return { name: "approvals" };
      return item.invoice_id !== null ? { name: "invoice", id: item.invoice_id } : { name: "invoices" };
    case "stale_customer":
      return { name: "customers" };
  }
}
