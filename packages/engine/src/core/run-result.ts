import type { RunEvent } from './events.js';
import { computeMetrics, type RunMetrics } from './metrics.js';
import type { RunLog } from './run-log.js';
import { type RunRecord, runRecordFromEvents } from './run-record.js';

/**
 * What `build()` resolves to: the run's record (status, per-layer status,
 * attempts, timings, errors, events), the results by layer name and the
 * metrics — all derived from the run's events.
 */
export interface RunResult extends RunRecord {
  /** Results of the layers that succeeded, by layer name. */
  results: Record<string, unknown>;
  /** Errors of the layers that failed, by layer name. */
  errors: Record<string, { name: string; message: string; code?: string }>;
  metrics: RunMetrics;
}

/** Derives the result of a finished (or running) run from its record. */
export function toRunResult(record: RunRecord): RunResult {
  const result = { ...record } as RunResult;
  // Results, errors and metrics are built on first read, then kept: a large run read for its
  // status alone skips indexing thousands of layers by name.
  derive(
    result,
    {
      results: () => resultsOf(record),
      errors: () => errorsOf(record),
      metrics: () => computeMetrics(record),
    },
    RECORD_FIELDS,
  );
  return result;
}

/**
 * The result of a run from its log. The run's own fields are read at once;
 * `events` and `layers` are built from the log on first read (folded by
 * `applyEvent`, as any record is), then kept. `results` comes straight from
 * the log's results: a caller that reads only the status and the results of
 * a large run never builds an object per event or per layer.
 */
export function runResultFromLog(log: RunLog): RunResult {
  const start = log.start;
  const startedAt = log.length > 0 ? log.timeAt(0) : 0;
  const finished = log.status !== 'running';
  const finishedAt = finished ? log.timeAt(log.length - 1) : undefined;
  const result = {
    runId: start.runId,
    sequenceName: start.sequenceName,
    status: log.status,
    concurrency: start.concurrency,
    queueType: start.queueType,
    startedAt,
    finishedAt,
    durationMs: finishedAt === undefined ? undefined : finishedAt - startedAt,
  } as RunResult;
  if (log.error !== undefined) result.error = log.error;
  if (start.parentRunId !== undefined) result.parentRunId = start.parentRunId;
  result.input = start.input as Record<string, unknown>;
  let events: RunEvent[] | undefined;
  const eventsOf = (): RunEvent[] => {
    events ??= log.events();
    return events;
  };
  let record: RunRecord | undefined;
  const recordOf = (): RunRecord => {
    if (record === undefined) {
      const list = eventsOf();
      record = runRecordFromEvents(list, (i) => log.layerAt(i));
      // `events` stays the one list `result.events` returns.
      record.events = list;
    }
    return record;
  };
  derive(
    result,
    {
      layers: () => recordOf().layers,
      events: eventsOf,
      results: () => resultsOfLog(log),
      errors: () => errorsOf(recordOf()),
      metrics: () => computeMetrics(result),
    },
    LOG_FIELDS,
  );
  return result;
}

function resultsOfLog(log: RunLog): RunResult['results'] {
  const results: Record<string, unknown> = {};
  const layers = log.start.graph.layers;
  const values = log.results;
  // A layer succeeds at most once: the log holds a result exactly for the layers that succeeded.
  for (let i = 0; i < layers.length; i++) {
    if (i in values) put(results, (layers[i] as { name: string }).name, values[i]);
  }
  return results;
}

type DerivedKey = 'results' | 'errors' | 'metrics' | 'layers' | 'events';

interface DerivedState {
  readonly compute: { readonly [K in DerivedKey]?: () => RunResult[K] };
  readonly known: { [K in DerivedKey]?: RunResult[K] };
}

/** Where a result keeps how to compute its derived fields, and those computed so far. */
const DERIVED: unique symbol = Symbol('derived');

type Derived = { [DERIVED]: DerivedState };

/** An enumerable property computed on first read; assigning to it replaces the value. */
function derivedDescriptor(key: DerivedKey): PropertyDescriptor {
  return {
    enumerable: true,
    configurable: true,
    get(this: Derived) {
      const state = this[DERIVED];
      if (!Object.hasOwn(state.known, key)) {
        (state.known as Record<string, unknown>)[key] = state.compute[key]?.();
      }
      return state.known[key];
    },
    set(this: Derived, value: unknown) {
      (this[DERIVED].known as Record<string, unknown>)[key] = value;
    },
  };
}

function descriptorsOf(keys: readonly DerivedKey[]): PropertyDescriptorMap {
  return Object.fromEntries(keys.map((key) => [key, derivedDescriptor(key)]));
}

// One set of descriptors per kind of result, shared by every result and given in one call: a
// getter and setter made per result and field cost about 3 µs a run, a fifth of a small run's time.
const LOG_FIELDS = descriptorsOf(['layers', 'events', 'results', 'errors', 'metrics']);
const RECORD_FIELDS = descriptorsOf(['results', 'errors', 'metrics']);

/** Gives `target` the derived `fields`, each computed by `compute` on first read, then kept. */
function derive(
  target: RunResult,
  compute: DerivedState['compute'],
  fields: PropertyDescriptorMap,
): void {
  // Not a WeakMap: a map holding every result weakly makes each garbage collection slower.
  Object.defineProperty(target, DERIVED, { value: { compute, known: {} } });
  Object.defineProperties(target, fields);
}

function resultsOf(record: RunRecord): RunResult['results'] {
  const results: Record<string, unknown> = {};
  for (const layer of record.layers) {
    if (layer.status === 'succeeded') put(results, layer.name, layer.result);
  }
  return results;
}

function errorsOf(record: RunRecord): RunResult['errors'] {
  const errors: RunResult['errors'] = {};
  for (const layer of record.layers) {
    if (layer.status === 'failed' && layer.error) {
      const error: { name: string; message: string; code?: string } = {
        name: layer.error.name,
        message: layer.error.message,
      };
      if (layer.error.code !== undefined) error.code = layer.error.code;
      put(errors, layer.name, error);
    }
  }
  return errors;
}

function put(target: Record<string, unknown>, key: string, value: unknown): void {
  // A layer named `__proto__` must be an own key like any other; assignment would set the prototype.
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}
