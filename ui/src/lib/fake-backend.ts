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
import type { ErrorDetail as FieldError } from "./bindings/ErrorDetail";
import type { InvoiceQuery } from "./bindings/InvoiceQuery";
import type { InvoiceDetail } from "./bindings/InvoiceDetail";
import type { InvoiceScreen } from "./bindings/InvoiceScreen";
import type { PaymentInput } from "./bindings/PaymentInput";
import type { PaymentView } from "./bindings/PaymentView";
import type { RejectInput } from "./bindings/RejectInput";
import type { TaxRateInput } from "./bindings/TaxRateInput";
import type { TaxRateView } from "./bindings/TaxRateView";
import type { TotalsView } from "./bindings/TotalsView";
import type { UserView } from "./bindings/UserView";
import { listInvoices } from "./fake-invoice-list";
import { invoicePdf } from "./fake-pdf";
import { templateLibrary } from "./fake-templates";

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
    timezone: "America/Los_Angeles",
    payment_link_format: "https://pay.northwind.example/i/{number}",
    exchange_rates: [{ currency: "EUR", rate: "1.08", valid_from: "2025-01-01" }],
  };
  const taxRates: TaxRateView[] = [
    {
      id: 1,
      country: "US",
      region: "CA",
      name: "Sales tax",
      rate: "7.25",
      inclusive: false,
      compound: false,
      position: 1,
      manual: false,
    },
    {
      id: 2,
      country: "US",
      region: "NY",
      name: "Sales tax",
      rate: "8.875",
      inclusive: false,
      compound: false,
      position: 1,
      manual: false,
    },
    {
      id: 3,
      country: "DE",
      region: null,
      name: "VAT",
      rate: "19",
      inclusive: false,
      compound: false,
      position: 1,
      manual: false,
    },
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
    template: i % 4 === 3 ? "standard-de" : null,
  }));
  const db = {
    initialized: mode !== "setup",
    user: mode === "setup" || mode === "signin" ? null : admin,
    users: [
      admin,
      { id: 2, email: "sam@northwind.example", name: "Sam Ortiz", role: "specialist", active: true } as UserView,
      { id: 3, email: "priya@northwind.example", name: "Priya Natarajan", role: "approver", active: true } as UserView,
    ],
    company,
    taxRates,
    customers,
    invoices: [] as InvoiceDetail[],
    payments: [] as PaymentView[],
    audit: new Map<number, AuditEventView[]>(),
    nextId: 1000,
    nextNumber: 1,
  };
  // `?demo=specialist` and `?demo=approver` look at the app through those roles.
  db.user = db.users.find((u) => u.role === mode) ?? db.user;
  const statuses: InvoiceDetail["status"][] = [
    "issued",
    "paid",
    "paid",
    "partially_paid",
    "draft",
    "issued",
    "void",
    "pending_approval",
    "paid",
    "rejected",
    "approved",
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
    // The biggest draft carries a timesheet long enough for a ten-page PDF and the approval rule.
    if (i === 136) draft.lines.push(...timesheet(420));
    const invoice = buildInvoice(db, draft, db.nextId++);
    invoice.status = i === 136 ? "draft" : (statuses[i % statuses.length] ?? "issued");
    // Someone else made the invoices waiting for approval, so the demo admin may approve them.
    if (["pending_approval", "rejected", "approved"].includes(invoice.status)) invoice.created_by = "Sam Ortiz";
    if (!["draft", "pending_approval", "rejected", "approved"].includes(invoice.status)) {
      invoice.number = `INV-2025-${String(db.nextNumber++).padStart(5, "0")}`;
      invoice.issued_at = `${issue}T09:30:00Z`;
      invoice.pdf_sha256 = fakeSha(invoice.number);
    }
    if (invoice.status === "paid") settle(invoice, Number(invoice.total));
    if (invoice.status === "partially_paid") settle(invoice, Math.round(Number(invoice.total) * 40) / 100);
    if (invoice.status === "void") invoice.void_reason = "Billed to the wrong entity";
    invoice.display_status = displayOf(invoice);
    db.invoices.push(invoice);
    log(db, invoice.id, "invoice.created", invoice.issue_date);
    if (invoice.number) log(db, invoice.id, "invoice.issued", invoice.issue_date);
    if (invoice.status === "rejected")
      log(db, invoice.id, "invoice.rejected", invoice.issue_date, { reason: "The retainer discount was not agreed." });
  }
  return db;
}

