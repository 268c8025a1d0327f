/**
 * Shared tools of the engine's tests: driving a run on a `VirtualClock`,
 * collecting its events, and reading facts out of the event record.
 */
import { setImmediate as nextMacrotask, setTimeout as realDelay } from 'node:timers/promises';
import type { Logger, RunEvent, RunEventType, VirtualClock } from '../src/index.js';

/** Lets every queued microtask (and the promise chains they start) run. */
export async function flushMicrotasks(): Promise<void> {
  await nextMacrotask();
}

/**
 * Resolves `promise` while moving `clock` forward one timer at a time,
 * letting the microtasks each timer starts settle before the next fires.
 * Fails when nothing is left to fire and the promise is still pending after
 * a second of real time — the time a run may take to load a part it loads on
 * demand (a dynamic import) before it starts.
 */
export async function settleOnClock<T>(clock: VirtualClock, promise: Promise<T>): Promise<T> {
  let done = false;
  const watched = promise.finally(() => {
    done = true;
  });
  watched.catch(() => {});
  for (;;) {
    await flushMicrotasks();
    if (done) return watched;
    if (!clock.step()) {
      for (let waited = 0; !done && clock.pending === 0 && waited < 100; waited++)
        await realDelay(10);
      if (done) return watched;
      if (clock.pending > 0) continue;
      throw new Error(
        'The run is waiting for something that never happens: no timer left to fire.',
      );
    }
  }
}

/** Moves `clock` to `time`, letting microtasks settle after every timer on the way. */
export async function advanceClockTo(clock: VirtualClock, time: number): Promise<void> {
  let reached = false;
  clock.setTimeout(
    () => {
      reached = true;
    },
    Math.max(0, time - clock.now()),
  );
  await flushMicrotasks();
  while (!reached && clock.step()) await flushMicrotasks();
}

/** A promise resolved after `ms` on `clock`. */
export function sleep(clock: VirtualClock, ms: number): Promise<void> {
  return new Promise((resolve) => {
    clock.setTimeout(resolve, ms);
  });
}

/** A promise that rejects with the signal's reason when it aborts, and never settles otherwise. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** The events of one type, in record order. */
export function eventsOfType<T extends RunEventType>(
  events: readonly RunEvent[],
  type: T,
): Extract<RunEvent, { type: T }>[] {
  return events.filter((event): event is Extract<RunEvent, { type: T }> => event.type === type);
}

/** The names of the layers in the order their first attempt started. */
export function startOrder(events: readonly RunEvent[]): string[] {
  return eventsOfType(events, 'layer:started')
    .filter((event) => event.attempt === 1)
    .map((event) => event.layer);
}

/** The position in the record of the first event matching `type` and `layer`. */
export function seqOf(events: readonly RunEvent[], type: RunEventType, layer: string): number {
  const found = events.find(
    (event) => event.type === type && 'layer' in event && event.layer === layer,
  );
  if (!found) throw new Error(`No ${type} event for layer ${layer}`);
  return found.seq;
}

/** The largest number of layers running at once, replayed from the record. */
export function maxRunning(events: readonly RunEvent[]): number {
  let running = 0;
  let max = 0;
  for (const event of events) {
    if (event.type === 'layer:started') running++;
    if (
      event.type === 'layer:succeeded' ||
      event.type === 'layer:failed' ||
      event.type === 'layer:retrying'
    ) {
      running--;
    }
    max = Math.max(max, running);
  }
  return max;
}

/** The error `action` throws; fails the test when it throws nothing. */
export function catchError(action: () => unknown): Error & { code?: string; path?: string } {
  try {
    action();
  } catch (error) {
    return error as Error & { code?: string; path?: string };
  }
  throw new Error('expected the action to throw');
}

/** The reason `promise` rejects with; fails the test when it resolves. */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<Error & { code?: string; path?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; path?: string };
  }
  throw new Error('expected the promise to reject');
}

/** One line a `recordingLogger` received. */
export interface LoggedLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown> | undefined;
}

/** A `Logger` that keeps every line it is given, in order. */
export function recordingLogger(): { logger: Logger; lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const at =
    (level: LoggedLine['level']) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, fields });
    };
  return { logger: { info: at('info'), warn: at('warn'), error: at('error') }, lines };
}
