import { CycleError } from './errors.js';
import { type GraphNode, topologicalOrder } from './graph.js';

/**
 * Layers indexed for the renderers: what the graph and the critical path both walk.
 *
 * @example
 * const { names, order } = topologyOf(layers);
 * for (const at of order) visit(names[at]); // dependencies first
 */
export interface Topology {
  /** Unique names in declaration order; a repeated name keeps its first declaration. */
  readonly names: readonly string[];
  /** `dependencies[i]`: indices of the known layers `i` waits for, without repeats. */
  readonly dependencies: readonly (readonly number[])[];
  /** `dependents[i]`: indices of the layers waiting for `i`. */
  readonly dependents: readonly (readonly number[])[];
  /** Every index, each after all of its dependencies; ties in declaration order. */
  readonly order: readonly number[];
}

/**
 * Indexes layers for rendering. Unknown dependencies are ignored: naming them
 * is validation's job, not a renderer's.
 *
 * @throws CycleError when the dependencies form a cycle, naming it in run order.
 *
 * @example
 * topologyOf([{ name: 'b', dependsOn: ['a'] }, { name: 'a' }]).order; // [1, 0]
 */
export function topologyOf(nodes: readonly GraphNode[]): Topology {
  const indexOf = new Map<string, number>();
  const declared: GraphNode[] = [];
  for (const node of nodes) {
    if (indexOf.has(node.name)) continue;
    indexOf.set(node.name, declared.length);
    declared.push(node);
  }
  const dependencies = declared.map((node) => {
    const known = new Set<number>();
    for (const name of node.dependsOn ?? []) {
      const at = indexOf.get(name);
      if (at !== undefined) known.add(at);
    }
    return [...known];
  });
  const dependents: number[][] = declared.map(() => []);
  dependencies.forEach((own, i) => {
    for (const at of own) dependents[at]?.push(i);
  });

  const order = Array.from(topologicalOrder(dependencies, dependents));
  if (order.length < declared.length) {
    throw new CycleError(cycleAmong(order, dependencies).map((i) => declared[i]?.name ?? ''));
  }
  return { names: declared.map((node) => node.name), dependencies, dependents, order };
}

/**
 * A cycle among the layers Kahn's algorithm could not order: each of them
 * still waits for another, so following waiting dependencies must loop.
 */
function cycleAmong(
  ordered: readonly number[],
  dependencies: readonly (readonly number[])[],
): number[] {
  const waiting = new Uint8Array(dependencies.length).fill(1);
  for (const at of ordered) waiting[at] = 0;
  let at = waiting.indexOf(1);
  const seenAt = new Map<number, number>();
  const walk: number[] = [];
  while (!seenAt.has(at)) {
    seenAt.set(at, walk.length);
    walk.push(at);
    at = dependencies[at]?.find((d) => waiting[d] === 1) ?? at;
  }
  // The walk goes from a layer to its dependency; reversed, it reads in run order.
  const cycle = walk.slice(seenAt.get(at)).reverse();
  // Start at the layer declared first, so a cycle always reads the same way.
  const first = cycle.indexOf(cycle.reduce((a, b) => Math.min(a, b)));
  const rotated = [...cycle.slice(first), ...cycle.slice(0, first)];
  rotated.push(rotated[0] as number);
  return rotated;
}
