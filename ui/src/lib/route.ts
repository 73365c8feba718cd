// Where the signed-in app is; App.svelte switches screens on this instead of a URL router.
export type Route =
  | { name: "invoices" }
  | { name: "invoice"; id: number }
  | { name: "new-invoice" }
  | { name: "edit-invoice"; id: number }
  | { name: "deliveries" }
  | { name: "due" }
  // `pick` opens the file picker at once ("Bulk send…"); `job` opens a job's report.
  | { name: "bulk"; pick?: boolean; job?: number }
  | { name: "customers" }
  | { name: "templates" }
  | { name: "approvals" }
  | { name: "reconciliation" }
  | { name: "triggers" }
  | { name: "settings" };
