import { type ArgumentSource, argumentPlan, argumentValue, resolveArguments } from './arguments.js';
import { type Clock, systemClock } from './clock.js';
import { FusyncError, LayerTimeoutError, RunCancelledError } from './errors.js';
import type { RunEvent } from './events.js';
import type { SequenceGraph } from './graph.js';
import { resolveOptions } from './options.js';
import { type RunResult, runResultFromLog } from './run-result.js';
import { type RunReuse, RunScheduler, START_SLICE } from './scheduler.js';
import { keepShape } from './shapes.js';
import type { RunTelemetry } from './telemetry.js';
import type { LayerContext, LayerFunction, ResolvedLayer, ResolvedOptions } from './types.js';

export interface ExecuteRunOptions {
  graph: SequenceGraph;
  options: ResolvedOptions;
  runId: string;
  input?: Readonly<Record<string, unknown>>;
  clock?: Clock;
  /**
   * Follows the run's events into OpenTelemetry spans and runs each layer
   * inside its attempt's span. None: no spans, and no tracing code reached.
   */
  telemetry?: RunTelemetry | undefined;
  sequenceName?: string | undefined;
  /** Every event of the run, in order, as it happens. */
  onEvent?: ((event: RunEvent) => void) | undefined;
  /** Cancels the run when aborted. */
  signal?: AbortSignal | undefined;
  /** A rerun: the layers kept from the parent run, with their results. */
  reuse?: RunReuse | undefined;
}

/** A run in progress. */
export interface RunHandle {
  readonly runId: string;
  /** Resolves when the run has finished, whatever its status. */
  readonly result: Promise<RunResult>;
  /** Stops the run: nothing new starts, running layers see their `signal` abort. */
  cancel(reason?: unknown): void;
}

/**
 * Calls a layer without `args` with its dependencies' results, then its
 * context. Up to three are passed directly, with no array in between.
 */
function invokeWithDependencies(
  execute: LayerFunction,
  dependencies: readonly number[],
  results: readonly unknown[],
  context: LayerContext,
): unknown {
  switch (dependencies.length) {
    case 0:
      return execute(context);
    case 1:
      return execute(results[dependencies[0] as number], context);
    case 2:
      return execute(
        results[dependencies[0] as number],
        results[dependencies[1] as number],
        context,
      );
    case 3:
      return execute(
        results[dependencies[0] as number],
        results[dependencies[1] as number],
        results[dependencies[2] as number],
        context,
      );
    default: {
      const args = new Array<unknown>(dependencies.length + 1);
      for (let i = 0; i < dependencies.length; i++) args[i] = results[dependencies[i] as number];
      args[dependencies.length] = context;
      return execute(...args);
    }
  }
}

/**
 * Calls a layer with its arguments and its context last. Short argument
 * lists are passed directly: appending the context to the array would grow
 * it, for every attempt.
 */
function invoke(execute: LayerFunction, args: unknown[], context: LayerContext): unknown {
  switch (args.length) {
    case 0:
      return execute(context);
    case 1:
      return execute(args[0], context);
    case 2:
      return execute(args[0], args[1], context);
    case 3:
      return execute(args[0], args[1], args[2], context);
    default:
      // Not pushed onto `args`: that array is the attempt's recorded arguments.
      return execute(...args, context);
  }
}

/**
 * Calls a layer with `args` with the values they resolve to, then its
 * context. Up to three are resolved straight into the call, in order, with
 * no array in between.
 */
function invokeWithArguments(
  execute: LayerFunction,
  graph: SequenceGraph,
  layer: number,
  results: readonly unknown[],
  input: Readonly<Record<string, unknown>>,
  runId: string,
  context: LayerContext,
): unknown {
  const plan = argumentPlan(graph, layer);
  const count = plan.length;
  if (count === 0) return execute(context);
  if (count > 3)
    return invoke(execute, resolveArguments(graph, layer, results, input, runId), context);
  const first = argumentValue(graph, layer, plan[0] as ArgumentSource, results, input, runId);
  if (count === 1) return execute(first, context);
  const second = argumentValue(graph, layer, plan[1] as ArgumentSource, results, input, runId);
  if (count === 2) return execute(first, second, context);
  const third = argumentValue(graph, layer, plan[2] as ArgumentSource, results, input, runId);
  return execute(first, second, third, context);
}

