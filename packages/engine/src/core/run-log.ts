import { resolveArguments } from './arguments.js';
import type {
  ErrorInfo,
  LayerStartedEvent,
  RunEvent,
  RunStartedEvent,
  RunStatus,
} from './events.js';
import type { SequenceGraph } from './graph.js';

/** The code of each event type in the log's type column. */
export const EventCode = {
  runStarted: 0,
  queued: 1,
  started: 2,
  retrying: 3,
  succeeded: 4,
  failed: 5,
  skipped: 6,
  runFinished: 7,
  reused: 8,
  redelivered: 9,
} as const;
export type EventCode = (typeof EventCode)[keyof typeof EventCode];

/** Numbers kept per event in the log's columns. */
const STRIDE = 4;
/** Up to this many numbers, the columns are a plain array (about 20 layers); beyond, a typed one. */
const SMALL = 256;
/**
 * Zeros held as doubles, never written: a small run's columns are a slice of
 * it, already holding doubles as the times will be (an array of small
 * integers would be copied into a double one at the first time logged).
 */
const ZEROS: readonly number[] = new Array<number>(SMALL).fill(0.5).fill(0);

/** What a retrying, failed, skipped or redelivered event carries beyond its type, layer, attempt and time. */
export type EventDetail =
  | { readonly error: ErrorInfo; readonly delayMs: number }
  | { readonly lostWorker: string | undefined }
  | { readonly error: ErrorInfo; readonly cancelled: boolean }
  | { readonly reason: 'upstream-failed' | 'run-stopped'; readonly because: string | undefined };

/** How a run started: what `run:started` says beyond its time. */
export interface RunLogStart {
  readonly runId: string;
  readonly graph: SequenceGraph;
  readonly concurrency: number;
  readonly queueType: 'FIFO' | 'LIFO';
  readonly sequenceName: string | undefined;
  /** Names the worker in `layer:started` events. */
  readonly worker: string | undefined;
  /** The run input: `run:started` carries it, and attempts' arguments are resolved from it. */
  readonly input: Readonly<Record<string, unknown>>;
  /** On a rerun, the run whose results the reused layers keep. */
  readonly parentRunId: string | undefined;
}

/**
 * The event record of one run, stored by column: a type code, the layer's
 * index, the attempt and the time of each event, in typed arrays, with the
 * few events that carry more (errors, skip reasons) beside them and each
 * layer's result by layer. A run of many layers thus keeps a few numbers per
 * event instead of an object per event.
 *
 * `event(i)` builds the `RunEvent` at position `i` — the same fields in the
 * same order whenever it is asked — so listeners, the run result, the record
 * fold and every renderer still read one list of typed events. Events handed
 * to a listener are kept (`kept(i)`): the result's `events` are then those
 * very objects.
 *
 * An attempt's arguments are not stored: they are a function of the run
 * input and the results of the layer's upstream layers, which are final
 * before it starts. A `layer:started` event resolves them when it is built,
 * to the very values the function received.
 */
export class RunLog {
  readonly start: RunLogStart;
  /** Results of the layers that succeeded, by layer index. */
  readonly results: unknown[];
  /**
   * Four numbers per event — type code, layer index, attempt, time — in one
   * typed array: one allocation per run (four cost a small run a fifth of
   * its time), and nothing on the JS heap per event.
   */
  #columns: Float64Array | number[];
  /**
   * The worker that reported an outcome event, by position, when the driver
   * names one (over Redis: the worker process); made with the first.
   */
  #workers: Map<number, string> | undefined;
  /** Details of the events that carry one, by position; made with the first (most runs log none). */
  #details: Map<number, EventDetail> | undefined;
  /** Events already built for a listener, by position: built once, shared with `events()`. */
  #kept: RunEvent[] | undefined;
  #length = 0;
  #status: Exclude<RunStatus, 'running'> | undefined;
  #error: ErrorInfo | undefined;

  constructor(start: RunLogStart) {
    this.start = start;
    const layers = start.graph.layers.length;
    this.results = new Array(layers);
    // Most runs log three events per layer (queued, started, succeeded) and two for the run.
    const capacity = 3 * layers + 2;
    // A small run's columns are a plain array: allocating a typed array's buffer costs more than
    // the whole record of a few layers.
    this.#columns =
      capacity * STRIDE <= SMALL
        ? ZEROS.slice(0, capacity * STRIDE)
        : new Float64Array(capacity * STRIDE);
  }

  /** Events logged so far. */
  get length(): number {
    return this.#length;
  }

  /** The run's final status, once `run:finished` is logged. */
  get status(): RunStatus {
    return this.#status ?? 'running';
  }

