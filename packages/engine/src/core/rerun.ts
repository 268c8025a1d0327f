import { didYouMean, FusyncError } from './errors.js';
import type { RunEvent } from './events.js';
import { reachable } from './graph.js';
import type { LayerRecord, RunRecord } from './run-record.js';
import { runRecordFromEvents } from './run-record.js';
import type { RunReuse } from './scheduler.js';
import { topologyOf } from './topology.js';
import { isOmittedValue } from './wire-value.js';

/**
 * Where a rerun starts: `'failed'` — every layer of the previous run that
 * did not succeed (failed, cancelled, skipped, never started) — or a list of
 * layer names. Either way everything downstream of them runs again too. A
 * layer the previous run did not have runs when it is downstream of one of
 * them; otherwise the rerun is refused (`RERUN_MISMATCH`): there is no
 * result to reuse.
 */
export type RerunFrom = 'failed' | readonly string[];

/**
 * Which layers a rerun executes and which it reuses, decided before anything
 * runs.
 *
 * @example
 * const plan = planRerun(sequence.layers, failedRun);
 * console.log(`${plan.rerun.length} to run again, ${plan.reused.length} reused from ${plan.parentRunId}`);
 */
export interface RerunPlan {
  /** The run whose results are reused. */
  parentRunId: string;
  /** The previous run's input: a rerun's default input. */
  input: Record<string, unknown>;
  /** Layers that run again, in declaration order. */
  rerun: string[];
  /** Layers that are not executed, in declaration order. */
  reused: string[];
  /** The previous result of each reused layer. */
  results: ReadonlyMap<string, unknown>;
}

/** A layer as the planner needs it: its name and dependencies. */
export interface RerunLayer {
  readonly name: string;
  readonly dependsOn?: readonly string[] | undefined;
}

/**
 * A finished run to rerun: its `RunResult` or record, its events, or what
 * the studio's _Save events_ and `fusync run --save-events` write
 * (`{ events: [...] }`).
 *
 * @example
 * await sequence.rerun(JSON.parse(await readFile('run.json', 'utf8')) as PreviousRun);
 */
export type PreviousRun =
  | RunRecord
  | readonly RunEvent[]
  | { readonly events: readonly RunEvent[] };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The record of a previous run, from any form `PreviousRun` allows; anything else is refused. */
export function previousRecord(previous: PreviousRun): RunRecord {
  const value: unknown = previous;
  if (Array.isArray(value)) return recordOfEvents(value as readonly RunEvent[]);
  if (isObject(value)) {
    if (Array.isArray(value.layers) && typeof value.runId === 'string')
      return value as unknown as RunRecord;
    if (Array.isArray(value.events)) return recordOfEvents(value.events as RunEvent[]);
  }
  throw new FusyncError(
    'INVALID_RUN_RECORD',
    'The previous run is neither a run result, its record, its events, nor a saved `{ events }` file: pass one of those.',
    { path: 'previous' },
  );
}

function recordOfEvents(events: readonly RunEvent[]): RunRecord {
  if (!isObject(events[0]) || events[0].type !== 'run:started') {
    throw new FusyncError(
      'INVALID_RUN_RECORD',
      'The previous run’s events do not start with `run:started`: pass the whole event record of the run (a `RunResult`, its `events`, or the file the studio’s Save events writes).',
      { path: 'events[0]' },
    );
  }
  return runRecordFromEvents(events);
}

/**
 * Decides a rerun of `previous` for the sequence `layers`: the layers named
 * by `from` and everything downstream of them run again; every other layer
 * is reused with its previous result. Pure: nothing runs.
 *
 * @throws FusyncError, naming the layer, before anything runs:
 * `UNKNOWN_LAYER` (a name in `from` is not a layer), `RUN_NOT_FINISHED`,
 * `RERUN_MISMATCH` (a layer to reuse is missing from the previous run or had
 * other dependencies there: a run of another sequence), `RERUN_RESULT_MISSING`
 * (a layer to reuse did not succeed, or its result was not kept whole).
 *
 * @example
 * planRerun(sequence.layers, run.events, ['createOrder']).rerun; // ['createOrder', 'processPayment']
 */
