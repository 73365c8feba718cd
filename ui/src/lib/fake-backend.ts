// DEVELOPMENT-ONLY FAKE BACKEND. Loaded by main.ts only when `import.meta.env.DEV` and the URL has
// `?demo` (`?demo=setup` starts before first-run setup, `?demo=signin` signed out), so the screens
// can be looked at in a plain browser. Production builds drop it and tests never use it. Its sums
// use floating point and are NOT how totals are computed: the real ones come from the Rust domain.
import type { Transport } from "./api";
import type { ApiError } from "./bindings/ApiError";
import type { AuditEventView } from "./bindings/AuditEventView";
import type { CompanyView } from "./bindings/CompanyView";
import type { CustomerInput } from "./bindings/CustomerInput";
import type { CustomerView } from "./bindings/CustomerView";
import type { DisplayStatus } from "./bindings/DisplayStatus";
import type { DraftInput } from "./bindings/DraftInput";
import type { FieldError } from "./bindings/FieldError";
import type { InvoiceQuery } from "./bindings/InvoiceQuery";
import type { InvoiceSummary } from "./bindings/InvoiceSummary";
import type { InvoiceView } from "./bindings/InvoiceView";
import type { PaymentInput } from "./bindings/PaymentInput";
import type { PaymentView } from "./bindings/PaymentView";
import type { TaxRateInput } from "./bindings/TaxRateInput";
import type { TaxRateView } from "./bindings/TaxRateView";
import type { TotalsView } from "./bindings/TotalsView";
import type { UserView } from "./bindings/UserView";

type Args = Record<string, unknown>;

const fail = (code: ApiError["code"], message: string, details: FieldError[] | null = null): ApiError => ({
  code,
  message,
  details,
});
const money = (n: number) => n.toFixed(2);
const isDecimal = (text: string) => /^\d+(\.\d+)?$/.test(text);
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const TODAY = "2025-06-20";

function seed(mode: string | null) {
  const admin: UserView = {
    id: 1,
    email: "dana@northwind.example",
    name: "Dana Whitfield",
    role: "admin",
    active: true,
  };
  const company: CompanyView = {
    name: "Northwind Consulting LLC",
    country: "US",
    region: "CA",
    currency: "USD",
    address: "500 Market Street\nSan Francisco, CA 94105",
    email: "billing@northwind.example",
    tax_id: "94-1234567",
    payment_terms_days: 30,
    number_format: "INV-{YYYY}-{SEQ:5}",
    rounding: "per_line",
    require_customer_tax_id: false,
    approval_threshold: "10000.00",
  };
  const taxRates: TaxRateView[] = [
    { id: 1, country: "US", region: "CA", name: "Sales tax", rate: "7.25", inclusive: false },
    { id: 2, country: "US", region: "NY", name: "Sales tax", rate: "8.875", inclusive: false },
    { id: 3, country: "DE", region: null, name: "VAT", rate: "19", inclusive: false },
  ];
  const names = [
    "Acme Corporation",
    "Globex Industries",
    "Initech",
    "Umbrella Health",
    "Stark Logistics",
    "Wayne Foundation",
    "Hooli",
    "Vandelay Imports",
    "Soylent Foods",
    "Tyrell Systems",
    "Cyberdyne Labs",
    "Wonka Confections",
  ];
  const customers: CustomerView[] = names.map((name, i) => ({
    id: i + 1,
    name,
    company: i % 3 === 0 ? `${name} Holdings` : null,
    email: `ap@${name.split(" ")[0]?.toLowerCase()}.example`,
    address: `${100 + i * 7} Main Street`,
    city: i % 4 === 3 ? "Berlin" : i % 2 ? "New York" : "Oakland",
    region: i % 4 === 3 ? null : i % 2 ? "NY" : "CA",
    postal_code: i % 4 === 3 ? "10115" : `9${4000 + i}`,
    country: i % 4 === 3 ? "DE" : "US",
    tax_id: null,
    currency: i % 4 === 3 ? "EUR" : null,
  }));
  const db = {
    initialized: mode !== "setup",
    user: mode === "setup" || mode === "signin" ? null : admin,
    users: [
      admin,
      { id: 2, email: "sam@northwind.example", name: "Sam Ortiz", role: "specialist", active: true } as UserView,
    ],
    company,
    taxRates,
    customers,
    invoices: [] as InvoiceView[],
    payments: [] as PaymentView[],
    audit: new Map<number, AuditEventView[]>(),
    nextId: 1000,
    nextNumber: 1,
  };
  const statuses: InvoiceView["status"][] = [
    "issued",
    "paid",
    "paid",
    "partially_paid",
    "draft",
    "issued",
    "void",
    "pending_approval",
    "paid",
  ];
  for (let i = 0; i < 137; i++) {
    const customer = customers[(i * 5) % customers.length] as CustomerView;
    const issue = addDays(TODAY, -Math.floor((137 - i) * 2.6));
    const draft: DraftInput = {
      customer_id: customer.id,
      issue_date: issue,
      terms_days: 30,
      notes: null,
      lines: [
        {
          description: "Consulting hours",
          quantity: String(4 + (i % 9)),
          unit_price: "145.00",
          discount_percent: null,
          tax_rate_id: null,
          proration: null,
        },
        {
          description: "Monthly retainer",
          quantity: "1",
          unit_price: String(500 + (i % 5) * 250),
          discount_percent: i % 4 ? null : "10",
          tax_rate_id: null,
          proration: null,
        },
      ],
    };
    const invoice = buildInvoice(db, draft, db.nextId++);
    invoice.status = statuses[i % statuses.length] ?? "issued";
    if (invoice.status !== "draft" && invoice.status !== "pending_approval") {
      invoice.number = `INV-2025-${String(db.nextNumber++).padStart(5, "0")}`;
      invoice.issued_at = `${issue}T09:30:00Z`;
    }
    if (invoice.status === "paid") settle(invoice, Number(invoice.total));
    if (invoice.status === "partially_paid") settle(invoice, Math.round(Number(invoice.total) * 40) / 100);
    if (invoice.status === "void") invoice.void_reason = "Billed to the wrong entity";
    invoice.display_status = displayOf(invoice);
    db.invoices.push(invoice);
    log(db, invoice.id, "invoice.created", invoice.issue_date);
    if (invoice.number) log(db, invoice.id, "invoice.issued", invoice.issue_date);
  }
  return db;
}

