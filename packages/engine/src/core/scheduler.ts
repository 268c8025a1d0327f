import type { Clock } from './clock.js';
import { type ErrorInfo, type LayerStatus, type RunEvent, toErrorInfo } from './events.js';
import type { SequenceGraph } from './graph.js';
import { createReadyQueue, type ReadyQueue } from './ready-queue.js';
import type { ResolvedOptions } from './types.js';

/**
 * What the driver must do after a failed attempt: start `start` now (the
 * freed slot goes to the next ready layer), and for a retry call `retryDue`
 * after `delayMs`.
 */
export type FailureOutcome =
  | { kind: 'retry'; delayMs: number; start: number[] }
  | { kind: 'failed'; start: number[] };

export interface RunSchedulerOptions {
  graph: SequenceGraph;
  options: ResolvedOptions;
  runId: string;
  clock: Clock;
  /** Receives every event, in order, as it happens, with the index of the layer it concerns (if any). */
  onEvent: (event: RunEvent, layer?: number) => void;
  sequenceName?: string | undefined;
  /** Names the worker in `layer:started` events. */
  worker?: string;
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
  readonly #onEvent: (event: RunEvent, layer?: number) => void;
  readonly #worker: string | undefined;
  readonly #sequenceName: string | undefined;
  readonly #ready: ReadyQueue;
  readonly #remaining: Int32Array;
  readonly #attempts: Int32Array;
  readonly #status: LayerStatus[];
  #seq = 0;
  #eventSeq = 0;
  #running = 0;
  #settled = 0;
  #failures = 0;
  #stopped: 'abort' | 'cancel' | undefined;
  #stopError: ErrorInfo | undefined;
  #started = false;
  #finished = false;

  constructor(options: RunSchedulerOptions) {
    this.graph = options.graph;
    this.runId = options.runId;
    this.#options = options.options;
    this.#clock = options.clock;
    this.#onEvent = options.onEvent;
    this.#worker = options.worker;
    this.#sequenceName = options.sequenceName;
    const count = this.graph.layers.length;
    this.#ready = createReadyQueue(
      this.#options.queueType,
      this.graph.layers.map((l) => l.priority),
    );
    this.#remaining = new Int32Array(count);
    this.#attempts = new Int32Array(count);
    this.#status = new Array<LayerStatus>(count).fill('pending');
    for (let i = 0; i < count; i++)
      this.#remaining[i] = (this.graph.dependencies[i] as readonly number[]).length;
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

