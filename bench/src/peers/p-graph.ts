import { PGraph, type PGraphNode } from 'p-graph';
import type { Dag } from '../dag.js';
import type { Runner, Work } from '../runner.js';

/** p-graph 2: a node map, `[dependency, dependent]` pairs, `run({ concurrency })`. */
export async function runPGraph(dag: Dag, work: Work, concurrency: number): Promise<void> {
  const nodes = new Map<string, PGraphNode>();
  const edges: [string, string][] = [];
  for (let i = 0; i < dag.size; i++) {
    const name = dag.names[i] as string;
    nodes.set(name, { run: () => work(i) });
    for (const dependency of dag.dependencyNames[i] as readonly string[])
      edges.push([dependency, name]);
  }
  await new PGraph(nodes, edges).run({ concurrency });
}

export const pGraph: Runner = { name: 'p-graph', peer: true, run: runPGraph };
