import type { Clock } from './core/clock.js';
import { didYouMean, FusyncError, ValidationError } from './core/errors.js';
import type { RunEvent } from './core/events.js';
import { executeRun, type RunHandle } from './core/executor.js';
import { readTextFileSync, writeTextFile } from './core/files.js';
import { compileGraph, type SequenceGraph } from './core/graph.js';
import { consoleLogger, type Logger, silentLogger } from './core/logger.js';
import { resolveLayer, resolveOptions, validateLayerConfig } from './core/options.js';
import type { PreviousRun, RerunFrom, RerunPlan } from './core/rerun.js';
import { createRunId } from './core/run-id.js';
import type { RunResult } from './core/run-result.js';
import type { RunReuse } from './core/scheduler.js';
import {
  bindOperation,
  configFromJson,
  layersFromJson,
  type OperationRegistry,
  toSequenceJson,
} from './core/sequence-io.js';
import {
  parseSequenceJson,
  parseSequenceText,
  type SequenceJson,
  type StudioNodeJson,
} from './core/sequence-json.js';
import { keepShape } from './core/shapes.js';
import type { LayerConfig, ResolvedOptions, SequenceConfig } from './core/types.js';
import { remoting, reporting, rerunning, tracerProviderRegistered, tracing } from './on-demand.js';

/** Every layer needs its function before a run starts: refuse the run otherwise, naming the layers. */
function assertBound(graph: SequenceGraph): void {
  let bound = true;
  for (const layer of graph.layers) if (layer.execute === undefined) bound = false;
  if (bound) return;
  const unbound = graph.layers.filter((layer) => layer.execute === undefined);
  const first = unbound[0] as (typeof unbound)[number];
  const names = unbound
    .map((layer) => `\`${layer.name}\` (operation \`${layer.operation ?? '?'}\`)`)
    .join(', ');
  throw new FusyncError(
    'OPERATION_NOT_BOUND',
    `${unbound.length === 1 ? 'Layer' : 'Layers'} ${names} ${unbound.length === 1 ? 'has' : 'have'} no function. Pass \`operations\` to \`load\`/\`fromJSON\`, or call \`bind({ name: fn })\` before running.`,
    { layer: first.name },
  );
}

/**
 * The handle of a run that starts once `ready` resolves (a part loaded on
 * demand): `start` gets the signal to run under — aborted when the run was
 * cancelled before it could start, so nothing of it runs. A cancel while
 * `start` itself waits (a backend connecting) is passed on once it has.
 */
function startsLater(
  runId: string,
  signal: AbortSignal | undefined,
  ready: Promise<unknown>,
  start: (signal: AbortSignal | undefined) => RunHandle | Promise<RunHandle>,
): RunHandle {
  let handle: RunHandle | undefined;
  let cancelled: { reason: unknown } | undefined;
  const result = ready.then(async () => {
    const started = await start(cancelled ? AbortSignal.abort(cancelled.reason) : signal);
    handle = started;
    if (cancelled) started.cancel(cancelled.reason);
    return started.result;
  });
  return {
    runId,
    result,
    cancel(reason?: unknown) {
      cancelled ??= { reason };
      handle?.cancel(reason);
    },
  };
}

/** Options of one run. */
export interface RunOptions {
  /** Cancels the run when aborted. */
  signal?: AbortSignal | undefined;
  /** Every event of the run, in order, as it happens. */
  onEvent?: (event: RunEvent) => void;
  /** Id of the run. Default: a random id. */
  runId?: string;
  /** Clock for timestamps, timeouts and retry delays. Default: the system clock. */
  clock?: Clock;
}

/** Options of `rerun`: where it starts and its input, plus those of any run. */
export interface RerunOptions extends RunOptions {
  /**
   * `'failed'` (default): every layer that did not succeed — failed,
   * cancelled, skipped, never started — plus everything downstream. A list
   * of layer names: those layers plus everything downstream.
   */
  from?: RerunFrom;
  /** The input of the layers that run again. Default: the previous run's input. */
  input?: Record<string, unknown>;
}

/** Options of `load` and `fromJSON`. */
export interface LoadOptions {
  /** Operation name → function, to re-bind the saved layers. */
  operations?: OperationRegistry;
}

