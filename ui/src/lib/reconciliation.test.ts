import { describe, expect, it } from "vitest";
import type { StatementLineView } from "./bindings/StatementLineView";
import {
  afterDecision,
  basisWords,
  groupLines,
  invoiceToConfirm,
  NO_STATEMENT_CHOICES,
  rowErrorText,
  statementInput,
  statusWords,
  withStatementField,
} from "./reconciliation";

function line(over: Partial<StatementLineView>): StatementLineView {
  return {
    line_id: 1,
    file_line: 2,
    status: "unmatched",
    basis: null,
    date: "2026-03-02",
    amount: "10.00",
    reference: "ref",
    counterparty: null,
    invoice_id: null,
    invoice_number: null,
    payment_id: null,
    candidates: [],
    error: null,
    note: null,
    ...over,
  };
}

describe("reconciliation", () => {
  it("groups a report's lines as applied, to confirm, unmatched and the rest", () => {
    const lines = [
      line({ line_id: 1, status: "applied" }),
      line({ line_id: 2, status: "proposed" }),
      line({ line_id: 3, status: "ambiguous" }),
      line({ line_id: 4, status: "unmatched" }),
      line({ line_id: 5, status: "money_out" }),
      line({ line_id: null, status: "error" }),
      line({ line_id: 7, status: "already_imported" }),
    ];
    const g = groupLines(lines);
    expect(g.applied.map((l) => l.line_id)).toEqual([1]);
    expect(g.toConfirm.map((l) => l.line_id)).toEqual([2, 3]);
    expect(g.unmatched.map((l) => l.line_id)).toEqual([4]);
    expect(g.other.map((l) => l.status)).toEqual(["money_out", "error", "already_imported"]);
  });

  it("gives a field to one column only", () => {
    const columns = [
      { header: "Datum", field: "date" },
      { header: "Valuta", field: null },
      { header: "Betrag", field: "amount" },
    ];
    expect(withStatementField(columns, "Valuta", "date")).toEqual([
      { header: "Datum", field: null },
      { header: "Valuta", field: "date" },
      { header: "Betrag", field: "amount" },
    ]);
    expect(withStatementField(columns, "Betrag", null)[2]).toEqual({ header: "Betrag", field: null });
  });

  it("builds the preview and import inputs, a profile name only when one is typed", () => {
    expect(statementInput("/s.csv", NO_STATEMENT_CHOICES, true, "  ")).toEqual({
      path: "/s.csv",
      profile: null,
      encoding: null,
      columns: null,
      decimal: null,
      dates: null,
      save_profile: null,
      dry_run: true,
    });
    expect(statementInput("/s.csv", { ...NO_STATEMENT_CHOICES, decimal: "," }, false, " Bank ").save_profile).toBe(
      "Bank",
    );
  });

  it("sends the encoding the person saw, so a guessed one is confirmed by importing with it", () => {
    const input = statementInput("/s.csv", { ...NO_STATEMENT_CHOICES, encoding: "windows-1252" }, false);
    expect(input.encoding).toBe("windows-1252");
    expect(input.dry_run).toBe(false);
  });

  it("confirms the proposal unless an invoice was picked, and asks for one on an ambiguous line", () => {
    expect(invoiceToConfirm(line({ status: "proposed", invoice_id: 4 }), null)).toBe(4);
    expect(invoiceToConfirm(line({ status: "proposed", invoice_id: 4 }), 9)).toBe(9);
    expect(invoiceToConfirm(line({ status: "ambiguous" }), null)).toBeNull();
  });

  it("drops a decided line from the waiting list and words statuses and errors", () => {
    const waiting = [line({ line_id: 1 }), line({ line_id: 2 })];
    expect(afterDecision(waiting, line({ line_id: 1, status: "applied" })).map((l) => l.line_id)).toEqual([2]);
    expect(statusWords("ambiguous")).toContain("pick");
    expect(basisWords("amount_and_customer")).toContain("customer");
    expect(
      rowErrorText(
        line({ file_line: 7, status: "error", error: { field: "date", value: "2026-02-31", reason: "is no day" } }),
      ),
    ).toBe('Line 7: date "2026-02-31" is no day');
  });
});