  // Events are built whole, in one literal of one field order per type: objects that never
  // grow after creation take one allocation each and keep the record's fold monomorphic.
  #emit(event: RunEvent, layer?: number): void {
    this.#onEvent(event, layer);
  }

  /** Starts the run: emits `run:started`, queues the layers without dependencies, returns those to start now. */
  start(): number[] {
    if (this.#started) return [];
    this.#begin();
    return this.#admit();
  }

  #begin(): void {
    this.#started = true;
    const layers = this.graph.layers.map((layer) =>
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
    const seq = this.#eventSeq++;
    const time = this.#clock.now();
    const { concurrency, queueType } = this.#options;
    this.#emit(
      this.#sequenceName === undefined
        ? { seq, runId: this.runId, time, type: 'run:started', layers, concurrency, queueType }
        : {
            seq,
            runId: this.runId,
            time,
            type: 'run:started',
            layers,
            concurrency,
            queueType,
            sequenceName: this.#sequenceName,
          },
    );
    for (let i = 0; i < this.graph.layers.length; i++) {
      if (this.#remaining[i] === 0) this.#enqueue(i);
    }
  }

  #enqueue(layer: number): void {
    this.#status[layer] = 'queued';
    this.#ready.push(
      layer,
      (this.graph.layers[layer] as { priority: number }).priority,
      this.#seq++,
    );
    this.#emit(
      {
        seq: this.#eventSeq++,
        runId: this.runId,
        time: this.#clock.now(),
        type: 'layer:queued',
        layer: this.#name(layer),
      },
      layer,
    );
  }

  #name(layer: number): string {
    return (this.graph.layers[layer] as { name: string }).name;
  }

  /** Moves ready layers into free slots, in the ready order; emits `layer:started` for each. */
  #admit(): number[] {
    const free = this.#options.concurrency - this.#running;
    const count = this.#stopped ? 0 : Math.min(free, this.#ready.size);
    if (count <= 0) return [];
    // Sized up front: an array grown by push reserves room for a dozen more layers, once per
    // transition. Very long ones grow instead: a pre-sized long array may take a slow dictionary form.
    const out: number[] = count > 1024 ? [] : new Array<number>(count);
    for (let i = 0; i < count; i++) {
      const layer = this.#ready.pop();
      // A listener that cancels the run from inside an event empties the queue under this loop.
      if (layer === undefined) {
        out.length = i;
        break;
      }
      this.#running++;
      this.#status[layer] = 'running';
      const attempt = (this.#attempts[layer] as number) + 1;
      this.#attempts[layer] = attempt;
      const seq = this.#eventSeq++;
      const time = this.#clock.now();
      const name = this.#name(layer);
      this.#emit(
        this.#worker === undefined
          ? { seq, runId: this.runId, time, type: 'layer:started', layer: name, attempt }
          : {
              seq,
              runId: this.runId,
              time,
              type: 'layer:started',
              layer: name,
              attempt,
              worker: this.#worker,
            },
        layer,
      );
      out[i] = layer;
    }
    return out;
  }

  #isActive(layer: number): boolean {
    return this.#status[layer] === 'running' && !this.#finished;
  }

  /** The layer's attempt returned `result`. Returns the layers to start now. */
  succeeded(layer: number, result: unknown): number[] {
    if (!this.#isActive(layer)) return [];
    this.#running--;
    this.#status[layer] = 'succeeded';
    this.#settled++;
    this.#emit(
      {
        seq: this.#eventSeq++,
        runId: this.runId,
        time: this.#clock.now(),
        type: 'layer:succeeded',
        layer: this.#name(layer),
        attempt: this.#attempts[layer] as number,
        result,
      },
      layer,
    );
    if (!this.#stopped) {
      for (const next of this.graph.dependents[layer] as readonly number[]) {
        const left = (this.#remaining[next] as number) - 1;
        this.#remaining[next] = left;
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
  failed(layer: number, error: unknown, retryable = true): FailureOutcome {
    if (!this.#isActive(layer)) return { kind: 'failed', start: [] };
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
      this.#emit(
        {
          seq: this.#eventSeq++,
          runId: this.runId,
          time: this.#clock.now(),
          type: 'layer:retrying',
          layer: this.#name(layer),
          attempt,
          error: info,
          delayMs: spec.retryDelay,
        },
        layer,
      );
      return { kind: 'retry', delayMs: spec.retryDelay, start: this.#admit() };
    }
    this.#status[layer] = 'failed';
    this.#settled++;
    this.#failures++;
    this.#emit(
      {
        seq: this.#eventSeq++,
        runId: this.runId,
        time: this.#clock.now(),
        type: 'layer:failed',
        layer: this.#name(layer),
        attempt,
        error: info,
      },
      layer,
    );
    if (spec.onError === 'abort') {
      this.#stop('abort', info);
    } else {
      this.#skipDownstream(layer);
    }
    const start = this.#admit();
    this.#maybeFinish();
    return { kind: 'failed', start };
  }

  /** The retry delay of `layer` has passed: queue it again. Returns the layers to start now. */
  retryDue(layer: number): number[] {
    if (this.#status[layer] !== 'retrying' || this.#finished) return [];
    if (this.#stopped) return [];
    this.#enqueue(layer);
    return this.#admit();
  }

  /** Layers freed by the last transition that a driver should start; same as after `start`. */
  admit(): number[] {
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
        this.#emit(
          {
            seq: this.#eventSeq++,
            runId: this.runId,
            time: this.#clock.now(),
            type: 'layer:failed',
            layer: this.#name(i),
            attempt: this.#attempts[i] as number,
            error: {
              name: 'AbortError',
              message:
                kind === 'cancel'
                  ? 'The run was cancelled.'
                  : `The run was aborted: ${error.message}`,
              code: 'RUN_CANCELLED',
            },
            cancelled: true,
          },
          i,
        );
      } else if (status === 'pending' || status === 'queued' || status === 'retrying') {
        this.#status[i] = 'skipped';
        this.#settled++;
        this.#emit(
          {
            seq: this.#eventSeq++,
            runId: this.runId,
            time: this.#clock.now(),
            type: 'layer:skipped',
            layer: this.#name(i),
            reason: 'run-stopped',
          },
          i,
        );
      }
    }
  }

  #skipDownstream(from: number): void {
    const stack = [...(this.graph.dependents[from] as readonly number[])];
    const found: number[] = [];
    while (stack.length > 0) {
      const at = stack.pop() as number;
      if (this.#status[at] !== 'pending') continue;
      this.#status[at] = 'skipped';
      found.push(at);
      for (const next of this.graph.dependents[at] as readonly number[]) stack.push(next);
    }
    found.sort((a, b) => a - b);
    const because = this.#name(from);
    for (const at of found) {
      this.#settled++;
      this.#emit(
        {
          seq: this.#eventSeq++,
          runId: this.runId,
          time: this.#clock.now(),
          type: 'layer:skipped',
          layer: this.#name(at),
          reason: 'upstream-failed',
          because,
        },
        at,
      );
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
    const seq = this.#eventSeq++;
    const time = this.#clock.now();
    this.#emit(
      this.#stopError
        ? { seq, runId: this.runId, time, type: 'run:finished', status, error: this.#stopError }
        : { seq, runId: this.runId, time, type: 'run:finished', status },
    );
  }
}