type Db = ReturnType<typeof seed>;

function settle(invoice: InvoiceView, paid: number) {
  invoice.amount_paid = money(paid);
  invoice.balance = money(Number(invoice.total) - paid);
}

function displayOf(invoice: InvoiceView): DisplayStatus {
  const open = invoice.status === "issued" || invoice.status === "partially_paid";
  return open && invoice.due_date < TODAY ? "overdue" : invoice.status;
}

function log(db: Db, id: number, action: string, date = TODAY) {
  const events = db.audit.get(id) ?? [];
  events.push({
    seq: events.length + 1,
    at: `${date}T10:00:00Z`,
    actor: db.user?.name ?? "Dana Whitfield",
    action,
    entity: `invoice:${id}`,
    data: "{}",
    hash: "fake",
  });
  db.audit.set(id, events);
}

function totals(db: Db, draft: DraftInput): TotalsView {
  const customer = db.customers.find((c) => c.id === draft.customer_id);
  if (!customer)
    throw fail("validation", "The invoice has errors.", [{ field: "customer_id", message: "Choose a customer." }]);
  const details: FieldError[] = [];
  draft.lines.forEach((line, i) => {
    if (line.description === "")
      details.push({ field: `lines[${i}].description`, message: "Describe what is billed." });
    if (!isDecimal(line.quantity) || Number(line.quantity) <= 0)
      details.push({ field: `lines[${i}].quantity`, message: "Enter a quantity above zero." });
    if (!isDecimal(line.unit_price))
      details.push({ field: `lines[${i}].unit_price`, message: "Enter a price like 120.00." });
    if (line.discount_percent !== null && (!isDecimal(line.discount_percent) || Number(line.discount_percent) > 100))
      details.push({ field: `lines[${i}].discount_percent`, message: "Enter a percentage from 0 to 100." });
  });
  if (draft.lines.length === 0) details.push({ field: "lines", message: "Add at least one line." });
  if (details.length > 0) throw fail("validation", "The invoice has errors.", details);
  const auto = db.taxRates.find(
    (r) => r.country === customer.country && (r.region === null || r.region === customer.region),
  );
  const breakdown = new Map<string, { name: string; rate: string; base: number; tax: number }>();
  let subtotal = 0;
  let discount = 0;
  const lines = draft.lines.map((line, i) => {
    const gross = Number(line.quantity) * Number(line.unit_price);
    const off = (gross * Number(line.discount_percent ?? 0)) / 100;
    const rate = line.tax_rate_id === null ? auto : db.taxRates.find((r) => r.id === line.tax_rate_id);
    const net = gross - off;
    const tax = rate ? (net * Number(rate.rate)) / 100 : 0;
    subtotal += gross;
    discount += off;
    if (rate) {
      const entry = breakdown.get(rate.name + rate.rate) ?? { name: rate.name, rate: rate.rate, base: 0, tax: 0 };
      entry.base += net;
      entry.tax += tax;
      breakdown.set(rate.name + rate.rate, entry);
    }
    return {
      position: i + 1,
      description: line.description,
      quantity: line.quantity,
      unit_price: line.unit_price,
      discount_percent: line.discount_percent,
      tax_name: rate?.name ?? null,
      tax_rate: rate?.rate ?? null,
      net: money(net),
      tax: money(tax),
      total: money(net + tax),
    };
  });
  const taxTotal = [...breakdown.values()].reduce((sum, b) => sum + b.tax, 0);
  return {
    currency: customer.currency ?? db.company.currency,
    subtotal: money(subtotal),
    discount_total: money(discount),
    tax_total: money(taxTotal),
    total: money(subtotal - discount + taxTotal),
    tax_breakdown: [...breakdown.values()].map((b) => ({
      name: b.name,
      rate: b.rate,
      inclusive: false,
      base: money(b.base),
      tax: money(b.tax),
    })),
    lines,
  };
}

