import type { Tracer } from '@opentelemetry/api';
import {
  AdvancedSequenceBuilder,
  FusyncError,
  layersFromJson,
  planRerun,
  type RerunFrom,
  type RunEvent,
  type RunHandle,
  type RunRecord,
  type SequenceConfig,
  type SequenceJson,
} from 'fusync';
import { toSequenceConfig } from '../lib/sequence-document';
import { browserOperations } from '../operations';
import { RunEventBatcher, type RunStoreApi, runStore } from '../stores/run-store';
import { cancelActiveRun, setActiveRun } from './active-run';

export interface BrowserRunOptions {
  tracer?: Tracer;
  store?: RunStoreApi;
}

/** Why a run could not start, and the layer it concerns. */
export class RunStartError extends Error {
  readonly layer: string | undefined;
  constructor(message: string, layer: string | undefined) {
    super(message);
    this.name = 'RunStartError';
    this.layer = layer;
  }
}

/**
 * Builds the engine's sequence from the studio's JSON with the browser
 * operations bound and the studio's tracer: the in-memory engine runs it in
 * this tab.
 */
export function browserSequence(json: SequenceJson, tracer?: Tracer): AdvancedSequenceBuilder {
  const { useRedis: _notInBrowser, ...options } = json.config ?? {};
  const config: SequenceConfig = toSequenceConfig(options, json.name);
  if (tracer) config.tracer = tracer;
  const builder = new AdvancedSequenceBuilder(config);
  for (const layer of layersFromJson(json, browserOperations)) builder.addLayer(layer);
  return builder;
}

/**
 * Runs the sequence in this tab; events reach the run store once per frame.
 * Resolves when the run has finished. Throws `RunStartError` when it cannot
 * start (unknown operation, invalid graph), naming the layer.
 */
export async function runInBrowser(
  json: SequenceJson,
  input: Record<string, unknown>,
  options: BrowserRunOptions = {},
): Promise<void> {
  cancelActiveRun();
  let builder: AdvancedSequenceBuilder;
  try {
    builder = browserSequence(json, options.tracer);
    builder.validate();
  } catch (error) {
    throw toStartError(error);
  }
  await followBrowserRun(options.store ?? runStore, (onEvent) => builder.run(input, { onEvent }));
}

/**
 * Reruns `previous` in this tab with the sequence `json` (the canvas, edits
 * included): the layers `from` names and everything downstream run again,
 * the others keep their results. Throws `RunStartError`, naming the layer,
 * before anything runs or the run on display is cleared, when the rerun is
 * refused (the engine's `planRerun`: unknown layer, another sequence's run,
 * a result to reuse that the record lacks). Otherwise returns the promise of
 * the run's end.
 */
export function rerunInBrowser(
  json: SequenceJson,
  previous: RunRecord,
  rerun: { from: RerunFrom; input: Record<string, unknown> },
  options: BrowserRunOptions = {},
): Promise<void> {
  let builder: AdvancedSequenceBuilder;
  try {
    builder = browserSequence(json, options.tracer);
    builder.validate();
    planRerun(json.layers, previous, rerun.from);
  } catch (error) {
    throw toStartError(error);
  }
  cancelActiveRun();
  return followBrowserRun(options.store ?? runStore, (onEvent) =>
    builder.startRerun(previous, { from: rerun.from, input: rerun.input, onEvent }),
  );
}

/** Shows a run of this tab in the store until it ends; Cancel stops it. */
async function followBrowserRun(
  store: RunStoreApi,
  start: (onEvent: (event: RunEvent) => void) => RunHandle,
): Promise<void> {
  const batcher = new RunEventBatcher(store);
  store.getState().begin('browser');
  const handle = start(batcher.push);
  setActiveRun(() => handle.cancel());
  try {
    await handle.result;
  } catch (error) {
    batcher.flush();
    const failure = toStartError(error);
    store.getState().fail(failure.message);
    throw failure;
  } finally {
    batcher.flush();
    setActiveRun(undefined);
  }
}

function toStartError(error: unknown): RunStartError {
  if (error instanceof RunStartError) return error;
  if (error instanceof FusyncError) return new RunStartError(error.message, error.layer);
  return new RunStartError(error instanceof Error ? error.message : String(error), undefined);
}
