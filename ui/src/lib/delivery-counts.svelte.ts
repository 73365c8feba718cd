// The sidebar's count of deliveries that need a person (failed or of unknown outcome): read once at
// sign-in from `deliveries()`'s counts, then kept current by the backend's `delivery_counts`
// events, never by polling.
import * as api from "./api";
import { needsAPersonCount } from "./deliveries";
import { subscribe } from "./events";

type Counts = { failed: number; unknown: number };

let counts = $state<Counts>({ failed: 0, unknown: 0 });
// Bumped by every event and reset: an answer to a read sent before them is older than what they
// said, so it is dropped.
let generation = 0;

function set(next: Counts) {
  generation++;
  counts = { failed: next.failed, unknown: next.unknown };
}

export const deliveryCounts = {
  get failed(): number {
    return counts.failed;
  },
  get unknown(): number {
    return counts.unknown;
  },
  /** What the badge shows; 0 hides it. */
  get needsAPerson(): number {
    return needsAPersonCount(counts);
  },
  set,
  /** Reads the counts; a failure leaves the badge as it was (the Deliveries screen says more). */
  async load(): Promise<void> {
    const asked = ++generation;
    try {
      // One row is enough: the counts cover every delivery whatever the filter.
      const list = await api.deliveries({ needs_a_person: true, limit: 1 });
      if (asked === generation) counts = { failed: list.failed, unknown: list.unknown };
    } catch {
      // Nothing to show; the next `delivery_counts` event brings the numbers.
    }
  },
  /** Follows the backend's `delivery_counts` events; returns the function that stops. */
  follow(): () => void {
    return subscribe({ delivery_counts: (event) => set(event) });
  },
  /** Forgets the counts (at sign-out). */
  reset() {
    set({ failed: 0, unknown: 0 });
  },
};
