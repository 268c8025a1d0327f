import asyncLib from 'async';
import type { Dag } from '../dag.js';
import type { Runner, Work } from '../runner.js';

type AutoTask = (() => Promise<unknown>) | (string | (() => Promise<unknown>))[];

/**
 * async 3's `auto(tasks, concurrency)`. Task functions must be real `async`
 * functions: async detects them by their tag and otherwise waits for a
 * callback that never comes.
 */
export async function runAsyncAuto(dag: Dag, work: Work, concurrency: number): Promise<void> {
  const tasks: Record<string, AutoTask> = {};
  for (let i = 0; i < dag.size; i++) {
    const task = async (): Promise<unknown> => work(i);
    const deps = dag.dependencyNames[i] as readonly string[];
    tasks[dag.names[i] as string] = deps.length === 0 ? task : [...deps, task];
  }
  // biome-ignore lint/suspicious/noExplicitAny: @types/async types `auto` tasks with callbacks only.
  await asyncLib.auto(tasks as any, concurrency);
}

export const asyncAuto: Runner = {
  name: 'async.auto',
  peer: true,
  run: runAsyncAuto,
  // Its cycle check rescans every task for every task before anything runs: ~15 s at 10k layers.
  limit: { maxLayers: 20_000, reason: 'O(n²) cycle check' },
};