/**
 * The context of one attempt. `signal` is made when the layer first reads
 * it, through one getter shared by every context — an own enumerable
 * property like the others (a getter written in each context's literal
 * costs a new function and object shape per attempt).
 */
class AttemptContext implements LayerContext {
  static readonly #signal: PropertyDescriptor = {
    get(this: AttemptContext): AbortSignal {
      return this.#run.signalOf(this.#index, this.attempt);
    },
    enumerable: true,
  };
  declare readonly signal: AbortSignal;
  readonly attempt: number;
  readonly layer: string;
  readonly runId: string;
  readonly #run: MemoryRun;
  readonly #index: number;

  constructor(run: MemoryRun, index: number, attempt: number, layer: string) {
    Object.defineProperty(this, 'signal', AttemptContext.#signal);
    this.attempt = attempt;
    this.layer = layer;
    this.runId = run.runId;
    this.#run = run;
    this.#index = index;
  }
}

/** What `invokeAttempt` returns for a layer that threw at once. */
const FAILED: unique symbol = Symbol('failed');

/** The next turn of the event loop: `setImmediate` in Node, a zero timeout elsewhere. */
const nextTurn: (callback: () => void) => void =
  typeof setImmediate === 'function' ? setImmediate : (callback) => setTimeout(callback, 0);

function isAbortLike(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'AbortError' || error instanceof RunCancelledError)
  );
}

/**
 * One run in this process. Its steps are methods, not closures made per
 * run: a call to a closure of the last run is a call V8 inlined for that
 * very function, and the next run's closures would throw that code away
 * ("wrong call target") for its first few runs.
 */
class MemoryRun {
  readonly graph: SequenceGraph;
  readonly runId: string;
  readonly #clock: Clock;
  readonly #input: Readonly<Record<string, unknown>>;
  readonly #telemetry: RunTelemetry | undefined;
  readonly #userOnEvent: ((event: RunEvent) => void) | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly scheduler: RunScheduler;
  readonly #results: unknown[];
  readonly result: Promise<RunResult>;
  #resolveResult!: (result: RunResult) => void;
  // Why the run stopped (it finished without succeeding): every live attempt's signal aborts with it.
  #stopReason: RunCancelledError | undefined;
  // Made with the first timer (a retry's delay, a time limit): most runs set none.
  #timers: Set<unknown> | undefined;
  #slicePending = false;
  // Set once the tracer is known to record: from then on every event also goes to the spans.
  #traced = false;
  // The attempt each layer is running now (0: none). An outcome counts only while its attempt is live,
  // so a late result after a timeout or a cancel is ignored. No closure per attempt needed for it.
  readonly #live: Int32Array;
  // The signal of each live attempt that has one: made when the layer first reads `signal`, or up
  // front for a time limit. One controller per attempt, aborted by its timer or when the run stops —
  // never listeners piling up on one shared signal, which costs Node time quadratic in their number.
  // Made with the first signal a layer reads: most layers read none.
  #controllers: Map<number, AbortController> | undefined;
  // The time-limit timer of each live attempt that has one; made with the first.
  #deadlines: Map<number, unknown> | undefined;

  constructor(run: ExecuteRunOptions) {
    this.graph = run.graph;
    this.runId = run.runId;
    this.#clock = run.clock ?? systemClock;
    this.#input = run.input ?? {};
    this.#telemetry = run.telemetry;
    this.#userOnEvent = run.onEvent;
    this.#signal = run.signal;
    this.result = new Promise<RunResult>((resolve) => {
      this.#resolveResult = resolve;
    });
    this.scheduler = new RunScheduler({
      graph: run.graph,
      options: run.options,
      runId: run.runId,
      clock: this.#clock,
      onEvent: run.onEvent ? (event) => this.#dispatch(event) : undefined,
      onFinished: () => this.#onFinished(),
      sequenceName: run.sequenceName,
      worker: 'memory',
      input: this.#input,
      reuse: run.reuse,
      slice: START_SLICE,
      onSliceSpent: () => this.#sliceSpent(),
    });
    this.#results = this.scheduler.log.results;
    this.#live = new Int32Array(run.graph.layers.length);
  }

