/**
 * The graphs every runner is measured on: seeded, so each runner (and each
 * machine) sees exactly the same layers and edges.
 */

/** A dependency graph as plain data: layer `i` waits for `dependencies[i]`. */
export interface Dag {
  readonly size: number;
  /** Layer names (`l0`, `l1`, …), valid fusync layer names. */
  readonly names: readonly string[];
  /** Indices of the layers each layer depends on: distinct, all lower than its own index. */
  readonly dependencies: readonly (readonly number[])[];
  /** The same edges by name, shared by the runners that take names. */
  readonly dependencyNames: readonly (readonly string[])[];
}

/** A small, fast, seedable PRNG (mulberry32): uniform floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fromDependencies(dependencies: number[][]): Dag {
  const names = dependencies.map((_, i) => `l${i}`);
  return {
    size: dependencies.length,
    names,
    dependencies,
    dependencyNames: dependencies.map((deps) => deps.map((d) => names[d] as string)),
  };
}

/**
 * `size` layers; layer `i` depends on 0 to `maxDependencies` distinct layers
 * drawn uniformly from the layers before it (so the graph is acyclic and
 * declared in a valid order).
 */
export function randomDag(size: number, maxDependencies: number, seed: number): Dag {
  const random = seededRandom(seed);
  const dependencies: number[][] = [];
  for (let i = 0; i < size; i++) {
    const count = Math.floor(random() * (Math.min(maxDependencies, i) + 1));
    const own: number[] = [];
    while (own.length < count) {
      const pick = Math.floor(random() * i);
      if (!own.includes(pick)) own.push(pick);
    }
    dependencies.push(own);
  }
  return fromDependencies(dependencies);
}

/** One root, `width` layers that each depend on it, and one sink that depends on all of them. */
export function fanOutDag(width: number): Dag {
  const dependencies: number[][] = [[]];
  for (let i = 0; i < width; i++) dependencies.push([0]);
  dependencies.push(Array.from({ length: width }, (_, i) => i + 1));
  return fromDependencies(dependencies);
}

/** Seeded integer durations in [min, max] ms, one per layer. */
export function randomDurations(size: number, min: number, max: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: size }, () => min + Math.floor(random() * (max - min + 1)));
}

/** Longest path through the graph, weighting each layer by its duration. */
export function criticalPath(dag: Dag, durations: readonly number[]): number {
  // Dependencies always have lower indices, so one pass in index order is a topological pass.
  const finish = new Float64Array(dag.size);
  let longest = 0;
  for (let i = 0; i < dag.size; i++) {
    let start = 0;
    for (const d of dag.dependencies[i] as readonly number[])
      start = Math.max(start, finish[d] as number);
    const end = start + (durations[i] as number);
    finish[i] = end;
    longest = Math.max(longest, end);
  }
  return longest;
}

/**
 * No schedule can finish sooner than the longest dependency chain, nor sooner
 * than the total work spread perfectly over `concurrency` slots.
 */
export function makespanLowerBound(
  dag: Dag,
  durations: readonly number[],
  concurrency: number,
): number {
  const work = durations.reduce((sum, d) => sum + d, 0);
  return Math.max(criticalPath(dag, durations), work / concurrency);
}

/**
 * The makespan of the ideal dependency-driven FIFO schedule on a virtual
 * clock: every layer starts the instant a slot is free and it is the oldest
 * ready layer (ties in declaration order), and takes exactly its duration.
 * What a zero-overhead runner with FIFO order would achieve.
 */
export function idealFifoMakespan(
  dag: Dag,
  durations: readonly number[],
  concurrency: number,
): number {
  const dependents: number[][] = Array.from({ length: dag.size }, () => []);
  const remaining = new Int32Array(dag.size);
  for (let i = 0; i < dag.size; i++) {
    const deps = dag.dependencies[i] as readonly number[];
    remaining[i] = deps.length;
    for (const d of deps) (dependents[d] as number[]).push(i);
  }
  const ready: number[] = [];
  for (let i = 0; i < dag.size; i++) if (remaining[i] === 0) ready.push(i);
  let head = 0;
  const running: { layer: number; end: number }[] = [];
  let now = 0;
  for (;;) {
    while (running.length < concurrency && head < ready.length) {
      const layer = ready[head++] as number;
      running.push({ layer, end: now + (durations[layer] as number) });
    }
    if (running.length === 0) return now;
    // Finish every attempt that ends at the earliest end time, in start order, then refill.
    now = Math.min(...running.map((r) => r.end));
    const ending = running.filter((r) => r.end === now);
    for (const r of ending) {
      running.splice(running.indexOf(r), 1);
      for (const next of dependents[r.layer] as number[]) {
        remaining[next] = (remaining[next] as number) - 1;
        if (remaining[next] === 0) ready.push(next);
      }
    }
  }
}

/** Layer indices grouped by depth (longest dependency chain above them): what a level-barrier runner runs in turn. */
export function topologicalLevels(dag: Dag): number[][] {
  const depth = new Int32Array(dag.size);
  const levels: number[][] = [];
  for (let i = 0; i < dag.size; i++) {
    let level = 0;
    for (const d of dag.dependencies[i] as readonly number[])
      level = Math.max(level, (depth[d] as number) + 1);
    depth[i] = level;
    const at = levels[level];
    if (at) at.push(i);
    else levels[level] = [i];
  }
  return levels;
}
