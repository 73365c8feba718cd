// The sidebar's count of invoices waiting for the signed-in approver (`approvals_waiting`): read at
// sign-in, then read again whenever the backend says an approval was requested or decided, or an
// invoice changed while some wait (an edit sends a pending invoice back to draft); never by polling.
import * as api from "./api";
import { subscribe } from "./events";

let count = $state(0);
// Bumped by every read and reset, so an older answer arriving late never overwrites a newer one.
let generation = 0;

export const approvalsWaiting = {
  /** What the badge shows; 0 hides it. */
  get count(): number {
    return count;
  },
  /** Reads the count; a failure leaves the badge as it was (the next event reads it again). */
  async load(): Promise<void> {
    const asked = ++generation;
    try {
      const waiting = await api.approvalsWaiting();
      if (asked === generation) count = waiting;
    } catch {
      // Nothing to show; the Approvals screen says more.
    }
  },
  /** Follows the events that change the count; returns the function that stops. */
  follow(): () => void {
    const reload = () => void approvalsWaiting.load();
    return subscribe({
      approval_requested: reload,
      approval_decided: reload,
      // A change can only take an invoice out of the queue (an edit sends it back to draft; a
      // submission comes as approval_requested), so with nothing waiting there is nothing to read.
      invoice_changed: () => {
        if (count > 0) reload();
      },
    });
  },
  /** Forgets the count (at sign-out). */
  reset() {
    generation++;
    count = 0;
  },
};
