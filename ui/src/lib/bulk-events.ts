// Following bulk jobs through the backend's events, never by polling: a `bulk_job_changed` event
// (a status change, or the counts a few times a second), the `bulk_send` job's progress events and
// the outbox's delivery events each ask for a reload, and the asks are coalesced: the report is
// read at most once per wait, however fast a 10,000-row job reports, and once more after the last
// event. (A debounce would not do: events arriving ten times a second would hold every reload
// back until the job ended.)
import { subscribe } from "./events";

/** The name the bulk job's progress events carry (`JobProgress.job`). */
export const BULK_SEND_JOB = "bulk_send";

/** The least time between two reads of a followed job. */
export const BULK_RELOAD_WAIT_MS = 250;

/**
 * Calls `reload` after events about bulk jobs: about the job `jobId()` names, or about any job when
 * it names none (the Past jobs list). A status change is read at once; progress at most once per
 * `waitMs`. Returns the function that stops following.
 */
export function followBulkJobs(
  jobId: () => number | null,
  reload: () => void,
  waitMs: number = BULK_RELOAD_WAIT_MS,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastStatus = new Map<number, string>();

  const later = () => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      reload();
    }, waitMs);
  };
  const now = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    reload();
  };

  const stop = subscribe({
    bulk_job_changed: (event) => {
      const id = jobId();
      if (id !== null && event.job_id !== id) return;
      const before = lastStatus.get(event.job_id);
      lastStatus.set(event.job_id, event.status);
      // A job that finished, was cancelled or was interrupted is shown at once.
      if (before !== undefined && before !== event.status) now();
      else later();
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
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    lastStatus = new Map();
  };
}
