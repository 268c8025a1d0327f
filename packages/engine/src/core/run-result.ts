import { computeMetrics, type RunMetrics } from '../render/metrics.js';
import type { RunRecord } from './run-record.js';

/**
 * What `build()` resolves to: the run's record (status, per-layer status,
 * attempts, timings, errors, events), the results by layer name and the
 * metrics — all derived from the run's events.
 */
export interface RunResult extends RunRecord {
  /** Results of the layers that succeeded, by layer name. */
  results: Record<string, unknown>;
  /** Errors of the layers that failed, by layer name. */
  errors: Record<string, { name: string; message: string; code?: string }>;
  metrics: RunMetrics;
}

/** Derives the result of a finished (or running) run from its record. */
export function toRunResult(record: RunRecord): RunResult {
  const results: Record<string, unknown> = {};
  const errors: RunResult['errors'] = {};
  const put = (target: Record<string, unknown>, key: string, value: unknown): void => {
    // A layer named `__proto__` must be an own key like any other; assignment would set the prototype.
    if (key === '__proto__') {
      Object.defineProperty(target, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      target[key] = value;
    }
  };
  for (const layer of record.layers) {
    if (layer.status === 'succeeded') put(results, layer.name, layer.result);
    if (layer.status === 'failed' && layer.error) {
      const error: { name: string; message: string; code?: string } = {
        name: layer.error.name,
        message: layer.error.message,
      };
      if (layer.error.code !== undefined) error.code = layer.error.code;
      put(errors, layer.name, error);
    }
  }
  const result = { ...record, results, errors } as RunResult;
  // Computed on first read (large runs that never look at their metrics skip the work); then kept.
  let metrics: RunMetrics | undefined;
  Object.defineProperty(result, 'metrics', {
    enumerable: true,
    configurable: true,
    get: () => {
      metrics ??= computeMetrics(record);
      return metrics;
    },
    set: (value: RunMetrics) => {
      metrics = value;
    },
  });
  return result;
}
