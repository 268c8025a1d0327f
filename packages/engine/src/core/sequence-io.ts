import { didYouMean, FusyncError, ValidationError } from './errors.js';
import { CONFIG_RULES, LAYER_LISTS, LAYER_RULES } from './rules.js';
import {
  type LayerJson,
  SEQUENCE_FORMAT,
  SEQUENCE_VERSION,
  type SequenceConfigJson,
  type SequenceJson,
  type StudioNodeJson,
} from './sequence-json.js';
import type { LayerConfig, LayerFunction, SequenceConfig } from './types.js';

/** The options a saved document keeps in `config`: those the JSON rules check. */
const CONFIG_FIELDS = Object.keys(CONFIG_RULES) as (keyof typeof CONFIG_RULES)[];
/** A layer's saved fields besides `name` and `operation`, lists first, in the document's order. */
const LAYER_FIELDS = [...Object.keys(LAYER_LISTS), ...Object.keys(LAYER_RULES)].filter(
  (key) => key !== 'operation',
) as (keyof LayerJson)[];

/** Copies the fields of a layer that are set, its lists as new arrays. */
function copyLayerFields<T extends LayerJson | LayerConfig>(
  from: LayerJson | LayerConfig,
  to: T,
): T {
  for (const key of LAYER_FIELDS) {
    const value = from[key];
    if (value !== undefined)
      (to as Record<string, unknown>)[key] = Array.isArray(value) ? [...value] : value;
  }
  return to;
}

/** Operation name → function: how loaded sequences get their functions back. */
export type OperationRegistry =
  | Readonly<Record<string, LayerFunction>>
  | ReadonlyMap<string, LayerFunction>;

function lookup(registry: OperationRegistry, name: string): LayerFunction | undefined {
  if (registry instanceof Map) return registry.get(name);
  const record = registry as Readonly<Record<string, LayerFunction>>;
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

function registryNames(registry: OperationRegistry): string[] {
  return registry instanceof Map ? [...registry.keys()] : Object.keys(registry);
}

/**
 * The name a function can be saved under: its own name, unless it has none
 * or only the one an inline `execute: async () => …` gets from its property.
 */
export function functionOperationName(fn: LayerFunction | undefined): string | undefined {
  const name = fn?.name;
  return name && name !== 'execute' ? name : undefined;
}

/** The operation name a layer is saved under; throws when it has none. */
export function operationNameOf(layer: LayerConfig): string {
  const name = layer.operation ?? functionOperationName(layer.execute);
  if (name === undefined) {
    throw new ValidationError(
      'INVALID_LAYER',
      `Layer \`${layer.name}\` cannot be saved: its function has no name. Set \`operation: 'someName'\` on the layer so it can be re-bound on load.`,
      { layer: layer.name, path: 'operation' },
    );
  }
  return name;
}

/** Serialises sequence options and layers to the versioned JSON format. */
export function toSequenceJson(
  config: SequenceConfig,
  layers: readonly LayerConfig[],
  studio?: { nodes?: Record<string, StudioNodeJson> },
): SequenceJson {
  const options: SequenceConfigJson = {};
  for (const key of CONFIG_FIELDS) {
    const value = config[key];
    // An unlimited concurrency (`Infinity`) is the default: JSON has no way to write it.
    if (value !== undefined && value !== Number.POSITIVE_INFINITY)
      (options as Record<string, unknown>)[key] = value;
  }
  const json: SequenceJson = {
    format: SEQUENCE_FORMAT,
    version: SEQUENCE_VERSION,
    config: options,
    layers: layers.map((layer) =>
      copyLayerFields(layer, { name: layer.name, operation: operationNameOf(layer) }),
    ),
  };
  if (config.name !== undefined) json.name = config.name;
  if (config.description !== undefined) json.description = config.description;
  if (studio?.nodes && Object.keys(studio.nodes).length > 0) json.studio = { nodes: studio.nodes };
  return json;
}

/** Sequence options from JSON. */
export function configFromJson(json: SequenceJson): SequenceConfig {
  const config: SequenceConfig = {};
  for (const [key, value] of Object.entries(json.config ?? {})) {
    if (value !== undefined) (config as Record<string, unknown>)[key] = value;
  }
  if (json.name !== undefined) config.name = json.name;
  if (json.description !== undefined) config.description = json.description;
  return config;
}

/**
 * Layers from JSON, with functions bound from `operations`. Without a
 * registry the layers keep only their operation names (bind them later).
 * With one, an operation it lacks is an `UNKNOWN_OPERATION` error naming the
 * layer.
 */
export function layersFromJson(json: SequenceJson, operations?: OperationRegistry): LayerConfig[] {
  return json.layers.map((layer, index) => {
    const config: LayerConfig = { name: layer.name, operation: layer.operation };
    if (operations)
      config.execute = bindOperation(
        operations,
        layer.name,
        layer.operation,
        `layers[${index}].operation`,
      );
    return copyLayerFields(layer, config);
  });
}

/** The function registered for `operation`, or an `UNKNOWN_OPERATION` error naming the layer. */
export function bindOperation(
  operations: OperationRegistry,
  layer: string,
  operation: string,
  path = 'operation',
): LayerFunction {
  const fn = lookup(operations, operation);
  if (typeof fn !== 'function') {
    const names = registryNames(operations);
    throw new FusyncError(
      'UNKNOWN_OPERATION',
      `Layer \`${layer}\` uses operation \`${operation}\`, which is not registered.${didYouMean(operation, names)} Registered: ${names.length > 0 ? names.map((n) => `\`${n}\``).join(', ') : 'none'}.`,
      { layer, path },
    );
  }
  return fn;
}
