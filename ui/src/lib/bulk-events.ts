// Following bulk jobs through the backend's events, never by polling: a `bulk_job_changed` event
// (a status change, or the counts a few times a second), the `bulk_send` job's progress events and
// the outbox's delivery events each ask for one reload, and a burst of them is read once after a short pause. The page asks
// for a page of the report at most a few times a second however fast a 10,000-row job runs.
import { debounce } from "./debounce";
import { subscribe } from "./events";

/** The name the bulk job's progress events carry (`JobProgress.job`). */
export const BULK_SEND_JOB = "bulk_send";

/** How long a burst of events may last before the report is read again. */
export const BULK_RELOAD_WAIT_MS = 250;

/**
 * Calls `reload` after events about bulk jobs: about the job `jobId()` names, or about any job when
 * it names none (the Past jobs list). A status change is read at once; progress waits for a pause.
 * Returns the function that stops following.
 */
export function followBulkJobs(
  jobId: () => number | null,
  reload: () => void,
  waitMs: number = BULK_RELOAD_WAIT_MS,
): () => void {
  const later = debounce(reload, waitMs);
  let lastStatus = new Map<number, string>();
  const stop = subscribe({
    bulk_job_changed: (event) => {
      const id = jobId();
      if (id !== null && event.job_id !== id) return;
      const before = lastStatus.get(event.job_id);
      lastStatus.set(event.job_id, event.status);
      // A job that finished, was cancelled or was interrupted is shown at once, not after a pause.
      if (before !== undefined && before !== event.status) {
        later.cancel();
        reload();
      } else later();
    },
    job_progress: (event) => {
      if (event.job === BULK_SEND_JOB) later();
    },
    // A job's "sent" figure moves as the outbox sender delivers its emails, after the job itself
    // may have finished; the sender tells of each delivery, not of the job.
    delivery_changed: () => later(),
  });
  return () => {
    stop();
    later.cancel();
    lastStatus = new Map();
  };
}
