import type { Clock } from './clock.js';
import { type ErrorInfo, type LayerStatus, type RunEvent, toErrorInfo } from './events.js';
import { downstreamOf, type SequenceGraph, sized } from './graph.js';
import { type ReadyQueue, readyQueueFor } from './ready-queue.js';
import { EventCode, type EventDetail, RunLog } from './run-log.js';
import type { ResolvedOptions } from './types.js';

/**
 * What the driver must do after a failed attempt: start `start` now (the
 * freed slot goes to the next ready layer), and for a retry call `retryDue`
 * after `delayMs`.
 */
export type FailureOutcome =
  | { kind: 'retry'; delayMs: number; start: readonly number[] }
  | { kind: 'failed'; start: readonly number[] };

/** `pending` for every layer of a small run, never written: sliced, which is faster than filling. */
const PENDING: readonly LayerStatus[] = new Array<LayerStatus>(64).fill('pending');

/** The answer of most transitions that free nothing: one shared empty list, not a new one each time. */
const NOTHING: readonly number[] = Object.freeze([]);

export interface RunSchedulerOptions {
  graph: SequenceGraph;
  options: ResolvedOptions;
  runId: string;
  clock: Clock;
  /**
   * Receives every event, in order, as it happens, with the index of the
   * layer it concerns (if any). Without it no event object is built during
   * the run: the events stay in `log` until read.
   */
  onEvent?: ((event: RunEvent, layer?: number) => void) | undefined;
  /** Called once, right after `run:finished` is logged (and given to `onEvent`). */
  onFinished?: (() => void) | undefined;
  sequenceName?: string | undefined;
  /** Names the worker in `layer:started` events. */
  worker?: string;
  /** The run input, recorded in `run:started` and used to record each attempt's arguments. */
  input?: Readonly<Record<string, unknown>> | undefined;
  /**
   * A rerun: the layers that are not executed again (by index) with the
   * result each had in `parentRunId`. They succeed as the run starts, before
   * any other layer is queued.
   */
  reuse?: RunReuse | undefined;
  /**
   * The most layers started from one call of `nextSlice()` (or from the
   * start) to the next. Once that many have started, ready layers stay
   * queued, though slots are free, and `onSliceSpent` is called: a driver
   * that calls `nextSlice()` at its event loop's next turn never holds the
   * loop for more than a slice, however wide or long the run. Default: no limit.
   */
  slice?: number | undefined;
  /** Called when a transition left ready layers queued because the slice was spent. */
  onSliceSpent?: (() => void) | undefined;
}

/**
 * The slice the drivers use: the most layers a run starts in one turn of its
 * event loop. A run that would start more — thousands of independent layers
 * at once, or a long chain of instant ones — goes on at the next turn, so the
 * process (a server, a page) keeps answering however large the run.
 */
export const START_SLICE = 1024;

/** What a rerun keeps of its parent run. */
export interface RunReuse {
  readonly parentRunId: string;
  /** Layer index → its result in the parent run. */
  readonly results: ReadonlyMap<number, unknown>;
}

/**
 * The rules of a run, as a synchronous state machine: dependency counters,
 * the ready set, concurrency slots, retries, error policies, cancellation,
 * and the event record they produce. It runs no code and sets no timers: a
 * driver (the in-memory executor, the simulator, a distributed backend) tells
 * it what happened and starts what it returns.
 */
export class RunScheduler {
  readonly graph: SequenceGraph;
  readonly runId: string;
  readonly #options: ResolvedOptions;
  readonly #clock: Clock;
  /** The run's event record. */
  readonly log: RunLog;
  #onEvent: ((event: RunEvent, layer?: number) => void) | undefined;
  readonly #onFinished: (() => void) | undefined;
  readonly #ready: ReadyQueue;
  readonly #remaining: Int32Array;
  readonly #attempts: Int32Array;
  readonly #status: LayerStatus[];
  #seq = 0;
  /**
   * The time of the transition in progress, read once as it begins: the
   * events one transition logs (a success, the layers it frees, those it
   * starts) happen at one instant, and a small run reads the clock a third
   * as often.
   */
  #time = 0;
  #running = 0;
  #settled = 0;
  #failures = 0;
  #stopped: 'abort' | 'cancel' | undefined;
  #stopError: ErrorInfo | undefined;
  #started = false;
  #finished = false;
  readonly #reuse: RunReuse | undefined;
  readonly #slice: number;
  /** Layers that may still start before the next `nextSlice()`. */
  #sliceLeft: number;
  readonly #onSliceSpent: (() => void) | undefined;

