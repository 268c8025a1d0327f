import { resolveOptions } from './core/options.js';
import { type RunResult, toRunResult } from './core/run-result.js';
import { type SimulateOptions, simulateRun } from './core/simulate.js';
import type { AdvancedSequenceBuilder } from './sequence-builder.js';

/**
 * Previews a run of `sequence` on a virtual clock: each attempt takes
 * `durationOf(layer)` ms and nothing is executed, so it is instant and
 * deterministic. `concurrency` overrides the sequence's for this preview.
 * Throws the `ValidationError` a run would reject with when the sequence is
 * invalid.
 *
 * @example
 * import { renderTimeline, simulate } from 'fusync';
 * const preview = simulate(sequence, { durationOf: (layer) => (layer === 'createOrder' ? 250 : 100), concurrency: 2 });
 * console.log(renderTimeline(preview));
 */
export function simulate(
  sequence: AdvancedSequenceBuilder,
  options: SimulateOptions & { concurrency?: number },
): RunResult {
  const graph = sequence.validate();
  const resolved =
    options.concurrency === undefined
      ? sequence.options
      : resolveOptions({ ...sequence.config, concurrency: options.concurrency });
  return toRunResult(simulateRun(graph, resolved, options));
}