  #dispatch(event: RunEvent): void {
    if (this.#traced) (this.#telemetry as RunTelemetry).onEvent(event);
    if (this.#userOnEvent) this.#userOnEvent(event);
  }

  #sliceSpent(): void {
    if (this.#slicePending) return;
    this.#slicePending = true;
    nextTurn(() => {
      this.#slicePending = false;
      this.startAll(this.scheduler.nextSlice());
    });
  }

  #onFinished(): void {
    const timers = this.#timers;
    if (timers !== undefined) {
      for (const timer of timers) this.#clock.clearTimeout(timer);
      timers.clear();
    }
    const log = this.scheduler.log;
    if (log.status !== 'succeeded' && this.#stopReason === undefined) {
      const reason = new RunCancelledError(this.runId, log.error?.message);
      this.#stopReason = reason;
      const controllers = this.#controllers;
      if (controllers !== undefined) {
        // Taken out first: an abort listener that throws must not leave others un-aborted twice over.
        const live = [...controllers.values()];
        controllers.clear();
        for (const controller of live) controller.abort(reason);
      }
    }
    if (this.#signal) this.#signal.removeEventListener('abort', this.onExternalAbort);
    this.#resolveResult(runResultFromLog(log));
  }

  /** Gives the tracer the events logged so far; when it records, it follows every later event too. */
  followTelemetry(): void {
    if (this.#telemetry === undefined || !this.#telemetry.follow(this.scheduler.log)) return;
    this.#traced = true;
    this.scheduler.listen((event) => this.#dispatch(event));
  }

  /** Hands a failed attempt to the scheduler, sets the retry's timer if any; returns the layers to start now. */
  #failureOutcome(layer: number, error: unknown, retryable: boolean): readonly number[] {
    const outcome = this.scheduler.failed(layer, error, retryable);
    if (outcome.kind === 'retry') {
      const timer = this.#clock.setTimeout(() => {
        this.#timers?.delete(timer);
        this.startAll(this.scheduler.retryDue(layer));
      }, outcome.delayMs);
      this.#timers ??= new Set();
      this.#timers.add(timer);
    }
    return outcome.start;
  }

