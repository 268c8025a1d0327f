/** Where the run in progress runs. */
export type ActiveRunKind = 'browser' | 'server';

/** The run that Cancel stops: one at a time. */
let active: { cancel: () => void; kind: ActiveRunKind } | undefined;

export function setActiveRun(
  cancel: (() => void) | undefined,
  kind: ActiveRunKind = 'browser',
): void {
  active = cancel ? { cancel, kind } : undefined;
}

/** Where the run in progress runs, if one does. */
export function activeRunKind(): ActiveRunKind | undefined {
  return active?.kind;
}

/** Stops the run in progress, whichever backend runs it. */
export function cancelActiveRun(): void {
  const run = active;
  active = undefined;
  run?.cancel();
}
