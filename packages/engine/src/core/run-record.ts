import type { ErrorInfo, LayerStatus, RunEvent, RunStatus } from './events.js';

/**
 * One attempt of a layer: one bar in the timeline and the Gantt chart, one
 * span. An attempt whose worker went away and that another worker took over
 * (over Redis, `layer:redelivered`) is two entries with the same `attempt`:
 * the part on the lost worker, `outcome: 'lost'` with its `worker`, `start`
 * and `end` (the redelivery), then the part on the new worker.
 */
export interface AttemptRecord {
  attempt: number;
  /** Epoch ms. */
  start: number;
  /** Epoch ms; undefined while the attempt runs. */
  end: number | undefined;
  /**
   * `lost`: this part of the attempt ran on a worker that went away before
   * reporting an outcome; the attempt went on on another worker (the next
   * entry, same `attempt`). It is time spent, not a failure of the layer.
   */
  outcome: 'running' | 'succeeded' | 'failed' | 'retrying' | 'cancelled' | 'lost';
  error?: ErrorInfo | undefined;
  worker?: string | undefined;
  /**
   * The values the function was called with, without the context object
   * (absent when they could not be resolved). In memory the values
   * themselves; from a stream or an HTTP view, JSON-safe and size-capped.
   */
  args?: unknown[] | undefined;
}

/** Everything known about one layer of a run. */
export interface LayerRecord {
  name: string;
  dependsOn: string[];
  priority: number;
  operation?: string | undefined;
  status: LayerStatus;
  attempts: AttemptRecord[];
  /** Epoch ms the layer became ready. */
  queuedAt: number | undefined;
  /** Epoch ms of its first attempt's start. */
  startedAt: number | undefined;
  /** Epoch ms it reached a final status. */
  finishedAt: number | undefined;
  /** Time from first start to final end, in ms. */
  durationMs: number | undefined;
  result?: unknown;
  error?: ErrorInfo | undefined;
  /** For skipped layers: the failed layer that caused the skip. */
  skippedBecause?: string | undefined;
  /**
   * For a layer a rerun did not execute: the run its result comes from. It
   * is `succeeded`, has its `result`, no attempts and no timings.
   */
  reusedFrom?: string | undefined;
}

/**
 * A run as its events describe it: what `build()` resolves to (with results)
 * and what every renderer reads.
 */
export interface RunRecord {
  runId: string;
  sequenceName: string | undefined;
  status: RunStatus;
  concurrency: number;
  queueType: 'FIFO' | 'LIFO';
  /** Epoch ms. */
  startedAt: number;
  finishedAt: number | undefined;
  durationMs: number | undefined;
  /** Layers in declaration order. */
  layers: LayerRecord[];
  error?: ErrorInfo;
  events: RunEvent[];
  /** On a rerun: the run whose succeeded layers it reused. */
  parentRunId?: string;
  /** The run input, as `run:started` recorded it. */
  input?: Record<string, unknown>;
}

/**
 * Layer records by name, indexed on first use: a driver that passes each
 * event's layer position never needs it, one that passes names only pays
 * for it once.
 */
export class LayerIndex {
  readonly #byName = new Map<string, LayerRecord>();
  #indexed = 0;

