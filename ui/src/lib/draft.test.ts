import { describe, expect, it } from "vitest";
import type { InvoiceDetail } from "./bindings/InvoiceDetail";
import type { TaxRateView } from "./bindings/TaxRateView";
import { blankLine, draftFromInvoice, emptyDraft, EXEMPT, isDraftField, toDraftInput } from "./draft";

describe("toDraftInput", () => {
  it("waits for a customer", () => {
    expect(toDraftInput(emptyDraft())).toBeNull();
  });

  it("sends typed amounts as the exact text, and blanks as null", () => {
    const form = emptyDraft();
    form.customer_id = 4;
    form.notes = "  ";
    form.lines = [
      { ...blankLine(), description: " Support ", quantity: "1.50", unit_price: "0.10", discount_percent: "" },
      {
        ...blankLine(),
        description: "Setup",
        quantity: "1",
        unit_price: "12345678901234567.89",
        discount_percent: "5",
        tax_rate_id: 2,
      },
    ];
    expect(toDraftInput(form)).toEqual({
      customer_id: 4,
      issue_date: null,
      terms_days: null,
      notes: null,
      template: null,
      lines: [
        {
          description: "Support",
          quantity: "1.50",
          unit_price: "0.10",
          discount_percent: null,
          tax_rate_id: null,
          proration: null,
          tax_exempt_reason: null,
        },
        {
          description: "Setup",
          quantity: "1",
          unit_price: "12345678901234567.89",
          discount_percent: "5",
          tax_rate_id: 2,
          proration: null,
          tax_exempt_reason: null,
        },
      ],
    });
  });

  it("keeps a chosen issue date and terms", () => {
    const form = { ...emptyDraft(), customer_id: 1, issue_date: "2024-05-01", terms_days: 14 };
    expect(toDraftInput(form)).toMatchObject({ issue_date: "2024-05-01", terms_days: 14 });
  });

  it("gives each new line its own key", () => {
    expect(blankLine().key).not.toBe(blankLine().key);
  });
});

describe("draftFromInvoice", () => {
  const rates: TaxRateView[] = [
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
      country: "DE",
      region: null,
      name: "VAT",
      rate: "19",
      inclusive: false,
      compound: false,
      position: 1,
      manual: false,
    },
    {
      id: 3,
      country: "AT",
      region: null,
      name: "VAT",
      rate: "20",
      inclusive: false,
      compound: false,
      position: 1,
      manual: false,
    },
  ];
  const line = {
    position: 1,
    description: "Consulting",
    quantity: "2",
    unit_price: "100.00",
    discount_percent: null,
    net: "200.00",
    tax: "38.00",
    total: "238.00",
  };
  const invoice = {
    customer: { id: 9 },
    issue_date: "2024-02-01",
    terms_days: 30,
    notes: null,
    lines: [
      { ...line, tax_rate_id: 3, tax_name: "VAT", tax_rate: "20.00" },
      { ...line, tax_rate_id: null, tax_name: null, tax_rate: null, discount_percent: "10" },
      { ...line, tax_rate_id: 42, tax_name: "Deleted", tax_rate: "5" },
    ],
  } as unknown as InvoiceDetail;

  it("keeps an exempt line exempt with its reason and sends the reason back", () => {
    const exempt = { ...invoice, lines: [{ ...line, tax_rate_id: null, tax_exempt_reason: "Reverse charge" }] };
    const form = draftFromInvoice(exempt as unknown as InvoiceDetail, rates);
    expect(form.lines[0]).toMatchObject({ tax_rate_id: EXEMPT, tax_exempt_reason: "Reverse charge" });
    const sent = toDraftInput(form);
    expect(sent?.lines[0]).toMatchObject({ tax_rate_id: null, tax_exempt_reason: "Reverse charge" });
  });

  it("keeps the tax rate a stored line used by its id and keeps its values", () => {
    const form = draftFromInvoice(invoice, rates);
    expect(form).toMatchObject({ customer_id: 9, issue_date: "2024-02-01", terms_days: 30, notes: "" });
    // Rate 3 is the Austrian VAT; a name match would have been ambiguous with the German one.
    expect(form.lines.map((l) => l.tax_rate_id)).toEqual([3, null, null]);
    expect(form.lines[1]).toMatchObject({ quantity: "2", unit_price: "100.00", discount_percent: "10" });
  });

  it("keeps the template chosen for the draft and sends it back", () => {
    const form = draftFromInvoice({ ...invoice, template: "standard-de" }, rates);
    expect(form.template).toBe("standard-de");
    expect(toDraftInput(form)?.template).toBe("standard-de");
    expect(draftFromInvoice({ ...invoice, template: null }, rates).template).toBe("");
  });
});

describe("isDraftField", () => {
  it("places errors for the editor's fields and existing lines only", () => {
    expect(isDraftField("customer_id", 2)).toBe(true);
    expect(isDraftField("lines", 2)).toBe(true);
    expect(isDraftField("template", 2)).toBe(true);
    expect(isDraftField("lines[1].quantity", 2)).toBe(true);
    expect(isDraftField("lines[2].quantity", 2)).toBe(false);
    expect(isDraftField("lines[0].proration", 2)).toBe(false);
    expect(isDraftField("currency", 2)).toBe(false);
  });
});
