import { readFile, writeFile } from 'node:fs/promises';
import {
  AdvancedSequenceBuilder,
  FusyncError,
  layersFromJson,
  parseSequenceText,
  planRerun,
  type RerunFrom,
  type RunEvent,
  type RunHandle,
  type RunResult,
  renderGraph,
  renderMetrics,
  renderTimeline,
  type SequenceConfig,
  type SequenceJson,
  toWireArgs,
} from 'fusync';
import type { OperationCatalog } from '../operations/operation-catalog.js';
import { type ProgressStream, progressDisplay } from './progress-display.js';
import { readRunEventsFile, runEventsText } from './run-events-file.js';
import { UsageError } from './usage-error.js';

/** Where `fusync run` runs layers through Redis: one Redis (`url`), a cluster, or neither (in memory). */
interface RedisTarget {
  url?: string | undefined;
  cluster?: string[] | undefined;
  prefix?: string | undefined;
}

/** Options of `fusync run`. */
export interface RunCommandOptions {
  sequenceFile: string;
  operations: OperationCatalog;
  inputFile?: string | undefined;
  /** Run through Redis (BullMQ) with an embedded worker instead of in memory. */
  redisUrl?: string | undefined;
  /** The same on a Redis Cluster, given by its seed nodes (`host:port` each). */
  redisCluster?: string[] | undefined;
  /** Key prefix in Redis (`--prefix`), default `fusync`. */
  redisPrefix?: string | undefined;
  /** Print the run result as JSON instead of the timeline, graph and metrics. */
  json?: boolean;
  /**
   * A run's saved events (`--save-events`, the studio's Save events): rerun
   * that run instead of starting afresh. Its input is the default input.
   */
  rerunFrom?: string | undefined;
  /** Where the rerun starts (`--from`). Default `'failed'`. Only with `rerunFrom`. */
  from?: RerunFrom | undefined;
  /** Write the run's events here once it ends (`--save-events`). */
  saveEvents?: string | undefined;
  /** Cancels the run (Ctrl-C). */
  signal?: AbortSignal;
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
}

async function readJsonFile(what: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
}

async function readInput(file: string): Promise<Record<string, unknown>> {
  const text = await readJsonFile('input file', file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The input file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(
      `The input file ${file} must hold a JSON object (the run input), not ${Array.isArray(value) ? 'an array' : typeof value}.`,
    );
  }
  return value as Record<string, unknown>;
}

/**
 * The saved options, minus what the command line decides: where layers run
 * (`--redis`) and what is printed (the CLI draws its own progress).
 */
function configFor(json: SequenceJson, redis: RedisTarget): SequenceConfig {
  const config: SequenceConfig = {};
  const { useRedis: _useRedis, verbose: _verbose, ...saved } = json.config ?? {};
  for (const [key, value] of Object.entries(saved)) {
    if (value !== undefined) (config as Record<string, unknown>)[key] = value;
  }
  if (json.name !== undefined) config.name = json.name;
  const where = redis.cluster
    ? { cluster: redis.cluster }
    : redis.url
      ? { url: redis.url }
      : undefined;
  if (where) {
    config.useRedis = true;
    config.redisOptions = redis.prefix === undefined ? where : { ...where, prefix: redis.prefix };
  }
  return config;
}

/** Loads and validates the whole sequence before anything runs. */
export async function loadSequence(
  file: string,
  operations: OperationCatalog,
  redis: RedisTarget = {},
): Promise<AdvancedSequenceBuilder> {
  const text = await readJsonFile('sequence file', file);
  try {
    const json = parseSequenceText(text);
    const builder = new AdvancedSequenceBuilder(configFor(json, redis));
    for (const layer of layersFromJson(json, operations.registry)) builder.addLayer(layer);
    builder.validate();
    return builder;
  } catch (error) {
    if (error instanceof FusyncError) {
      const where = error.path ? ` (at ${error.path})` : '';
      throw new UsageError(`${file}: ${error.message}${where}`);
    }
    throw error;
  }
}

/**
 * `--from`: `failed`, or layer names separated by commas.
 *
 * @example
 * parseRerunFrom('createOrder, processPayment'); // ['createOrder', 'processPayment']
 */
