import { describe, expect, it } from "vitest";
import type { AgingReport } from "./bindings/AgingReport";
import type { ForecastWeek } from "./bindings/ForecastWeek";
import {
  agingCharts,
  collectionCharts,
  drawable,
  exceptionChart,
  forecastCharts,
  originChart,
  reminderStepChart,
} from "./report-charts";

const aging: AgingReport = {
  as_of: "2026-11-26",
  buckets: [
    { label: "Current", from_days: null, to_days: null },
    { label: "1–30", from_days: 1, to_days: 30 },
    { label: "31+", from_days: 31, to_days: null },
  ],
  totals: [
    {
      customer_id: null,
      customer_name: null,
      currency: "USD",
      buckets: ["100.00", "250.50", "0.00"],
      total: "350.50",
      invoice_count: 3,
    },
    {
      customer_id: null,
      customer_name: null,
      currency: "EUR",
      buckets: ["0.00", "0.00", "80.00"],
      total: "80.00",
      invoice_count: 1,
    },
  ],
  customers: [],
};

describe("chart series from a report", () => {
  it("draws the aging totals as one chart per currency, one bar per bucket in order", () => {
    expect(agingCharts(aging)).toEqual([
      {
        currency: "USD",
        rows: [
          { label: "Current", amount: 100 },
          { label: "1–30", amount: 250.5 },
          { label: "31+", amount: 0 },
        ],
      },
      {
        currency: "EUR",
        rows: [
          { label: "Current", amount: 0 },
          { label: "1–30", amount: 0 },
          { label: "31+", amount: 80 },
        ],
      },
    ]);
  });

  it("puts invoiced beside collected per period, never two currencies on one axis", () => {
    const period = (label: string, currency: string, invoiced: string, collected: string) => ({
      period_start: "2026-10-01",
      period_end: "2026-10-31",
      label,
      currency,
      invoiced,
      collected,
      collection_rate: null,
    });
    const charts = collectionCharts({
      periods: [
        period("2026-10", "USD", "1000.00", "400.00"),
        period("2026-10", "EUR", "50.00", "0"),
        period("2026-11", "USD", "0", "600.00"),
      ],
    });
    expect(charts.map((c) => c.currency)).toEqual(["USD", "EUR"]);
    expect(charts[0]?.rows).toEqual([
      { label: "2026-10", invoiced: 1000, collected: 400 },
      { label: "2026-11", invoiced: 0, collected: 600 },
    ]);
  });

  it("stacks what is already overdue under what falls due in each forecast week", () => {
    const week: ForecastWeek = {
      week_start: "2026-11-30",
      week_end: "2026-12-06",
      currency: "USD",
      expected: "500.00",
      from_overdue: "120.00",
      invoice_count: 4,
    };
    expect(forecastCharts([week], "en-US")).toEqual([
      { currency: "USD", rows: [{ label: "Nov 30", overdue: 120, due: 380 }] },
    ]);
  });

  it("counts invoices by origin and reminders per step", () => {
    expect(
      originChart({
        by_origin: [
          { source: "recurring", invoices: 4, share: "80.0", median_minutes_to_sent: null, p90_minutes_to_sent: null },
          { source: "api", invoices: 1, share: "20.0", median_minutes_to_sent: null, p90_minutes_to_sent: null },
        ],
      }),
    ).toEqual([
      { label: "Schedule", invoices: 4 },
      { label: "API event", invoices: 1 },
    ]);
    expect(
      reminderStepChart({ reminder_steps: [{ step: 1, sent: 10, paid_within: 4, paid_within_share: "40.0" }] }),
    ).toEqual([{ label: "Step 1", sent: 10, paid: 4 }]);
  });

  it("lists every exception kind with its count", () => {
    expect(
      exceptionChart([
        { kind: "failed_delivery", count: 2 },
        { kind: "stale_customer", count: 0 },
      ]),
    ).toEqual([
      { label: "Failed deliveries", count: 2 },
      { label: "Customers with stale data", count: 0 },
    ]);
  });

  it("draws text that is not a number as nothing rather than failing", () => {
    expect(drawable("n/a")).toBe(0);
    expect(drawable(null)).toBe(0);
    expect(drawable("-12.30")).toBe(-12.3);
  });
});
