import { describe, expect, it } from "vitest";
import type { BulkCheckReport } from "./bindings/BulkCheckReport";
import type { BulkCountsView } from "./bindings/BulkCountsView";
import type { BulkJobView } from "./bindings/BulkJobView";
import {
  BULK_FIELDS,
  canConfirm,
  checkInput,
  claimedTwice,
  confirmedChoices,
  createdCount,
  etaText,
  isJobLive,
  isMappingField,
  NO_CHOICES,
  numberExample,
  numberStyleKey,
  openQuestions,
  parseNumberStyleKey,
  parseThrottle,
  problemColumn,
  progressFraction,
  progressText,
  rateText,
  reportTiles,
  stepAfterCheck,
  stepForJob,
  unmappedRequired,
  withColumnField,
} from "./bulk";

function report(overrides: Partial<BulkCheckReport> = {}): BulkCheckReport {
  return {
    file_name: "deals.csv",
    profile: null,
    sha256: "ab".repeat(32),
    encoding: "UTF-8",
    encoding_certain: true,
    delimiter: ";",
    columns: [
      { header: "Deal ID", field: "invoice_key" },
      { header: "Name", field: "customer_name" },
      { header: "E-Mail", field: "email" },
      { header: "Item", field: "description" },
      { header: "Qty", field: "quantity" },
      { header: "Price", field: "unit_price" },
      { header: "Notes", field: null },
    ],
    decimal_separator: ",",
    thousands_separator: ".",
    date_style: "day_month_year",
    needs_confirmation: [],
    mapping_problems: [],
    preview: [["D-1", "Jörg", "j@x.example", "Beratung", "1", "1.249,50", ""]],
    rows: 3,
    invoices: 2,
    refused_invoices: 1,
    needs_approval: 0,
    new_customers: 2,
    totals: [{ currency: "EUR", invoices: 2, total: "2499.00" }],
    problems: [{ line: 4, column: "E-Mail", field: "email", value: "nope", reason: "is not an email address" }],
    ...overrides,
  };
}

const ZERO: BulkCountsView = {
  rows: 0,
  invoices: 0,
  created: 0,
  issued: 0,
  awaiting_approval: 0,
  queued_for_sending: 0,
  sent: 0,
  invalid: 0,
  already_invoiced: 0,
  failed: 0,
  pending: 0,
  row_errors: 0,
};

function job(overrides: Partial<BulkJobView> = {}, counts: Partial<BulkCountsView> = {}): BulkJobView {
  return {
    id: 7,
    file_name: "deals.csv",
    file_sha256: "ab".repeat(32),
    status: "running",
    dry_run: false,
    throttle_per_minute: null,
    started_by: "ada@acme.example",
    started_at: "2026-03-01T09:00:00Z",
    finished_at: null,
    counts: { ...ZERO, ...counts },
    handled: 0,
    rate_per_minute: null,
    eta_seconds: null,
    can_resume: false,
    can_cancel: true,
    ...overrides,
  };
}

describe("the mapping fields", () => {
  it("lists the domain's 23 fields with its six required ones", () => {
    expect(BULK_FIELDS).toHaveLength(23);
    expect(BULK_FIELDS.filter((f) => f.required).map((f) => f.name)).toEqual([
      "invoice_key",
      "customer_name",
      "email",
      "description",
      "quantity",
      "unit_price",
    ]);
  });

  it("changes one column's field and leaves the given columns untouched", () => {
    const columns = report().columns;
    const next = withColumnField(columns, 6, "po_number");
    expect(next[6]).toEqual({ header: "Notes", field: "po_number" });
    expect(columns[6]?.field).toBeNull();
    expect(withColumnField(next, 0, null)[0]?.field).toBeNull();
  });

  it("names required fields left unmapped and fields two columns claim", () => {
    const columns = withColumnField(report().columns, 2, "customer_name");
    expect(unmappedRequired(columns).map((f) => f.name)).toEqual(["email"]);
    expect(claimedTwice(columns)).toEqual(["customer_name"]);
    expect(unmappedRequired(report().columns)).toEqual([]);
  });
});

