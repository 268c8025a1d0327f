import { type CriticalPath, criticalPath } from './critical-path.js';
import type { RunRecord } from './run-record.js';

/**
 * The performance figures of a run, as `renderMetrics` prints them and the studio charts them.
 *
 * @example
 * const { successRate, peakConcurrency, criticalPath } = computeMetrics(record);
 * chart.title = `${(successRate * 100).toFixed(0)}% ok, ${peakConcurrency} at once`;
 */
export interface RunMetrics {
  /** Run start to finish in ms; to the last event while the run is still going. */
  totalTimeMs: number;
  /** Layers of the run it executed (or would have): every layer but the reused ones. */
  totalTasks: number;
  /** Layers that succeeded in this run (not counting reused ones). */
  succeeded: number;
  /** Layers that failed by their own error (not cancelled ones). */
  failed: number;
  cancelled: number;
  skipped: number;
  /** Layers a rerun did not execute, their results kept from the parent run. */
  reused: number;
  /** `succeeded / totalTasks`, from 0 to 1; 0 for a run without layers. */
  successRate: number;
  /** Mean, longest and shortest layer duration (first start to final end), in ms; undefined while no layer has finished. */
  averageDurationMs: number | undefined;
  maxDurationMs: number | undefined;
  minDurationMs: number | undefined;
  /** Attempts started, retries included; an attempt redelivered to another worker counts once. */
  totalAttempts: number;
  /** Attempts beyond each layer's first. */
  retries: number;
  /**
   * Parts of attempts lost with their worker (over Redis: the worker died or
   * lost its lock and another took the attempt over, `outcome: 'lost'` in
   * the record). Not failures of the layers, and not in `retries`: the same
   * attempt went on elsewhere. Their time is in the layers' durations.
   */
  lostDeliveries: number;
  /** The time those lost parts ran before their redelivery, summed, in ms. */
  lostTimeMs: number;
  /** The most attempts running at one moment. */
  peakConcurrency: number;
  /** The heaviest chain of dependencies, weighted by the layers' durations. */
  criticalPath: CriticalPath;
}

/**
 * Computes a run's metrics from its record — a finished run or one still going.
 *
 * @example
 * const metrics = computeMetrics(runRecordFromEvents(events));
 * metrics.successRate; // 1
 * metrics.criticalPath.path; // ['checkInventory', 'reserveInventory', 'createOrder', 'processPayment']
 */
export function computeMetrics(record: RunRecord): RunMetrics {
  const lastTime = record.events.at(-1)?.time ?? record.startedAt;
  const count = { succeeded: 0, failed: 0, cancelled: 0, skipped: 0, reused: 0 };
  const durationOf = new Map<string, number>();
  let totalAttempts = 0;
  let retries = 0;
  let lostDeliveries = 0;
  let lostTimeMs = 0;
  let timed = 0;
  let sum = 0;
  let max = Number.NEGATIVE_INFINITY;
  let min = Number.POSITIVE_INFINITY;
  for (const layer of record.layers) {
    if (layer.reusedFrom !== undefined) {
      // Not executed work: no duration, no attempt, not on the critical path.
      count.reused++;
      continue;
    }
    if (layer.status === 'succeeded') count.succeeded++;
    else if (layer.status === 'failed') count.failed++;
    else if (layer.status === 'cancelled') count.cancelled++;
    else if (layer.status === 'skipped') count.skipped++;
    if (layer.durationMs !== undefined) {
      timed++;
      sum += layer.durationMs;
      max = Math.max(max, layer.durationMs);
      min = Math.min(min, layer.durationMs);
      durationOf.set(layer.name, layer.durationMs);
    }
    let attempts = layer.attempts.length;
    for (const attempt of layer.attempts) {
      if (attempt.outcome !== 'lost') continue;
      attempts--;
      lostDeliveries++;
      lostTimeMs += (attempt.end ?? attempt.start) - attempt.start;
    }
    totalAttempts += attempts;
    retries += Math.max(0, attempts - 1);
  }
  const total = record.layers.length - count.reused;
  return {
    totalTimeMs: record.durationMs ?? Math.max(0, lastTime - record.startedAt),
    totalTasks: total,
    ...count,
    successRate: total === 0 ? 0 : count.succeeded / total,
    averageDurationMs: timed > 0 ? sum / timed : undefined,
    maxDurationMs: timed > 0 ? max : undefined,
    minDurationMs: timed > 0 ? min : undefined,
    totalAttempts,
    retries,
    lostDeliveries,
    lostTimeMs,
    peakConcurrency: peakConcurrency(record, lastTime),
    criticalPath: runCriticalPath(record, (name) => durationOf.get(name) ?? 0),
  };
}

/** Sweeps attempt starts and ends in time order; an attempt still running ends at `now`. */
function peakConcurrency(record: RunRecord, now: number): number {
  let count = 0;
  for (const layer of record.layers) count += layer.attempts.length;
  const starts = new Float64Array(count);
  const ends = new Float64Array(count);
  let at = 0;
  for (const layer of record.layers) {
    for (const attempt of layer.attempts) {
      starts[at] = attempt.start;
      ends[at] = attempt.end ?? now;
      at++;
    }
  }
  starts.sort();
  ends.sort();
  // Sweep both sorted lists; at equal times ends go first: an attempt starting as another ends does not overlap it.
  let running = 0;
  let peak = 0;
  let end = 0;
  for (let start = 0; start < count; start++) {
    while (end < count && (ends[end] as number) <= (starts[start] as number)) {
      end++;
      running--;
    }
    running++;
    if (running > peak) peak = running;
  }
  return peak;
}

/**
 * The critical path of a run: `criticalPath` over the layers the run
 * executed — those a rerun reused and those skipped after a failure took no
 * time here and are left out (with no duration, a skipped layer would still
 * lengthen the deepest chain).
 *
 * @example
 * const { path } = runCriticalPath(record, (name) => liveDurations.get(name) ?? 0);
 */
export function runCriticalPath(
  record: RunRecord,
  durationOf: (name: string) => number,
): CriticalPath {
  const ran = (layer: RunRecord['layers'][number]) =>
    layer.reusedFrom === undefined && layer.status !== 'skipped';
  const executed = record.layers.every(ran) ? record.layers : record.layers.filter(ran);
  return criticalPath(executed, durationOf);
}