  /** Why the run stopped, when it was aborted or cancelled. */
  get error(): ErrorInfo | undefined {
    return this.#error;
  }

  /** Whether some event carries a detail: a retry, a failure or a skip (most runs log none). */
  get detailed(): boolean {
    return this.#details !== undefined;
  }

  /** The index of the layer the event at `index` concerns; -1 for run events. */
  layerAt(index: number): number {
    return this.#columns[index * STRIDE + 1] as number;
  }

  /** The time of the event at `index`. */
  timeAt(index: number): number {
    return this.#columns[index * STRIDE + 3] as number;
  }

  /** Appends one event; returns its position (its `seq`). `layer` is -1 for run events. */
  append(type: EventCode, layer: number, attempt: number, time: number): number {
    const at = this.#length;
    const columns = at * STRIDE === this.#columns.length ? this.#grow() : this.#columns;
    const base = at * STRIDE;
    columns[base] = type;
    columns[base + 1] = layer;
    columns[base + 2] = attempt;
    columns[base + 3] = time;
    this.#length = at + 1;
    return at;
  }

  /** Appends an event that carries a detail (retrying, failed, skipped). */
  appendDetailed(
    type: EventCode,
    layer: number,
    attempt: number,
    time: number,
    detail: EventDetail,
    worker?: string,
  ): number {
    const at = this.append(type, layer, attempt, time);
    this.#details ??= new Map();
    this.#details.set(at, detail);
    if (worker !== undefined) this.#setWorker(at, worker);
    return at;
  }

