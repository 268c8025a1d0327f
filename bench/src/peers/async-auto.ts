import asyncLib, { type AsyncAutoTasks } from 'async';
import type { Dag } from '../dag.js';
import type { Runner, Work } from '../runner.js';

/**
 * async 3's `auto(tasks, concurrency)`. Task functions must be real `async`
 * functions: async detects them by their tag and otherwise waits for a
 * callback that never comes.
 */
export async function runAsyncAuto(dag: Dag, work: Work, concurrency: number): Promise<void> {
  // @types/async describes callback tasks; an `async` function with no parameters fits that type too.
  const tasks: AsyncAutoTasks<Record<string, unknown>, Error> = {};
  for (let i = 0; i < dag.size; i++) {
    const task = async (): Promise<unknown> => work(i);
    const deps = dag.dependencyNames[i] as readonly string[];
    tasks[dag.names[i] as string] = deps.length === 0 ? task : [...deps, task];
  }
  await asyncLib.auto(tasks, concurrency);
}

export const asyncAuto: Runner = {
  name: 'async.auto',
  peer: true,
  run: runAsyncAuto,
  // Its cycle check rescans every task for every task before anything runs: ~15 s at 10k layers.
  limit: { maxLayers: 20_000, reason: 'O(n²) cycle check' },
};
