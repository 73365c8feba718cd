// Protects unsaved work: a screen with edits registers a check, and every way of leaving it
// (navigation, sign-out, choosing another template) asks first through `leaveGuard.attempt`.
// The question is the app's own dialog: a native `confirm()` is not reliable in every webview.

let hasUnsavedChanges: (() => boolean) | null = null;
let pending = $state<(() => void) | null>(null);

export const leaveGuard = {
  /** Registers the current editor's check; the returned function unregisters it. */
  protect(check: () => boolean): () => void {
    hasUnsavedChanges = check;
    return () => {
      if (hasUnsavedChanges === check) hasUnsavedChanges = null;
    };
  },
  /** Runs `proceed` now, or after the person agrees to discard their changes. */
  attempt(proceed: () => void) {
    if (hasUnsavedChanges?.()) pending = proceed;
    else proceed();
  },
  /** Whether the "discard changes?" question is showing. */
  get asking(): boolean {
    return pending !== null;
  },
  /** Goes ahead; an editor that is left unregisters itself, one that stays keeps guarding. */
  discard() {
    const proceed = pending;
    pending = null;
    proceed?.();
  },
  stay() {
    pending = null;
  },
};
