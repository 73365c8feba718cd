import { describe, expect, it } from "vitest";
import type { NeedsYouToday } from "./bindings/NeedsYouToday";
import { collectedPairs, exceptionLink, needsYouItems, outstandingLink, overdueLink } from "./dashboard";

const needs: NeedsYouToday = {
  approvals_waiting: 2,
  failed_deliveries: 1,
  unknown_deliveries: 3,
  disputes_near_window_end: 4,
  bulk_rows_with_errors: 5,
  failed_triggers: 6,
};

describe("which list each dashboard number opens", () => {
  it("opens the invoice list filtered to overdue in its currency from a currency's overdue total", () => {
    expect(overdueLink("EUR")).toEqual({ name: "invoices", status: "overdue", currency: "EUR" });
    expect(overdueLink("USD")).toEqual({ name: "invoices", status: "overdue", currency: "USD" });
  });

  it("opens Due & overdue in the currency of an outstanding total", () => {
    expect(outstandingLink("EUR")).toEqual({ name: "due", window: "all", currency: "EUR" });
  });

  it("opens the filtered list behind each 'needs you today' count", () => {
    const links = Object.fromEntries(needsYouItems(needs, "admin").map((i) => [i.key, i.link]));
    expect(links).toEqual({
      approvals_waiting: { name: "approvals" },
      failed_deliveries: { name: "deliveries", status: "failed" },
      unknown_deliveries: { name: "deliveries", status: "unknown" },
      disputes_near_window_end: { name: "due", window: "all", disputeWithinDays: 7 },
      bulk_rows_with_errors: { name: "reports", kind: "exceptions", exception: "invalid_bulk_row" },
      failed_triggers: { name: "reports", kind: "exceptions", exception: "failed_trigger" },
    });
    expect(needsYouItems(needs, "admin").map((i) => i.count)).toEqual([2, 1, 3, 4, 5, 6]);
  });

  it("gives a specialist no link to an approvals queue they do not have", () => {
    const approvals = needsYouItems(needs, "specialist").find((i) => i.key === "approvals_waiting");
    expect(approvals?.link).toBeNull();
  });
});

describe("collected this month vs last", () => {
  it("pairs the months per currency, a month without payments at zero", () => {
    expect(
      collectedPairs({
        collected_this_month: [{ currency: "USD", amount: "120.00", count: 2 }],
        collected_last_month: [
          { currency: "EUR", amount: "10.00", count: 1 },
          { currency: "USD", amount: "300.00", count: 3 },
        ],
      }),
    ).toEqual([
      { currency: "USD", thisMonth: "120.00", lastMonth: "300.00" },
      { currency: "EUR", thisMonth: "0", lastMonth: "10.00" },
    ]);
  });
});

describe("where an exception is resolved", () => {
  const item = (
    kind: Parameters<typeof exceptionLink>[0]["kind"],
    invoice_id: number | null = null,
    record_id: number | null = null,
  ) => ({
    kind,
    invoice_id,
    record_id,
  });

  it("sends each kind to the screen where its action is done", () => {
    expect(exceptionLink(item("failed_delivery", 3, 9), "admin")).toEqual({ name: "deliveries", status: "failed" });
    expect(exceptionLink(item("unknown_delivery", 3, 9), "admin")).toEqual({ name: "deliveries", status: "unknown" });
    expect(exceptionLink(item("invalid_bulk_row", null, 12), "admin")).toEqual({ name: "bulk", job: 12 });
    expect(exceptionLink(item("refused_event"), "admin")).toEqual({ name: "triggers" });
    expect(exceptionLink(item("failed_trigger", null, 4), "admin")).toEqual({ name: "triggers" });
    expect(exceptionLink(item("dispute_past_window", 8), "admin")).toEqual({ name: "invoice", id: 8 });
    expect(exceptionLink(item("stale_approval", 8), "approver")).toEqual({ name: "approvals" });
    expect(exceptionLink(item("stale_customer"), "admin")).toEqual({ name: "customers" });
  });

  it("opens the invoice itself for a specialist, who has no approvals queue", () => {
    expect(exceptionLink(item("stale_approval", 8), "specialist")).toEqual({ name: "invoice", id: 8 });
  });
});
