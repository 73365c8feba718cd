// DEVELOPMENT-ONLY. Filtering, sorting and paging of the demo fake backend's invoice list; only
// reached through fake-backend.ts, which production builds drop.
import type { InvoicePage } from "./bindings/InvoicePage";
import type { InvoiceQuery } from "./bindings/InvoiceQuery";
import type { InvoiceSummary } from "./bindings/InvoiceSummary";
import type { InvoiceDetail } from "./bindings/InvoiceDetail";

function summary(invoice: InvoiceDetail): InvoiceSummary {
  const { id, number, status, display_status, currency, issue_date, due_date, total, balance } = invoice;
  return {
    id,
    number,
    status,
    display_status,
    customer_id: invoice.customer.id,
    customer_name: invoice.customer.name,
    currency,
    issue_date,
    due_date,
    total,
    balance,
  };
}

export function listInvoices(invoices: InvoiceDetail[], q: InvoiceQuery): InvoicePage {
  const search = q.search?.toLowerCase() ?? "";
  const rows = invoices
    .map(summary)
    .filter(
      (r) =>
        (q.status === null || r.display_status === q.status) &&
        (q.customer_id === null || r.customer_id === q.customer_id),
    )
    .filter(
      (r) => (q.date_from === null || r.issue_date >= q.date_from) && (q.date_to === null || r.issue_date <= q.date_to),
    )
    .filter((r) => search === "" || `${r.number ?? ""} ${r.customer_name}`.toLowerCase().includes(search));
  const key = (r: InvoiceSummary): string | number =>
    q.sort === "customer"
      ? r.customer_name
      : q.sort === "total"
        ? Number(r.total)
        : q.sort === "balance"
          ? Number(r.balance)
          : q.sort === "number"
            ? (r.number ?? "")
            : q.sort === "status"
              ? r.display_status
              : r[q.sort];
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (q.descending ? -1 : 1));
  const start = (q.page - 1) * q.page_size;
  return {
    items: rows.slice(start, start + q.page_size),
    total_count: rows.length,
    page: q.page,
    page_size: q.page_size,
  };
}
