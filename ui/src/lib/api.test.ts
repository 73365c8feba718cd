import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as api from "./api";

// Tests run in Node; Tauri's mocks install the IPC layer on `window`, as the webview has it.
const global = globalThis as unknown as { window?: Record<string, unknown> };
global.window = globalThis as unknown as Record<string, unknown>;

type Sent = { command: string; args: unknown };

/** Answers every command with `answer` and records what reached the IPC layer. */
function backend(answer: (command: string) => unknown = () => null): Sent[] {
  const sent: Sent[] = [];
  mockIPC((command, args) => {
    sent.push({ command, args });
    return answer(command);
  });
  return sent;
}

function refusing(reason: unknown): void {
  mockIPC(() => Promise.reject(reason));
}

beforeEach(() => api.ipcForTests.reset());

afterEach(() => {
  clearMocks();
  api.onSessionEnded(() => {});
});

describe("api", () => {
  it("sends the generated command names with Tauri's argument keys", async () => {
    const sent = backend();
    await api.setupStatus();
    await api.listCustomers(null);
    await api.issueInvoice(7);
    await api.rejectInvoice({ invoice_id: 4, reason: "Wrong rate" });
    await api.templateHistory("standard-en");
    expect(sent).toEqual([
      { command: "setup_status", args: {} },
      { command: "list_customers", args: { search: null } },
      { command: "issue_invoice", args: { id: 7 } },
      { command: "reject_invoice", args: { input: { invoice_id: 4, reason: "Wrong rate" } } },
      { command: "template_history", args: { name: "standard-en" } },
    ]);
  });

  it("resolves to what the backend answered", async () => {
    const pdf = new ArrayBuffer(4);
    backend((command) => (command === "preview_template_pdf" ? pdf : { id: 3, name: "Ann" }));
    expect(await api.previewTemplatePdf({} as never)).toBe(pdf);
    expect(await api.getCustomer(3)).toEqual({ id: 3, name: "Ann" });
  });

  it("rejects with an ApiError when Tauri rejects with a string", async () => {
    refusing("command list_invoices not found");
    await expect(api.listInvoices({} as never)).rejects.toEqual({
      code: "internal",
      message: "command list_invoices not found",
      details: null,
    });
  });

  it("passes the backend's ApiError through with its details", async () => {
    const error = { code: "validation", message: "Check the email.", details: [{ field: "email", message: "bad" }] };
    refusing(error);
    const caught = await api.addUser({} as never).catch((e: unknown) => e);
    expect(caught).toEqual(error);
    expect(api.isApiError(caught)).toBe(true);
  });

  it("reports an ended session only for unauthenticated errors", async () => {
    let ended = 0;
    api.onSessionEnded(() => ended++);
    refusing({ code: "forbidden", message: "No.", details: null });
    await api.listCustomers(null).catch(() => {});
    expect(ended).toBe(0);
    refusing({ code: "unauthenticated", message: "Signed out.", details: null });
    await api.listCustomers(null).catch(() => {});
    expect(ended).toBe(1);
  });

  it("says the backend is missing outside the desktop app", async () => {
    delete global.window?.__TAURI_INTERNALS__;
    await expect(api.getCompany()).rejects.toMatchObject({
      code: "internal",
      message: expect.stringContaining("backend is not available"),
    });
  });

  it("logs every command sent, by the screens or the test hook, until reset", async () => {
    const sent = backend();
    await api.listInvoices({} as never);
    await api.ipcForTests.invoke("get_company", {});
    refusing({ code: "forbidden", message: "No.", details: null });
    await expect(api.ipcForTests.invoke("list_users")).rejects.toMatchObject({ code: "forbidden" });
    expect(sent.map((s) => s.command)).toEqual(["list_invoices", "get_company"]);
    expect(api.ipcForTests.calls()).toEqual(["list_invoices", "get_company", "list_users"]);
    api.ipcForTests.reset();
    expect(api.ipcForTests.calls()).toEqual([]);
  });
});
