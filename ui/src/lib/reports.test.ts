import { describe, expect, it } from "vitest";
import {
  csvFileName,
  daysText,
  NO_REPORT_FILTERS,
  parseBucketBounds,
  rateText,
  refusedFilters,
  reportRequest,
  tabHasField,
  type ReportFilters,
} from "./reports";

const filters = (change: Partial<ReportFilters>): ReportFilters => ({ ...NO_REPORT_FILTERS, ...change });

describe("the request the filter bar stands for", () => {
  it("sends only what is set: an untouched aging tab asks for the company's defaults", () => {
    expect(reportRequest("aging", NO_REPORT_FILTERS)).toEqual({ ok: true, request: { kind: "aging", filter: {} } });
  });

  it("carries every shared filter, the currency in capitals", () => {
    const built = reportRequest(
      "aging",
      filters({ asOf: "2026-11-30", customerId: 7, currency: " eur ", template: "Standard", source: "bulk" }),
    );
    expect(built).toEqual({
      ok: true,
      request: {
        kind: "aging",
        filter: { as_of: "2026-11-30", customer_id: 7, currency: "EUR", template: "Standard", source: "bulk" },
      },
    });
  });

  it("turns the typed bucket bounds into the aging request's bounds", () => {
    const built = reportRequest("aging", filters({ bucketBounds: "15, 45 90" }));
    expect(built).toEqual({ ok: true, request: { kind: "aging", filter: {}, bucket_bounds: [15, 45, 90] } });
  });

  it("refuses bounds that do not go up, naming the field, and sends nothing", () => {
    expect(reportRequest("aging", filters({ bucketBounds: "30, 30" }))).toEqual({
      ok: false,
      problems: [{ field: "bucketBounds", message: "Bounds must go up: 30 comes after 30." }],
    });
    expect(parseBucketBounds("30, x")).toEqual({ ok: false, message: '"x" is not a number of days from 1 to 3650.' });
  });

  it("leaves out a field the tab does not show, so a hidden date never narrows a report", () => {
    const set = filters({ asOf: "2026-11-30", from: "2026-01-01", to: "2026-06-30" });
    expect(reportRequest("forecast", set)).toEqual({
      ok: true,
      request: { kind: "forecast", filter: { as_of: "2026-11-30" } },
    });
    expect(reportRequest("collection", set)).toEqual({
      ok: true,
      request: { kind: "collection", filter: { from: "2026-01-01", to: "2026-06-30" }, period: "month" },
    });
    expect(tabHasField("collection", "asOf")).toBe(false);
    expect(tabHasField("exceptions", "approvalDays")).toBe(true);
  });

  it("refuses a range that ends before it starts", () => {
    const built = reportRequest("automation", filters({ from: "2026-06-01", to: "2026-05-01" }));
    expect(built).toEqual({ ok: false, problems: [{ field: "to", message: "The range ends before it starts." }] });
  });

  it("sends each report's own options as whole numbers", () => {
    expect(reportRequest("automation", filters({ paidWithinDays: "14" }))).toEqual({
      ok: true,
      request: { kind: "automation", filter: {}, paid_within_days: 14 },
    });
    expect(reportRequest("forecast", filters({ weeks: "8" }))).toEqual({
      ok: true,
      request: { kind: "forecast", filter: {}, weeks: 8 },
    });
    expect(reportRequest("exceptions", filters({ approvalDays: "0", staleCustomerDays: "30" }))).toEqual({
      ok: true,
      request: { kind: "exceptions", filter: {}, approval_days: 0, stale_customer_days: 30 },
    });
    expect(reportRequest("collection", filters({ period: "quarter" }))).toEqual({
      ok: true,
      request: { kind: "collection", filter: {}, period: "quarter" },
    });
  });

  it("refuses a number of days that is not whole, with the value typed", () => {
    expect(reportRequest("automation", filters({ paidWithinDays: "7.5" }))).toEqual({
      ok: false,
      problems: [
        { field: "paidWithinDays", message: 'Paid within must be a whole number from 1 to 365; "7.5" is not.' },
      ],
    });
    expect(reportRequest("forecast", filters({ weeks: "0" })).ok).toBe(false);
  });

  it("suggests a file name with the report and its day", () => {
    expect(csvFileName("aging", "2026-11-26")).toBe("aging-2026-11-26.csv");
  });
});

describe("rates and day counts as the tables show them", () => {
  it("writes a rate in percent and a missing one as a dash, never as zero", () => {
    expect(rateText("87.5", "en-US")).toBe("87.5%");
    expect(rateText("1234.0", "en-US")).toBe("1,234.0%");
    expect(rateText(null)).toBe("—");
    expect(daysText("12.5", "en-US")).toBe("12.5 days");
    expect(daysText(null)).toBe("—");
  });
});

describe("a filter the backend refused", () => {
  it("is shown at its own field, whatever prefix the backend named it with", () => {
    const refusal = {
      code: "validation",
      message: "The report's filters are not valid.",
      details: [
        { field: "filter.from", message: "2026-13-01 is not a day." },
        { field: "bucket_bounds", message: "Bounds must go up." },
      ],
    };
    expect(refusedFilters(refusal)).toEqual({
      problems: [
        { field: "from", message: "2026-13-01 is not a day." },
        { field: "bucketBounds", message: "Bounds must go up." },
      ],
      unplaced: false,
    });
  });

  it("leaves a refusal with no field of the filter bar for the message bar", () => {
    expect(refusedFilters({ code: "forbidden", message: "No.", details: null })).toEqual({
      problems: [],
      unplaced: true,
    });
    expect(
      refusedFilters({ code: "validation", message: "No.", details: [{ field: "lines[0]", message: "?" }] }).unplaced,
    ).toBe(true);
  });
});
