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
  const result = { ...record } as RunResult;
  // Results, errors and metrics are built on first read, then kept: a large run read for its
  // status alone skips indexing thousands of layers by name.
  derived(result, 'results', () => resultsOf(record));
  derived(result, 'errors', () => errorsOf(record));
  derived(result, 'metrics', () => computeMetrics(record));
  return result;
}

/** An enumerable property computed on first read; assigning to it replaces the value. */
function derived<K extends 'results' | 'errors' | 'metrics'>(
  target: RunResult,
  key: K,
  compute: () => RunResult[K],
): void {
  let value: RunResult[K] | undefined;
  let known = false;
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!known) {
        value = compute();
        known = true;
      }
      return value;
    },
    set: (next: RunResult[K]) => {
      value = next;
      known = true;
    },
  });
}

function resultsOf(record: RunRecord): RunResult['results'] {
  const results: Record<string, unknown> = {};
  for (const layer of record.layers) {
    if (layer.status === 'succeeded') put(results, layer.name, layer.result);
  }
  return results;
}

function errorsOf(record: RunRecord): RunResult['errors'] {
  const errors: RunResult['errors'] = {};
  for (const layer of record.layers) {
    if (layer.status === 'failed' && layer.error) {
      const error: { name: string; message: string; code?: string } = {
        name: layer.error.name,
        message: layer.error.message,
      };
      if (layer.error.code !== undefined) error.code = layer.error.code;
      put(errors, layer.name, error);
    }
  }
  return errors;
}

function put(target: Record<string, unknown>, key: string, value: unknown): void {
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
}
