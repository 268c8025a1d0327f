import type { ArgumentSource } from './arguments.js';
import { CycleError, didYouMean, ValidationError } from './errors.js';
import { samePriority } from './ready-queue.js';
import type { ResolvedLayer } from './types.js';

/** The minimum a graph check needs of a layer. */
export interface GraphNode {
  readonly name: string;
  readonly dependsOn?: readonly string[] | undefined;
}

/** A validated sequence, indexed for the scheduler: layer `i`'s edges as index lists. */
export interface SequenceGraph {
  readonly layers: readonly ResolvedLayer[];
  readonly indexOf: ReadonlyMap<string, number>;
  /** `dependencies[i]`: indices of the layers layer `i` waits for. */
  readonly dependencies: readonly (readonly number[])[];
  /** `dependents[i]`: indices of the layers waiting for layer `i`, in declaration order. */
  readonly dependents: readonly (readonly number[])[];
  /**
   * The same, flat: layer `i`'s dependents are `dependentsFlat` from
   * `dependentsStart[i]` up to `dependentsStart[i + 1]`. What a run reads
   * as each layer succeeds: two typed arrays, not a list per layer.
   */
  readonly dependentsFlat: Int32Array;
  readonly dependentsStart: Int32Array;
  /**
   * Where each layer's arguments come from, settled on its first attempt
   * (`resolveArguments`) and kept with the graph: the one cache a graph
   * holds. Kept here rather than in a WeakMap keyed by graph, whose entries
   * make every garbage collection slower when a graph is compiled per
   * request.
   */
  readonly argumentPlans: (readonly ArgumentSource[] | undefined)[];
  /** Every layer has the same priority (`samePriority`): a run orders its ready layers in a plain list. */
  readonly samePriority: boolean;
}

/**
 * Finds a cycle among layers, or returns `undefined`. The path reads in run
 * order (each name is a dependency of the next) and repeats its first name at
 * the end: `['a', 'b', 'a']`. Unknown dependencies are ignored.
 */
export function findCycle(nodes: readonly GraphNode[]): string[] | undefined {
  const index = new Map<string, number>();
  for (const [i, node] of nodes.entries()) index.set(node.name, i);
  const deps = nodes.map((node) =>
    (node.dependsOn ?? []).map((d) => index.get(d)).filter((d): d is number => d !== undefined),
  );
  // 0 = unvisited, 1 = on the current path, 2 = done. Iterative so 100k-layer chains do not overflow the stack.
  const state = new Uint8Array(nodes.length);
  const next = new Int32Array(nodes.length);
  for (let root = 0; root < nodes.length; root++) {
    if (state[root] !== 0) continue;
    const path: number[] = [root];
    state[root] = 1;
    while (path.length > 0) {
      const top = path[path.length - 1] as number;
      const edges = deps[top] as number[];
      const edge = next[top] as number;
      if (edge < edges.length) {
        next[top] = edge + 1;
        const child = edges[edge] as number;
        if (state[child] === 1) {
          const start = path.indexOf(child);
          // path runs from a layer to one of its dependencies; a cycle reads in dependency order reversed.
          const cycle = path.slice(start).map((i) => (nodes[i] as GraphNode).name);
          cycle.reverse();
          cycle.push(cycle[0] as string);
          return cycle;
        }
        if (state[child] === 0) {
          state[child] = 1;
          path.push(child);
        }
      } else {
        state[top] = 2;
        path.pop();
      }
    }
  }
  return undefined;
}

/**
 * Whether adding the dependency "`layer` depends on `dependency`" would close a
 * cycle; returns the cycle in run order (`layer -> … -> dependency -> layer`,
 * each name running before the next) or `undefined`.
 * The studio uses it to refuse such a connection.
 */
export function wouldCloseCycle(
  nodes: readonly GraphNode[],
  layer: string,
  dependency: string,
): string[] | undefined {
  if (layer === dependency) return [layer, layer];
  const byName = new Map(nodes.map((node) => [node.name, node]));
  // Walk from `dependency` down its dependencies: reaching `layer` means layer is upstream of dependency.
  const parent = new Map<string, string>();
  const stack = [dependency];
  const seen = new Set([dependency]);
  while (stack.length > 0) {
    const current = stack.pop() as string;
    if (current === layer) {
      const path = [layer];
      let at = layer;
      while (at !== dependency) {
        at = parent.get(at) as string;
        path.push(at);
      }
      // Each step went from a layer to one that depends on it: the path already reads in run order.
      path.push(layer);
      return path;
    }
    for (const next of byName.get(current)?.dependsOn ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        parent.set(next, current);
        stack.push(next);
      }
    }
  }
  return undefined;
}

