import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import type { ReportRequest } from "./bindings/ReportRequest";
import { exportNextReportToForTests, exportReportCsv } from "./report-export";

// Tests run in Node; Tauri's mocks install the IPC layer on `window`, as the webview has it.
const global = globalThis as unknown as { window?: Record<string, unknown> };
global.window = globalThis as unknown as Record<string, unknown>;

afterEach(() => clearMocks());

const request: ReportRequest = { kind: "aging", filter: { currency: "USD" } };

describe("exporting a report as CSV", () => {
  it("asks where with the save dialog, then streams the report to the path chosen", async () => {
    const sent: { command: string; args: unknown }[] = [];
    mockIPC((command, args) => {
      sent.push({ command, args });
      if (command === "plugin:dialog|save") return "/home/me/aging.csv";
      return { path: "/home/me/aging.csv", rows: 3 };
    });
    expect(await exportReportCsv(request, "aging-2026-11-26.csv")).toEqual({ path: "/home/me/aging.csv", rows: 3 });
    expect(sent).toEqual([
      {
        command: "plugin:dialog|save",
        args: {
          options: {
            title: "Export report as CSV",
            defaultPath: "aging-2026-11-26.csv",
            filters: [{ name: "CSV", extensions: ["csv"] }],
          },
        },
      },
      { command: "export_report_csv", args: { request, path: "/home/me/aging.csv" } },
    ]);
  });

  it("exports nothing when the person cancels the dialog", async () => {
    const sent: string[] = [];
    mockIPC((command) => {
      sent.push(command);
      return null;
    });
    expect(await exportReportCsv(request, "aging.csv")).toBeNull();
    expect(sent).toEqual(["plugin:dialog|save"]);
  });

  it("writes to the file the test hook names, without a dialog, once", async () => {
    const sent: string[] = [];
    mockIPC((command) => {
      sent.push(command);
      return command === "export_report_csv" ? { path: "/tmp/a.csv", rows: 1 } : null;
    });
    exportNextReportToForTests("/tmp/a.csv");
    await exportReportCsv(request, "aging.csv");
    await exportReportCsv(request, "aging.csv");
    expect(sent).toEqual(["export_report_csv", "plugin:dialog|save"]);
  });
});