/**
 * Builds a sequence of layers and runs it.
 *
 * @example
 * const sequence = new AdvancedSequenceBuilder({ concurrency: 3 })
 *   .addLayer({ name: 'a', execute: async () => 1 })
 *   .addLayer({ name: 'b', execute: async (a: number) => a + 1, dependsOn: ['a'] });
 * const run = await sequence.build();
 * run.results.b; // 2
 */
export class AdvancedSequenceBuilder {
  readonly config: Readonly<SequenceConfig>;
  readonly #options: ResolvedOptions;
  readonly #layers: LayerConfig[] = [];
  /**
   * Name → index of the layers, kept as they are added, so `addLayer` stays
   * O(1) on large sequences and a run's graph needs no second index. Once a
   * graph holds it, the next change works on a copy.
   */
  #names = new Map<string, number>();
  #namesShared = false;
  /**
   * The graph `validate()` compiled, until a layer is added, removed or
   * bound: a builder run once per request compiles its graph once. Graphs
   * are read-only, so runs in progress keep theirs whatever happens next.
   */
  #graph: SequenceGraph | undefined;
  #studioNodes: Record<string, StudioNodeJson> = {};
  #lastRun: RunResult | undefined;

  /** Validates the options up front: a bad value throws a `ValidationError` naming the field. */
  constructor(config: SequenceConfig = {}) {
    this.#options = resolveOptions(config);
    this.config = { ...config };
  }

  /** The layers, in the order they were added. */
  get layers(): readonly Readonly<LayerConfig>[] {
    return this.#layers;
  }

  /** Sequence options with every default applied. */
  get options(): ResolvedOptions {
    return this.#options;
  }

  /** The record of the last run of `build()`, if any. */
  get lastRun(): RunResult | undefined {
    return this.#lastRun;
  }

  /**
   * Adds a layer. Dependencies may be added later: the whole graph is
   * validated when a run starts. A bad field or a taken name throws at once.
   */
  addLayer(config: LayerConfig): this {
    validateLayerConfig(config);
    if (this.#names.has(config.name)) {
      throw new ValidationError(
        'DUPLICATE_LAYER',
        `A layer named \`${config.name}\` already exists. Layer names must be unique: rename the new one or \`removeLayer('${config.name}')\` first.`,
        { layer: config.name },
      );
    }
    this.#writableNames().set(config.name, this.#layers.length);
    this.#layers.push({ ...config });
    return this;
  }

