import type { Dag } from '../dag.js';
import type { Runner, Work } from '../runner.js';

/**
 * The floor: an in-degree scheduler with no features. Dependents in one flat
 * array (CSR), a ready queue read through a head index, and `concurrency`
 * slots, each a loop that takes the next ready layer, awaits its work and
 * releases its dependents. Whatever a featureful runner spends beyond this
 * is its overhead.
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
  for (let i = 0; i < size; i++)
    offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number);
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
  let slots = 0;
  let done = 0;

  return new Promise<void>((resolve, reject) => {
    // A slot runs ready layers one after another and frees itself when none is left.
    // Opening a slot takes a ready layer at once: the loop runs synchronously up to its first await.
    const slot = async (): Promise<void> => {
      while (head < tail) {
        const layer = ready[head++] as number;
        await work(layer);
        done++;
        const end = offsets[layer + 1] as number;
        for (let e = offsets[layer] as number; e < end; e++) {
          const next = dependents[e] as number;
          const left = (remaining[next] as number) - 1;
          remaining[next] = left;
          if (left === 0) ready[tail++] = next;
        }
        // This slot takes the next ready layer itself; open slots for the others.
        while (slots < concurrency && tail - head > 1) open();
      }
      slots--;
      if (done === size) resolve();
    };
    const open = (): void => {
      slots++;
      slot().catch(reject);
    };
    while (slots < concurrency && head < tail) open();
  });
}

export const minimalScheduler: Runner = { name: 'minimal scheduler', peer: false, run: runMinimal };
