// The invoice editor's form state and its translation to the backend's DraftInput. Amounts stay
// the strings the person typed; the backend parses, validates and totals them.
import type { DraftInput } from "./bindings/DraftInput";
import type { InvoiceDetail } from "./bindings/InvoiceDetail";
import type { TaxRateView } from "./bindings/TaxRateView";

export type LineDraft = {
  /** Identifies the row across additions and removals, so inputs keep their focus. */
  key: number;
  description: string;
  quantity: string;
  unit_price: string;
  discount_percent: string;
  /** null = the rates for the customer's country and region; EXEMPT = no tax, with a reason. */
  tax_rate_id: number | null;
  /** Printed on the invoice when the line is exempt (e.g. "Reverse charge"). */
  tax_exempt_reason: string;
};

/** The tax choice of an exempt line: no rate ids are negative. */
export const EXEMPT = -1;

export type DraftForm = {
  customer_id: number | null;
  /** "" = let the backend use today. */
  issue_date: string;
  /** null = the company's payment terms. */
  terms_days: number | null;
  notes: string;
  /** "" = the customer's template, else the company default. */
  template: string;
  lines: LineDraft[];
};

let nextKey = 1;

export function blankLine(): LineDraft {
  return {
    key: nextKey++,
    description: "",
    quantity: "1",
    unit_price: "",
    discount_percent: "",
    tax_rate_id: null,
    tax_exempt_reason: "",
  };
}

export function emptyDraft(): DraftForm {
  return { customer_id: null, issue_date: "", terms_days: null, notes: "", template: "", lines: [blankLine()] };
}

const blankToNull = (text: string): string | null => (text.trim() === "" ? null : text.trim());

/** The request for preview and save, or null while no customer is chosen (the backend needs one). */
export function toDraftInput(form: DraftForm): DraftInput | null {
  if (form.customer_id === null) return null;
  const terms = form.terms_days;
  return {
    customer_id: form.customer_id,
    issue_date: form.issue_date === "" ? null : form.issue_date,
    terms_days: typeof terms === "number" && Number.isFinite(terms) ? terms : null,
    notes: blankToNull(form.notes),
    template: blankToNull(form.template),
    lines: form.lines.map((line) => ({
      description: line.description.trim(),
      quantity: line.quantity.trim(),
      unit_price: line.unit_price.trim(),
      discount_percent: blankToNull(line.discount_percent),
      tax_rate_id: line.tax_rate_id === EXEMPT ? null : line.tax_rate_id,
      proration: null,
      tax_exempt_reason: line.tax_rate_id === EXEMPT ? line.tax_exempt_reason.trim() : null,
    })),
  };
}

/**
 * The form for editing a stored draft (or a rejected invoice). Each line keeps the rate it was
 * taxed with, by id: matching by name would pick the wrong one of two rates called "VAT". A rate
 * deleted since then cannot be chosen again, so such a line goes back to the automatic choice.
 */
export function draftFromInvoice(invoice: InvoiceDetail, taxRates: TaxRateView[]): DraftForm {
  const known = new Set(taxRates.map((rate) => rate.id));
  return {
    customer_id: invoice.customer.id,
    issue_date: invoice.issue_date,
    terms_days: invoice.terms_days,
    notes: invoice.notes ?? "",
    // Before issue the invoice's template is the chosen name (or null).
    template: invoice.template ?? "",
    lines: invoice.lines.map((line) => ({
      key: nextKey++,
      description: line.description,
      quantity: line.quantity,
      unit_price: line.unit_price,
      discount_percent: line.discount_percent ?? "",
      tax_rate_id: line.tax_exempt_reason
        ? EXEMPT
        : line.tax_rate_id !== null && known.has(line.tax_rate_id)
          ? line.tax_rate_id
          : null,
      tax_exempt_reason: line.tax_exempt_reason ?? "",
    })),
  };
}

const TOP_FIELDS = new Set(["customer_id", "issue_date", "terms_days", "notes", "template", "lines"]);
const LINE_FIELD = /^lines\[(\d+)\]\.(description|quantity|unit_price|discount_percent|tax_rate_id|tax_exempt_reason)$/;

/** Whether the editor has a place next to a field for this backend field path. */
export function isDraftField(field: string, lineCount: number): boolean {
  if (TOP_FIELDS.has(field)) return true;
  const match = LINE_FIELD.exec(field);
  return match !== null && Number(match[1]) < lineCount;
}
