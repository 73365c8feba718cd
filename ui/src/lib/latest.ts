// Debounced requests where only the newest answer counts: a live preview must never be replaced
// by the answer to an older edit that happened to arrive later.
import { debounce } from "./debounce";

export type LatestHandlers<R> = {
  onResult: (result: R) => void;
  onError: (reason: unknown) => void;
  /** true while the newest request is waiting or running, false once it has been answered. */
  onBusy?: (busy: boolean) => void;
};

export type LatestRequests<I> = {
  /** Asks again with this input once the edits have paused. */
  request(input: I): void;
  /** Sends a waiting request now. */
  flush(): void;
  /** Forgets waiting and running requests; answers still on their way are dropped. */
  cancel(): void;
};

export function latestRequests<I, R>(
  load: (input: I) => Promise<R>,
  waitMs: number,
  handlers: LatestHandlers<R>,
): LatestRequests<I> {
  let newest = 0;

  const run = debounce((input: I) => {
    const ticket = ++newest;
    load(input).then(
      (result) => {
        if (ticket !== newest) return;
        handlers.onResult(result);
        handlers.onBusy?.(false);
      },
      (reason: unknown) => {
        if (ticket !== newest) return;
        handlers.onError(reason);
        handlers.onBusy?.(false);
      },
    );
  }, waitMs);

  return {
    request(input) {
      // A newer edit makes any answer on its way stale already, before the wait is over.
      newest++;
      handlers.onBusy?.(true);
      run(input);
    },
    flush: () => run.flush(),
    cancel() {
      run.cancel();
      newest++;
      handlers.onBusy?.(false);
    },
  };
}