  get(record: RunRecord, name: string): LayerRecord | undefined {
    const layers = record.layers;
    for (; this.#indexed < layers.length; this.#indexed++) {
      const layer = layers[this.#indexed] as LayerRecord;
      this.#byName.set(layer.name, layer);
    }
    return this.#byName.get(name);
  }
}

/** Folds one event into a record. The record is mutated and returned. */
export function applyEvent(
  record: RunRecord,
  event: RunEvent,
  index: LayerIndex,
  at?: number,
): RunRecord {
  record.events.push(event);
  switch (event.type) {
    case 'run:started':
      record.startedAt = event.time;
      record.concurrency = event.concurrency;
      record.queueType = event.queueType;
      record.sequenceName = event.sequenceName;
      if (event.parentRunId !== undefined) record.parentRunId = event.parentRunId;
      if (event.input !== undefined) record.input = event.input;
      for (const layer of event.layers) {
        // Every field set up front: records of one shape keep the fold fast on large runs.
        const layerRecord: LayerRecord = {
          name: layer.name,
          dependsOn: layer.dependsOn,
          priority: layer.priority,
          status: 'pending',
          attempts: [],
          queuedAt: undefined,
          startedAt: undefined,
          finishedAt: undefined,
          durationMs: undefined,
          operation: layer.operation,
          result: undefined,
          error: undefined,
          skippedBecause: undefined,
          reusedFrom: undefined,
        };
        record.layers.push(layerRecord);
      }
      return record;
    case 'run:finished':
      record.status = event.status;
      record.finishedAt = event.time;
      record.durationMs = event.time - record.startedAt;
      if (event.error) record.error = event.error;
      return record;
    default:
      break;
  }
  // The layer's position, when the caller knows it, spares a lookup by name.
  const known = at === undefined ? undefined : record.layers[at];
  const layer =
    known !== undefined && known.name === event.layer ? known : index.get(record, event.layer);
  if (!layer) return record;
  // The attempt in progress: only retrying, succeeded and failed events need it.
  const current =
    event.type === 'layer:queued' ||
    event.type === 'layer:started' ||
    event.type === 'layer:skipped' ||
    event.type === 'layer:reused' ||
    event.type === 'layer:redelivered'
      ? undefined
      : layer.attempts[layer.attempts.length - 1];
  // The worker an outcome names (over Redis, the process that ran the attempt) is the attempt's.
  if (current !== undefined && 'worker' in event && event.worker !== undefined)
    current.worker = event.worker;
  switch (event.type) {
    case 'layer:queued':
      layer.status = 'queued';
      layer.queuedAt ??= event.time;
      break;
    case 'layer:started': {
      layer.status = 'running';
      layer.startedAt ??= event.time;
      const attempt = runningAttempt(event.attempt, event.time, event.worker, event.args);
      // Most layers run once: a one-element array, not a pushed one with room for more.
      if (layer.attempts.length === 0) layer.attempts = [attempt];
      else layer.attempts.push(attempt);
      break;
    }
    case 'layer:redelivered': {
      // The part on the lost worker ends here; the same attempt goes on on the new one.
      const lost = layer.attempts[layer.attempts.length - 1];
      if (lost === undefined || lost.attempt !== event.attempt || lost.end !== undefined) break;
      lost.end = event.time;
      lost.outcome = 'lost';
      if (event.lostWorker !== undefined) lost.worker = event.lostWorker;
      layer.attempts.push(runningAttempt(event.attempt, event.time, event.worker, lost.args));
      break;
    }
    case 'layer:retrying':
      layer.status = 'retrying';
      if (current) {
        current.end = event.time;
        current.outcome = 'retrying';
        current.error = event.error;
      }
      break;
    case 'layer:succeeded':
      layer.status = 'succeeded';
      layer.result = event.result;
      finish(layer, event.time);
      if (current) {
        current.end = event.time;
        current.outcome = 'succeeded';
      }
      break;
    case 'layer:failed':
      layer.status = event.cancelled ? 'cancelled' : 'failed';
      layer.error = event.error;
      finish(layer, event.time);
      if (current && current.end === undefined) {
        current.end = event.time;
        current.outcome = event.cancelled ? 'cancelled' : 'failed';
        current.error = event.error;
      }
      break;
    case 'layer:skipped':
      layer.status = 'skipped';
      layer.finishedAt = event.time;
      if (event.because !== undefined) layer.skippedBecause = event.because;
      break;
    case 'layer:reused':
      layer.status = 'succeeded';
      layer.result = event.result;
      layer.reusedFrom = event.reusedFrom;
      break;
  }
  return record;
}

/** An attempt (or the part of one on a new worker) that starts at `start`. Every field set: one shape. */
function runningAttempt(
  attempt: number,
  start: number,
  worker: string | undefined,
  args: unknown[] | undefined,
): AttemptRecord {
  return { attempt, start, end: undefined, outcome: 'running', error: undefined, worker, args };
}

function finish(layer: LayerRecord, time: number): void {
  layer.finishedAt = time;
  if (layer.startedAt !== undefined) layer.durationMs = time - layer.startedAt;
}

/** An empty record, ready for `applyEvent`. */
export function emptyRunRecord(runId: string): RunRecord {
  return {
    runId,
    sequenceName: undefined,
    status: 'running',
    concurrency: Number.POSITIVE_INFINITY,
    queueType: 'FIFO',
    startedAt: 0,
    finishedAt: undefined,
    durationMs: undefined,
    layers: [],
    events: [],
  };
}

/**
 * Builds the record of a run from its events — a complete record or a prefix
 * of one (a run still going on). `layerOf(i)`, when the caller knows it, is
 * the index of the layer event `i` concerns: the fold then never looks a
 * layer up by name.
 *
 * @example
 * const record = runRecordFromEvents(events);
 * console.log(renderTimeline(record));
 */
export function runRecordFromEvents(
  events: readonly RunEvent[],
  layerOf?: (position: number) => number,
): RunRecord {
  const first = events[0];
  const record = emptyRunRecord(first?.runId ?? '');
  const index = new LayerIndex();
  for (let i = 0; i < events.length; i++)
    applyEvent(record, events[i] as RunEvent, index, layerOf?.(i));
  return record;
}

/**
 * Folds events into a record as they arrive (live status in the studio, the
 * server's run view).
 */
export class RunRecorder {
  readonly record: RunRecord;
  readonly #index = new LayerIndex();

  constructor(runId: string) {
    this.record = emptyRunRecord(runId);
  }

  /** Folds in one event; `layer` is the index of the layer it concerns, when known. */
  apply(event: RunEvent, layer?: number): void {
    applyEvent(this.record, event, this.#index, layer);
  }

  layer(name: string): LayerRecord | undefined {
    return this.#index.get(this.record, name);
  }
}