/**
 * Validates layers as a whole and indexes them for the scheduler: unique
 * names, known dependencies (with a "did you mean"), no cycle. Throws a
 * `ValidationError` naming the layer(s) and the fix.
 *
 * `names`, when given, is a name → index map of exactly these layers whose
 * names are known to be unique (a builder keeps one as layers are added);
 * the graph keeps it, so it must not change afterwards.
 */
export function compileGraph(
  layers: readonly ResolvedLayer[],
  names?: ReadonlyMap<string, number>,
): SequenceGraph {
  if (layers.length === 0) {
    throw new ValidationError(
      'EMPTY_SEQUENCE',
      'The sequence has no layers. Add one with `addLayer({ name, execute })`.',
    );
  }
  const indexOf = names ?? indexNames(layers);
  // Every edge list is made once, at its exact size (`listOf`): an array grown by push reserves room
  // for a dozen more entries, and a large sequence holds two lists per layer for the whole run.
  const count = layers.length;
  // The outer lists are pushed, not pre-sized: packed arrays read a little faster than holey ones.
  const dependencies: (readonly number[])[] = [];
  const dependentCount = new Int32Array(count);
  // One layer's dependencies, gathered before its list is made.
  let found = new Int32Array(16);
  // For long lists: `index + 1` at each layer already named by layer `index` (made with the first).
  let named: Int32Array | undefined;
  for (let index = 0; index < count; index++) {
    const layer = layers[index] as ResolvedLayer;
    const names = layer.dependsOn;
    if (names.length === 0) {
      dependencies.push(NONE);
      continue;
    }
    if (names.length > found.length) found = new Int32Array(names.length);
    let size = 0;
    // A dependency named twice counts once. Short lists (the usual case) check linearly; long ones
    // mark what they named.
    const long = names.length > 16;
    if (long) named ??= new Int32Array(count);
    const mark = index + 1;
    for (let d = 0; d < names.length; d++) {
      const dependency = names[d] as string;
      const at = indexOf.get(dependency);
      if (at === undefined) {
        throw new ValidationError(
          'UNKNOWN_DEPENDENCY',
          `Layer \`${layer.name}\` depends on \`${dependency}\`, which does not exist.${didYouMean(dependency, indexOf.keys())} Add a layer named \`${dependency}\` or fix \`dependsOn\`.`,
          { layer: layer.name, path: 'dependsOn' },
        );
      }
      if (long) {
        if ((named as Int32Array)[at] === mark) continue;
        (named as Int32Array)[at] = mark;
      } else if (includes(found, size, at)) continue;
      found[size++] = at;
      dependentCount[at] = (dependentCount[at] as number) + 1;
    }
    dependencies.push(listOf(found, 0, size));
  }
  // Dependents gathered flat, each layer's run in declaration order of the dependents, then listed.
  const first = new Int32Array(count + 1);
  for (let i = 0; i < count; i++)
    first[i + 1] = (first[i] as number) + (dependentCount[i] as number);
  const flat = new Int32Array(first[count] as number);
  // The counters become cursors.
  dependentCount.fill(0);
  for (let i = 0; i < count; i++) {
    const list = dependencies[i] as readonly number[];
    for (let d = 0; d < list.length; d++) {
      const at = list[d] as number;
      const cursor = dependentCount[at] as number;
      flat[(first[at] as number) + cursor] = i;
      dependentCount[at] = cursor + 1;
    }
  }
  const dependents: (readonly number[])[] = [];
  for (let i = 0; i < count; i++)
    dependents.push(listOf(flat, first[i] as number, dependentCount[i] as number));
  if (topologicalOrder(dependencies, dependents).length < count)
    throw new CycleError(findCycle(layers) ?? []);
  return {
    layers,
    indexOf,
    dependencies,
    dependents,
    dependentsFlat: flat,
    dependentsStart: first,
    argumentPlans: new Array(count),
    samePriority: samePriority(layers),
  };
}

/** The edge list of a layer without edges, shared: graphs are read-only once compiled. */
const NONE: number[] = [];

