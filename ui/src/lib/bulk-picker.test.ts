import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";
import { pickBulkFile, pickNextBulkFileForTests } from "./bulk-picker";

// Tests run in Node; Tauri's mocks install the IPC layer on `window`, as the webview has it.
const global = globalThis as unknown as { window?: Record<string, unknown> };
global.window = globalThis as unknown as Record<string, unknown>;

afterEach(() => clearMocks());

describe("picking a bulk file", () => {
  it("opens the dialog in Rust: one command, its answer passed on", async () => {
    const sent: string[] = [];
    mockIPC((command) => {
      sent.push(command);
      return null;
    });
    expect(await pickBulkFile()).toBeNull();
    expect(sent).toEqual(["pick_bulk_file"]);
  });

  it("checks a file named by the test hook with the command the dialog's answer comes from, once", async () => {
    const sent: { command: string; args: unknown }[] = [];
    mockIPC((command, args) => {
      sent.push({ command, args });
      return command === "check_bulk_file" ? { file_name: "deals.csv" } : null;
    });
    pickNextBulkFileForTests("/tmp/deals.csv");
    const picked = await pickBulkFile();
    expect(picked?.path).toBe("/tmp/deals.csv");
    expect(picked?.report.file_name).toBe("deals.csv");
    expect(sent.map((s) => s.command)).toEqual(["check_bulk_file"]);
    expect((sent[0]?.args as { input: { path: string; columns: unknown } }).input).toMatchObject({
      path: "/tmp/deals.csv",
      columns: null,
    });
    // The next pick opens the dialog again.
    await pickBulkFile();
    expect(sent.map((s) => s.command)).toEqual(["check_bulk_file", "pick_bulk_file"]);
  });
});
