import { readFile } from 'node:fs/promises';
import {
  AdvancedSequenceBuilder,
  FusyncError,
  layersFromJson,
  parseSequenceText,
  type RunResult,
  renderGraph,
  renderMetrics,
  renderTimeline,
  type SequenceConfig,
  type SequenceJson,
} from 'fusync';
import type { OperationCatalog } from '../operations/operation-catalog.js';
import { type ProgressStream, progressDisplay } from './progress-display.js';

/** Options of `fusync run`. */
export interface RunCommandOptions {
  sequenceFile: string;
  operations: OperationCatalog;
  inputFile?: string | undefined;
  /** Run through Redis (BullMQ) with an embedded worker instead of in memory. */
  redisUrl?: string | undefined;
  /** Key prefix in Redis (`--prefix`), default `fusync`. */
  redisPrefix?: string | undefined;
  /** Print the run result as JSON instead of the timeline, graph and metrics. */
  json?: boolean;
  /** Cancels the run (Ctrl-C). */
  signal?: AbortSignal;
  stdout: { write(text: string): unknown };
  stderr: ProgressStream;
}

/** A problem with what `fusync run` was given: reported on one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

async function readJsonFile(what: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
}

async function readInput(file: string | undefined): Promise<Record<string, unknown>> {
  if (file === undefined) return {};
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
function configFor(
  json: SequenceJson,
  redisUrl: string | undefined,
  redisPrefix: string | undefined,
): SequenceConfig {
  const config: SequenceConfig = {};
  const { useRedis: _useRedis, verbose: _verbose, ...saved } = json.config ?? {};
  for (const [key, value] of Object.entries(saved)) {
    if (value !== undefined) (config as Record<string, unknown>)[key] = value;
  }
  if (json.name !== undefined) config.name = json.name;
  if (redisUrl !== undefined) {
    config.useRedis = true;
    config.redisOptions =
      redisPrefix === undefined ? { url: redisUrl } : { url: redisUrl, prefix: redisPrefix };
  }
  return config;
}

/** Loads and validates the whole sequence before anything runs. */
export async function loadSequence(
  file: string,
  operations: OperationCatalog,
  redisUrl?: string,
  redisPrefix?: string,
): Promise<AdvancedSequenceBuilder> {
  const text = await readJsonFile('sequence file', file);
  try {
    const json = parseSequenceText(text);
    const builder = new AdvancedSequenceBuilder(configFor(json, redisUrl, redisPrefix));
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

/** The timeline, dependency graph and metrics of a finished run, as printed after it. */
export function reportOf(result: RunResult): string {
  return `${renderTimeline(result)}\n\n${renderGraph(result.layers)}\n\n${renderMetrics(result)}\n`;
}

/**
 * `fusync run sequence.json`: validates, runs with a live progress display on
 * stderr, then prints the timeline, graph and metrics on stdout. Resolves to
 * the exit code: 0 when the run succeeded, 1 otherwise.
 */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const builder = await loadSequence(
    options.sequenceFile,
    options.operations,
    options.redisUrl,
    options.redisPrefix,
  );
  const input = await readInput(options.inputFile);
  const display = progressDisplay(options.stderr);
  const handle = builder.run(input, { onEvent: (event) => display.onEvent(event) });
  const cancel = (): void => handle.cancel(new Error('Cancelled from the command line.'));
  options.signal?.addEventListener('abort', cancel, { once: true });
  let result: RunResult;
  try {
    result = await handle.result;
  } finally {
    options.signal?.removeEventListener('abort', cancel);
    display.finish();
  }
  if (options.json) {
    const { events: _events, ...rest } = result;
    options.stdout.write(
      `${JSON.stringify(rest, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value), 2)}\n`,
    );
  } else {
    options.stdout.write(`\n${reportOf(result)}`);
  }
  for (const layer of result.layers) {
    if (layer.status === 'failed' && layer.error)
      options.stderr.write(`✖ ${layer.name}: ${layer.error.message}\n`);
  }
  if (result.status !== 'succeeded')
    options.stderr.write(`Run ${result.runId} ${result.status}.\n`);
  return result.status === 'succeeded' ? 0 : 1;
}