export function planRerun(
  layers: readonly RerunLayer[],
  previous: PreviousRun,
  from: RerunFrom = 'failed',
): RerunPlan {
  const record = previousRecord(previous);
  const runId = record.runId;
  if (record.status === 'running') {
    throw new FusyncError(
      'RUN_NOT_FINISHED',
      `Run ${runId} has not finished: wait for it, or cancel it, before rerunning it.`,
      { runId },
    );
  }
  const before = new Map<string, LayerRecord>();
  for (const layer of record.layers) before.set(layer.name, layer);
  const index = new Map<string, number>();
  layers.forEach((layer, at) => {
    index.set(layer.name, at);
  });

  const seeds: number[] = [];
  if (from === 'failed') {
    layers.forEach((layer, at) => {
      const kept = before.get(layer.name);
      if (kept !== undefined && kept.status !== 'succeeded') seeds.push(at);
    });
  } else {
    if (!Array.isArray(from)) {
      throw new FusyncError(
        'INVALID_OPTION',
        `Expected \`from\` to be 'failed' or a list of layer names, got \`${JSON.stringify(from)}\`.`,
        { path: 'from' },
      );
    }
    from.forEach((name, at) => {
      const found = index.get(name);
      if (found === undefined) {
        throw new FusyncError(
          'UNKNOWN_LAYER',
          `Cannot rerun from \`${name}\`: the sequence has no such layer.${didYouMean(name, index.keys())}`,
          { layer: name, path: `from[${at}]` },
        );
      }
      seeds.push(found);
    });
  }

  // The seeds and everything downstream of them. `topologyOf` indexes layers by position, as
  // `layers` does: their names are unique in any sequence that can run.
  const again = reachable(topologyOf(layers).dependents, seeds);
  for (const seed of seeds) again.add(seed);
  const plan: RerunPlan = {
    parentRunId: runId,
    input: record.input ?? {},
    rerun: [],
    reused: [],
    results: new Map(),
  };
  const results = plan.results as Map<string, unknown>;
  layers.forEach((layer, at) => {
    if (again.has(at)) {
      plan.rerun.push(layer.name);
      return;
    }
    const kept = before.get(layer.name);
    assertReusable(layer, kept, runId);
    results.set(layer.name, (kept as LayerRecord).result);
    plan.reused.push(layer.name);
  });
  return plan;
}

function assertReusable(layer: RerunLayer, kept: LayerRecord | undefined, runId: string): void {
  const name = layer.name;
  if (kept === undefined) {
    throw new FusyncError(
      'RERUN_MISMATCH',
      `Layer \`${name}\` is not in run ${runId}, so it has no result to reuse: that run is of another sequence or an older version of it. Rerun \`${name}\` too (add it to \`from\`), or start a new run.`,
      { layer: name, runId },
    );
  }
  const now = [...(layer.dependsOn ?? [])].sort();
  const then = [...kept.dependsOn].sort();
  if (now.length !== then.length || now.some((dependency, i) => dependency !== then[i])) {
    throw new FusyncError(
      'RERUN_MISMATCH',
      `Layer \`${name}\` depends on [${now.join(', ')}] but depended on [${then.join(', ')}] in run ${runId}: its result there may not hold. Rerun \`${name}\` too (add it to \`from\`).`,
      { layer: name, runId },
    );
  }
  if (kept.status !== 'succeeded') {
    throw new FusyncError(
      'RERUN_RESULT_MISSING',
      `Layer \`${name}\` ${kept.status === 'pending' ? 'never ran' : `was ${kept.status}`} in run ${runId}, so it has no result to reuse. Rerun from \`${name}\` (add it to \`from\`), or rerun from \`'failed'\`.`,
      { layer: name, runId },
    );
  }
  if (isOmittedValue(kept.result)) {
    throw new FusyncError(
      'RERUN_RESULT_MISSING',
      `The record of run ${runId} does not hold the result of layer \`${name}\` whole (${kept.result.reason}${kept.result.bytes === undefined ? '' : `, ${kept.result.bytes} bytes`}). Rerun \`${name}\` too (add it to \`from\`), or rerun from the run's full record.`,
      { layer: name, runId },
    );
  }
}

/** What the scheduler keeps from the previous run: the reused layers' results, by index in the graph. */
export function reuseOf(plan: RerunPlan, indexOf: ReadonlyMap<string, number>): RunReuse {
  const results = new Map<number, unknown>();
  for (const [name, result] of plan.results) results.set(indexOf.get(name) as number, result);
  return { parentRunId: plan.parentRunId, results };
}