function timesheet(count: number): DraftInput["lines"] {
  return Array.from({ length: count }, (_, i) => ({
    description: `Timesheet ${addDays("2025-01-01", i)}: on-site support`,
    quantity: String(1 + (i % 4)),
    unit_price: "145.00",
    discount_percent: null,
    tax_rate_id: null,
    proration: null,
  }));
}

// A stand-in for the archived PDF's SHA-256: 64 hex digits derived from the number.
const fakeSha = (seed: string) =>
  Array.from({ length: 64 }, (_, i) => ((seed.charCodeAt(i % seed.length) * (i + 7)) % 16).toString(16)).join("");

type Db = ReturnType<typeof seed>;

function settle(invoice: InvoiceDetail, paid: number) {
  invoice.amount_paid = money(paid);
  invoice.balance = money(Number(invoice.total) - paid);
}

function displayOf(invoice: InvoiceDetail): DisplayStatus {
  const open = invoice.status === "issued" || invoice.status === "partially_paid";
  return open && invoice.due_date < TODAY ? "overdue" : invoice.status;
}

function log(db: Db, id: number, action: string, date = TODAY, data: object = {}) {
  const events = db.audit.get(id) ?? [];
  events.push({
    seq: events.length + 1,
    at: `${date}T10:00:00Z`,
    actor: db.user?.name ?? "Dana Whitfield",
    action,
    entity: `invoice:${id}`,
    data: JSON.stringify(data),
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
    const exempt = line.tax_exempt_reason ? line.tax_exempt_reason : null;
    const rate = exempt
      ? undefined
      : line.tax_rate_id === null
        ? auto
        : db.taxRates.find((r) => r.id === line.tax_rate_id);
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
      tax_rate_id: rate?.id ?? null,
      description: line.description,
      quantity: line.quantity,
      unit_price: line.unit_price,
      discount_percent: line.discount_percent,
      tax_name: rate?.name ?? null,
      tax_rate: rate?.rate ?? null,
      tax_exempt_reason: exempt,
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
      compound: false,
      base: money(b.base),
      tax: money(b.tax),
    })),
    lines,
  };
}

function buildInvoice(db: Db, draft: DraftInput, id: number): InvoiceDetail {
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
    allowed_actions: [],
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
  const customer: CustomerView = { id, ...input, template: input.template ?? null };
  db.customers = [...db.customers.filter((c) => c.id !== id), customer].sort((a, b) => a.name.localeCompare(b.name));
  return customer;
}

/**
 * The invoice screen as the backend answers it. The demo offers no actions: which actions a person
 * may take is the backend's rule, and the demo is to be replaced by fixtures captured from it.
 */
function screenOf(db: Db, invoice: InvoiceDetail): InvoiceScreen {
  return {
    invoice: { ...invoice, allowed_actions: [] },
    payments: db.payments.filter((p) => p.invoice_id === invoice.id),
    activity: db.audit.get(invoice.id) ?? [],
  };
}

function invoiceOf(db: Db, id: unknown): InvoiceDetail {
  const invoice = db.invoices.find((i) => i.id === id);
  if (!invoice) throw fail("not_found", "That invoice does not exist.");
  return invoice;
}

