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

/** Calls a layer inside its attempt's span. Apart, so the closure it needs is made only when traced. */
function invokeInSpan(
  telemetry: RunTelemetry,
  layer: string,
  execute: LayerFunction,
  args: unknown[],
  context: LayerContext,
): unknown {
  return telemetry.runInSpan(layer, () => invoke(execute, args, context));
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
      return this.#signalOf(this.#index, this.attempt);
    },
    enumerable: true,
  };
  declare readonly signal: AbortSignal;
  readonly attempt: number;
  readonly layer: string;
  readonly runId: string;
  readonly #signalOf: (layer: number, attempt: number) => AbortSignal;
  readonly #index: number;

  constructor(
    signalOf: (layer: number, attempt: number) => AbortSignal,
    index: number,
    attempt: number,
    layer: string,
    runId: string,
  ) {
    Object.defineProperty(this, 'signal', AttemptContext.#signal);
    this.attempt = attempt;
    this.layer = layer;
    this.runId = runId;
    this.#signalOf = signalOf;
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
 * Runs a sequence in this process: drives a `RunScheduler`, calls each
 * layer's function with its resolved arguments and context, enforces
 * timeouts through `AbortSignal`, waits out retry delays on the clock.
 *
 * Events are built as objects only when someone listens (`onEvent`, a
 * recording tracer); otherwise they stay in the scheduler's log until the
 * result is read.
 */
export function executeRun(run: ExecuteRunOptions): RunHandle {
  const { graph, runId } = run;
  const clock = run.clock ?? systemClock;
  const input = run.input ?? {};
  const telemetry = run.telemetry;
  // Why the run stopped (it finished without succeeding): every live attempt's signal aborts with it.
  let stopReason: RunCancelledError | undefined;
  // Made with the first timer (a retry's delay, a time limit): most runs set none.
  let timers: Set<unknown> | undefined;
  const userOnEvent = run.onEvent;
  let slicePending = false;
  let resolveResult!: (result: RunResult) => void;
  const result = new Promise<RunResult>((resolve) => {
    resolveResult = resolve;
  });

  // Set once the tracer is known to record: from then on every event also goes to the spans.
  let traced = false;
  const dispatch = (event: RunEvent): void => {
    if (traced) (telemetry as RunTelemetry).onEvent(event);
    if (userOnEvent) userOnEvent(event);
  };

  const onFinished = (): void => {
    if (timers !== undefined) {
      for (const timer of timers) clock.clearTimeout(timer);
      timers.clear();
    }
    const log = scheduler.log;
    if (log.status !== 'succeeded' && stopReason === undefined) {
      const reason = new RunCancelledError(runId, log.error?.message);
      stopReason = reason;
      if (controllers !== undefined) {
        // Taken out first: an abort listener that throws must not leave others un-aborted twice over.
        const live = [...controllers.values()];
        controllers.clear();
        for (const controller of live) controller.abort(reason);
      }
    }
    if (run.signal) run.signal.removeEventListener('abort', onExternalAbort);
    resolveResult(runResultFromLog(log));
  };

  const scheduler = new RunScheduler({
    graph,
    options: run.options,
    runId,
    clock,
    onEvent: userOnEvent ? dispatch : undefined,
    onFinished,
    sequenceName: run.sequenceName,
    worker: 'memory',
    input,
    reuse: run.reuse,
    slice: START_SLICE,
    onSliceSpent: () => {
      if (slicePending) return;
      slicePending = true;
      nextTurn(() => {
        slicePending = false;
        startAll(scheduler.nextSlice());
      });
    },
  });
  const results = scheduler.log.results;

  /** Gives the tracer the events logged so far; when it records, it follows every later event too. */
  const followTelemetry = (): void => {
    const log = scheduler.log;
    if (telemetry === undefined || log.length === 0) return;
    const start = log.start;
    telemetry.startRun(
      {
        runId: start.runId,
        time: log.timeAt(0),
        concurrency: start.concurrency,
        queueType: start.queueType,
        sequenceName: start.sequenceName,
        parentRunId: start.parentRunId,
        layerCount: start.graph.layers.length,
      },
      () => start.graph.layers,
    );
    if (!telemetry.active) return;
    for (let i = 1; i < log.length; i++) telemetry.onEvent(log.kept(i));
    traced = true;
    scheduler.listen(dispatch);
  };

  /** Hands a failed attempt to the scheduler, sets the retry's timer if any; returns the layers to start now. */
  const failureOutcome = (layer: number, error: unknown, retryable: boolean): readonly number[] => {
    const outcome = scheduler.failed(layer, error, retryable);
    if (outcome.kind === 'retry') {
      const timer = clock.setTimeout(() => {
        timers?.delete(timer);
        startAll(scheduler.retryDue(layer));
      }, outcome.delayMs);
      timers ??= new Set();
      timers.add(timer);
    }
    return outcome.start;
  };
  const afterFailure = (layer: number, error: unknown, retryable: boolean): void => {
    startAll(failureOutcome(layer, error, retryable));
  };

  // The attempt each layer is running now (0: none). An outcome counts only while its attempt is live,
  // so a late result after a timeout or a cancel is ignored. No closure per attempt needed for it.
  const live = new Int32Array(graph.layers.length);
  // The signal of each live attempt that has one: made when the layer first reads `signal`, or up
  // front for a time limit. One controller per attempt, aborted by its timer or when the run stops —
  // never listeners piling up on one shared signal, which costs Node time quadratic in their number.
  // Made with the first signal a layer reads: most layers read none.
  let controllers: Map<number, AbortController> | undefined;
  // The time-limit timer of each live attempt that has one; made with the first.
  let deadlines: Map<number, unknown> | undefined;
  const settle = (layer: number, attempt: number): boolean => {
    if (live[layer] !== attempt) return false;
    live[layer] = 0;
    if (controllers !== undefined && controllers.size > 0) controllers.delete(layer);
    if (deadlines !== undefined && deadlines.size > 0 && deadlines.has(layer)) {
      const timer = deadlines.get(layer);
      deadlines.delete(layer);
      clock.clearTimeout(timer);
      timers?.delete(timer);
    }
    return true;
  };

  /** The signal of `layer`'s attempt: made on first read; already aborted once the run stopped. */
  const signalOf = (layer: number, attempt: number): AbortSignal => {
    const existing = live[layer] === attempt ? controllers?.get(layer) : undefined;
    if (existing) return existing.signal;
    const controller = new AbortController();
    if (stopReason !== undefined) controller.abort(stopReason);
    else if (live[layer] === attempt) {
      controllers ??= new Map();
      controllers.set(layer, controller);
    }
    return controller.signal;
  };

  /** An attempt with a time limit gets its signal up front, aborted by the timer or by the run. */
  const guardTimeout = (layer: number, attempt: number, name: string, timeoutMs: number): void => {
    const controller = new AbortController();
    controllers ??= new Map();
    controllers.set(layer, controller);
    const timer = clock.setTimeout(() => {
      const error = new LayerTimeoutError(name, timeoutMs, runId);
      controller.abort(error);
      if (settle(layer, attempt)) afterFailure(layer, error, true);
    }, timeoutMs);
    timers ??= new Set();
    timers.add(timer);
    deadlines ??= new Map();
    deadlines.set(layer, timer);
  };

  /**
   * Calls the layer's function for its current attempt. Returns what it
   * returned, or `FAILED` when it threw at once (the failure is already
   * handed to the scheduler and what it freed is started).
   */
  const invokeAttempt = (layer: number, attempt: number): unknown => {
    const spec = graph.layers[layer] as ResolvedLayer;
    live[layer] = attempt;
    if (spec.timeout !== undefined) guardTimeout(layer, attempt, spec.name, spec.timeout);
    try {
      // Every layer has its function: the builder refuses a run with an unbound one before it starts.
      const execute = spec.execute as LayerFunction;
      const context = new AttemptContext(signalOf, layer, attempt, spec.name, runId);
      if (traced) {
        const args = resolveArguments(graph, layer, results, input, runId);
        return invokeInSpan(telemetry as RunTelemetry, spec.name, execute, args, context);
      }
      if (spec.args === undefined) {
        return invokeWithDependencies(
          execute,
          graph.dependencies[layer] as readonly number[],
          results,
          context,
        );
      }
      return invokeWithArguments(execute, graph, layer, results, input, runId, context);
    } catch (error) {
      if (settle(layer, attempt))
        afterFailure(
          layer,
          error,
          !(error instanceof FusyncError) || error.code === 'LAYER_TIMEOUT',
        );
      return FAILED;
    }
  };

  /**
   * A lane runs attempts one after another: it calls a layer, waits for its
   * outcome, gives it to the scheduler, then runs the first layer that
   * outcome freed itself and opens a lane for each other one. A lane whose
   * attempt was settled elsewhere meanwhile (a timeout, a cancel) stops: the
   * slot was handed on there. One async function per lane, not one per
   * attempt: a long run keeps about `concurrency` of them alive.
   */
  const lane = async (first: number): Promise<void> => {
    let layer = first;
    let others: readonly number[] | undefined;
    for (;;) {
      const attempt = scheduler.attempt(layer);
      const returned = invokeAttempt(layer, attempt);
      // The layers freed with this one start after it, in the order the scheduler gave.
      if (others !== undefined) {
        for (let i = 1; i < others.length; i++) void lane(others[i] as number);
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
      if (!settle(layer, attempt)) return;
      const next =
        failure === undefined
          ? scheduler.succeeded(layer, value)
          : failureOutcome(
              layer,
              failure.error,
              !(isAbortLike(failure.error) && stopReason !== undefined),
            );
      if (next.length === 0) return;
      layer = next[0] as number;
      others = next;
    }
  };

  const startAll = (layers: readonly number[]): void => {
    for (let i = 0; i < layers.length; i++) void lane(layers[i] as number);
  };

  const cancel = (reason?: unknown): void => {
    scheduler.cancel(reason);
  };
  const onExternalAbort = (): void => cancel(run.signal?.reason);

  if (run.signal?.aborted) {
    cancel(run.signal.reason);
    followTelemetry();
  } else {
    run.signal?.addEventListener('abort', onExternalAbort, { once: true });
    const first = scheduler.start();
    followTelemetry();
    startAll(first);
  }
  return { runId, result, cancel };
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

// The shapes a run's objects take, kept for the life of the module (see `keepShape`): an attempt's
// context, and a run of no layers driven as `executeRun` drives one, with its log and its result.
const ignore = (): void => {};
keepShape(new AttemptContext(() => new AbortController().signal, 0, 1, '', ''));
{
  const idle = new RunScheduler({
    graph: NO_LAYERS,
    options: resolveOptions(),
    runId: '',
    clock: systemClock,
    onFinished: ignore,
    worker: 'memory',
    slice: START_SLICE,
    onSliceSpent: ignore,
  });
  idle.start();
  keepShape(idle);
  keepShape(runResultFromLog(idle.log));
}
