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
  derive(result, new FromRecord(record), RECORD_FIELDS);
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
  // Only a finished run's results and errors are final, and so computed at once.
  const small = finished && start.graph.layers.length <= EAGER_RESULTS;
  const clean = finished && !log.detailed;
  derive(
    result,
    new FromLog(log, result),
    LOG_FIELDS[(small ? 1 : 0) + (clean ? 2 : 0)] as DerivedFields,
  );
  return result;
}

/** Up to this many layers, a result's `results` are gathered at once: cheaper than deferring them. */
const EAGER_RESULTS = 16;

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

/**
 * How a result computes its derived fields, and those computed so far. One
 * object per result, its computations methods of its class: no closure per
 * field and run.
 */
interface Derivation {
  readonly known: { [K in DerivedKey]?: RunResult[K] };
  compute(key: DerivedKey): unknown;
}

/** The derived fields of a result read from a `RunRecord`. */
class FromRecord implements Derivation {
  readonly known: Derivation['known'] = {};
  readonly #record: RunRecord;

  constructor(record: RunRecord) {
    this.#record = record;
  }

  compute(key: DerivedKey): unknown {
    switch (key) {
      case 'results':
        return resultsOf(this.#record);
      case 'errors':
        return errorsOf(this.#record);
      case 'metrics':
        return computeMetrics(this.#record);
      default:
        return this.#record[key];
    }
  }
}

/** The derived fields of a result read from a `RunLog`: events, then the record folded from them. */
class FromLog implements Derivation {
  readonly known: Derivation['known'] = {};
  readonly #log: RunLog;
  readonly #result: RunResult;
  #events: RunEvent[] | undefined;
  #record: RunRecord | undefined;

  constructor(log: RunLog, result: RunResult) {
    this.#log = log;
    this.#result = result;
  }

  compute(key: DerivedKey): unknown {
    switch (key) {
      case 'layers':
        return this.#recordOf().layers;
      case 'events':
        return this.#eventsOf();
      case 'results':
        return resultsOfLog(this.#log);
      case 'errors':
        // A run that logged no failure, retry or skip has no error to fold the record for.
        return this.#log.detailed ? errorsOf(this.#recordOf()) : {};
      case 'metrics':
        return computeMetrics(this.#result);
    }
  }

  #eventsOf(): RunEvent[] {
    this.#events ??= this.#log.events();
    return this.#events;
  }

  #recordOf(): RunRecord {
    if (this.#record === undefined) {
      const list = this.#eventsOf();
      const log = this.#log;
      this.#record = runRecordFromEvents(list, (i) => log.layerAt(i));
      // `events` stays the one list `result.events` returns.
      this.#record.events = list;
    }
    return this.#record;
  }
}

/** Where a result keeps its `Derivation`. */
const DERIVED: unique symbol = Symbol('derived');

type Derived = { [DERIVED]: Derivation };

/** An enumerable property computed on first read; assigning to it replaces the value. */
function derivedDescriptor(key: DerivedKey): PropertyDescriptor {
  return {
    enumerable: true,
    configurable: true,
    get(this: Derived) {
      const state = this[DERIVED];
      if (!Object.hasOwn(state.known, key)) {
        (state.known as Record<string, unknown>)[key] = state.compute(key);
      }
      return state.known[key];
    },
    set(this: Derived, value: unknown) {
      (this[DERIVED].known as Record<string, unknown>)[key] = value;
    },
  };
}

/**
 * The derived fields of one kind of result, in order, each with its
 * descriptor; without one, the field is computed at once, as a plain value.
 */
type DerivedFields = readonly (readonly [DerivedKey, PropertyDescriptor | undefined])[];

function descriptorsOf(
  keys: readonly DerivedKey[],
  eager: readonly DerivedKey[] = [],
): DerivedFields {
  return keys.map(
    (key) => [key, eager.includes(key) ? undefined : derivedDescriptor(key)] as const,
  );
}

// One set of descriptors per kind of result, shared by every result: a getter and setter made per
// result and field cost about 3 µs a run, a fifth of a small run's time. Defining each still costs
// about as much as gathering a small run's results, or a clean run's (empty) errors: those are
// plain values. By index: +1 results gathered at once (a small run), +2 errors too (no failure).
const LOG_KEYS: readonly DerivedKey[] = ['layers', 'events', 'results', 'errors', 'metrics'];
const LOG_FIELDS: readonly DerivedFields[] = [
  descriptorsOf(LOG_KEYS),
  descriptorsOf(LOG_KEYS, ['results']),
  descriptorsOf(LOG_KEYS, ['errors']),
  descriptorsOf(LOG_KEYS, ['results', 'errors']),
];
const RECORD_FIELDS = descriptorsOf(['results', 'errors', 'metrics']);

/** Gives `target` the derived `fields`, computed by `derivation` on first read (or at once), then kept. */
function derive(target: RunResult, derivation: Derivation, fields: DerivedFields): void {
  // Not a WeakMap: a map holding every result weakly makes each garbage collection slower.
  Object.defineProperty(target, DERIVED, { value: derivation });
  // One `defineProperty` per field, not one `defineProperties`: the latter first gathers the
  // descriptors into a list of its own, and costs half as much again.
  for (let i = 0; i < fields.length; i++) {
    const [key, descriptor] = fields[i] as DerivedFields[number];
    if (descriptor === undefined)
      (target as unknown as Record<string, unknown>)[key] = derivation.compute(key);
    else Object.defineProperty(target, key, descriptor);
  }
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
