import { ValidationError } from './errors.js';
import { LIMITS } from './limits.js';
import { functionOperationName } from './sequence-io.js';
import { LAYER_NAME_PATTERN } from './sequence-json.js';
import type { LayerConfig, ResolvedLayer, ResolvedOptions, SequenceConfig } from './types.js';

function show(value: unknown): string {
  if (typeof value === 'string') return `\`'${value}'\``;
  if (typeof value === 'function') return 'a function';
  try {
    return `\`${JSON.stringify(value) ?? String(value)}\``;
  } catch {
    return `\`${String(value)}\``;
  }
}

function where(layer: string | undefined): string {
  return layer === undefined ? '' : `Layer \`${layer}\`: `;
}

function fail(field: string, expected: string, value: unknown, layer?: string): never {
  throw new ValidationError(
    'INVALID_OPTION',
    `${where(layer)}expected \`${field}\` to be ${expected}, got ${show(value)}.`,
    layer === undefined ? { path: field } : { layer, path: field },
  );
}

function checkInteger(
  field: string,
  value: unknown,
  min: number,
  layer?: string,
  allowInfinity = false,
  max = Number.MAX_SAFE_INTEGER,
): void {
  if (value === undefined) return;
  if (allowInfinity && value === Number.POSITIVE_INFINITY) return;
  if (typeof value === 'number' && Number.isInteger(value) && value > max) {
    fail(field, `an integer ≤ ${max}`, value, layer);
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    fail(field, `an integer ≥ ${min}${allowInfinity ? ' or `Infinity`' : ''}`, value, layer);
  }
}

function checkString(field: string, value: unknown, maxLength: number, layer?: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || value.length > maxLength) {
    fail(field, `a string of at most ${maxLength} characters`, value, layer);
  }
}

/**
 * Validates sequence options and applies defaults. Throws a `ValidationError`
 * such as "expected `concurrency` to be an integer ≥ 1 or `Infinity`, got `0`".
 */
export function resolveOptions(config: SequenceConfig = {}): ResolvedOptions {
  if (typeof config !== 'object' || config === null) fail('config', 'an object', config);
  checkInteger('concurrency', config.concurrency, 1, undefined, true);
  checkInteger('maxRetries', config.maxRetries, 0, undefined, false, LIMITS.maxRetries);
  checkInteger('retryDelay', config.retryDelay, 0, undefined, false, LIMITS.maxDelayMs);
  checkInteger('timeout', config.timeout, 1, undefined, false, LIMITS.maxDelayMs);
  checkString('name', config.name, LIMITS.maxNameLength);
  checkString('description', config.description, LIMITS.maxDescriptionLength);
  if (
    config.queueType !== undefined &&
    config.queueType !== 'FIFO' &&
    config.queueType !== 'LIFO'
  ) {
    fail('queueType', "`'FIFO'` or `'LIFO'`", config.queueType);
  }
  if (config.verbose !== undefined && typeof config.verbose !== 'boolean')
    fail('verbose', 'a boolean', config.verbose);
  if (config.useRedis !== undefined && typeof config.useRedis !== 'boolean')
    fail('useRedis', 'a boolean', config.useRedis);
  return {
    queueType: config.queueType ?? 'FIFO',
    concurrency: config.concurrency ?? Number.POSITIVE_INFINITY,
    maxRetries: config.maxRetries ?? 0,
    retryDelay: config.retryDelay ?? 0,
    timeout: config.timeout,
  };
}

function checkNameList(field: string, value: unknown, layer: string): void {
  if (value === undefined) return;
  if (
    !Array.isArray(value) ||
    value.some((item) => typeof item !== 'string' || item.length === 0)
  ) {
    fail(field, 'an array of non-empty strings', value, layer);
  }
}

/** Checks one layer's fields as `addLayer` receives them. */
export function validateLayerConfig(layer: LayerConfig): void {
  if (typeof layer !== 'object' || layer === null) fail('layer', 'a LayerConfig object', layer);
  if (typeof layer.name !== 'string' || !LAYER_NAME_PATTERN.test(layer.name)) {
    throw new ValidationError(
      'INVALID_LAYER',
      `Layer name ${show(layer.name)} is not valid: it must start with a letter or \`_\` and hold only letters, digits, \`_\` and \`-\` (at most 128 characters).`,
      { path: 'name' },
    );
  }
  const name = layer.name;
  if (layer.execute !== undefined && typeof layer.execute !== 'function')
    fail('execute', 'a function', layer.execute, name);
  if (
    layer.operation !== undefined &&
    (typeof layer.operation !== 'string' || layer.operation.length === 0)
  ) {
    fail('operation', 'a non-empty string', layer.operation, name);
  }
  checkNameList('args', layer.args, name);
  for (const arg of layer.args ?? []) checkString('args', arg, LIMITS.maxNameLength, name);
  checkString('operation', layer.operation, LIMITS.maxNameLength, name);
  checkNameList('dependsOn', layer.dependsOn, name);
  checkInteger('priority', layer.priority, -LIMITS.maxPriority, name, false, LIMITS.maxPriority);
  checkInteger('retries', layer.retries, 0, name, false, LIMITS.maxRetries);
  checkInteger('retryDelay', layer.retryDelay, 0, name, false, LIMITS.maxDelayMs);
  checkInteger('timeout', layer.timeout, 1, name, false, LIMITS.maxDelayMs);
  if (layer.onError !== undefined && layer.onError !== 'continue' && layer.onError !== 'abort') {
    fail('onError', "`'continue'` or `'abort'`", layer.onError, name);
  }
  if (
    layer.description !== undefined &&
    (typeof layer.description !== 'string' ||
      layer.description.length > LIMITS.maxDescriptionLength)
  ) {
    fail(
      'description',
      `a string of at most ${LIMITS.maxDescriptionLength} characters`,
      layer.description,
      name,
    );
  }
  if (layer.dependsOn?.includes(name)) {
    throw new ValidationError(
      'CYCLE_DETECTED',
      `Layer \`${name}\` depends on itself: ${name} -> ${name}. Remove \`${name}\` from its \`dependsOn\`.`,
      { layer: name },
    );
  }
}

/** Applies the sequence defaults to one layer. */
export function resolveLayer(
  layer: LayerConfig,
  index: number,
  options: ResolvedOptions,
): ResolvedLayer {
  const operation = layer.operation ?? functionOperationName(layer.execute);
  return {
    name: layer.name,
    index,
    execute: layer.execute,
    operation,
    args: layer.args,
    dependsOn: layer.dependsOn ?? [],
    priority: layer.priority ?? 0,
    retries: layer.retries ?? options.maxRetries,
    retryDelay: layer.retryDelay ?? options.retryDelay,
    timeout: layer.timeout ?? options.timeout,
    onError: layer.onError ?? 'abort',
    description: layer.description,
  };
}
