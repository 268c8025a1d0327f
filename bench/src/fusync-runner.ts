import { AdvancedSequenceBuilder } from 'fusync';
import type { Dag } from './dag.js';
import type { Runner, Work } from './runner.js';

/** The engine as a user drives it: a builder, `addLayer` per layer, `build()`. */
export async function runFusync(dag: Dag, work: Work, concurrency: number): Promise<void> {
  const sequence = new AdvancedSequenceBuilder({ concurrency });
  for (let i = 0; i < dag.size; i++) {
    sequence.addLayer({ name: dag.names[i] as string, execute: () => work(i), dependsOn: dag.dependencyNames[i] as string[] });
  }
  const result = await sequence.build();
  if (result.status !== 'succeeded') {
    throw new Error(`fusync run ended ${result.status}: ${result.error?.message ?? JSON.stringify(result.errors)}`);
  }
}

export const fusync: Runner = { name: 'fusync', run: runFusync };
