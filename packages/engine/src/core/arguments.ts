import { ArgumentError } from './errors.js';
import { type SequenceGraph, upstreamOf } from './graph.js';

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
  const dependencies = graph.dependencies[layer] ?? [];
  if (spec.args === undefined) {
    const values = new Array<unknown>(dependencies.length);
    for (let i = 0; i < dependencies.length; i++) values[i] = results[dependencies[i] as number];
    return values;
  }
  if (spec.args.length === 0) return [];
  let upstream: Set<number> | undefined;
  const getUpstream = (): Set<number> => {
    upstream ??= upstreamOf(graph, layer);
    return upstream;
  };
  return spec.args.map((name) =>
    resolveOne(graph, spec.name, name, getUpstream, results, input, runId),
  );
}

function resolveOne(
  graph: SequenceGraph,
  layerName: string,
  name: string,
  getUpstream: () => ReadonlySet<number>,
  results: readonly unknown[],
  input: Readonly<Record<string, unknown>>,
  runId: string,
): unknown {
  const direct = graph.indexOf.get(name);
  if (direct !== undefined && getUpstream().has(direct)) return results[direct];

  const dot = name.indexOf('.');
  if (dot > 0) {
    const head = graph.indexOf.get(name.slice(0, dot));
    if (head !== undefined && getUpstream().has(head)) {
      let value: unknown = results[head];
      for (const part of name.slice(dot + 1).split('.')) {
        if (typeof value !== 'object' || value === null || !hasOwn(value, part)) {
          throw new ArgumentError(
            'ARGUMENT_UNRESOLVED',
            `Layer \`${layerName}\`: argument \`${name}\` has no field \`${part}\` in the result of \`${name.slice(0, dot)}\`. Check the path or what that layer returns.`,
            { layer: layerName, runId, path: `args.${name}` },
          );
        }
        value = (value as Record<string, unknown>)[part];
      }
      return value;
    }
  }

  if (hasOwn(input, name)) return input[name];

  let found: number | undefined;
  for (const at of getUpstream()) {
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
