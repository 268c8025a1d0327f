import { readFile } from 'node:fs/promises';
import type { RunEvent } from 'fusync';
import { eventToJson } from '../runs/run-view.js';
import { UsageError } from './usage-error.js';

/**
 * A run's events as a file: `{ "events": [...] }`, what the studio's _Save
 * events_ writes and opens. Each event is JSON-safe as the SSE stream sends
 * it (an attempt's arguments capped at `WIRE_VALUE_LIMIT`), so the studio
 * shows the run and `fusync run --rerun-from` reruns it.
 */
export function runEventsText(events: readonly RunEvent[]): string {
  return `{"events":[\n${events.map(eventToJson).join(',\n')}\n]}\n`;
}

function isEvent(value: unknown): value is RunEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Partial<RunEvent>;
  return (
    typeof event.type === 'string' &&
    typeof event.seq === 'number' &&
    typeof event.time === 'number' &&
    typeof event.runId === 'string'
  );
}

/**
 * Reads a run's saved events: an object with an `events` array (what the
 * studio and `--save-events` write) or a bare array of events. Throws a
 * `UsageError` saying what the file holds instead.
 */
export async function readRunEventsFile(file: string): Promise<RunEvent[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the events file ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The events file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(value) ? value : (value as { events?: unknown } | null)?.events;
  if (!Array.isArray(list)) {
    throw new UsageError(
      `The events file ${file} must hold a run's events: { "events": [...] } as \`fusync run --save-events\` and the studio's Save events write them.`,
    );
  }
  const bad = list.findIndex((event) => !isEvent(event));
  if (bad >= 0) {
    throw new UsageError(
      `The events file ${file} has something other than a run event at events[${bad}]: each needs \`type\`, \`seq\`, \`time\` and \`runId\`.`,
    );
  }
  if (list[0]?.type !== 'run:started') {
    throw new UsageError(
      `The events file ${file} does not start with the run's \`run:started\` event: save the run's whole event record.`,
    );
  }
  return list as RunEvent[];
}
