import { didYouMean, FusyncError, ValidationError } from './errors.js';
import {
  type LayerJson,
  SEQUENCE_FORMAT,
  SEQUENCE_VERSION,
  type SequenceConfigJson,
  type SequenceJson,
  type StudioNodeJson,
} from './sequence-json.js';
import type { LayerConfig, LayerFunction, SequenceConfig } from './types.js';

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
  if (config.verbose !== undefined) options.verbose = config.verbose;
  if (config.queueType !== undefined) options.queueType = config.queueType;
  if (config.useRedis !== undefined) options.useRedis = config.useRedis;
  if (config.concurrency !== undefined && Number.isFinite(config.concurrency))
    options.concurrency = config.concurrency;
  if (config.maxRetries !== undefined) options.maxRetries = config.maxRetries;
  if (config.retryDelay !== undefined) options.retryDelay = config.retryDelay;
  if (config.timeout !== undefined) options.timeout = config.timeout;
  const json: SequenceJson = {
    format: SEQUENCE_FORMAT,
    version: SEQUENCE_VERSION,
    config: options,
    layers: layers.map((layer) => {
      const out: LayerJson = { name: layer.name, operation: operationNameOf(layer) };
      if (layer.args !== undefined) out.args = [...layer.args];
      if (layer.dependsOn !== undefined) out.dependsOn = [...layer.dependsOn];
      if (layer.priority !== undefined) out.priority = layer.priority;
      if (layer.retries !== undefined) out.retries = layer.retries;
      if (layer.retryDelay !== undefined) out.retryDelay = layer.retryDelay;
      if (layer.timeout !== undefined) out.timeout = layer.timeout;
      if (layer.onError !== undefined) out.onError = layer.onError;
      if (layer.description !== undefined) out.description = layer.description;
      return out;
    }),
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
    if (layer.args !== undefined) config.args = [...layer.args];
    if (layer.dependsOn !== undefined) config.dependsOn = [...layer.dependsOn];
    if (layer.priority !== undefined) config.priority = layer.priority;
    if (layer.retries !== undefined) config.retries = layer.retries;
    if (layer.retryDelay !== undefined) config.retryDelay = layer.retryDelay;
    if (layer.timeout !== undefined) config.timeout = layer.timeout;
    if (layer.onError !== undefined) config.onError = layer.onError;
    if (layer.description !== undefined) config.description = layer.description;
    return config;
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