function buildInvoice(db: Db, draft: DraftInput, id: number): InvoiceView {
  const t = totals(db, draft);
  const customer = db.customers.find((c) => c.id === draft.customer_id) as CustomerView;
  const issue = draft.issue_date ?? TODAY;
  const terms = draft.terms_days ?? db.company.payment_terms_days;
  const { lines, ...sums } = t;
  return {
    id,
    number: null,
    status: "draft",
    display_status: "draft",
    disputed: false,
    customer,
    issue_date: issue,
    due_date: addDays(issue, terms),
    terms_days: terms,
    notes: draft.notes,
    ...sums,
    lines,
    amount_paid: "0.00",
    balance: t.total,
    created_by: db.user?.name ?? "Dana Whitfield",
    created_at: `${issue}T09:00:00Z`,
    issued_at: null,
    void_reason: null,
    template: null,
    pdf_sha256: null,
  };
}

function summary(invoice: InvoiceView): InvoiceSummary {
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

function listInvoices(db: Db, q: InvoiceQuery) {
  const search = q.search?.toLowerCase() ?? "";
  const rows = db.invoices
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

function saveCustomer(db: Db, input: CustomerInput, id: number): CustomerView {
  const details: FieldError[] = [];
  for (const field of ["name", "address", "city", "postal_code", "country"] as const) {
    if (input[field].trim() === "") details.push({ field, message: "This field is required." });
  }
  if (!/^[^@\s]+@[^@\s]+$/.test(input.email))
    details.push({ field: "email", message: "Enter an email address like name@example.com." });
  if (details.length > 0) throw fail("validation", "The customer has errors.", details);
  const customer = { id, ...input };
  db.customers = [...db.customers.filter((c) => c.id !== id), customer].sort((a, b) => a.name.localeCompare(b.name));
  return customer;
}

function invoiceOf(db: Db, id: unknown): InvoiceView {
  const invoice = db.invoices.find((i) => i.id === id);
  if (!invoice) throw fail("not_found", "That invoice does not exist.");
  return invoice;
}

function handle(db: Db, command: string, args: Args): unknown {
  const input = args.input as never;
  switch (command) {
    case "setup_status":
      return { initialized: db.initialized, signed_in: db.user };
    case "setup":
    case "sign_in":
      db.initialized = true;
      if (command === "sign_in" && (args.input as { password: string }).password !== "demo")
        throw fail("auth_failed", "The email or password is not correct. (Demo password: demo)");
      db.user = db.users[0] ?? null;
      return db.user;
    case "sign_out":
      db.user = null;
      return null;
    case "get_company":
      return db.company;
    case "update_company":
      return (db.company = input);
    case "list_users":
      return db.users;
    case "add_user": {
      const user: UserView = { id: db.users.length + 1, active: true, ...(input as Omit<UserView, "id" | "active">) };
      db.users.push(user);
      return user;
    }
    case "list_customers": {
      const search = (args.search as string | null)?.toLowerCase() ?? "";
      return db.customers.filter((c) => `${c.name} ${c.company ?? ""} ${c.email}`.toLowerCase().includes(search));
    }
    case "create_customer":
      return saveCustomer(db, input, db.nextId++);
    case "update_customer":
      return saveCustomer(db, input, args.id as number);
    case "list_tax_rates":
      return db.taxRates;
    case "set_tax_rate": {
      const rate: TaxRateView = { id: db.nextId++, ...(input as TaxRateInput) };
      db.taxRates.push(rate);
      return rate;
    }
    case "delete_tax_rate":
      db.taxRates = db.taxRates.filter((r) => r.id !== args.id);
      return null;
    case "preview_totals":
      return totals(db, input);
    case "create_invoice": {
      const invoice = buildInvoice(db, input, db.nextId++);
      db.invoices.push(invoice);
      log(db, invoice.id, "invoice.created");
      return invoice;
    }
    case "update_invoice": {
      const { invoice_id, draft } = input as { invoice_id: number; draft: DraftInput };
      const index = db.invoices.findIndex((i) => i.id === invoice_id);
      const invoice = buildInvoice(db, draft, invoice_id);
      db.invoices[index] = invoice;
      log(db, invoice_id, "invoice.updated");
      return invoice;
    }
    case "get_invoice":
      return invoiceOf(db, args.id);
    case "list_invoices":
      return listInvoices(db, args.query as InvoiceQuery);
    case "issue_invoice": {
      const invoice = invoiceOf(db, args.id);
      Object.assign(invoice, {
        status: "issued",
        number: `INV-2025-${String(db.nextNumber++).padStart(5, "0")}`,
        issued_at: `${TODAY}T12:00:00Z`,
      });
      invoice.display_status = displayOf(invoice);
      log(db, invoice.id, "invoice.issued");
      return invoice;
    }
    case "void_invoice": {
      const { invoice_id, reason } = input as { invoice_id: number; reason: string };
      if (reason === "")
        throw fail("validation", "Give a reason.", [{ field: "reason", message: "Say why the invoice is void." }]);
      const invoice = invoiceOf(db, invoice_id);
      Object.assign(invoice, { status: "void", display_status: "void", void_reason: reason });
      log(db, invoice.id, "invoice.voided");
      return invoice;
    }
    case "record_payment": {
      const payment = input as PaymentInput;
      const invoice = invoiceOf(db, payment.invoice_id);
      if (!isDecimal(payment.amount) || Number(payment.amount) <= 0)
        throw fail("validation", "The payment has errors.", [
          { field: "amount", message: "Enter an amount above zero." },
        ]);
      settle(invoice, Number(invoice.amount_paid) + Number(payment.amount));
      invoice.status = Number(invoice.balance) <= 0 ? "paid" : "partially_paid";
      invoice.display_status = displayOf(invoice);
      db.payments.push({
        id: db.nextId++,
        ...payment,
        recorded_by: db.user?.name ?? "",
        recorded_at: `${TODAY}T12:00:00Z`,
      });
      log(db, invoice.id, "payment.recorded");
      return invoice;
    }
    case "list_payments":
      return db.payments.filter((p) => p.invoice_id === args.id);
    case "invoice_audit":
      return db.audit.get(args.id as number) ?? [];
    case "verify_audit":
      return {
        intact: true,
        events_checked: [...db.audit.values()].flat().length,
        first_broken_seq: null,
        message: "",
      };
    default:
      throw fail("internal", `The fake backend has no command ${command}.`);
  }
}

export function fakeTransport(): Transport {
  const db = seed(new URLSearchParams(window.location.search).get("demo"));
  return (command, args) =>
    new Promise((resolve, reject) => {
      // A little latency makes loading states visible.
      setTimeout(() => {
        try {
          resolve(structuredClone(handle(db, command, args ?? {})));
        } catch (error) {
          reject(error);
        }
      }, 120);
    });
}
