// Where the signed-in app is; App.svelte switches screens on this instead of a URL router.
export type Route =
  | { name: "invoices" }
  | { name: "invoice"; id: number }
  | { name: "new-invoice" }
  | { name: "edit-invoice"; id: number }
  | { name: "deliveries" }
  | { name: "customers" }
  | { name: "templates" }
  | { name: "settings" };
