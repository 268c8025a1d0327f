import { findCycle } from 'fusync';

/** One problem of a sequence's graph: where in the JSON, and what to do, in the studio's words. */
export interface GraphProblem {
  path: string;
  message: string;
}

interface RawLayer {
  index: number;
  name: string;
  dependsOn: { name: string; at: number }[];
}

/** The layers of parsed JSON whose name is a string, with their string dependencies (the schema reports the rest). */
function rawLayers(value: unknown): RawLayer[] {
  const layers = (value as { layers?: unknown } | null)?.layers;
  if (!Array.isArray(layers)) return [];
  const out: RawLayer[] = [];
  for (const [index, layer] of layers.entries()) {
    if (typeof layer !== 'object' || layer === null) continue;
    const { name, dependsOn } = layer as { name?: unknown; dependsOn?: unknown };
    if (typeof name !== 'string') continue;
    const deps: RawLayer['dependsOn'] = [];
    if (Array.isArray(dependsOn))
      for (const [at, dependency] of dependsOn.entries())
        if (typeof dependency === 'string') deps.push({ name: dependency, at });
    out.push({ index, name, dependsOn: deps });
  }
  return out;
}

/**
 * Every problem of a sequence's graph at once — names used twice, unknown
 * dependencies, layers depending on themselves, cycles — read from the
 * parsed JSON even when some fields are malformed, so one import lists
 * them all next to the schema's problems. The engine stops at the first
 * one; this reports each, in the words of the canvas and the inspector.
 */
export function graphProblems(value: unknown): GraphProblem[] {
  const layers = rawLayers(value);
  const problems: GraphProblem[] = [];
  const first = new Map<string, number>();
  for (const layer of layers) {
    const earlier = first.get(layer.name);
    if (earlier === undefined) first.set(layer.name, layer.index);
    else
      problems.push({
        path: `layers[${layer.index}].name`,
        message: `Two layers are named \`${layer.name}\` (layers[${earlier}] and layers[${layer.index}]): names must be unique. Rename one of them.`,
      });
  }
  // The graph checked for cycles: the first layer of each name, its known dependencies other than itself.
  const graph: { name: string; dependsOn: string[]; index: number; at: Map<string, number> }[] = [];
  for (const layer of layers) {
    const unique = first.get(layer.name) === layer.index;
    const dependsOn: string[] = [];
    const at = new Map<string, number>();
    for (const dependency of layer.dependsOn) {
      const path = `layers[${layer.index}].dependsOn[${dependency.at}]`;
      if (dependency.name === layer.name)
        problems.push({
          path,
          message: `\`${layer.name}\` depends on itself. Remove \`${layer.name}\` from its Depends on.`,
        });
      else if (!first.has(dependency.name))
        problems.push({
          path,
          message: `\`${layer.name}\` depends on \`${dependency.name}\`, but no layer has that name. Add a layer named \`${dependency.name}\`, or remove it from Depends on.`,
        });
      else if (unique && !at.has(dependency.name)) {
        dependsOn.push(dependency.name);
        at.set(dependency.name, dependency.at);
      }
    }
    if (unique) graph.push({ name: layer.name, dependsOn, index: layer.index, at });
  }
  // Each cycle once: report it, cut the dependency that closes it, look again.
  const byName = new Map(graph.map((node) => [node.name, node]));
  for (let guard = 0; guard <= graph.length; guard++) {
    const cycle = findCycle(graph);
    if (!cycle) break;
    const closing = byName.get(cycle[cycle.length - 1] as string);
    const dependency = cycle[cycle.length - 2] as string;
    if (!closing) break;
    problems.push({
      path: `layers[${closing.index}].dependsOn[${closing.at.get(dependency) ?? 0}]`,
      message: `These layers wait for each other in a cycle, so none can start: ${cycle.join(' -> ')}. Remove one of these dependencies.`,
    });
    closing.dependsOn = closing.dependsOn.filter((name) => name !== dependency);
  }
  return problems;
}