export function parseRerunFrom(raw: string): RerunFrom {
  if (raw.trim() === 'failed') return 'failed';
  const names = raw.split(',').map((name) => name.trim());
  if (names.some((name) => name === ''))
    throw new UsageError(
      `Expected --from to be \`failed\` or layer names separated by commas, got \`${raw}\`.`,
    );
  return names;
}

/**
 * Starts the run, or the rerun of a saved run. A rerun is planned first, so
 * a refusal (`--from` naming no layer, a saved run of another sequence, a
 * layer to reuse without a result) is a usage error before anything runs.
 */
async function start(
  builder: AdvancedSequenceBuilder,
  options: RunCommandOptions,
  onEvent: (event: RunEvent) => void,
): Promise<RunHandle> {
  const input = options.inputFile === undefined ? undefined : await readInput(options.inputFile);
  if (options.rerunFrom === undefined) return builder.run(input ?? {}, { onEvent });
  const events = await readRunEventsFile(options.rerunFrom);
  const from = options.from ?? 'failed';
  try {
    planRerun(builder.layers, events, from);
  } catch (error) {
    if (error instanceof FusyncError)
      throw new UsageError(`Cannot rerun the run in ${options.rerunFrom}: ${error.message}`);
    throw error;
  }
  return builder.startRerun(events, { onEvent, from, ...(input === undefined ? {} : { input }) });
}

/** The run result as `--json` prints it: without its events, arguments JSON-safe and capped. */
function resultJson(result: RunResult): string {
  const { events: _events, ...rest } = result;
  const layers = rest.layers.map((layer) => ({
    ...layer,
    attempts: layer.attempts.map((attempt) =>
      attempt.args === undefined ? attempt : { ...attempt, args: toWireArgs(attempt.args) },
    ),
  }));
  return JSON.stringify(
    { ...rest, layers },
    (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
    2,
  );
}

/** The timeline, dependency graph and metrics of a finished run, as printed after it. */
export function reportOf(result: RunResult): string {
  return `${renderTimeline(result)}\n\n${renderGraph(result.layers)}\n\n${renderMetrics(result)}\n`;
}

/**
 * `fusync run sequence.json`: validates, runs (or reruns a saved run) with a
 * live progress display on stderr, then prints the timeline, graph and
 * metrics on stdout. Resolves to the exit code: 0 when the run succeeded, 1
 * otherwise.
 */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  if (options.from !== undefined && options.rerunFrom === undefined)
    throw new UsageError('--from needs --rerun-from <events.json>: the run to rerun.');
  const builder = await loadSequence(options.sequenceFile, options.operations, {
    url: options.redisUrl,
    cluster: options.redisCluster,
    prefix: options.redisPrefix,
  });
  let display: ReturnType<typeof progressDisplay> | undefined;
  const handle = await start(builder, options, (event) => {
    display ??= progressDisplay(options.stderr);
    display.onEvent(event);
  });
  const cancel = (): void => handle.cancel(new Error('Cancelled from the command line.'));
  options.signal?.addEventListener('abort', cancel, { once: true });
  let result: RunResult;
  try {
    result = await handle.result;
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    display?.finish();
  }
  if (options.json) {
    options.stdout.write(`${resultJson(result)}\n`);
  } else {
    options.stdout.write(`\n${reportOf(result)}`);
  }
  for (const layer of result.layers) {
    if (layer.status === 'failed' && layer.error)
      options.stderr.write(`✖ ${layer.name}: ${layer.error.message}\n`);
  }
  if (result.status !== 'succeeded')
    options.stderr.write(`Run ${result.runId} ${result.status}.\n`);
  if (options.saveEvents !== undefined) await saveEvents(options.saveEvents, result.events);
  return result.status === 'succeeded' ? 0 : 1;
}

async function saveEvents(file: string, events: readonly RunEvent[]): Promise<void> {
  try {
    await writeFile(file, runEventsText(events));
  } catch (error) {
    throw new UsageError(`Cannot write the events file ${file}: ${(error as Error).message}`);
  }
}
