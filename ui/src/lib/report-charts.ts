// What the charts draw, built from a report's rows. Amounts arrive as exact decimal text; a chart
// needs numbers to place its bars, so they are converted here for drawing only. Every figure a
// person reads (the tables, the labels, the tooltips' text) is the backend's text, formatted by
// money.ts, never one of these numbers.
import type { AgingReport } from "./bindings/AgingReport";
import type { AutomationReport } from "./bindings/AutomationReport";
import type { CollectionReport } from "./bindings/CollectionReport";
import type { ExceptionCount } from "./bindings/ExceptionCount";
import type { ForecastWeek } from "./bindings/ForecastWeek";
import { displayLocale } from "./locale";
import { EXCEPTION_LABELS } from "./reports";

/** One bar (or group of bars) of a chart: its label and one height per series. */
export type ChartRow = { label: string } & Record<string, number | string>;

/** A series of a chart: the row key it reads, its name in the legend, and its fill. */
export type ChartSeries = { key: string; label: string; color: string };

/** A chart for one currency (amounts of different currencies never share an axis). */
export type CurrencyChart = { currency: string; rows: ChartRow[] };

// Fills that stay apart in greyscale too (print, colour blindness): dark, mid and light.
export const SERIES_COLORS = ["#2c5fcb", "#8fa9e0", "#1d2430", "#c4cad2"] as const;

/** Decimal text → a number to draw with. Never used for a figure shown or summed. */
export function drawable(text: string | null | undefined): number {
  const value = Number(text ?? "");
  return Number.isFinite(value) ? value : 0;
}

/** The currencies of `items` in the order they first appear, each with its items. */
export function byCurrency<T extends { currency: string }>(items: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.currency);
    if (group) group.push(item);
    else groups.set(item.currency, [item]);
  }
  return groups;
}

/** The aging totals: one chart per currency, one bar per bucket. */
export function agingCharts(report: Pick<AgingReport, "buckets" | "totals">): CurrencyChart[] {
  return report.totals.map((total) => ({
    currency: total.currency,
    rows: report.buckets.map((bucket, i) => ({ label: bucket.label, amount: drawable(total.buckets[i]) })),
  }));
}

export const AGING_SERIES: ChartSeries[] = [{ key: "amount", label: "Open balance", color: SERIES_COLORS[0] }];

/** Invoiced beside collected, per period, one chart per currency. */
export function collectionCharts(report: Pick<CollectionReport, "periods">): CurrencyChart[] {
  return [...byCurrency(report.periods)].map(([currency, periods]) => ({
    currency,
    rows: periods.map((p) => ({ label: p.label, invoiced: drawable(p.invoiced), collected: drawable(p.collected) })),
  }));
}

export const COLLECTION_SERIES: ChartSeries[] = [
  { key: "invoiced", label: "Invoiced", color: SERIES_COLORS[1] },
  { key: "collected", label: "Collected", color: SERIES_COLORS[0] },
];

/** "2026-11-23" → "Nov 23": a week's label under its bar, short enough for 13 bars side by side. */
export function weekLabel(isoDate: string, locale: string = displayLocale): string {
  const [year, month, day] = isoDate.split("-").map(Number);
  if (!year || !month || !day) return isoDate;
  const format = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" });
  return format.format(new Date(Date.UTC(year, month - 1, day)));
}

/**
 * Expected receipts per week, one chart per currency; each bar stacks what is already overdue
 * under what falls due in the week.
 */
export function forecastCharts(weeks: readonly ForecastWeek[], locale?: string): CurrencyChart[] {
  return [...byCurrency(weeks)].map(([currency, rows]) => ({
    currency,
    rows: rows.map((w) => {
      const overdue = drawable(w.from_overdue);
      return { label: weekLabel(w.week_start, locale), overdue, due: Math.max(0, drawable(w.expected) - overdue) };
    }),
  }));
}

export const FORECAST_SERIES: ChartSeries[] = [
  { key: "due", label: "Falling due", color: SERIES_COLORS[0] },
  { key: "overdue", label: "Already overdue", color: SERIES_COLORS[2] },
];

const ORIGIN_LABELS: Record<string, string> = {
  manual: "Manual",
  bulk: "Bulk",
  recurring: "Schedule",
  schedule: "Schedule",
  api: "API event",
  threshold: "Threshold",
};

/** An origin's name as the screen writes it ("recurring" → "Schedule"). */
export function originLabel(source: string): string {
  return ORIGIN_LABELS[source] ?? source;
}

/** Invoices by how they were made. */
export function originChart(report: Pick<AutomationReport, "by_origin">): ChartRow[] {
  return report.by_origin.map((o) => ({ label: originLabel(o.source), invoices: o.invoices }));
}

export const ORIGIN_SERIES: ChartSeries[] = [{ key: "invoices", label: "Invoices", color: SERIES_COLORS[0] }];

/** Reminders sent per step beside those paid within N days after. */
export function reminderStepChart(report: Pick<AutomationReport, "reminder_steps">): ChartRow[] {
  return report.reminder_steps.map((s) => ({ label: `Step ${s.step}`, sent: s.sent, paid: s.paid_within }));
}

export function reminderStepSeries(paidWithinDays: number): ChartSeries[] {
  return [
    { key: "sent", label: "Sent", color: SERIES_COLORS[1] },
    { key: "paid", label: `Paid within ${paidWithinDays} days`, color: SERIES_COLORS[0] },
  ];
}

/** How many exceptions of each kind, every kind listed. */
export function exceptionChart(counts: readonly ExceptionCount[]): ChartRow[] {
  return counts.map((c) => ({ label: EXCEPTION_LABELS[c.kind], count: c.count }));
}

export const EXCEPTION_SERIES: ChartSeries[] = [{ key: "count", label: "Open", color: SERIES_COLORS[0] }];
