import { type RunEvent, toWireEvent } from 'fusync';

/**
 * Reads a run's event record: a JSON array of events, or an object with an
 * `events` array (what the studio's "Save events" writes, with
 * `"simulated": true` for a simulation). Returns undefined
 * when the value is not one, so the caller can try it as a sequence.
 */
export function readRunEvents(value: unknown): RunEvent[] | undefined {
  const list = Array.isArray(value)
    ? value
    : typeof value === 'object' &&
        value !== null &&
        !('format' in value) &&
        Array.isArray((value as { events?: unknown }).events)
      ? (value as { events: unknown[] }).events
      : undefined;
  if (!list || list.length === 0) return undefined;
  const first = list[0] as Partial<RunEvent> | null;
  if (first?.type !== 'run:started') return undefined;
  const valid = list.every(
    (event: unknown) =>
      typeof event === 'object' &&
      event !== null &&
      typeof (event as RunEvent).type === 'string' &&
      typeof (event as RunEvent).seq === 'number' &&
      typeof (event as RunEvent).time === 'number' &&
      typeof (event as RunEvent).runId === 'string',
  );
  return valid ? (list as RunEvent[]) : undefined;
}

/** The `worker` the engine's `simulate` gives every attempt. */
const SIMULATION_WORKER = 'simulation';

/**
 * Whether a saved record is a simulation's: the file says so (`"simulated":
 * true`, what _Save events_ writes for one), or its attempts ran on the
 * engine's simulation worker (files saved before the flag existed).
 */
export function isSimulatedRun(value: unknown, events: readonly RunEvent[]): boolean {
  if (
    typeof value === 'object' &&
    value !== null &&
    (value as { simulated?: unknown }).simulated === true
  )
    return true;
  return events.some(
    (event) => event.type === 'layer:started' && event.worker === SIMULATION_WORKER,
  );
}

/**
 * The text a run's events are saved as. A browser run's events hold the
 * argument values themselves: they are written as the server would send
 * them (the engine's `toWireEvent`), so a function, a cycle or a huge value
 * becomes a readable marker instead of breaking or bloating the file.
 */
export function runEventsText(
  events: readonly RunEvent[],
  options: { simulated?: boolean } = {},
): string {
  const body = options.simulated
    ? { simulated: true, events: events.map(toWireEvent) }
    : { events: events.map(toWireEvent) };
  return `${JSON.stringify(body, null, 1)}\n`;
}