  constructor(options: RunSchedulerOptions) {
    this.graph = options.graph;
    this.runId = options.runId;
    this.#options = options.options;
    this.#clock = options.clock;
    this.#onEvent = options.onEvent;
    this.#onFinished = options.onFinished;
    this.#reuse = options.reuse;
    this.#slice = options.slice ?? Number.POSITIVE_INFINITY;
    this.#sliceLeft = this.#slice;
    this.#onSliceSpent = options.onSliceSpent;
    this.log = new RunLog({
      runId: options.runId,
      graph: options.graph,
      concurrency: options.options.concurrency,
      queueType: options.options.queueType,
      sequenceName: options.sequenceName,
      worker: options.worker,
      input: options.input ?? {},
      parentRunId: options.reuse?.parentRunId,
    });
    const count = this.graph.layers.length;
    this.#ready = readyQueueFor(this.#options.queueType, this.graph.samePriority, count);
    this.#remaining = new Int32Array(count);
    this.#attempts = new Int32Array(count);
    this.#status =
      count <= PENDING.length
        ? PENDING.slice(0, count)
        : new Array<LayerStatus>(count).fill('pending');
    for (let i = 0; i < count; i++)
      this.#remaining[i] = (this.graph.dependencies[i] as readonly number[]).length;
  }

  /**
   * Replaces the listener given as `onEvent`, from the next event on (the
   * events before it are in `log`).
   */
  listen(listener: ((event: RunEvent, layer?: number) => void) | undefined): void {
    this.#onEvent = listener;
  }

  /** Layers executing now. */
  get running(): number {
    return this.#running;
  }

  get finished(): boolean {
    return this.#finished;
  }

  status(layer: number): LayerStatus {
    return this.#status[layer] as LayerStatus;
  }

  /** The attempt number of the layer's current (or last) attempt, from 1. */
  attempt(layer: number): number {
    return this.#attempts[layer] as number;
  }

  /** Hands the event just logged at `at` to the listener, if there is one. */
  #emit(at: number, layer?: number): void {
    if (this.#onEvent) this.#onEvent(this.log.kept(at), layer);
  }

