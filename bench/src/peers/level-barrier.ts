import { type Dag, topologicalLevels } from '../dag.js';
import type { Runner, Work } from '../runner.js';

/**
 * Runs the graph level by level (a layer's level is its longest dependency
 * chain): each level under the concurrency limit, awaited in full before the
 * next starts. Simple and cheap, but a layer waits for unrelated layers of
 * its level, so real durations leave slots idle.
 */
export async function runLevelBarrier(dag: Dag, work: Work, concurrency: number): Promise<void> {
  for (const level of topologicalLevels(dag)) {
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < level.length) {
        const layer = level[next++] as number;
        await work(layer);
      }
    };
    const lanes: Promise<void>[] = [];
    for (let i = 0; i < Math.min(concurrency, level.length); i++) lanes.push(lane());
    await Promise.all(lanes);
  }
}

export const levelBarrier: Runner = { name: 'level-barrier', peer: true, run: runLevelBarrier };
