import { describe, expect, it } from 'vitest';
import {
  criticalPath,
  fanOutDag,
  idealFifoMakespan,
  makespanLowerBound,
  randomDag,
  randomDurations,
  topologicalLevels,
} from '../src/dag.js';
import type { Runner, Work } from '../src/runner.js';
import { runners } from '../src/runners.js';
import { verifyRunner } from '../src/verify.js';

/** Layers that finish after 0–2 ms, so many overlap and the limit is really exercised. */
function jitteredWork(seed: number): Work {
  const delays = randomDurations(10_000, 0, 2, seed);
  return (layer) => new Promise((resolve) => setTimeout(resolve, delays[layer]));
}

describe.each(runners.map((runner) => [runner.name, runner] as const))('%s', (_name, runner) => {
  it('starts each layer once, after its dependencies, within the concurrency limit on a random graph', async () => {
    const report = await verifyRunner(runner, randomDag(300, 3, 11), 4, jitteredWork(12));
    expect(report.violations).toEqual([]);
    expect(report.maxActive).toBe(4);
  });

  it('holds the limit when one layer releases a wide fan-out', async () => {
    const report = await verifyRunner(runner, fanOutDag(200), 16, jitteredWork(13));
    expect(report.violations).toEqual([]);
    expect(report.maxActive).toBe(16);
  });

  it('holds the limit on no-op layers that all resolve at once', async () => {
    const report = await verifyRunner(runner, randomDag(2_000, 3, 14), 8, async () => {});
    expect(report.violations).toEqual([]);
    expect(report.maxActive).toBe(8);
  });
});

describe('the check', () => {
  it('reports a runner that ignores dependencies and the limit', async () => {
    const careless: Runner = {
      name: 'careless',
      peer: true,
      run: async (dag, work) => {
        await Promise.all(Array.from({ length: dag.size }, (_, i) => work(dag.size - 1 - i)));
      },
    };
    const report = await verifyRunner(careless, randomDag(50, 3, 15), 4, async () => {});
    expect(report.violations.some((v) => v.includes('before its dependency'))).toBe(true);
    expect(report.violations.some((v) => v.includes('at once (limit 4)'))).toBe(true);
  });

  it('reports layers that never ran', async () => {
    const lazy: Runner = {
      name: 'lazy',
      peer: true,
      run: async (_dag, work) => void (await work(0)),
    };
    const report = await verifyRunner(lazy, randomDag(10, 3, 16), 2, async () => {});
    expect(report.violations).toContain('9 layers never finished');
  });
});

describe('graphs', () => {
  it('are the same for the same seed and only point to earlier layers', () => {
    const a = randomDag(1_000, 3, 21);
    expect(randomDag(1_000, 3, 21)).toEqual(a);
    a.dependencies.forEach((deps, i) => {
      expect(deps.length).toBeLessThanOrEqual(3);
      expect(new Set(deps).size).toBe(deps.length);
      for (const d of deps) expect(d).toBeLessThan(i);
    });
  });

  it('put each layer one level below its deepest dependency', () => {
    const dag = randomDag(500, 3, 22);
    const levelOf = new Map<number, number>();
    topologicalLevels(dag).forEach((level, depth) => {
      for (const layer of level) levelOf.set(layer, depth);
    });
    dag.dependencies.forEach((deps, i) => {
      const expected =
        deps.length === 0 ? 0 : Math.max(...deps.map((d) => (levelOf.get(d) as number) + 1));
      expect(levelOf.get(i)).toBe(expected);
    });
  });

  it('bound the makespan by the critical path and by total work over the slots', () => {
    const chain = {
      size: 3,
      names: ['a', 'b', 'c'],
      dependencies: [[], [0], [1]],
      dependencyNames: [[], ['a'], ['b']],
    };
    expect(criticalPath(chain, [10, 20, 30])).toBe(60);
    expect(makespanLowerBound(chain, [10, 20, 30], 8)).toBe(60);
    const wide = fanOutDag(8);
    const durations = [0, ...Array<number>(8).fill(10), 0];
    expect(makespanLowerBound(wide, durations, 2)).toBe(40);
    expect(idealFifoMakespan(wide, durations, 2)).toBe(40);
  });
});
