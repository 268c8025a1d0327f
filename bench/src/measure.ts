import { collectGarbage, HeapProbe } from './heap.js';

/** How many runs to make and how long a slow contender may take. */
export interface RunPlan {
  warmups: number;
  runs: number;
  /** A contender that has spent this long in a scenario stops once it has `minRuns` runs. */
  budgetMs: number;
  minRuns: number;
  /** A warm-up slower than this counts as a measured run (its JIT warm-up is noise at that scale). */
  slowRunMs: number;
}

/**
 * Five warm-ups: V8 goes on optimizing a runner's code over its first four
 * or five runs of a 10,000-layer graph (in one `overhead` run, fusync 83 →
 * 19 ms and minimal by name 22 → 10 ms); with two, the measured runs began
 * on that slope and the median fell wherever the slope happened to be.
 */
export const FULL_PLAN: RunPlan = {
  warmups: 5,
  runs: 7,
  budgetMs: 60_000,
  minRuns: 3,
  slowRunMs: 2_000,
};
export const QUICK_PLAN: RunPlan = {
  warmups: 1,
  runs: 3,
  budgetMs: 10_000,
  minRuns: 1,
  slowRunMs: 2_000,
};

export interface Contender {
  readonly name: string;
  /** Why it does not run in this scenario, if it does not. */
  readonly skip?: string | undefined;
  /** If its first run takes longer, it is reported as skipped with the time it took. */
  readonly firstRunLimitMs?: number | undefined;
  /** One complete run; `probe` is set when the scenario measures heap. */
  run(probe: HeapProbe | undefined): Promise<void>;
}

export interface Measured {
  readonly name: string;
  readonly times: number[];
  readonly heapsMb: number[];
  skip?: string;
}

export interface MeasureOptions {
  plan: RunPlan;
  heap?: boolean;
  onProgress?: (line: string) => void;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Runs the contenders in one process, interleaved: round after round, each
 * contender once per round (the starting contender rotates), a full garbage
 * collection before every run, warm-up rounds first. Machine noise then
 * falls on every contender alike, and ratios between them stay meaningful.
 */
export async function interleave(
  contenders: readonly Contender[],
  options: MeasureOptions,
): Promise<Measured[]> {
  const { plan } = options;
  const results: Measured[] = contenders.map((c) => {
    const measured: Measured = { name: c.name, times: [], heapsMb: [] };
    if (c.skip !== undefined) measured.skip = c.skip;
    return measured;
  });
  const spent = contenders.map(() => 0);
  const warm = contenders.map(() => 0);
  const rounds = plan.warmups + plan.runs;
  for (let round = 0; round < rounds; round++) {
    const warmup = round < plan.warmups;
    for (let k = 0; k < contenders.length; k++) {
      const at = (k + round) % contenders.length;
      const contender = contenders[at] as Contender;
      const measured = results[at] as Measured;
      if (measured.skip !== undefined) continue;
      if (warmup && warm[at] === -1) continue;
      if (
        !warmup &&
        measured.times.length >= plan.minRuns &&
        (spent[at] as number) >= plan.budgetMs
      )
        continue;
      const probe = options.heap ? new HeapProbe() : undefined;
      collectGarbage();
      probe?.start();
      const t0 = performance.now();
      try {
        await contender.run(probe);
      } catch (error) {
        probe?.stop();
        measured.skip = `failed: ${error instanceof Error ? error.message : String(error)}`;
        continue;
      }
      const ms = performance.now() - t0;
      const heapMb = probe?.stop();
      spent[at] = (spent[at] as number) + ms;
      const first = measured.times.length === 0 && warm[at] === 0;
      if (first && contender.firstRunLimitMs !== undefined && ms > contender.firstRunLimitMs) {
        measured.skip = `first run took ${(ms / 1000).toFixed(1)} s, over ${contender.firstRunLimitMs / 1000} s`;
        continue;
      }
      if (warmup && ms < plan.slowRunMs) {
        warm[at] = (warm[at] as number) + 1;
      } else {
        if (warmup) warm[at] = -1;
        measured.times.push(ms);
        if (heapMb !== undefined) measured.heapsMb.push(heapMb);
      }
      options.onProgress?.(
        `${warmup && ms < plan.slowRunMs ? 'warm-up' : 'run'} ${contender.name}: ${ms.toFixed(1)} ms`,
      );
    }
  }
  return results;
}
