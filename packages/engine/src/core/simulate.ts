import { VirtualClock } from './clock.js';
import type { SequenceGraph } from './graph.js';
import { type RunRecord, RunRecorder } from './run-record.js';
import { RunScheduler } from './scheduler.js';
import type { ResolvedOptions } from './types.js';

/**
 * How `simulate()` plays a run on a virtual clock.
 *
 * @example
 * simulate(sequence, { durationOf: (layer) => (layer === 'createOrder' ? 250 : 100), failures: { flaky: 1 } });
 */
export interface SimulateOptions {
  /** Expected duration of one attempt of a layer, in ms. */
  durationOf: (layer: string) => number;
  /** Layers whose attempts fail, and how many times before succeeding (`Infinity`: always). */
  failures?: Readonly<Record<string, number>>;
  runId?: string;
  /** Virtual start time in epoch ms. Default `0`. */
  start?: number;
}

/**
 * Runs the scheduler on a virtual clock: instant and deterministic. Each
 * attempt takes its expected duration; nothing is executed. The record is
 * what a real run with those durations would produce, so the timeline,
 * Gantt chart and critical path can be previewed at any concurrency.
 */
export function simulateRun(
  graph: SequenceGraph,
  options: ResolvedOptions,
  simulate: SimulateOptions,
): RunRecord {
  const runId = simulate.runId ?? 'simulation';
  const clock = new VirtualClock(simulate.start ?? 0);
  const recorder = new RunRecorder(runId);
  const scheduler = new RunScheduler({
    graph,
    options,
    runId,
    clock,
    onEvent: (e) => recorder.apply(e),
    worker: 'simulation',
  });
  const failuresLeft = new Map(Object.entries(simulate.failures ?? {}));
  const startAll = (layers: readonly number[]): void => {
    for (const layer of layers) {
      const name = graph.layers[layer]?.name ?? '';
      const duration = Math.max(0, simulate.durationOf(name));
      clock.setTimeout(() => {
        const left = failuresLeft.get(name) ?? 0;
        if (left > 0) {
          failuresLeft.set(name, left - 1);
          const outcome = scheduler.failed(layer, new Error(`Simulated failure of \`${name}\``));
          if (outcome.kind === 'retry') {
            clock.setTimeout(() => startAll(scheduler.retryDue(layer)), outcome.delayMs);
          }
          startAll(outcome.start);
        } else {
          startAll(scheduler.succeeded(layer, undefined));
        }
      }, duration);
    }
  };
  startAll(scheduler.start());
  clock.runAll();
  return recorder.record;
}
