import { AdvancedSequenceBuilder, type RunRecord, type SequenceJson, simulate } from 'fusync';

/** Expected duration of a layer that sets none, in ms. */
export const DEFAULT_EXPECTED_DURATION_MS = 100;

/**
 * Previews a run with the engine's `simulate` (a virtual clock): each
 * attempt takes the layer's expected duration. Instant and deterministic.
 */
export function simulateSequence(json: SequenceJson, concurrency?: number): RunRecord {
  const builder = AdvancedSequenceBuilder.fromJSON(json);
  const expected = new Map<string, number>();
  for (const [name, node] of Object.entries(json.studio?.nodes ?? {})) {
    if (node.expectedDurationMs !== undefined) expected.set(name, node.expectedDurationMs);
  }
  return simulate(builder, {
    durationOf: (name) => expected.get(name) ?? DEFAULT_EXPECTED_DURATION_MS,
    ...(concurrency === undefined ? {} : { concurrency }),
    runId: `simulation-${Date.now().toString(36)}`,
  });
}
