import type { Dag } from '../dag.js';
import type { Runner, Work } from '../runner.js';

/**
 * The floor: an in-degree scheduler with no features. Dependents in one flat
 * array (CSR), a ready queue read through a head index, a count of busy
 * slots. Whatever a featureful runner spends beyond this is its overhead.
 */
export function runMinimal(dag: Dag, work: Work, concurrency: number): Promise<void> {
  const size = dag.size;
  if (size === 0) return Promise.resolve();
  const remaining = new Int32Array(size);
  const offsets = new Int32Array(size + 1);
  for (let i = 0; i < size; i++) {
    const deps = dag.dependencies[i] as readonly number[];
    remaining[i] = deps.length;
    for (const d of deps) offsets[d + 1] = (offsets[d + 1] as number) + 1;
  }
  for (let i = 0; i < size; i++) offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number);
  const dependents = new Int32Array(offsets[size] as number);
  const fill = offsets.slice(0, size);
  for (let i = 0; i < size; i++) {
    for (const d of dag.dependencies[i] as readonly number[]) {
      dependents[fill[d] as number] = i;
      fill[d] = (fill[d] as number) + 1;
    }
  }

  const ready = new Int32Array(size);
  let head = 0;
  let tail = 0;
  for (let i = 0; i < size; i++) if (remaining[i] === 0) ready[tail++] = i;
  let running = 0;
  let done = 0;

  return new Promise<void>((resolve, reject) => {
    const finish = (layer: number): void => {
      running--;
      done++;
      const end = offsets[layer + 1] as number;
      for (let e = offsets[layer] as number; e < end; e++) {
        const next = dependents[e] as number;
        const left = (remaining[next] as number) - 1;
        remaining[next] = left;
        if (left === 0) ready[tail++] = next;
      }
      if (done === size) resolve();
      else pump();
    };
    const pump = (): void => {
      while (running < concurrency && head < tail) {
        const layer = ready[head++] as number;
        running++;
        work(layer).then(() => finish(layer), reject);
      }
    };
    pump();
  });
}

export const minimalScheduler: Runner = { name: 'minimal scheduler', run: runMinimal };