describe("number and date styles", () => {
  it("shows a number style as 1249.50 written in it", () => {
    expect(numberExample({ decimal: ",", thousands: "." })).toBe("1.249,50");
    expect(numberExample({ decimal: ".", thousands: "," })).toBe("1,249.50");
    expect(numberExample({ decimal: ".", thousands: "" })).toBe("1249.50");
  });

  it("round-trips a style through its select key, a space separator included", () => {
    const style = { decimal: ",", thousands: " " };
    expect(parseNumberStyleKey(numberStyleKey(style))).toEqual(style);
    expect(parseNumberStyleKey("")).toBeNull();
  });
});

describe("checking a file with the person's choices", () => {
  it("sends only what the person chose; the rest is left to the file", () => {
    expect(checkInput("/tmp/d.csv", NO_CHOICES)).toEqual({
      path: "/tmp/d.csv",
      encoding: null,
      delimiter: null,
      columns: null,
      decimal_separator: null,
      thousands_separator: null,
      date_style: null,
      profile: null,
      save_profile_as: null,
    });
    const input = checkInput(
      "/tmp/d.csv",
      { ...NO_CHOICES, numbers: { decimal: ",", thousands: "" }, dateStyle: "month_day_year" },
      "HubSpot",
    );
    expect(input.decimal_separator).toBe(",");
    expect(input.thousands_separator).toBe("");
    expect(input.date_style).toBe("month_day_year");
    expect(input.save_profile_as).toBe("HubSpot");
  });

  it("confirms exactly what the report settled, the person's own choices winning", () => {
    const settled = confirmedChoices(report(), { ...NO_CHOICES, dateStyle: "month_day_year", profile: "P" });
    expect(settled.encoding).toBe("UTF-8");
    expect(settled.delimiter).toBe(";");
    expect(settled.columns).toEqual(report().columns);
    expect(settled.numbers).toEqual({ decimal: ",", thousands: "." });
    expect(settled.dateStyle).toBe("month_day_year");
    expect(settled.profile).toBe("P");
    // A style the file left open stays open until the person picks it.
    expect(confirmedChoices(report({ decimal_separator: null }), NO_CHOICES).numbers).toBeNull();
  });

  it("asks for a date style when every day is 12 or less, and lets the person go on once chosen", () => {
    const open = report({ needs_confirmation: ["dates"], date_style: null, rows: 0 });
    expect(canConfirm(open, NO_CHOICES)).toBe(false);
    expect(openQuestions(open, NO_CHOICES)).toEqual([
      "Choose how the file writes dates: every day in it is 12 or less, so both orders fit.",
    ]);
    const chosen = { ...NO_CHOICES, dateStyle: "day_month_year" };
    expect(canConfirm(open, chosen)).toBe(true);
    expect(openQuestions(open, chosen)).toEqual([]);
  });

  it("names the guessed encoding to confirm, and refuses to go on with mapping problems", () => {
    const guessed = report({ encoding: "windows-1252", encoding_certain: false, needs_confirmation: ["encoding"] });
    expect(openQuestions(guessed, NO_CHOICES)[0]).toContain("windows-1252");
    expect(canConfirm(guessed, NO_CHOICES)).toBe(true);
    const unmapped = report({
      needs_confirmation: ["mapping"],
      mapping_problems: ["email is not filled by any column"],
    });
    expect(canConfirm(unmapped, NO_CHOICES)).toBe(false);
  });

  it("goes to validation only once nothing is left to confirm", () => {
    expect(stepAfterCheck(report({ needs_confirmation: ["numbers"] }))).toBe("mapping");
    expect(stepAfterCheck(report())).toBe("validation");
  });
});

