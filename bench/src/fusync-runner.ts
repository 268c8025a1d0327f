import { AdvancedSequenceBuilder } from 'fusync';
import type { Dag } from './dag.js';
import type { Runner, Work } from './runner.js';

/** The builder class of a fusync build: this workspace's, or a candidate build's (`--candidate`). */
export type SequenceBuilderClass = typeof AdvancedSequenceBuilder;

/** The engine as a user drives it: a builder, `addLayer` per layer, `build()`. */
export function fusyncRunner(name: string, Builder: SequenceBuilderClass): Runner {
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
    if (result.status !== 'succeeded') {
      throw new Error(
        `${name} run ended ${result.status}: ${result.error?.message ?? JSON.stringify(result.errors)}`,
      );
    }
  };
  return { name, peer: false, run };
}

export const fusync: Runner = fusyncRunner('fusync', AdvancedSequenceBuilder);
