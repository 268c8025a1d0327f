import { ArgumentError } from './errors.js';
import { type SequenceGraph, upstreamOf } from './graph.js';
import type { ResolvedLayer } from './types.js';

const hasOwn = (value: object, key: string): boolean => Object.hasOwn(value, key);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Resolves the values a layer is called with. Each name in `args` is, in
 * order of precedence:
 * 1. the result of an upstream layer with that name;
 * 2. a dotted path `layer.field` into an upstream layer's result;
 * 3. a key of the run input;
 * 4. a key of a plain-object result of an upstream layer (two such layers is
 *    an `ARGUMENT_AMBIGUOUS` error).
 * Without `args`, the results of `dependsOn` in order.
 * "Upstream" means every layer the layer transitively depends on.
 */
export function resolveArguments(
  graph: SequenceGraph,
  layer: number,
  results: readonly unknown[],
  input: Readonly<Record<string, unknown>>,
  runId: string,
): unknown[] {
  const spec = graph.layers[layer];
  if (!spec) return [];
  if (spec.args === undefined) {
    const dependencies = graph.dependencies[layer] ?? [];
    const values = new Array<unknown>(dependencies.length);
    for (let i = 0; i < dependencies.length; i++) values[i] = results[dependencies[i] as number];
    return values;
  }
  const plan = argumentPlan(graph, layer);
  const values = new Array<unknown>(plan.length);
  for (let i = 0; i < plan.length; i++) {
    values[i] = argumentValue(graph, layer, plan[i] as ArgumentSource, results, input, runId);
  }
  return values;
}

/**
 * The value of one argument of `layer` (a layer with `args`), from its place
 * in `argumentPlan`: what `resolveArguments` puts at that place.
 */
export function argumentValue(
  graph: SequenceGraph,
  layer: number,
  arg: ArgumentSource,
  results: readonly unknown[],
  input: Readonly<Record<string, unknown>>,
  runId: string,
): unknown {
  if (arg.parts !== undefined) {
    return followPath(
      (graph.layers[layer] as ResolvedLayer).name,
      arg.name,
      arg.parts,
      results[arg.at],
      runId,
    );
  }
  if (arg.at >= 0) return results[arg.at];
  // A name the graph does not settle is a key of the run input first.
  if (hasOwn(input, arg.name)) return input[arg.name];
  return resolveFromUpstream(
    graph,
    (graph.layers[layer] as ResolvedLayer).name,
    arg.name,
    arg.upstream ?? upstreamOf(graph, layer),
    results,
    runId,
  );
}

/**
 * Where one argument comes from, settled once per graph: what the graph alone
 * decides (an upstream layer's result, a path into one) is looked up by
 * index at run time; a name the graph does not settle is looked for in the
 * input and the upstream results, in that order.
 */
export interface ArgumentSource {
  readonly name: string;
  /** The upstream layer whose result (or a path into it) the argument is; -1: by name at run time. */
  readonly at: number;
  /** The path into that layer's result, for `layer.field.sub`. */
  readonly parts: readonly string[] | undefined;
  /**
   * The layer's upstream layers, for a name looked for among their results:
   * kept when they are few, found again at run time otherwise (a plan per
   * layer of a deep graph must not hold every layer's ancestors).
   */
  readonly upstream: Iterable<number> | undefined;
}

/** Upstream sets up to this size are kept in a layer's plan. */
const KEPT_UPSTREAM = 64;

/** The layer's argument plan, made on first use: graphs are read-only, so it holds as long as the graph does. */
export function argumentPlan(graph: SequenceGraph, layer: number): readonly ArgumentSource[] {
  const byLayer = graph.argumentPlans;
  const known = byLayer[layer];
  if (known !== undefined) return known;
  const upstream = upstreamOf(graph, layer);
  const kept = upstream.size <= KEPT_UPSTREAM ? [...upstream] : undefined;
  const plan = (graph.layers[layer]?.args ?? []).map((name): ArgumentSource => {
    const direct = graph.indexOf.get(name);
    if (direct !== undefined && upstream.has(direct))
      return { name, at: direct, parts: undefined, upstream: undefined };
    const dot = name.indexOf('.');
    if (dot > 0) {
      const head = graph.indexOf.get(name.slice(0, dot));
      if (head !== undefined && upstream.has(head))
        return { name, at: head, parts: name.slice(dot + 1).split('.'), upstream: undefined };
    }
    return { name, at: -1, parts: undefined, upstream: kept };
  });
  byLayer[layer] = plan;
  return plan;
}

/** `layer.field.sub`: the value at that path in the upstream result, or an error naming the missing field. */
function followPath(
  layerName: string,
  name: string,
  parts: readonly string[],
  result: unknown,
  runId: string,
): unknown {
  let value = result;
  for (const part of parts) {
    if (typeof value !== 'object' || value === null || !hasOwn(value, part)) {
      throw new ArgumentError(
        'ARGUMENT_UNRESOLVED',
        `Layer \`${layerName}\`: argument \`${name}\` has no field \`${part}\` in the result of \`${name.slice(0, name.indexOf('.'))}\`. Check the path or what that layer returns.`,
        { layer: layerName, runId, path: `args.${name}` },
      );
    }
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** A name the graph does not settle and the input does not hold: a field of exactly one upstream result. */
function resolveFromUpstream(
  graph: SequenceGraph,
  layerName: string,
  name: string,
  upstream: Iterable<number>,
  results: readonly unknown[],
  runId: string,
): unknown {
  let found: number | undefined;
  for (const at of upstream) {
    const result = results[at];
    if (isPlainObject(result) && hasOwn(result, name)) {
      if (found !== undefined) {
        const [a, b] = [graph.layers[found]?.name, graph.layers[at]?.name].sort();
        throw new ArgumentError(
          'ARGUMENT_AMBIGUOUS',
          `Layer \`${layerName}\`: argument \`${name}\` is a field of both \`${a}\` and \`${b}\`. Name one explicitly, e.g. \`${a}.${name}\`.`,
          { layer: layerName, runId, path: `args.${name}` },
        );
      }
      found = at;
    }
  }
  if (found !== undefined) return (results[found] as Record<string, unknown>)[name];

  throw new ArgumentError(
    'ARGUMENT_UNRESOLVED',
    `Layer \`${layerName}\`: argument \`${name}\` is not an upstream layer, a field of an upstream result, or a key of the run input. Pass \`${name}\` in the input of \`build()\`, or add the layer that produces it to \`dependsOn\`.`,
    { layer: layerName, runId, path: `args.${name}` },
  );
}
