import { afterEach, describe, expect, it } from "vitest";
import * as api from "./api";

type Call = { command: string; args: Record<string, unknown> | undefined };

function recordCalls(result: unknown): Call[] {
  const calls: Call[] = [];
  api.replaceTransport(async (command, args) => {
    calls.push({ command, args });
    return result;
  });
  return calls;
}

afterEach(() => {
  api.replaceTransport(() => Promise.reject(new Error("no backend in tests")));
  api.onSessionEnded(() => {});
});

describe("api", () => {
  it("sends the command names and argument keys of the IPC contract", async () => {
    const calls = recordCalls(null);
    await api.setupStatus();
    await api.listCustomers(null);
    await api.updateCustomer(7, {
      name: "Ann",
      company: null,
      email: "ann@example.com",
      address: "1 Road",
      city: "Town",
      region: null,
      postal_code: "1000",
      country: "US",
      tax_id: null,
      currency: null,
    });
    await api.listPayments(3);
    expect(calls.map((c) => c.command)).toEqual(["setup_status", "list_customers", "update_customer", "list_payments"]);
    expect(calls[0]?.args).toBeUndefined();
    expect(calls[1]?.args).toEqual({ search: null });
    expect(Object.keys(calls[2]?.args ?? {})).toEqual(["id", "input"]);
    expect(calls[3]?.args).toEqual({ id: 3 });
  });

  it("sends the round-2 commands with the contract's argument keys", async () => {
    const calls = recordCalls(null);
    const template = { name: "standard-en", blocks: {} as never, layout: {} as never };
    await api.submitForApproval(4);
    await api.approveInvoice(4);
    await api.rejectInvoice({ invoice_id: 4, reason: "Wrong rate" });
    await api.invoicePdf(4);
    await api.saveInvoicePdf(4);
    await api.listTemplates();
    await api.getTemplate({ name: "standard-en", version: null });
    await api.templateHistory("standard-en");
    await api.saveTemplate(template);
    await api.setDefaultTemplate("standard-en");
    await api.previewTemplatePdf(template);
    expect(calls.map((c) => [c.command, Object.keys(c.args ?? {}).join(",")])).toEqual([
      ["submit_for_approval", "id"],
      ["approve_invoice", "id"],
      ["reject_invoice", "input"],
      ["invoice_pdf", "id"],
      ["save_invoice_pdf", "id"],
      ["list_templates", ""],
      ["get_template", "input"],
      ["template_history", "name"],
      ["save_template", "input"],
      ["set_default_template", "name"],
      ["preview_template_pdf", "input"],
    ]);
  });

  it("rejects with an ApiError when the transport rejects with a string", async () => {
    api.replaceTransport(() => Promise.reject("command list_invoices not found"));
    await expect(api.listInvoices({} as never)).rejects.toEqual({
      code: "internal",
      message: "command list_invoices not found",
      details: null,
    });
  });

  it("passes the backend's ApiError through", async () => {
    const error = { code: "forbidden", message: "Admins only.", details: null };
    api.replaceTransport(() => Promise.reject(error));
    await expect(api.listUsers()).rejects.toEqual(error);
    expect(api.isApiError(await api.listUsers().catch((e: unknown) => e))).toBe(true);
  });

  it("reports an ended session once, and only for unauthenticated errors", async () => {
    let ended = 0;
    api.onSessionEnded(() => ended++);
    api.replaceTransport(() => Promise.reject({ code: "forbidden", message: "No.", details: null }));
    await api.listCustomers(null).catch(() => {});
    expect(ended).toBe(0);
    api.replaceTransport(() => Promise.reject({ code: "unauthenticated", message: "Signed out.", details: null }));
    await api.listCustomers(null).catch(() => {});
    expect(ended).toBe(1);
  });
});
