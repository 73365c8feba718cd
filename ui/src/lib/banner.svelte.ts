// The one message bar at the top of the main area: errors that belong to no single field, and
// short confirmations after an action.
import { errorMessage } from "./errors";

type Notice = { kind: "error" | "success"; text: string };

let notice = $state<Notice | null>(null);
let timer: ReturnType<typeof setTimeout> | undefined;

function show(next: Notice, hideAfterMs?: number) {
  if (timer !== undefined) clearTimeout(timer);
  timer = hideAfterMs === undefined ? undefined : setTimeout(() => (notice = null), hideAfterMs);
  notice = next;
}

export const banner = {
  get notice(): Notice | null {
    return notice;
  },
  /** Errors stay until dismissed: a person may need time to read them. */
  error(reason: unknown) {
    show({ kind: "error", text: errorMessage(reason) });
  },
  success(text: string) {
    show({ kind: "success", text }, 4000);
  },
  clear() {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    notice = null;
  },
};
