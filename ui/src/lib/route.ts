import type { DeliveryStatus } from "./bindings/DeliveryStatus";
import type { DisplayStatus } from "./bindings/DisplayStatus";
import type { ExceptionKind } from "./bindings/ExceptionKind";
import type { DueWindow } from "./due-overdue";

/** The reports the Reports screen has a tab for (DSO is shown on the Collection tab). */
export type ReportTab = "aging" | "collection" | "automation" | "forecast" | "exceptions";

// Where the signed-in app is; App.svelte switches screens on this instead of a URL router.
// The optional parameters let the dashboard's numbers open the filtered list behind them.
export type Route =
  | { name: "dashboard" }
  // `status` and `currency` open the list filtered to them (a currency's overdue total opens
  // "overdue" in that currency).
  | { name: "invoices"; status?: DisplayStatus; currency?: string }
  | { name: "invoice"; id: number }
  | { name: "new-invoice" }
  | { name: "edit-invoice"; id: number }
  // `needsAPerson` and `status` open the list filtered (failed or unknown deliveries).
  | { name: "deliveries"; needsAPerson?: boolean; status?: DeliveryStatus }
  // `window` and `currency` open the view filtered (the dashboard's outstanding total);
  // `disputeWithinDays` keeps the invoices whose open dispute's window ends within that many days.
  | { name: "due"; window?: DueWindow; currency?: string; disputeWithinDays?: number }
  // `pick` opens the file picker at once ("Bulk send…"); `job` opens a job's report.
  | { name: "bulk"; pick?: boolean; job?: number }
  | { name: "customers" }
  | { name: "templates" }
  | { name: "approvals" }
  | { name: "reconciliation" }
  | { name: "triggers" }
  // `kind` opens one report's tab; `exception` narrows the Exceptions tab to one kind.
  | { name: "reports"; kind?: ReportTab; exception?: ExceptionKind }
  | { name: "settings" };
