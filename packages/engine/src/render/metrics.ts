import { computeMetrics, type RunMetrics } from '../core/metrics.js';
import type { RunRecord } from '../core/run-record.js';

/**
 * Renders a run's metrics as text — the seed's "Performance Metrics" block,
 * plus `Skipped Tasks`, `Cancelled Tasks`, `Retried Attempts`,
 * `Lost Deliveries` (attempts taken over from a worker that went away, with
 * the time lost) and (for a rerun) `Reused Tasks` lines when they are not zero. Reused layers are not
 * counted in the other figures: they were not executed. Returns the text without a trailing newline; printing is
 * the caller's business.
 *
 * @example
 * console.log(renderMetrics(record));
 * // --- Sequence Execution Performance Metrics ---
 * //
 * // Total Execution Time: 1.200 seconds
 * // Total Tasks: 5
 * // ...
 */
export function renderMetrics(input: RunRecord | RunMetrics): string {
  const metrics = 'events' in input ? computeMetrics(input) : input;
  const lines = [
    '--- Sequence Execution Performance Metrics ---',
    '',
    `Total Execution Time: ${seconds(metrics.totalTimeMs)}`,
    `Total Tasks: ${metrics.totalTasks}`,
    `Successful Tasks: ${metrics.succeeded}`,
    `Failed Tasks: ${metrics.failed}`,
    `Success Rate: ${(metrics.successRate * 100).toFixed(2)}%`,
    `Average Task Duration: ${seconds(metrics.averageDurationMs ?? 0)}`,
    `Maximum Task Duration: ${seconds(metrics.maxDurationMs ?? 0)}`,
    `Minimum Task Duration: ${seconds(metrics.minDurationMs ?? 0)}`,
  ];
  if (metrics.skipped > 0) lines.push(`Skipped Tasks: ${metrics.skipped}`);
  if (metrics.cancelled > 0) lines.push(`Cancelled Tasks: ${metrics.cancelled}`);
  if (metrics.retries > 0) lines.push(`Retried Attempts: ${metrics.retries}`);
  if (metrics.lostDeliveries > 0)
    lines.push(`Lost Deliveries: ${metrics.lostDeliveries} (${seconds(metrics.lostTimeMs)} lost)`);
  if (metrics.reused > 0) lines.push(`Reused Tasks: ${metrics.reused}`);
  return lines.join('\n');
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} seconds`;
}
