import type { GraphNode } from './graph.js';
import { topologyOf } from './topology.js';

/**
 * The chain of dependencies that bounds a run's length.
 *
 * @example
 * const { path, lengthMs }: CriticalPath = computeMetrics(record).criticalPath;
 * const onPath = new Set(path); // highlight these bars in the Gantt chart
 */
export interface CriticalPath {
  /** Layer names in run order, each a dependency of the next; empty for no layers. */
  path: string[];
  /** The sum of the durations along `path`, in ms. */
  lengthMs: number;
}

/**
 * The longest chain of dependencies, weighted by each layer's duration: no
 * schedule, however parallel, finishes sooner. Between chains of equal weight
 * the one with more layers wins, then the one declared first — so with no
 * durations yet (all 0) it is the deepest chain.
 *
 * Unknown dependencies are ignored. A duration that is negative or not a
 * finite number counts as 0.
 *
 * @throws CycleError (`code: 'CYCLE_DETECTED'`) when the dependencies form a cycle.
 *
 * @example
 * const { path, lengthMs } = criticalPath(record.layers, (name) => durations.get(name) ?? 0);
 * // path: ['checkInventory', 'reserveInventory', 'createOrder', 'processPayment'], lengthMs: 950
 */
export function criticalPath(
  nodes: readonly GraphNode[],
  durationOf: (name: string) => number,
): CriticalPath {
  const { names, dependencies, order } = topologyOf(nodes);
  const finish = new Float64Array(names.length);
  const depth = new Uint32Array(names.length);
  const previous = new Int32Array(names.length).fill(-1);
  for (const at of order) {
    let best = -1;
    for (const dependency of dependencies[at] ?? []) {
      if (best === -1 || longer(finish, depth, dependency, best)) best = dependency;
    }
    const own = durationOf(names[at] as string);
    const weight = Number.isFinite(own) && own > 0 ? own : 0;
    finish[at] = weight + (best === -1 ? 0 : (finish[best] as number));
    depth[at] = 1 + (best === -1 ? 0 : (depth[best] as number));
    previous[at] = best;
  }
  let end = -1;
  for (let at = 0; at < names.length; at++) {
    if (end === -1 || longer(finish, depth, at, end)) end = at;
  }
  const path: string[] = [];
  for (let at = end; at !== -1; at = previous[at] as number) path.push(names[at] as string);
  path.reverse();
  return { path, lengthMs: end === -1 ? 0 : (finish[end] as number) };
}

/** Whether the chain ending at `a` beats the one ending at `b`: heavier, then deeper. */
function longer(finish: Float64Array, depth: Uint32Array, a: number, b: number): boolean {
  const fa = finish[a] as number;
  const fb = finish[b] as number;
  return fa > fb || (fa === fb && (depth[a] as number) > (depth[b] as number));
}
