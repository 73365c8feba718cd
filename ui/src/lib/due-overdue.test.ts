import { describe, expect, it } from "vitest";
import type { DueInvoiceView } from "./bindings/DueInvoiceView";
import type { DuePage } from "./bindings/DuePage";
import type { InvoiceDetail } from "./bindings/InvoiceDetail";
import {
  afterPayment,
  daysLabel,
  dueFiltersFrom,
  dueQuery,
  nextReminderLabel,
  NO_DUE_FILTERS,
  reminderLabel,
} from "./due-overdue";

function row(id: number, over: Partial<DueInvoiceView> = {}): DueInvoiceView {
  return {
    id,
    number: `INV-${id}`,
    customer_id: 1,
    customer_name: "Globex",
    currency: "USD",
    due_date: "2026-12-01",
    days_overdue: 30,
    balance: "1599.99",
    last_reminder: null,
    next_reminder: null,
    no_reminder_reason: null,
    dispute_days_left: null,
    dispute_label: null,
    can_record_payment: true,
    ...over,
  };
}

function page(items: DueInvoiceView[]): DuePage {
  return { items, total_count: 7, page: 1, page_size: 50, today: "2026-12-31" };
}

// Only the fields afterPayment reads; the rest of the detail does not matter here.
function detail(id: number, status: string, balance: string, canPay: boolean): InvoiceDetail {
  return {
    id,
    status,
    balance,
    allowed_actions: [{ action: "record_payment", allowed: canPay, reason: null }],
  } as unknown as InvoiceDetail;
}

describe("the Due & overdue filters", () => {
  it("lists every open invoice by default, a page of fifty", () => {
    expect(dueQuery(NO_DUE_FILTERS)).toEqual({ overdue_only: false, page: 1, page_size: 50 });
  });

  it("asks for the overdue ones only, or those due within the days typed", () => {
    expect(dueQuery({ ...NO_DUE_FILTERS, window: "overdue" }, 3).overdue_only).toBe(true);
    expect(dueQuery({ ...NO_DUE_FILTERS, window: "within", withinDays: " 14 " }).due_within_days).toBe(14);
    // Half-typed or nonsense days are not sent; the other filters still are.
    const q = dueQuery({ ...NO_DUE_FILTERS, window: "within", withinDays: "1.5", customerId: 4, currency: " eur " });
    expect(q.due_within_days).toBeUndefined();
    expect(q.customer_id).toBe(4);
    expect(q.currency).toBe("EUR");
  });
});

describe("a Due & overdue row", () => {
  it("says how late the invoice is, or when it falls due", () => {
    expect(daysLabel(30)).toBe("30 days overdue");
    expect(daysLabel(1)).toBe("1 day overdue");
    expect(daysLabel(0)).toBe("Due today");
    expect(daysLabel(-1)).toBe("Due in 1 day");
    expect(daysLabel(-20)).toBe("Due in 20 days");
  });

  it("shows the next reminder's step and day, or why none is scheduled", () => {
    const next = row(1, { next_reminder: { step: 3, on: "2026-12-31" } });
    expect(nextReminderLabel(next, "en-GB")).toBe("Step 3 · 31 Dec 2026");
    const paused = row(2, { no_reminder_reason: "Paused: disputed, 30 days left" });
    expect(nextReminderLabel(paused)).toBe("Paused: disputed, 30 days left");
    expect(reminderLabel(null)).toBe("—");
  });
});

describe("recording a payment from the list", () => {
  it("gives the row its new balance after a partial payment", () => {
    const after = afterPayment(page([row(1), row(2)]), detail(1, "partially_paid", "599.99", true));
    expect(after.items.map((r) => r.balance)).toEqual(["599.99", "1599.99"]);
    expect(after.total_count).toBe(7);
  });

  it("takes a paid invoice off the page and out of the count", () => {
    const after = afterPayment(page([row(1), row(2)]), detail(1, "paid", "0.00", false));
    expect(after.items.map((r) => r.id)).toEqual([2]);
    expect(after.total_count).toBe(6);
  });
});

describe("the filters the view opens with", () => {
  it("lists every open invoice unless a link asks for a window or a currency", () => {
    expect(dueFiltersFrom()).toEqual(NO_DUE_FILTERS);
    expect(dueFiltersFrom("overdue", "EUR")).toEqual({ ...NO_DUE_FILTERS, window: "overdue", currency: "EUR" });
    expect(dueQuery(dueFiltersFrom("all", "EUR"))).toMatchObject({ overdue_only: false, currency: "EUR" });
    // The dashboard's "disputes near their window's end" asks for exactly those invoices.
    expect(dueFiltersFrom("all", undefined, 7)).toEqual({ ...NO_DUE_FILTERS, disputeWithinDays: 7 });
    expect(dueQuery(dueFiltersFrom("all", undefined, 7))).toEqual({
      overdue_only: false,
      dispute_window_within_days: 7,
      page: 1,
      page_size: 50,
    });
    expect(dueQuery(NO_DUE_FILTERS)).not.toHaveProperty("dispute_window_within_days");
  });
});
