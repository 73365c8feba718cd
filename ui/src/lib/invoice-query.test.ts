import { describe, expect, it } from "vitest";
import type { InvoicePage } from "./bindings/InvoicePage";
import type { InvoiceSummary } from "./bindings/InvoiceSummary";
import { goToPage, hasFilters, initialQuery, pageCount, rangeLabel, toggleSort, withFilters } from "./invoice-query";

function pageOf(page: number, items: number, total: number): InvoicePage {
  const row: InvoiceSummary = {
    id: 1,
    number: "INV-1",
    status: "issued",
    display_status: "issued",
    customer_id: 1,
    customer_name: "Acme",
    currency: "USD",
    issue_date: "2024-01-01",
    due_date: "2024-01-31",
    total: "10.00",
    balance: "10.00",
    dispute_label: null,
  };
  return { items: Array.from({ length: items }, () => row), total_count: total, page, page_size: 50 };
}

describe("initialQuery", () => {
  it("asks for the newest invoices, 50 per page, unfiltered", () => {
    const query = initialQuery();
    expect(query).toMatchObject({ sort: "issue_date", descending: true, page: 1, page_size: 50 });
    expect(hasFilters(query)).toBe(false);
  });
});

describe("withFilters", () => {
  it("goes back to page 1 when a filter changes", () => {
    const onPage3 = { ...initialQuery(), page: 3 };
    expect(withFilters(onPage3, { status: "overdue" })).toMatchObject({ status: "overdue", page: 1 });
  });

  it("treats blank search and dates as no filter", () => {
    const query = withFilters(initialQuery(), { search: "   ", date_from: "", date_to: "" });
    expect(query).toMatchObject({ search: null, date_from: null, date_to: null });
    expect(hasFilters(query)).toBe(false);
  });

  it("trims the search text", () => {
    expect(withFilters(initialQuery(), { search: "  acme " }).search).toBe("acme");
  });

  it("keeps a currency as its upper-case code, a filter the Clear button removes; blank is none", () => {
    const query = withFilters(initialQuery(), { status: "overdue", currency: " eur " });
    expect(query).toMatchObject({ status: "overdue", currency: "EUR" });
    expect(hasFilters(withFilters(initialQuery(), { currency: "USD" }))).toBe(true);
    expect(withFilters(query, { currency: "" }).currency).toBeNull();
  });
});

describe("toggleSort", () => {
  it("flips the direction when the sorted column is clicked again", () => {
    const byCustomer = toggleSort(initialQuery(), "customer");
    expect(byCustomer).toMatchObject({ sort: "customer", descending: false });
    expect(toggleSort(byCustomer, "customer").descending).toBe(true);
  });

  it("sorts amounts largest first and returns to page 1", () => {
    const query = toggleSort({ ...initialQuery(), page: 4 }, "total");
    expect(query).toMatchObject({ sort: "total", descending: true, page: 1 });
  });
});

describe("paging", () => {
  it("counts pages, with at least one", () => {
    expect(pageCount(0, 50)).toBe(1);
    expect(pageCount(50, 50)).toBe(1);
    expect(pageCount(51, 50)).toBe(2);
    expect(pageCount(1234, 50)).toBe(25);
  });

  it("keeps the page within the result", () => {
    expect(goToPage(initialQuery(), 99, 1234).page).toBe(25);
    expect(goToPage(initialQuery(), 0, 1234).page).toBe(1);
    expect(goToPage(initialQuery(), 2, 0).page).toBe(1);
  });

  it("labels the rows shown", () => {
    expect(rangeLabel(pageOf(1, 50, 1234), "en-US")).toBe("1–50 of 1,234");
    expect(rangeLabel(pageOf(25, 34, 1234), "en-US")).toBe("1,201–1,234 of 1,234");
    expect(rangeLabel(pageOf(1, 0, 0), "en-US")).toBe("0 of 0");
  });
});
