// The invoice list's query: filters, sorting and paging, kept as plain values so the list can
// be restored after visiting an invoice and so the rules below can be tested without a screen.
import type { InvoicePage } from "./bindings/InvoicePage";
import type { InvoiceQuery } from "./bindings/InvoiceQuery";
import type { InvoiceSort } from "./bindings/InvoiceSort";
import { displayLocale } from "./locale";

export const PAGE_SIZE = 50;

export function initialQuery(): InvoiceQuery {
  return {
    status: null,
    customer_id: null,
    currency: null,
    date_from: null,
    date_to: null,
    search: null,
    sort: "issue_date",
    descending: true,
    page: 1,
    page_size: PAGE_SIZE,
  };
}

export type QueryFilters = Pick<
  InvoiceQuery,
  "status" | "customer_id" | "currency" | "date_from" | "date_to" | "search"
>;

/** A changed filter starts again at page 1: page 7 of the old result means nothing in the new one. */
export function withFilters(query: InvoiceQuery, change: Partial<QueryFilters>): InvoiceQuery {
  const next = { ...query, ...change, page: 1 };
  const search = next.search?.trim() ?? "";
  return {
    ...next,
    search: search === "" ? null : search,
    currency: next.currency?.trim().toUpperCase() || null,
    date_from: next.date_from || null,
    date_to: next.date_to || null,
  };
}

// Dates and amounts are most useful newest/largest first; names and numbers read A to Z.
const DESCENDING_FIRST: ReadonlySet<InvoiceSort> = new Set(["issue_date", "due_date", "total", "balance"]);

/** Clicking the sorted column flips its direction; clicking another column sorts by it. */
export function toggleSort(query: InvoiceQuery, column: InvoiceSort): InvoiceQuery {
  const descending = query.sort === column ? !query.descending : DESCENDING_FIRST.has(column);
  return { ...query, sort: column, descending, page: 1 };
}

export function pageCount(totalCount: number, pageSize: number): number {
  return Math.max(1, Math.ceil(totalCount / pageSize));
}

export function goToPage(query: InvoiceQuery, page: number, totalCount: number): InvoiceQuery {
  const last = pageCount(totalCount, query.page_size);
  return { ...query, page: Math.min(Math.max(1, Math.trunc(page)), last) };
}

/** "1–50 of 1,234" for the rows a page shows. */
/** A page of any paged list: its rows, how many match in all, and where it is. */
export type Paged = Pick<InvoicePage, "total_count" | "page" | "page_size"> & { items: readonly unknown[] };

export function rangeLabel(page: Paged, locale: string = displayLocale): string {
  const count = new Intl.NumberFormat(locale);
  if (page.total_count === 0 || page.items.length === 0) return `0 of ${count.format(page.total_count)}`;
  const first = (page.page - 1) * page.page_size + 1;
  const last = first + page.items.length - 1;
  return `${count.format(first)}–${count.format(last)} of ${count.format(page.total_count)}`;
}

export function hasFilters(query: InvoiceQuery): boolean {
  return (
    query.status !== null ||
    query.customer_id !== null ||
    query.currency !== null ||
    query.date_from !== null ||
    query.date_to !== null ||
    query.search !== null
  );
}