/** Layer name → index; a repeated name is a `DUPLICATE_LAYER` error. */
function indexNames(layers: readonly ResolvedLayer[]): Map<string, number> {
  const indexOf = new Map<string, number>();
  for (const layer of layers) {
    // One lookup of the name, not two: a repeated name leaves the map's size unchanged.
    const known = indexOf.size;
    indexOf.set(layer.name, layer.index);
    if (indexOf.size === known) {
      throw new ValidationError(
        'DUPLICATE_LAYER',
        `Two layers are named \`${layer.name}\`. Layer names must be unique: rename one.`,
        { layer: layer.name },
      );
    }
  }
  return indexOf;
}

/**
 * An array of `length` slots to fill by index. Past 2^24 slots it grows
 * instead: V8 gives a pre-sized array that long a slow dictionary form
 * (seen at 40 million on Node 20; a million stays fast).
 */
export function sized<T>(length: number): T[] {
  return length > 16_777_216 ? [] : new Array<T>(length);
}

/**
 * `length` numbers of `source` from `from`, as a packed list of exactly that
 * size: a literal for the short lists most layers have (one allocation, no
 * call to the Array constructor), the shared empty list for none.
 */
function listOf(source: Int32Array, from: number, length: number): readonly number[] {
  switch (length) {
    case 0:
      return NONE;
    case 1:
      return [source[from] as number];
    case 2:
      return [source[from] as number, source[from + 1] as number];
    case 3:
      return [source[from] as number, source[from + 1] as number, source[from + 2] as number];
    default: {
      const list = sized<number>(length);
      for (let i = 0; i < length; i++) list[i] = source[from + i] as number;
      return list;
    }
  }
}

function includes(list: Int32Array, length: number, value: number): boolean {
  for (let i = 0; i < length; i++) if (list[i] === value) return true;
  return false;
}

/**
 * Kahn's algorithm on index lists: every layer that can be ordered, each
 * after all of its dependencies, ties in declaration order. Shorter than the
 * layer count when the rest wait on a cycle. The one topological sort of the
 * engine: graph validation and the renderers both use it.
 */
export function topologicalOrder(
  dependencies: readonly (readonly number[])[],
  dependents: readonly (readonly number[])[],
): Int32Array {
  const count = dependencies.length;
  const remaining = new Int32Array(count);
  const order = new Int32Array(count);
  let tail = 0;
  for (let i = 0; i < count; i++) {
    remaining[i] = (dependencies[i] as readonly number[]).length;
    if (remaining[i] === 0) order[tail++] = i;
  }
  for (let head = 0; head < tail; head++) {
    const list = dependents[order[head] as number] as readonly number[];
    for (let i = 0; i < list.length; i++) {
      const next = list[i] as number;
      remaining[next] = (remaining[next] as number) - 1;
      if (remaining[next] === 0) order[tail++] = next;
    }
  }
  // A view is made only for a cycle: `subarray` moves a small typed array's bytes off the heap first,
  // which costs a small graph's compilation a fifth of its time.
  return tail === count ? order : order.subarray(0, tail);
}

/**
 * Every layer reachable from `from` along `edges` (dependents for downstream,
 * dependencies for upstream), `from` itself not included unless reached
 * again. The one graph walk of the engine: skipping downstream of a failure,
 * the layers a rerun executes, the upstream layers an argument can name.
 * A set, not a mark per layer: most walks reach few layers of a large graph.
 */
export function reachable(
  edges: readonly (readonly number[])[],
  from: readonly number[],
): Set<number> {
  const seen = new Set<number>();
  const stack: number[] = [];
  for (const start of from) for (const next of edges[start] ?? []) stack.push(next);
  while (stack.length > 0) {
    const at = stack.pop() as number;
    if (seen.has(at)) continue;
    seen.add(at);
    for (const next of edges[at] ?? []) if (!seen.has(next)) stack.push(next);
  }
  return seen;
}

/** Indices of every layer downstream of `from` (not including it), in declaration order. */
export function downstreamOf(graph: SequenceGraph, from: number): number[] {
  return [...reachable(graph.dependents, [from])].sort((a, b) => a - b);
}

/** Indices of every layer upstream of `of`: those it depends on, directly or not. */
export function upstreamOf(graph: SequenceGraph, of: number): Set<number> {
  return reachable(graph.dependencies, [of]);
}
