import { type AttemptRecord, type LayerStatus, type RunRecord, runCriticalPath } from 'fusync';

/**
 * One attempt of a layer: one bar. An attempt redelivered to another worker
 * (Redis mode) is two bars with the same `attempt`: the part lost with its
 * worker (`outcome: 'lost'`), then the part on the new worker.
 */
export interface GanttBar {
  attempt: number;
  /** Epoch ms (run clock). */
  start: number;
  /** Epoch ms; undefined while the attempt runs (the bar grows with the current time). */
  end: number | undefined;
  outcome: AttemptRecord['outcome'];
  error: string | undefined;
  worker: string | undefined;
}

/** One layer: one row. */
export interface GanttRow {
  name: string;
  status: LayerStatus;
  queuedAt: number | undefined;
  bars: GanttBar[];
  critical: boolean;
  skippedBecause: string | undefined;
  /** Set when a rerun did not execute the layer: the run its result comes from. */
  reusedFrom: string | undefined;
}

export interface GanttModel {
  /** Epoch ms the run started: the origin of the time axis. */
  start: number;
  /** Latest time the record knows of (its end when finished). */
  end: number;
  running: boolean;
  rows: GanttRow[];
  barCount: number;
  criticalPath: readonly string[];
  criticalLengthMs: number;
}

/**
 * The rows and bars of a run's Gantt chart, from its record: one row per
 * layer in declaration order, one bar per attempt, the critical path (the
 * engine's `runCriticalPath`: reused layers left out, weighted by each layer's duration) marked.
 */
export function ganttModel(record: RunRecord): GanttModel {
  const durations = new Map<string, number>();
  for (const layer of record.layers) {
    if (layer.durationMs !== undefined) durations.set(layer.name, layer.durationMs);
    else if (layer.attempts.length > 0) {
      const first = layer.attempts[0] as AttemptRecord;
      const last = layer.attempts[layer.attempts.length - 1] as AttemptRecord;
      if (last.end !== undefined) durations.set(layer.name, last.end - first.start);
    }
  }
  let path: string[] = [];
  let lengthMs = 0;
  try {
    const critical = runCriticalPath(record, (name) => durations.get(name) ?? 0);
    // Before any layer has a duration, the "deepest chain" says little: show none.
    if (critical.lengthMs > 0) {
      path = critical.path;
      lengthMs = critical.lengthMs;
    }
  } catch {
    path = [];
  }
  const onPath = new Set(path);
  let barCount = 0;
  let end = record.finishedAt ?? record.startedAt;
  const rows = record.layers.map((layer): GanttRow => {
    const bars = layer.attempts.map((attempt): GanttBar => {
      if (attempt.start > end) end = attempt.start;
      if (attempt.end !== undefined && attempt.end > end) end = attempt.end;
      return {
        attempt: attempt.attempt,
        start: attempt.start,
        end: attempt.end,
        outcome: attempt.outcome,
        error: attempt.error?.message,
        worker: attempt.worker,
      };
    });
    barCount += bars.length;
    if (layer.finishedAt !== undefined && layer.finishedAt > end) end = layer.finishedAt;
    return {
      name: layer.name,
      status: layer.status,
      queuedAt: layer.queuedAt,
      bars,
      critical: onPath.has(layer.name),
      skippedBecause: layer.skippedBecause,
      reusedFrom: layer.reusedFrom,
    };
  });
  const lastEvent = record.events[record.events.length - 1];
  if (lastEvent && lastEvent.time > end) end = lastEvent.time;
  return {
    start: record.startedAt,
    end,
    running: record.status === 'running',
    rows,
    barCount,
    criticalPath: path,
    criticalLengthMs: lengthMs,
  };
}

/** What a bar's outcome reads as in the tooltip. */
function outcomeText(outcome: GanttBar['outcome']): string {
  switch (outcome) {
    case 'retrying':
      return 'failed, retried';
    case 'lost':
      return 'lost with its worker: redelivered to another one';
    default:
      return outcome;
  }
}

/** The tooltip of a bar: its layer and attempt, outcome, times, worker and error. */
export function barTooltip(
  layer: string,
  bar: GanttBar,
  model: Pick<GanttModel, 'start'>,
  now: number,
): { title: string; lines: string[] } {
  const end = bar.end ?? now;
  const lines = [
    outcomeText(bar.outcome),
    `${formatOffset(bar.start - model.start)} → ${formatOffset(end - model.start)} (${formatDuration(end - bar.start)})`,
  ];
  if (bar.worker) lines.push(`${bar.outcome === 'lost' ? 'lost worker' : 'worker'}: ${bar.worker}`);
  if (bar.error) lines.push(`error: ${bar.error}`);
  return { title: `${layer} · attempt ${bar.attempt}`, lines };
}

/** A tick step of 1, 2 or 5 × 10ⁿ ms that leaves at least `minPx` pixels between ticks. */
export function tickStep(pxPerMs: number, minPx = 90): number {
  const raw = minPx / Math.max(pxPerMs, 1e-9);
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= raw) return factor * power;
  return 10 * power;
}

/** `+0.250s`, as the ASCII timeline writes offsets. */
export function formatOffset(ms: number): string {
  return `+${(ms / 1000).toFixed(3)}s`;
}

/** `250 ms` or `1.250 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(3)} s`;
}
