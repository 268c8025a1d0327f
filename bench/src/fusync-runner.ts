import { AdvancedSequenceBuilder } from 'fusync';
import type { Dag } from './dag.js';
import type { Runner, Work } from './runner.js';

/** The builder class of a fusync build: this workspace's, or a candidate build's (`--candidate`). */
export type SequenceBuilderClass = typeof AdvancedSequenceBuilder;

/**
 * The engine as a user drives it: a builder, `addLayer` per layer, `build()`.
 * With `wholeRecord`, the run's per-layer record and its events are read
 * too (they are built on first read), so the row shows a run whose whole
 * record is used.
 */
export function fusyncRunner(
  name: string,
  Builder: SequenceBuilderClass,
  wholeRecord = false,
): Runner {
  const run = async (dag: Dag, work: Work, concurrency: number): Promise<void> => {
    const sequence = new Builder({ concurrency });
    for (let i = 0; i < dag.size; i++) {
      sequence.addLayer({
        name: dag.names[i] as string,
        execute: () => work(i),
        dependsOn: dag.dependencyNames[i] as string[],
      });
    }
    const result = await sequence.build();
    if (wholeRecord && (result.layers.length !== dag.size || result.events.length === 0)) {
      throw new Error(`${name}: the record holds ${result.layers.length} of ${dag.size} layers.`);
    }
    if (result.status !== 'succeeded') {
      throw new Error(
        `${name} run ended ${result.status}: ${result.error?.message ?? JSON.stringify(result.errors)}`,
      );
    }
  };
  return { name, peer: false, run };
}

export const fusync: Runner = fusyncRunner('fusync', AdvancedSequenceBuilder);

/** fusync, reading the whole record of each run (`result.layers` and `result.events`). */
export const fusyncWholeRecord: Runner = fusyncRunner(
  'fusync + record read',
  AdvancedSequenceBuilder,
  true,
);
