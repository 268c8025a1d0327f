/** The run that Cancel stops: one at a time. */
let cancelActive: (() => void) | undefined;

export function setActiveRun(cancel: (() => void) | undefined): void {
  cancelActive = cancel;
}

/** Stops the run in progress, whichever backend runs it. */
export function cancelActiveRun(): void {
  const cancel = cancelActive;
  cancelActive = undefined;
  cancel?.();
}
