/**
 * Hand-made runs for the renderers' tests: events written as a story
 * (`started`, `succeeded(...)`, `finished`) and folded by the engine's own
 * `runRecordFromEvents`, so the tests read the same records a run produces.
 */
import type { ErrorInfo, RunEvent, RunEventInput } from '../core/events.js';
import { type RunRecord, runRecordFromEvents } from '../core/run-record.js';

/** An event as a test writes it: everything but its place in the record. */
export type TimedEvent = RunEventInput & { time: number };

const boom: ErrorInfo = { name: 'Error', message: 'boom' };

/** Folds events into a record, in time order (ties keep their written order). */
export function recordOf(...events: (TimedEvent | TimedEvent[])[]): RunRecord {
  const timed = events.flat().sort((a, b) => a.time - b.time);
  return runRecordFromEvents(
    timed.map((event, seq): RunEvent => ({ ...event, seq, runId: 'run-1' })),
  );
}

/** `run:started` with these layers, declared in this order. */
export function started(
  layers: readonly { name: string; dependsOn?: string[] }[],
  time = 0,
): TimedEvent {
  return {
    type: 'run:started',
    time,
    layers: layers.map((layer) => ({
      name: layer.name,
      dependsOn: layer.dependsOn ?? [],
      priority: 0,
    })),
    concurrency: 3,
    queueType: 'FIFO',
  };
}

export function finished(
  time: number,
  status: 'succeeded' | 'failed' | 'cancelled' = 'succeeded',
): TimedEvent {
  return { type: 'run:finished', time, status };
}

/** An attempt that starts at `start`; without `end` it is still running. */
export function running(layer: string, start: number, attempt = 1): TimedEvent[] {
  return [{ type: 'layer:started', layer, attempt, time: start }];
}

export function succeeded(layer: string, start: number, end: number, attempt = 1): TimedEvent[] {
  return [
    ...running(layer, start, attempt),
    { type: 'layer:succeeded', layer, attempt, result: null, time: end },
  ];
}

/** An attempt that fails and is retried after `delayMs`. */
export function retried(
  layer: string,
  start: number,
  end: number,
  attempt = 1,
  delayMs = 0,
): TimedEvent[] {
  return [
    ...running(layer, start, attempt),
    { type: 'layer:retrying', layer, attempt, error: boom, delayMs, time: end },
  ];
}

export function failed(layer: string, start: number, end: number, attempt = 1): TimedEvent[] {
  return [
    ...running(layer, start, attempt),
    { type: 'layer:failed', layer, attempt, error: boom, time: end },
  ];
}

export function cancelled(layer: string, start: number, end: number, attempt = 1): TimedEvent[] {
  return [
    ...running(layer, start, attempt),
    { type: 'layer:failed', layer, attempt, error: boom, cancelled: true, time: end },
  ];
}

/**
 * The running attempt of `layer` handed at `time` to `worker` after `lostWorker` went away
 * (the Redis backend's `layer:redelivered`).
 */
export function redelivered(
  layer: string,
  time: number,
  worker: string,
  lostWorker?: string,
  attempt = 1,
): TimedEvent {
  return lostWorker === undefined
    ? { type: 'layer:redelivered', layer, attempt, worker, time }
    : { type: 'layer:redelivered', layer, attempt, worker, lostWorker, time };
}

export function skipped(layer: string, time: number, because?: string): TimedEvent {
  return because === undefined
    ? { type: 'layer:skipped', layer, reason: 'run-stopped', time }
    : { type: 'layer:skipped', layer, reason: 'upstream-failed', because, time };
}

/** The seed README's order sequence, in declaration order. */
export const seedLayers = [
  { name: 'checkInventory' },
  { name: 'validateCustomer' },
  { name: 'reserveInventory', dependsOn: ['checkInventory'] },
  { name: 'createOrder', dependsOn: ['validateCustomer', 'reserveInventory'] },
  { name: 'processPayment', dependsOn: ['createOrder'] },
];

/** The seed README's run: the times of its timeline, all five layers succeeding. */
export function seedRun(): RunRecord {
  return recordOf(
    started(seedLayers),
    succeeded('checkInventory', 100, 300),
    succeeded('validateCustomer', 150, 400),
    succeeded('reserveInventory', 350, 550),
    succeeded('createOrder', 600, 850),
    succeeded('processPayment', 900, 1200),
    finished(1200),
  );
}
