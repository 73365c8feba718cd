import { clearMocks, mockConvertFileSrc, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "./api";
import { creditNotePdfBytes, creditNotePdfUrl, invoicePdfBytes, invoicePdfUrl } from "./documents";

// Tests run in Node; Tauri's mocks install their internals on `window`, as the webview has them.
const global = globalThis as unknown as { window?: Record<string, unknown> };
global.window = globalThis as unknown as Record<string, unknown>;

const requested: string[] = [];

/** Answers every fetch with `status` and `body`, and records the URLs asked for. */
function serving(status: number, body: BodyInit | null, type = "application/json"): void {
  vi.stubGlobal("fetch", async (url: string) => {
    requested.push(url);
    return new Response(body, { status, headers: { "Content-Type": type } });
  });
}

beforeEach(() => {
  requested.length = 0;
  mockIPC(() => null);
  mockConvertFileSrc("linux");
  api.ipcForTests.reset();
});

afterEach(() => {
  vi.unstubAllGlobals();
  clearMocks();
  api.onSessionEnded(() => {});
});

describe("invoice PDFs by URL", () => {
  it("asks the invoicer-pdf protocol for the invoice, percent-encoded as Tauri does", () => {
    expect(invoicePdfUrl(7)).toBe("invoicer-pdf://localhost/invoice%2F7");
  });

  it("asks for a credit note's archived PDF by its own path, without an IPC call", async () => {
    expect(creditNotePdfUrl(3)).toBe("invoicer-pdf://localhost/credit-note%2F3");
    const pdf = new TextEncoder().encode("%PDF-1.7");
    serving(200, pdf, "application/pdf");
    const bytes = await creditNotePdfBytes(3);
    expect(new Uint8Array(bytes)).toEqual(pdf);
    expect(requested).toEqual(["invoicer-pdf://localhost/credit-note%2F3"]);
    expect(api.ipcForTests.calls()).toEqual([]);
  });

  it("resolves to the bytes, without an IPC call", async () => {
    const pdf = new TextEncoder().encode("%PDF-1.7");
    serving(200, pdf, "application/pdf");
    const bytes = await invoicePdfBytes(7);
    expect(new Uint8Array(bytes)).toEqual(pdf);
    expect(requested).toEqual(["invoicer-pdf://localhost/invoice%2F7"]);
    expect(api.ipcForTests.calls()).toEqual([]);
  });

  it("rejects with the ApiError the backend sent", async () => {
    const refusal = { code: "not_found", message: "invoice 9 does not exist", details: null };
    serving(404, JSON.stringify(refusal));
    await expect(invoicePdfBytes(9)).rejects.toEqual(refusal);
  });

  it("ends the session when the backend says nobody is signed in", async () => {
    let ended = 0;
    api.onSessionEnded(() => ended++);
    serving(401, JSON.stringify({ code: "unauthenticated", message: "you are not signed in", details: null }));
    await expect(invoicePdfBytes(3)).rejects.toMatchObject({ code: "unauthenticated" });
    expect(ended).toBe(1);
  });

  it("does not end the session for other refusals", async () => {
    let ended = 0;
    api.onSessionEnded(() => ended++);
    serving(403, JSON.stringify({ code: "forbidden", message: "no", details: null }));
    await expect(invoicePdfBytes(3)).rejects.toMatchObject({ code: "forbidden" });
    expect(ended).toBe(0);
  });

  it("turns a body that is no ApiError into an internal error naming the status", async () => {
    serving(502, "<html>Bad gateway</html>", "text/html");
    await expect(invoicePdfBytes(3)).rejects.toEqual({
      code: "internal",
      message: "The PDF could not be loaded (the backend answered 502).",
      details: null,
    });
  });

  it("turns a failed fetch into an ApiError", async () => {
    vi.stubGlobal("fetch", async () => {
      throw new TypeError("Load failed");
    });
    await expect(invoicePdfBytes(3)).rejects.toEqual({ code: "internal", message: "Load failed", details: null });
  });
});