  /** Reads the clock for the transition that begins: every event it logs carries this time. */
  #now(): void {
    this.#time = this.#clock.now();
  }

  #log(type: EventCode, layer: number, attempt: number): void {
    this.#emit(this.log.append(type, layer, attempt, this.#time), layer);
  }

  #logDetailed(
    type: EventCode,
    layer: number,
    attempt: number,
    detail: EventDetail,
    worker?: string,
  ): void {
    this.#emit(this.log.appendDetailed(type, layer, attempt, this.#time, detail, worker), layer);
  }

  /** Starts the run: emits `run:started`, queues the layers without dependencies, returns those to start now. */
  start(): readonly number[] {
    if (this.#started) return NOTHING;
    this.#now();
    this.#begin();
    const toStart = this.#admit();
    // A rerun that reuses every layer is over as it starts.
    this.#maybeFinish();
    return toStart;
  }

  #begin(): void {
    this.#started = true;
    this.#emit(this.log.append(EventCode.runStarted, -1, 0, this.#time));
    if (this.#reuse) this.#reuseLayers(this.#reuse);
    for (let i = 0; i < this.graph.layers.length; i++) {
      if (this.#status[i] !== 'pending') continue;
      if (this.#remaining[i] === 0) this.#enqueue(i);
    }
  }

  /** Reused layers succeed with their parent run's results; their dependents count them done. */
  #reuseLayers(reuse: RunReuse): void {
    const time = this.#time;
    for (let i = 0; i < this.graph.layers.length; i++) {
      if (!reuse.results.has(i)) continue;
      this.#status[i] = 'succeeded';
      this.#settled++;
      this.#emit(this.log.appendReused(i, time, reuse.results.get(i)), i);
      for (const next of this.graph.dependents[i] as readonly number[])
        this.#remaining[next] = (this.#remaining[next] as number) - 1;
    }
  }

  #enqueue(layer: number): void {
    this.#status[layer] = 'queued';
    // A run of one priority orders by readiness alone: the layer's spec is not read.
    this.#ready.push(
      layer,
      this.graph.samePriority ? 0 : (this.graph.layers[layer] as { priority: number }).priority,
      this.#seq++,
    );
    this.#log(EventCode.queued, layer, 0);
  }

  #name(layer: number): string {
    return (this.graph.layers[layer] as { name: string }).name;
  }

  /** Moves ready layers into free slots, in the ready order; emits `layer:started` for each. */
  #admit(): readonly number[] {
    const free = this.#options.concurrency - this.#running;
    if (this.#stopped || free <= 0 || this.#ready.size === 0) return NOTHING;
    const count = Math.min(free, this.#ready.size, this.#sliceLeft);
    if (count < free && count < this.#ready.size) this.#onSliceSpent?.();
    if (count <= 0) return NOTHING;
    this.#sliceLeft -= count;
    // One layer, the usual case once a run is under way: a literal list, without calling the Array
    // constructor as a list sized at run time does.
    if (count === 1) {
      const layer = this.#ready.pop() as number;
      this.#startAttempt(layer);
      return [layer];
    }
    // Sized up front: an array grown by push reserves room for a dozen more layers, once per transition.
    const out = sized<number>(count);
    for (let i = 0; i < count; i++) {
      const layer = this.#ready.pop();
      // A listener that cancels the run from inside an event empties the queue under this loop.
      if (layer === undefined) {
        out.length = i;
        break;
      }
      this.#startAttempt(layer);
      out[i] = layer;
    }
    return out;
  }

  /** Takes a slot for `layer`'s next attempt and logs `layer:started`. */
  #startAttempt(layer: number): void {
    this.#running++;
    this.#status[layer] = 'running';
    const attempt = (this.#attempts[layer] as number) + 1;
    this.#attempts[layer] = attempt;
    this.#log(EventCode.started, layer, attempt);
  }

  #isActive(layer: number): boolean {
    return this.#status[layer] === 'running' && !this.#finished;
  }

  /**
   * The layer's attempt returned `result`; `worker` names who ran it when the
   * driver knows (a worker process over Redis). Returns the layers to start now.
   */
  succeeded(layer: number, result: unknown, worker?: string): readonly number[] {
    if (!this.#isActive(layer)) return NOTHING;
    this.#now();
    this.#running--;
    this.#status[layer] = 'succeeded';
    this.#settled++;
    this.#emit(
      this.log.appendSuccess(layer, this.#attempts[layer] as number, this.#time, result, worker),
      layer,
    );
    if (!this.#stopped) {
      const { dependentsFlat, dependentsStart } = this.graph;
      const remaining = this.#remaining;
      const end = dependentsStart[layer + 1] as number;
      for (let i = dependentsStart[layer] as number; i < end; i++) {
        const next = dependentsFlat[i] as number;
        const left = (remaining[next] as number) - 1;
        remaining[next] = left;
        if (left === 0 && this.#status[next] === 'pending') this.#enqueue(next);
      }
    }
    const toStart = this.#admit();
    this.#maybeFinish();
    return toStart;
  }

  /**
   * The layer's attempt failed with `error`. A retryable failure with
   * attempts left becomes a retry (the slot is freed during the delay; call
   * `retryDue` when it has passed). Otherwise the layer fails and its
   * `onError` policy applies.
   */
  failed(layer: number, error: unknown, retryable = true, worker?: string): FailureOutcome {
    if (!this.#isActive(layer)) return { kind: 'failed', start: NOTHING };
    this.#now();
    const spec = this.graph.layers[layer] as {
      retries: number;
      retryDelay: number;
      onError: 'abort' | 'continue';
    };
    const attempt = this.#attempts[layer] as number;
    this.#running--;
    const info = toErrorInfo(error);
    if (retryable && !this.#stopped && attempt <= spec.retries) {
      this.#status[layer] = 'retrying';
      this.#logDetailed(
        EventCode.retrying,
        layer,
        attempt,
        { error: info, delayMs: spec.retryDelay },
        worker,
      );
      return { kind: 'retry', delayMs: spec.retryDelay, start: this.#admit() };
    }
    this.#status[layer] = 'failed';
    this.#settled++;
    this.#failures++;
    this.#logDetailed(EventCode.failed, layer, attempt, { error: info, cancelled: false }, worker);
    if (spec.onError === 'abort') {
      this.#stop('abort', info);
    } else {
      this.#skipDownstream(layer);
    }
    const start = this.#admit();
    this.#maybeFinish();
    return { kind: 'failed', start };
  }

  /**
   * The running attempt `attempt` of `layer` was handed to `worker` after
   * `lostWorker` (when known) went away without an outcome: logs
   * `layer:redelivered`. The attempt keeps its number and its slot; nothing
   * else changes. Returns false (logging nothing) when that attempt is not
   * the one running.
   */
  redelivered(layer: number, attempt: number, worker: string, lostWorker?: string): boolean {
    if (!this.#isActive(layer) || this.#attempts[layer] !== attempt) return false;
    this.#now();
    this.#emit(this.log.appendRedelivered(layer, attempt, this.#time, worker, lostWorker), layer);
    return true;
  }

  /** The retry delay of `layer` has passed: queue it again. Returns the layers to start now. */
  retryDue(layer: number): readonly number[] {
    if (this.#status[layer] !== 'retrying' || this.#finished) return NOTHING;
    if (this.#stopped) return NOTHING;
    this.#now();
    this.#enqueue(layer);
    return this.#admit();
  }

  /** Starts a new slice (see `slice`): the layers to start now. */
  nextSlice(): readonly number[] {
    this.#sliceLeft = this.#slice;
    return this.admit();
  }

  /** Layers freed by the last transition that a driver should start; same as after `start`. */
  admit(): readonly number[] {
    this.#now();
    const out = this.#admit();
    this.#maybeFinish();
    return out;
  }

  /**
   * Cancels the run: nothing new starts, queued and waiting layers are
   * skipped, running attempts are recorded as cancelled (the driver aborts
   * their signals). Returns the layers that were running.
   */
  cancel(reason?: unknown): number[] {
    if (this.#finished) return [];
    this.#now();
    // Cancelled before it started: the run is recorded, nothing starts, every layer is skipped.
    if (!this.#started) this.#begin();
    const running = this.#runningLayers();
    this.#stop(
      'cancel',
      reason === undefined
        ? {
            name: 'RunCancelledError',
            message: `Run ${this.runId} was cancelled.`,
            code: 'RUN_CANCELLED',
          }
        : toErrorInfo(reason),
    );
    this.#maybeFinish();
    return running;
  }

  #runningLayers(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.#status.length; i++) if (this.#status[i] === 'running') out.push(i);
    return out;
  }

  #stop(kind: 'abort' | 'cancel', error: ErrorInfo): void {
    if (this.#stopped) return;
    this.#stopped = kind;
    this.#stopError = error;
    this.#ready.clear();
    for (let i = 0; i < this.#status.length; i++) {
      const status = this.#status[i];
      if (status === 'running') {
        this.#status[i] = 'cancelled';
        this.#running--;
        this.#settled++;
        this.#logDetailed(EventCode.failed, i, this.#attempts[i] as number, {
          error: {
            name: 'AbortError',
            message:
              kind === 'cancel'
                ? 'The run was cancelled.'
                : `The run was aborted: ${error.message}`,
            code: 'RUN_CANCELLED',
          },
          cancelled: true,
        });
      } else if (status === 'pending' || status === 'queued' || status === 'retrying') {
        this.#status[i] = 'skipped';
        this.#settled++;
        this.#logDetailed(EventCode.skipped, i, 0, { reason: 'run-stopped', because: undefined });
      }
    }
  }

  #skipDownstream(from: number): void {
    const because = this.#name(from);
    // In declaration order; layers already settled (skipped by an earlier failure) stay as they are.
    for (const at of downstreamOf(this.graph, from)) {
      if (this.#status[at] !== 'pending') continue;
      this.#status[at] = 'skipped';
      this.#settled++;
      this.#logDetailed(EventCode.skipped, at, 0, { reason: 'upstream-failed', because });
    }
  }

  #maybeFinish(): void {
    if (this.#finished || this.#settled < this.graph.layers.length) return;
    this.#finished = true;
    const status =
      this.#stopped === 'cancel'
        ? 'cancelled'
        : this.#failures > 0 || this.#stopped
          ? 'failed'
          : 'succeeded';
    this.#emit(this.log.appendFinish(status, this.#time, this.#stopError));
    this.#onFinished?.();
  }
}