  /** Removes a layer by name; an unknown name throws `UNKNOWN_LAYER`. Layers that depend on it fail validation at the next run. */
  removeLayer(name: string): this {
    const at = this.#names.get(name);
    if (at === undefined) {
      throw new ValidationError(
        'UNKNOWN_LAYER',
        `There is no layer named \`${name}\` to remove.${didYouMean(
          name,
          this.#layers.map((l) => l.name),
        )}`,
        { layer: name },
      );
    }
    this.#layers.splice(at, 1);
    const names = this.#writableNames();
    names.delete(name);
    // The layers after it move up by one.
    for (let i = at; i < this.#layers.length; i++)
      names.set((this.#layers[i] as LayerConfig).name, i);
    delete this.#studioNodes[name];
    return this;
  }

  /** Binds functions to layers by operation name (after `load` or `fromJSON` without a registry). */
  bind(operations: OperationRegistry): this {
    this.#graph = undefined;
    for (const layer of this.#layers) {
      layer.execute = bindOperation(operations, layer.name, layer.operation ?? layer.name);
    }
    return this;
  }

  /** Validates the whole graph (unique names, known dependencies, no cycle) and indexes it. */
  validate(): SequenceGraph {
    if (this.#graph !== undefined) return this.#graph;
    const graph = compileGraph(
      this.#layers.map((layer, index) => resolveLayer(layer, index, this.#options)),
      this.#names,
    );
    this.#namesShared = true;
    this.#graph = graph;
    return graph;
  }

  /** The name index, to change: the layers change too, so the compiled graph is dropped. */
  #writableNames(): Map<string, number> {
    this.#graph = undefined;
    if (this.#namesShared) {
      this.#names = new Map(this.#names);
      this.#namesShared = false;
    }
    return this.#names;
  }

  /**
   * Starts a run and returns its handle at once: `runId`, `result` and
   * `cancel()`. Validation errors reject `result` before anything runs.
   */
  run(input: Record<string, unknown> = {}, options: RunOptions = {}): RunHandle {
    const runId = options.runId ?? createRunId();
    let graph: SequenceGraph;
    try {
      graph = this.validate();
      assertBound(graph);
    } catch (error) {
      return { runId, result: Promise.reject(error), cancel() {} };
    }
    return this.#start(graph, input, runId, options, undefined);
  }

  /**
   * Starts a rerun of `previous` and returns its handle at once, like
   * `run()`: the layers `options.from` names (default: those that did not
   * succeed) and everything downstream run again; every other layer is
   * reused — not called, its previous result feeding its dependents, its
   * record `succeeded` with `reusedFrom` and no attempts. A refused rerun
   * rejects `result` before anything runs.
   */
  startRerun(previous: PreviousRun, options: RerunOptions = {}): RunHandle {
    const runId = options.runId ?? createRunId();
    const planner = rerunning.loaded;
    if (planner === undefined) {
      return startsLater(runId, options.signal, rerunning.load(), (signal) =>
        this.startRerun(previous, { ...options, runId, signal }),
      );
    }
    let graph: SequenceGraph;
    let plan: RerunPlan;
    try {
      graph = this.validate();
      plan = planner.planRerun(this.#layers, previous, options.from);
      assertBound(graph);
    } catch (error) {
      return { runId, result: Promise.reject(error), cancel() {} };
    }
    const reuse = planner.reuseOf(plan, graph.indexOf);
    return this.#start(graph, options.input ?? plan.input, runId, options, reuse);
  }

  /**
   * Reruns `previous` — a `RunResult`, its record, its events (what the
   * server streams) or a saved `{ events }` file (what the studio's _Save
   * events_ and `fusync run --save-events` write) — and resolves to
   * the new run's result, like `build()`. The layers `options.from` names
   * (default `'failed'`: every layer that did not succeed) and everything
   * downstream of them run again, with `options.input` (default: the
   * previous run's input); the others are reused: not called, their previous
   * results feeding downstream, recorded as `succeeded` with `reusedFrom`.
   * The result has `parentRunId`.
   *
   * Rejects before anything runs with a `FusyncError` naming the layer when
   * `from` names no layer (`UNKNOWN_LAYER`), the previous run is of another
   * sequence (`RERUN_MISMATCH`) or lacks a result it would reuse
   * (`RERUN_RESULT_MISSING`).
   *
   * @example
   * const failed = await sequence.build({ orderId: 'o-1' });
   * // fix what failed, then:
   * const again = await sequence.rerun(failed);               // from the failures
   * const fromHere = await sequence.rerun(failed, { from: ['createOrder'], input: { orderId: 'o-2' } });
   */
  async rerun(previous: PreviousRun, options: RerunOptions = {}): Promise<RunResult> {
    return this.#finish(await this.startRerun(previous, options).result);
  }

  #start(
    graph: SequenceGraph,
    input: Record<string, unknown>,
    runId: string,
    options: RunOptions,
    reuse: RunReuse | undefined,
  ): RunHandle {
    const remote = this.config.backend !== undefined || this.config.useRedis === true;
    // Spans only when they have somewhere to go: a tracer given, or a provider the app registered.
    const traced = this.config.tracer !== undefined || tracerProviderRegistered();
    const verbose = this.config.verbose === true;
    if (
      (traced && tracing.loaded === undefined) ||
      (verbose && reporting.loaded === undefined) ||
      (remote && remoting.loaded === undefined)
    ) {
      const parts = [
        traced && tracing.load(),
        verbose && reporting.load(),
        remote && remoting.load(),
      ];
      return startsLater(runId, options.signal, Promise.all(parts), (signal) =>
        this.#start(graph, input, runId, { ...options, signal }, reuse),
      );
    }
    const logger = this.#logger();
    const progress = this.config.verbose ? reporting.loaded?.progressLogger(logger) : undefined;
    const listener = options.onEvent;
    // No listener, no event objects during the run: the executor keeps them in its log.
    const onEvent =
      progress && listener
        ? (event: RunEvent): void => {
            progress(event);
            listener(event);
          }
        : (progress ?? listener);
    const telemetry = traced ? tracing.loaded : undefined;
    const tracer = telemetry && (this.config.tracer ?? telemetry.defaultTracer());
    if (remote) {
      const { startRemote } = remoting.loaded as NonNullable<typeof remoting.loaded>;
      return startsLater(runId, options.signal, Promise.resolve(), (signal) =>
        startRemote({
          backend: this.config.backend,
          redisOptions: this.config.redisOptions,
          tracer,
          sequence: { config: this.config, layers: this.#layers, nodes: this.#studioNodes },
          request: {
            graph,
            options: this.#options,
            input,
            runId,
            onEvent: onEvent ?? (() => {}),
            signal,
            reuse,
            logger,
          },
        }),
      );
    }
    return executeRun({
      graph,
      options: this.#options,
      runId,
      input,
      telemetry: telemetry && tracer ? new telemetry.RunTelemetry(tracer) : undefined,
      sequenceName: this.config.name,
      onEvent,
      signal: options.signal,
      reuse,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  /**
   * Runs the sequence with `input` and resolves to the run's result
   * (status, per-layer status, attempts, timings, results, errors, metrics),
   * whatever the run's outcome: check `result.status`. Rejects only when the
   * sequence is invalid, before anything runs. With `verbose`, logs progress
   * and prints the timeline and the metrics at the end.
   */
  async build(input: Record<string, unknown> = {}, options: RunOptions = {}): Promise<RunResult> {
    return this.#finish(await this.run(input, options).result);
  }

  /**
   * Keeps `result` as the last run and, with `verbose`, prints its timeline
   * and metrics (the printing part was loaded when the run started).
   */
  #finish(result: RunResult): RunResult | Promise<RunResult> {
    this.#lastRun = result;
    if (!this.config.verbose) return result;
    const report = reporting.loaded;
    if (report === undefined) return reporting.load().then(() => this.#finish(result));
    const logger = this.#logger();
    logger.info(`\n${report.renderTimeline(result)}\n`);
    logger.info(`${report.renderMetrics(result)}\n`);
    return result;
  }

  /** Editor data (canvas positions, expected durations) kept in the saved JSON's `studio` section. */
  setStudioNode(name: string, node: StudioNodeJson): this {
    this.#studioNodes[name] = { ...node };
    return this;
  }

  /** The sequence as versioned JSON: layers by operation name, options, studio data. */
  toJSON(): SequenceJson {
    return toSequenceJson(this.config, this.#layers, { nodes: this.#studioNodes });
  }

  /** Writes `toJSON()` to a file (Node). */
  async save(filename: string): Promise<void> {
    await writeTextFile(filename, `${JSON.stringify(this.toJSON(), null, 2)}\n`);
  }

  /**
   * Reads a sequence saved with `save()` (Node). Functions are re-bound by
   * operation name from `operations`; without it, call `bind()` before running.
   * Malformed JSON throws a `SequenceFormatError` pointing at the bad field.
   */
  static load(filename: string, options: LoadOptions = {}): AdvancedSequenceBuilder {
    let text: string;
    try {
      text = readTextFileSync(filename);
    } catch (error) {
      if (error instanceof FusyncError) throw error;
      throw new FusyncError(
        'INVALID_SEQUENCE_JSON',
        `Cannot read sequence file \`${filename}\`: ${(error as Error).message}`,
        { cause: error },
      );
    }
    return AdvancedSequenceBuilder.fromJSON(text, options);
  }

  /** Builds a sequence from JSON text or a parsed value (browser and Node). */
  static fromJSON(json: string | unknown, options: LoadOptions = {}): AdvancedSequenceBuilder {
    const parsed = typeof json === 'string' ? parseSequenceText(json) : parseSequenceJson(json);
    const builder = new AdvancedSequenceBuilder(configFromJson(parsed));
    for (const layer of layersFromJson(parsed, options.operations)) builder.addLayer(layer);
    for (const [name, node] of Object.entries(parsed.studio?.nodes ?? {}))
      builder.setStudioNode(name, node);
    return builder;
  }

  #logger(): Logger {
    return this.config.logger ?? (this.config.verbose ? consoleLogger : silentLogger);
  }
}

// Kept, for the shape of a builder (see `keepShape`): a program that builds a sequence per request
// keeps its optimized `addLayer` across collections that find no builder alive.
keepShape(new AdvancedSequenceBuilder().addLayer({ name: 'kept', execute: () => undefined }));
