import {
  computeMetrics,
  type ErrorInfo,
  type LayerRecord,
  type RunEvent,
  type RunRecord,
  renderGraph,
  renderMetrics,
  renderTimeline,
  runRecordFromEvents,
} from 'fusync';
import type { LayerView, RunSummary, RunView } from './run-service.js';

/**
 * Every view of a run as a function of its events, so the memory and Redis
 * services report runs the same way.
 */

function publicError(error: ErrorInfo): { name: string; message: string; code?: string } {
  // Stacks stay on the server: they describe its code, not the caller's request.
  const out: { name: string; message: string; code?: string } = {
    name: error.name,
    message: error.message,
  };
  if (error.code !== undefined) out.code = error.code;
  return out;
}

/** `value` if JSON can carry it, otherwise a description (BigInt, cycles and the like). */
export function jsonSafe(value: unknown): unknown {
  try {
    JSON.stringify(value);
    return value;
  } catch (error) {
    return { unserializable: `${typeof value}: ${(error as Error).message}` };
  }
}

/** An event as the JSON the SSE stream sends: without error stacks, results made JSON-safe. */
export function eventToJson(event: RunEvent): string {
  let out: RunEvent = event;
  if ('error' in out && out.error) out = { ...out, error: publicError(out.error) } as RunEvent;
  if (out.type === 'layer:succeeded') out = { ...out, result: jsonSafe(out.result) };
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
  };
}

function layerView(layer: LayerRecord): LayerView {
  const view: LayerView = {
    name: layer.name,
    operation: layer.operation,
    dependsOn: [...layer.dependsOn],
    status: layer.status,
    attempts: layer.attempts.length,
    startedAt: layer.startedAt,
    finishedAt: layer.finishedAt,
    durationMs: layer.durationMs,
  };
  if (layer.status === 'succeeded') view.result = jsonSafe(layer.result);
  if (layer.error) view.error = publicError(layer.error);
  if (layer.skippedBecause !== undefined) view.skippedBecause = layer.skippedBecause;
  return view;
}

/** Status, per-layer states and metrics of a run, from its events. */
export function runViewOf(events: readonly RunEvent[]): RunView {
  const record = runRecordFromEvents(events);
  const view: RunView = {
    ...summaryOf(record),
    layers: record.layers.map(layerView),
    metrics: computeMetrics(record),
    lastEventSeq: events.at(-1)?.seq ?? -1,
  };
  if (record.error) view.error = publicError(record.error);
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
  };
}