  #settle(layer: number, attempt: number): boolean {
    const live = this.#live;
    if (live[layer] !== attempt) return false;
    live[layer] = 0;
    const controllers = this.#controllers;
    if (controllers !== undefined && controllers.size > 0) controllers.delete(layer);
    const deadlines = this.#deadlines;
    if (deadlines !== undefined && deadlines.size > 0 && deadlines.has(layer)) {
      const timer = deadlines.get(layer);
      deadlines.delete(layer);
      this.#clock.clearTimeout(timer);
      this.#timers?.delete(timer);
    }
    return true;
  }

  /** The signal of `layer`'s attempt: made on first read; already aborted once the run stopped. */
  signalOf(layer: number, attempt: number): AbortSignal {
    const live = this.#live[layer] === attempt;
    const existing = live ? this.#controllers?.get(layer) : undefined;
    if (existing) return existing.signal;
    const controller = new AbortController();
    if (this.#stopReason !== undefined) controller.abort(this.#stopReason);
    else if (live) {
      this.#controllers ??= new Map();
      this.#controllers.set(layer, controller);
    }
    return controller.signal;
  }

  /** An attempt with a time limit gets its signal up front, aborted by the timer or by the run. */
  #guardTimeout(layer: number, attempt: number, name: string, timeoutMs: number): void {
    const controller = new AbortController();
    this.#controllers ??= new Map();
    this.#controllers.set(layer, controller);
    const timer = this.#clock.setTimeout(() => {
      const error = new LayerTimeoutError(name, timeoutMs, this.runId);
      controller.abort(error);
      if (this.#settle(layer, attempt)) this.startAll(this.#failureOutcome(layer, error, true));
    }, timeoutMs);
    this.#timers ??= new Set();
    this.#timers.add(timer);
    this.#deadlines ??= new Map();
    this.#deadlines.set(layer, timer);
  }

  /**
   * Calls the layer's function for its current attempt. Returns what it
   * returned, or `FAILED` when it threw at once (the failure is already
   * handed to the scheduler and what it freed is started).
   */
  #invokeAttempt(layer: number, attempt: number): unknown {
    const graph = this.graph;
    const spec = graph.layers[layer] as ResolvedLayer;
    this.#live[layer] = attempt;
    if (spec.timeout !== undefined) this.#guardTimeout(layer, attempt, spec.name, spec.timeout);
    try {
      // Every layer has its function: the builder refuses a run with an unbound one before it starts.
      const execute = spec.execute as LayerFunction;
      const context = new AttemptContext(this, layer, attempt, spec.name);
      if (this.#traced) {
        const args = resolveArguments(graph, layer, this.#results, this.#input, this.runId);
        return (this.#telemetry as RunTelemetry).runInSpan(
          spec.name,
          invoke,
          execute,
          args,
          context,
        );
      }
      if (spec.args === undefined) {
        return invokeWithDependencies(
          execute,
          graph.dependencies[layer] as readonly number[],
          this.#results,
          context,
        );
      }
      return invokeWithArguments(
        execute,
        graph,
        layer,
        this.#results,
        this.#input,
        this.runId,
        context,
      );
    } catch (error) {
      if (this.#settle(layer, attempt))
        this.startAll(
          this.#failureOutcome(
            layer,
            error,
            !(error instanceof FusyncError) || error.code === 'LAYER_TIMEOUT',
          ),
        );
      return FAILED;
    }
  }

  /**
   * A lane runs attempts one after another: it calls a layer, waits for its
   * outcome, gives it to the scheduler, then runs the first layer that
   * outcome freed itself and opens a lane for each other one. A lane whose
   * attempt was settled elsewhere meanwhile (a timeout, a cancel) stops: the
   * slot was handed on there. One async call per lane, not one per
   * attempt: a long run keeps about `concurrency` of them alive.
   */
  async #lane(first: number): Promise<void> {
    const scheduler = this.scheduler;
    let layer = first;
    let others: readonly number[] | undefined;
    for (;;) {
      const attempt = scheduler.attempt(layer);
      const returned = this.#invokeAttempt(layer, attempt);
      // The layers freed with this one start after it, in the order the scheduler gave.
      if (others !== undefined) {
        for (let i = 1; i < others.length; i++) void this.#lane(others[i] as number);
        others = undefined;
      }
      if (returned === FAILED) return;
      // Only the layer's own outcome is caught here: a throwing listener is not the layer failing.
      let value: unknown;
      let failure: { error: unknown } | undefined;
      try {
        value = await returned;
      } catch (error) {
        failure = { error };
      }
      if (!this.#settle(layer, attempt)) return;
      const next =
        failure === undefined
          ? scheduler.succeeded(layer, value)
          : this.#failureOutcome(
              layer,
              failure.error,
              !(isAbortLike(failure.error) && this.#stopReason !== undefined),
            );
      if (next.length === 0) return;
      layer = next[0] as number;
      others = next;
    }
  }

  startAll(layers: readonly number[]): void {
    for (let i = 0; i < layers.length; i++) void this.#lane(layers[i] as number);
  }

  readonly cancel = (reason?: unknown): void => {
    this.scheduler.cancel(reason);
  };

  readonly onExternalAbort = (): void => this.cancel(this.#signal?.reason);
}

/**
 * Runs a sequence in this process: drives a `RunScheduler`, calls each
 * layer's function with its resolved arguments and context, enforces
 * timeouts through `AbortSignal`, waits out retry delays on the clock.
 *
 * Events are built as objects only when someone listens (`onEvent`, a
 * recording tracer); otherwise they stay in the scheduler's log until the
 * result is read.
 */
export function executeRun(run: ExecuteRunOptions): RunHandle {
  const memoryRun = new MemoryRun(run);
  const signal = run.signal;
  if (signal?.aborted) {
    memoryRun.cancel(signal.reason);
    memoryRun.followTelemetry();
  } else {
    signal?.addEventListener('abort', memoryRun.onExternalAbort, { once: true });
    const first = memoryRun.scheduler.start();
    memoryRun.followTelemetry();
    memoryRun.startAll(first);
  }
  return { runId: run.runId, result: memoryRun.result, cancel: memoryRun.cancel };
}

/** The graph of a run of no layers: what the kept run below is driven on. */
const NO_LAYERS: SequenceGraph = {
  layers: [],
  indexOf: new Map(),
  dependencies: [],
  dependents: [],
  dependentsFlat: new Int32Array(0),
  dependentsStart: new Int32Array(1),
  argumentPlans: [],
  samePriority: true,
};

// The shapes a run's objects take, kept for the life of the module (see `keepShape`): a run of no
// layers started as `executeRun` starts one — its scheduler, log and result — and an attempt's context.
{
  const idle = keepShape(new MemoryRun({ graph: NO_LAYERS, options: resolveOptions(), runId: '' }));
  idle.startAll(idle.scheduler.start());
  keepShape(new AttemptContext(idle, 0, 1, ''));
}
