import {
  type AttemptRecord,
  computeMetrics,
  type ErrorInfo,
  type LayerRecord,
  type RunEvent,
  type RunRecord,
  renderGraph,
  renderMetrics,
  renderTimeline,
  runRecordFromEvents,
  toWireArgs,
  toWireEvent,
  toWireValue,
} from 'fusync';
import { ApiError } from '../http/api-error.js';
import type { AttemptView, ErrorView, LayerView, RunSummary, RunView } from './run-service.js';

/**
 * Every view of a run as a function of its events, so the memory and Redis
 * services report runs the same way.
 */

/**
 * A recorded error as the views show it. Its stack is kept: it is where an
 * operation threw, what someone debugging the run needs, and only callers
 * trusted with the run's record read it (a server off loopback needs a
 * token). Error answers of the API itself never carry stacks.
 */
function errorView(error: ErrorInfo): ErrorView {
  const out: ErrorView = { name: error.name, message: error.message };
  if (error.code !== undefined) out.code = error.code;
  if (error.stack !== undefined) out.stack = error.stack;
  return out;
}

/**
 * `value` if JSON can carry it, otherwise the engine's `OmittedValue` marker
 * saying why (a bigint, a function, a cycle). Not size-capped: the event
 * stream is the run's whole record, which a rerun from saved events reuses.
 */
export function jsonSafe(value: unknown): unknown {
  return value === undefined ? undefined : toWireValue(value, Number.POSITIVE_INFINITY);
}

/** A recorded value as the run view shows it: JSON-safe and capped at `WIRE_VALUE_LIMIT`. */
function viewValue(value: unknown): unknown {
  return value === undefined ? undefined : toWireValue(value);
}

/**
 * An event as the JSON the SSE stream sends: an attempt's arguments
 * JSON-safe and size-capped (in memory they are the live values, which may
 * be cyclic or functions), results made JSON-safe.
 */
export function eventToJson(event: RunEvent): string {
  let out = toWireEvent(event);
  if (out.type === 'layer:succeeded' || out.type === 'layer:reused')
    out = { ...out, result: jsonSafe(out.result) };
  else if (out.type === 'run:started' && out.input !== undefined)
    out = { ...out, input: jsonSafe(out.input) as Record<string, unknown> };
  return JSON.stringify(out);
}

export function summaryOf(record: RunRecord): RunSummary {
  return {
    runId: record.runId,
    sequenceName: record.sequenceName,
    status: record.status,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    durationMs: record.durationMs,
    layerCount: record.layers.length,
    ...(record.parentRunId === undefined ? {} : { parentRunId: record.parentRunId }),
  };
}

function attemptView(attempt: AttemptRecord, result: unknown): AttemptView {
  const view: AttemptView = {
    attempt: attempt.attempt,
    start: attempt.start,
    end: attempt.end,
    outcome: attempt.outcome,
  };
  if (attempt.worker !== undefined) view.worker = attempt.worker;
  if (attempt.args !== undefined) view.args = toWireArgs(attempt.args);
  if (attempt.outcome === 'succeeded' && result !== undefined) view.result = result;
  if (attempt.error) view.error = errorView(attempt.error);
  return view;
}

/** Attempts made: parts of an attempt lost with their worker (`outcome: 'lost'`) are not attempts of their own. */
function attemptCountOf(layer: LayerRecord): number {
  let count = 0;
  for (const attempt of layer.attempts) if (attempt.outcome !== 'lost') count++;
  return count;
}

function layerView(layer: LayerRecord): LayerView {
  const result = layer.status === 'succeeded' ? viewValue(layer.result) : undefined;
  const view: LayerView = {
    name: layer.name,
    operation: layer.operation,
    dependsOn: [...layer.dependsOn],
    status: layer.status,
    attempts: layer.attempts.map((attempt) => attemptView(attempt, result)),
    attemptCount: attemptCountOf(layer),
    startedAt: layer.startedAt,
    finishedAt: layer.finishedAt,
    durationMs: layer.durationMs,
  };
  if (result !== undefined) view.result = result;
  if (layer.error) view.error = errorView(layer.error);
  if (layer.skippedBecause !== undefined) view.skippedBecause = layer.skippedBecause;
  if (layer.reusedFrom !== undefined) view.reusedFrom = layer.reusedFrom;
  return view;
}

/** Status, per-layer states and metrics of a run, from its events. */
export function runViewOf(events: readonly RunEvent[]): RunView {
  const record = runRecordFromEvents(events);
  const view: RunView = {
    ...summaryOf(record),
    ...(record.input === undefined ? {} : { input: viewValue(record.input) }),
    layers: record.layers.map(layerView),
    metrics: computeMetrics(record),
    lastEventSeq: events.at(-1)?.seq ?? -1,
  };
  if (record.error) view.error = errorView(record.error);
  return view;
}

/** The ASCII timeline, dependency graph and metrics of a run, as the CLI prints them. */
export interface RunTimeline {
  timeline: string;
  graph: string;
  metrics: string;
}

/** Renders a run's events as text (finished or still running). */
export function runTimelineOf(events: readonly RunEvent[]): RunTimeline {
  const record = runRecordFromEvents(events);
  return {
    timeline: renderTimeline(record),
    graph: renderGraph(record.layers),
    metrics: renderMetrics(record),
  };
}

/** A run's list row straight from the first and last events, without folding the whole record. */
export function summaryOfEvents(runId: string, events: readonly RunEvent[]): RunSummary {
  const first = events[0];
  const last = events.at(-1);
  const started = first?.type === 'run:started' ? first : undefined;
  const finished = last?.type === 'run:finished' ? last : undefined;
  const startedAt = first?.time ?? 0;
  return {
    runId,
    sequenceName: started?.sequenceName,
    status: finished?.status ?? 'running',
    startedAt,
    finishedAt: finished?.time,
    durationMs: finished ? finished.time - startedAt : undefined,
    layerCount: started?.layers.length ?? 0,
    ...(started?.parentRunId === undefined ? {} : { parentRunId: started.parentRunId }),
  };
}

/** The refusal of a page that starts after a run the service does not list. */
export function unknownCursor(after: string): ApiError {
  return new ApiError(
    'INVALID_PARAMETER',
    `No run \`${after}\` to list the runs after: pass the last run id of the page before, or no \`after\` for the newest runs.`,
    { path: 'after' },
  );
}