describe("a running job", () => {
  it("shows progress, rate and time left", () => {
    const running = job({ handled: 1650, rate_per_minute: 1200, eta_seconds: 83 }, { invoices: 3300 });
    expect(progressFraction(running)).toBe(0.5);
    expect(progressText(running, "en-US")).toBe("1,650 of 3,300 invoices");
    expect(rateText(running.rate_per_minute, "en-US")).toBe("1,200 invoices/min");
    expect(etaText(running.eta_seconds)).toBe("1 min 23 s");
    expect(etaText(45)).toBe("45 s");
    expect(etaText(3 * 3600 + 65)).toBe("3 h 01 min");
    expect(etaText(null)).toBe("—");
    expect(rateText(null)).toBe("—");
  });

  it("keeps the bar within 0 and 1, full for a finished job of nothing", () => {
    expect(progressFraction(job({ handled: 5 }, { invoices: 4 }))).toBe(1);
    expect(progressFraction(job({ status: "finished" }))).toBe(1);
    expect(progressFraction(job())).toBe(0);
  });

  it("is followed while it can change, and reported once it cannot", () => {
    expect(isJobLive("running")).toBe(true);
    expect(stepForJob(job())).toBe("run");
    for (const status of ["finished", "cancelled", "interrupted"]) {
      expect(stepForJob(job({ status }))).toBe("report");
    }
  });
});

describe("the final report", () => {
  it("counts every invoice made, and each figure filters the table by its state", () => {
    const counts = {
      ...ZERO,
      invoices: 10,
      queued_for_sending: 5,
      sent: 4,
      awaiting_approval: 2,
      invalid: 1,
      already_invoiced: 2,
    };
    expect(createdCount(counts)).toBe(7);
    const tiles = reportTiles(counts);
    const byKey = Object.fromEntries(tiles.map((t) => [t.key, t]));
    expect(byKey.created?.count).toBe(7);
    expect(byKey.sent).toMatchObject({ count: 4, status: "queued_for_sending" });
    expect(byKey.approval).toMatchObject({ count: 2, status: "awaiting_approval" });
    expect(byKey.invalid).toMatchObject({ count: 1, status: "invalid" });
    expect(byKey.already?.status).toBe("skipped_already_invoiced");
    expect(byKey.failed?.count).toBe(0);
    // Nothing pending, no drafts: not shown.
    expect(byKey.pending).toBeUndefined();
    expect(byKey.drafts).toBeUndefined();
  });
});

describe("a problem's column", () => {
  it("is its own column, else the column filling its field, else the field's label", () => {
    const columns = report().columns;
    expect(problemColumn({ column: "Qty", field: "quantity" }, columns)).toBe("Qty");
    expect(problemColumn({ column: null, field: "email" }, columns)).toBe("E-Mail");
    expect(problemColumn({ column: null, field: "email" })).toBe("Email");
    expect(problemColumn({ column: null, field: "row" }, columns)).toBe("row");
  });
});

describe("where a refused check's details are shown", () => {
  it("places the mapping's own fields at their controls, and nothing else", () => {
    expect(isMappingField("encoding")).toBe(true);
    expect(isMappingField("date_style")).toBe(true);
    expect(isMappingField("columns[12].field")).toBe(true);
    expect(isMappingField("save_profile_as")).toBe(true);
    expect(isMappingField("columns[x].field")).toBe(false);
    expect(isMappingField("path")).toBe(false);
  });
});

describe("the throttle field", () => {
  it("takes empty as no limit and a whole number as emails per minute", () => {
    expect(parseThrottle("")).toEqual({ ok: true, value: null });
    expect(parseThrottle(" 60 ")).toEqual({ ok: true, value: 60 });
    expect(parseThrottle("0").ok).toBe(false);
    expect(parseThrottle("1.5").ok).toBe(false);
    expect(parseThrottle("ten").ok).toBe(false);
  });
});
