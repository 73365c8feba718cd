// The "Due & overdue" view's logic: its filters as a query, how a row's days and reminders read,
// and how a recorded payment changes a page without reading it again.
import type { DueInvoiceView } from "./bindings/DueInvoiceView";
import type { DuePage } from "./bindings/DuePage";
import type { DueQuery } from "./bindings/DueQuery";
import type { DueReminderView } from "./bindings/DueReminderView";
import type { InvoiceDetail } from "./bindings/InvoiceDetail";
import { formatDate } from "./dates";
import { canDo } from "./invoice-actions";

export const DUE_PAGE_SIZE = 50;

/** Which invoices the "Show" filter keeps: every open one, the overdue ones, or those due soon. */
export type DueWindow = "all" | "overdue" | "within";

/** The view's filters as the screen holds them; `withinDays` is the text typed in its field. */
export type DueFilters = {
  window: DueWindow;
  withinDays: string;
  customerId: number | null;
  currency: string;
  /** Only invoices whose open dispute's window ends within this many days (or has ended). */
  disputeWithinDays: number | null;
};

export const NO_DUE_FILTERS: DueFilters = {
  window: "all",
  withinDays: "7",
  customerId: null,
  currency: "",
  disputeWithinDays: null,
};

/** The filters the view opens with: every open invoice unless a link asked for a window, currency or disputes. */
export function dueFiltersFrom(window?: DueWindow, currency?: string, disputeWithinDays?: number): DueFilters {
  return {
    ...NO_DUE_FILTERS,
    ...(window ? { window } : {}),
    ...(currency ? { currency } : {}),
    ...(disputeWithinDays !== undefined ? { disputeWithinDays } : {}),
  };
}

/** The query for page `page` of `filters`; a "within" count that is not a whole number is left out. */
export function dueQuery(filters: DueFilters, page: number = 1): DueQuery {
  const query: DueQuery = { overdue_only: filters.window === "overdue", page, page_size: DUE_PAGE_SIZE };
  const days = filters.withinDays.trim();
  if (filters.window === "within" && /^\d{1,4}$/.test(days)) query.due_within_days = Number(days);
  if (filters.customerId !== null) query.customer_id = filters.customerId;
  if (filters.currency.trim() !== "") query.currency = filters.currency.trim().toUpperCase();
  if (filters.disputeWithinDays !== null) query.dispute_window_within_days = filters.disputeWithinDays;
  return query;
}

/** "12 days overdue", "1 day overdue", "Due today", "Due in 3 days". */
export function daysLabel(daysOverdue: number): string {
  const plural = (n: number) => (n === 1 ? "day" : "days");
  if (daysOverdue > 0) return `${daysOverdue} ${plural(daysOverdue)} overdue`;
  if (daysOverdue === 0) return "Due today";
  return `Due in ${-daysOverdue} ${plural(-daysOverdue)}`;
}

/** "Step 2 · 28 Dec 2026", or a dash when there is none. */
export function reminderLabel(reminder: DueReminderView | null, locale?: string): string {
  return reminder ? `Step ${reminder.step} · ${formatDate(reminder.on, locale)}` : "—";
}

/** The next-reminder cell: the step and its day, else why none is scheduled. */
export function nextReminderLabel(row: DueInvoiceView, locale?: string): string {
  if (row.next_reminder) return reminderLabel(row.next_reminder, locale);
  return row.no_reminder_reason ?? "—";
}

/**
 * The page after a payment was recorded on `invoice` (the backend's answer to the save): the row
 * takes the new balance, or leaves the page (and the count) when nothing is owed any more.
 */
export function afterPayment(page: DuePage, invoice: InvoiceDetail): DuePage {
  const settled = invoice.status === "paid" || !/[1-9]/.test(invoice.balance);
  if (settled) {
    const items = page.items.filter((row) => row.id !== invoice.id);
    const removed = page.items.length - items.length;
    return { ...page, items, total_count: Math.max(0, page.total_count - removed) };
  }
  return {
    ...page,
    items: page.items.map((row) =>
      row.id === invoice.id
        ? { ...row, balance: invoice.balance, can_record_payment: canDo(invoice, "record_payment") }
        : row,
    ),
  };
}
