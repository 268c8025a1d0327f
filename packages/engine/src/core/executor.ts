import type { Tracer } from '@opentelemetry/api';
import { context as otelContext } from '@opentelemetry/api';
import { resolveArguments } from './arguments.js';
import { type Clock, systemClock } from './clock.js';
import { FusyncError, LayerTimeoutError, RunCancelledError } from './errors.js';
import type { RunEvent } from './events.js';
import type { SequenceGraph } from './graph.js';
import { RunRecorder } from './run-record.js';
import { type RunResult, toRunResult } from './run-result.js';
import { RunScheduler } from './scheduler.js';
import { RunTelemetry } from './telemetry.js';
import type { LayerContext, LayerFunction, ResolvedOptions } from './types.js';

export interface ExecuteRunOptions {
  graph: SequenceGraph;
  options: ResolvedOptions;
  runId: string;
  input?: Readonly<Record<string, unknown>>;
  clock?: Clock;
  tracer: Tracer;
  sequenceName?: string | undefined;
  /** Every event of the run, in order, as it happens. */
  onEvent?: ((event: RunEvent) => void) | undefined;
  /** Cancels the run when aborted. */
  signal?: AbortSignal | undefined;
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
      args.push(context);
      return execute(...args);
  }
}

/** Calls a layer inside its attempt's span. Apart, so the closure it needs is made only when traced. */
function invokeInSpan(
  telemetry: RunTelemetry,
  layer: string,
  execute: LayerFunction,
  args: unknown[],
  context: LayerContext,
): unknown {
  return otelContext.with(telemetry.contextFor(layer), () => invoke(execute, args, context));
}

function isAbortLike(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'AbortError' || error instanceof RunCancelledError)
  );
}

/**
 * Runs a sequence in this process: drives a `RunScheduler`, calls each
 * layer's function with its resolved arguments and context, enforces
 * timeouts through `AbortSignal`, waits out retry delays on the clock.
 */
export function executeRun(run: ExecuteRunOptions): RunHandle {
  const { graph, runId } = run;
  const clock = run.clock ?? systemClock;
  const input = run.input ?? {};
  const recorder = new RunRecorder(runId);
  const telemetry = new RunTelemetry(run.tracer);
  const runController = new AbortController();
  const results: unknown[] = new Array(graph.layers.length);
  const timers = new Set<unknown>();
  const userOnEvent = run.onEvent;
  let resolveResult!: (result: RunResult) => void;
  const result = new Promise<RunResult>((resolve) => {
    resolveResult = resolve;
  });

  const onEvent = (event: RunEvent, layer?: number): void => {
    recorder.apply(event, layer);
    telemetry.onEvent(event);
    if (userOnEvent) userOnEvent(event);
    if (event.type === 'run:finished') {
      for (const timer of timers) clock.clearTimeout(timer);
      timers.clear();
      if (event.status !== 'succeeded' && !runController.signal.aborted) {
        runController.abort(new RunCancelledError(runId, event.error?.message));
      }
      if (run.signal) run.signal.removeEventListener('abort', onExternalAbort);
      resolveResult(toRunResult(recorder.record));
    }
  };

  const scheduler = new RunScheduler({
    graph,
    options: run.options,
    runId,
    clock,
    onEvent,
    sequenceName: run.sequenceName,
    worker: 'memory',
  });

  const afterFailure = (layer: number, error: unknown, retryable: boolean): void => {
    const outcome = scheduler.failed(layer, error, retryable);
    if (outcome.kind === 'retry') {
      const timer = clock.setTimeout(() => {
        timers.delete(timer);
        startAll(scheduler.retryDue(layer));
      }, outcome.delayMs);
      timers.add(timer);
    }
    startAll(outcome.start);
  };

  // The attempt each layer is running now (0: none). An outcome counts only while its attempt is live,
  // so a late result after a timeout or a cancel is ignored. No closure per attempt needed for it.
  const live = new Int32Array(graph.layers.length);
  const cleanups = new Map<number, () => void>();
  const settle = (layer: number, attempt: number): boolean => {
    if (live[layer] !== attempt) return false;
    live[layer] = 0;
    const cleanup = cleanups.size === 0 ? undefined : cleanups.get(layer);
    if (cleanup) {
      cleanups.delete(layer);
      cleanup();
    }
    return true;
  };

  /** An attempt with a time limit gets its own signal, aborted by the timer or by the run. */
  const guardTimeout = (
    layer: number,
    attempt: number,
    name: string,
    timeoutMs: number,
  ): AbortSignal => {
    const controller = new AbortController();
    const forwardAbort = (): void => controller.abort(runController.signal.reason);
    runController.signal.addEventListener('abort', forwardAbort, { once: true });
    const timer = clock.setTimeout(() => {
      const error = new LayerTimeoutError(name, timeoutMs, runId);
      controller.abort(error);
      if (settle(layer, attempt)) afterFailure(layer, error, true);
    }, timeoutMs);
    timers.add(timer);
    cleanups.set(layer, () => {
      clock.clearTimeout(timer);
      timers.delete(timer);
      runController.signal.removeEventListener('abort', forwardAbort);
    });
    return controller.signal;
  };

  const startAttempt = (layer: number): void => {
    const spec = graph.layers[layer];
    if (!spec) return;
    const attempt = scheduler.attempt(layer);
    live[layer] = attempt;
    const signal =
      spec.timeout === undefined
        ? runController.signal
        : guardTimeout(layer, attempt, spec.name, spec.timeout);

    let returned: unknown;
    try {
      if (!spec.execute) {
        throw new FusyncError(
          'OPERATION_NOT_BOUND',
          `Layer \`${spec.name}\` has no function: its operation \`${spec.operation ?? '?'}\` is not bound. Pass it in \`operations\` when loading, or call \`bind({ ${spec.operation ?? spec.name}: fn })\`.`,
          { layer: spec.name, runId },
        );
      }
      const args = resolveArguments(graph, layer, results, input, runId);
      const context: LayerContext = { signal, attempt, layer: spec.name, runId };
      const execute = spec.execute;
      returned = telemetry.active
        ? invokeInSpan(telemetry, spec.name, execute, args, context)
        : invoke(execute, args, context);
    } catch (error) {
      if (settle(layer, attempt))
        afterFailure(
          layer,
          error,
          !(error instanceof FusyncError) || error.code === 'LAYER_TIMEOUT',
        );
      return;
    }
    Promise.resolve(returned).then(
      (value) => {
        if (!settle(layer, attempt)) return;
        results[layer] = value;
        startAll(scheduler.succeeded(layer, value));
      },
      (error: unknown) => {
        if (!settle(layer, attempt)) return;
        afterFailure(layer, error, !(isAbortLike(error) && runController.signal.aborted));
      },
    );
  };

  const startAll = (layers: readonly number[]): void => {
    for (const layer of layers) startAttempt(layer);
  };

  const cancel = (reason?: unknown): void => {
    scheduler.cancel(reason);
  };
  const onExternalAbort = (): void => cancel(run.signal?.reason);

  if (run.signal?.aborted) {
    cancel(run.signal.reason);
  } else {
    run.signal?.addEventListener('abort', onExternalAbort, { once: true });
    startAll(scheduler.start());
  }
  return { runId, result, cancel };
}