/** Submitting, approving and rejecting, with the backend's rules on who may do what. */
function decide(db: Db, command: string, id: number, input: RejectInput | undefined): InvoiceDetail {
  const invoice = invoiceOf(db, id);
  const [from, to, action] =
    command === "submit_for_approval"
      ? (["draft", "pending_approval", "invoice.submitted"] as const)
      : command === "approve_invoice"
        ? (["pending_approval", "approved", "invoice.approved"] as const)
        : (["pending_approval", "rejected", "invoice.rejected"] as const);
  if (invoice.status !== from) throw fail("invalid_state", `cannot do this with a ${invoice.status} invoice`);
  if (to !== "pending_approval" && invoice.created_by === db.user?.name)
    throw fail("forbidden", "you made this invoice, so someone else must approve it");
  const reason = input?.reason.trim() ?? "";
  if (to === "rejected" && reason === "")
    throw fail("validation", "Give a reason.", [{ field: "reason", message: "is required" }]);
  Object.assign(invoice, { status: to, display_status: to });
  log(db, id, action, TODAY, to === "rejected" ? { reason } : {});
  return invoice;
}

let templates: (command: string, args: Args) => unknown = () => undefined;

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
      db.user = db.users.find((u) => u.email === (args.input as { email?: string }).email) ?? db.users[0] ?? null;
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
      const given = input as TaxRateInput;
      const rate: TaxRateView = { id: db.nextId++, ...given, position: given.position ?? db.taxRates.length + 1 };
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
      return screenOf(db, invoice);
    }
    case "get_invoice":
      return screenOf(db, invoiceOf(db, args.id));
    case "list_invoices":
      return listInvoices(db.invoices, args.query as InvoiceQuery);
    case "issue_invoice": {
      const invoice = invoiceOf(db, args.id);
      if (invoice.status === "draft" && Number(invoice.total) >= Number(db.company.approval_threshold))
        throw fail(
          "approval_required",
          `this invoice's total of ${invoice.total} ${invoice.currency} reaches the approval threshold of ` +
            `${db.company.approval_threshold} ${db.company.currency}; submit it for approval first`,
        );
      const number = `INV-2025-${String(db.nextNumber++).padStart(5, "0")}`;
      Object.assign(invoice, {
        status: "issued",
        number,
        issued_at: `${TODAY}T12:00:00Z`,
        pdf_sha256: fakeSha(number),
      });
      invoice.display_status = displayOf(invoice);
      log(db, invoice.id, "invoice.issued");
      return screenOf(db, invoice);
    }
    case "submit_for_approval":
    case "approve_invoice":
    case "reject_invoice":
      return screenOf(db, decide(db, command, (args.id ?? (input as RejectInput).invoice_id) as number, input));
    case "invoice_pdf":
      return invoicePdf(invoiceOf(db, args.id), db.company);
    case "save_invoice_pdf": {
      const invoice = invoiceOf(db, args.id);
      return `/home/demo/Documents/${invoice.number ?? `draft-${invoice.id}`}.pdf`;
    }
    case "void_invoice": {
      const { invoice_id, reason } = input as { invoice_id: number; reason: string };
      if (reason === "")
        throw fail("validation", "Give a reason.", [{ field: "reason", message: "Say why the invoice is void." }]);
      const invoice = invoiceOf(db, invoice_id);
      if (invoice.status !== "issued")
        throw fail("invalid_state", "only issued invoices can be voided; this one has no number yet");
      Object.assign(invoice, { status: "void", display_status: "void", void_reason: reason });
      log(db, invoice.id, "invoice.voided");
      return screenOf(db, invoice);
    }
    case "send_back_to_draft": {
      const { invoice_id } = input as RejectInput;
      const invoice = invoiceOf(db, invoice_id);
      Object.assign(invoice, { status: "draft", display_status: "draft" });
      log(db, invoice.id, "invoice.sent_back_to_draft");
      return screenOf(db, invoice);
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
      return screenOf(db, invoice);
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
    default: {
      const answer = templates(command, args);
      if (answer === undefined) throw fail("internal", `The fake backend has no command ${command}.`);
      return answer;
    }
  }
}

export function fakeTransport(): Transport {
  const db = seed(new URLSearchParams(window.location.search).get("demo"));
  templates = templateLibrary(() => db.user);
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