  #setWorker(at: number, worker: string): void {
    this.#workers ??= new Map();
    this.#workers.set(at, worker);
  }

  /** Appends `layer:redelivered`: the attempt now runs on `worker`, its time on `lostWorker` is lost. */
  appendRedelivered(
    layer: number,
    attempt: number,
    time: number,
    worker: string,
    lostWorker: string | undefined,
  ): number {
    return this.appendDetailed(EventCode.redelivered, layer, attempt, time, { lostWorker }, worker);
  }

  /** Appends `layer:succeeded` and keeps the layer's result. */
  appendSuccess(
    layer: number,
    attempt: number,
    time: number,
    result: unknown,
    worker?: string,
  ): number {
    this.results[layer] = result;
    const at = this.append(EventCode.succeeded, layer, attempt, time);
    if (worker !== undefined) this.#setWorker(at, worker);
    return at;
  }

  /** Appends `layer:reused` and keeps the result the layer had in the parent run. */
  appendReused(layer: number, time: number, result: unknown): number {
    this.results[layer] = result;
    return this.append(EventCode.reused, layer, 0, time);
  }

  /** Appends `run:finished`. */
  appendFinish(status: Exclude<RunStatus, 'running'>, time: number, error?: ErrorInfo): number {
    this.#status = status;
    this.#error = error;
    return this.append(EventCode.runFinished, -1, 0, time);
  }

  #grow(): Float64Array {
    const grown = new Float64Array(Math.max(16 * STRIDE, this.#columns.length * 2));
    grown.set(this.#columns);
    this.#columns = grown;
    return grown;
  }

  /**
   * The event at `index`, built once and kept: a run whose events go to a
   * listener anyway hands the same objects to `events()` later.
   */
  kept(index: number): RunEvent {
    this.#kept ??= [];
    let event = this.#kept[index];
    if (event === undefined) {
      event = this.#build(index);
      this.#kept[index] = event;
    }
    return event;
  }

  /** The event at `index`: the kept one if a listener had it, else built from the columns. */
  event(index: number): RunEvent {
    return this.#kept?.[index] ?? this.#build(index);
  }

  #build(index: number): RunEvent {
    const event = this.#buildBare(index);
    const worker = this.#workers?.get(index);
    if (worker !== undefined) (event as { worker?: string }).worker = worker;
    return event;
  }

  #buildBare(index: number): RunEvent {
    if (index < 0 || index >= this.#length)
      throw new RangeError(`No event ${index} in a log of ${this.#length}.`);
    const seq = index;
    const runId = this.start.runId;
    const columns = this.#columns;
    const base = index * STRIDE;
    const code = columns[base] as EventCode;
    const at = columns[base + 1] as number;
    const attempt = columns[base + 2] as number;
    const time = columns[base + 3] as number;
    // One literal, one field order per type: the objects a run's listeners received before the log
    // existed, and what serialised records hold.
    switch (code) {
      case EventCode.runStarted:
        return this.#started(seq, time);
      case EventCode.queued:
        return { seq, runId, time, type: 'layer:queued', layer: this.#name(at) };
      case EventCode.started:
        return this.#startedEvent(seq, time, at, attempt);
      case EventCode.reused:
        return {
          seq,
          runId,
          time,
          type: 'layer:reused',
          layer: this.#name(at),
          reusedFrom: this.start.parentRunId as string,
          result: this.results[at],
        };
      case EventCode.redelivered: {
        const detail = this.#details?.get(index) as { lostWorker: string | undefined };
        const layer = this.#name(at);
        const worker = this.#workers?.get(index) as string;
        return detail.lostWorker === undefined
          ? { seq, runId, time, type: 'layer:redelivered', layer, attempt, worker }
          : {
              seq,
              runId,
              time,
              type: 'layer:redelivered',
              layer,
              attempt,
              worker,
              lostWorker: detail.lostWorker,
            };
      }
      case EventCode.retrying: {
        const detail = this.#details?.get(index) as { error: ErrorInfo; delayMs: number };
        return {
          seq,
          runId,
          time,
          type: 'layer:retrying',
          layer: this.#name(at),
          attempt,
          error: detail.error,
          delayMs: detail.delayMs,
        };
      }
      case EventCode.succeeded:
        return {
          seq,
          runId,
          time,
          type: 'layer:succeeded',
          layer: this.#name(at),
          attempt,
          result: this.results[at],
        };
      case EventCode.failed: {
        const detail = this.#details?.get(index) as { error: ErrorInfo; cancelled: boolean };
        const layer = this.#name(at);
        return detail.cancelled
          ? {
              seq,
              runId,
              time,
              type: 'layer:failed',
              layer,
              attempt,
              error: detail.error,
              cancelled: true,
            }
          : { seq, runId, time, type: 'layer:failed', layer, attempt, error: detail.error };
      }
      case EventCode.skipped: {
        const detail = this.#details?.get(index) as {
          reason: 'upstream-failed' | 'run-stopped';
          because: string | undefined;
        };
        const layer = this.#name(at);
        return detail.because === undefined
          ? { seq, runId, time, type: 'layer:skipped', layer, reason: detail.reason }
          : {
              seq,
              runId,
              time,
              type: 'layer:skipped',
              layer,
              reason: detail.reason,
              because: detail.because,
            };
      }
      default: {
        const status = this.#status ?? 'failed';
        const error = this.#error;
        return error === undefined
          ? { seq, runId, time, type: 'run:finished', status }
          : { seq, runId, time, type: 'run:finished', status, error };
      }
    }
  }

  /** Every event logged so far, built from the columns. */
  events(): RunEvent[] {
    const out = new Array<RunEvent>(this.#length);
    for (let i = 0; i < this.#length; i++) out[i] = this.event(i);
    return out;
  }

  #name(layer: number): string {
    return (this.start.graph.layers[layer] as { name: string }).name;
  }

  #startedEvent(seq: number, time: number, at: number, attempt: number): LayerStartedEvent {
    const { runId, worker } = this.start;
    const layer = this.#name(at);
    const args = this.#argsOf(at);
    const event: LayerStartedEvent =
      worker === undefined
        ? { seq, runId, time, type: 'layer:started', layer, attempt }
        : { seq, runId, time, type: 'layer:started', layer, attempt, worker };
    if (args !== undefined) event.args = args;
    return event;
  }

  /** The arguments `layer` is called with; undefined when they do not resolve (the attempt fails for it). */
  #argsOf(layer: number): unknown[] | undefined {
    try {
      return resolveArguments(
        this.start.graph,
        layer,
        this.results,
        this.start.input,
        this.start.runId,
      );
    } catch {
      // The same resolution fails the attempt itself with this error: the record has it there.
      return undefined;
    }
  }

  #started(seq: number, time: number): RunStartedEvent {
    const { runId, graph, concurrency, queueType, sequenceName, parentRunId, input } = this.start;
    const layers = graph.layers.map((layer) =>
      // dependsOn is shared, not copied: the event and the records derived from it only read it.
      layer.operation === undefined
        ? { name: layer.name, dependsOn: layer.dependsOn as string[], priority: layer.priority }
        : {
            name: layer.name,
            dependsOn: layer.dependsOn as string[],
            priority: layer.priority,
            operation: layer.operation,
          },
    );
    const event: RunStartedEvent = {
      seq,
      runId,
      time,
      type: 'run:started',
      layers,
      concurrency,
      queueType,
    };
    if (sequenceName !== undefined) event.sequenceName = sequenceName;
    if (parentRunId !== undefined) event.parentRunId = parentRunId;
    event.input = input as Record<string, unknown>;
    return event;
  }
}
