import { CycleError, ValidationError } from './errors.js';
import {
  CONFIG_RULES,
  LAYER_LISTS,
  LAYER_NAME_PATTERN,
  LAYER_RULES,
  listProblem,
  type NameListRule,
  type Rule,
  SEQUENCE_RULES,
  show,
} from './rules.js';
import { functionOperationName } from './sequence-io.js';
import type { LayerConfig, ResolvedLayer, ResolvedOptions, SequenceConfig } from './types.js';

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

/** Rules as a list of `[field, rule]`: read by index, not enumerated with `for…in` on every check. */
type RuleList = readonly (readonly [string, Rule])[];

const listOf = (rules: Readonly<Record<string, Rule>>): RuleList => Object.entries(rules);
const LAYER_RULE_LIST = listOf(LAYER_RULES);
const CONFIG_RULE_LIST = listOf(CONFIG_RULES);
const SEQUENCE_RULE_LIST = listOf(SEQUENCE_RULES);

/** Checks each field of `config` that `rules` names and `config` sets. */
function checkFields(config: object, rules: RuleList, layer?: string): void {
  for (let i = 0; i < rules.length; i++) {
    const [field, rule] = rules[i] as RuleList[number];
    const value = (config as Record<string, unknown>)[field];
    if (value === undefined) continue;
    const expected = rule(value);
    if (expected !== undefined) fail(field, expected, value, layer);
  }
}

/** `LAYER_RULES` by field, for `checkLayerFields`. */
const LAYER_RULE_OF: ReadonlyMap<string, Rule> = new Map(LAYER_RULE_LIST);

/**
 * Checks each field of a layer that `LAYER_RULES` names and the layer sets.
 * It walks the layer's keys (a layer sets a few of its optional fields)
 * rather than every rule: the builder keeps a copy of the layer's own
 * enumerable fields, so those are what a run uses.
 */
function checkLayerFields(layer: LayerConfig, name: string): void {
  for (const field in layer) {
    const rule = LAYER_RULE_OF.get(field);
    if (rule === undefined) continue;
    const value = (layer as unknown as Record<string, unknown>)[field];
    if (value === undefined) continue;
    const expected = rule(value);
    if (expected !== undefined) fail(field, expected, value, name);
  }
}

function checkList(field: string, rule: NameListRule, value: unknown, layer: string): void {
  if (value === undefined) return;
  const problem = listProblem(rule, value);
  if (problem === undefined) return;
  if (problem.at === undefined) fail(field, problem.expected, value, layer);
  const item = (value as unknown[])[problem.at];
  // An item that is no name at all is the list's fault; one too long or malformed, its own.
  if (typeof item !== 'string' || item.length === 0)
    fail(field, 'an array of non-empty strings', value, layer);
  fail(field, problem.expected, item, layer);
}

/**
 * Validates sequence options and applies defaults. Throws a `ValidationError`
 * such as "expected `concurrency` to be an integer ≥ 1 or `Infinity`, got `0`".
 */
export function resolveOptions(config: SequenceConfig = {}): ResolvedOptions {
  if (typeof config !== 'object' || config === null) fail('config', 'an object', config);
  checkFields(config, CONFIG_RULE_LIST);
  checkFields(config, SEQUENCE_RULE_LIST);
  const backend: unknown = config.backend;
  if (
    backend !== undefined &&
    (typeof backend !== 'object' ||
      backend === null ||
      typeof (backend as { run?: unknown }).run !== 'function')
  ) {
    fail(
      'backend',
      'a backend with a `run(request)` method, such as `createRedisRunner(options)` from `fusync/redis`',
      backend,
    );
  }
  return {
    queueType: config.queueType ?? 'FIFO',
    concurrency: config.concurrency ?? Number.POSITIVE_INFINITY,
    maxRetries: config.maxRetries ?? 0,
    retryDelay: config.retryDelay ?? 0,
    timeout: config.timeout,
  };
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
  checkLayerFields(layer, name);
  checkList('args', LAYER_LISTS.args, layer.args, name);
  checkList('dependsOn', LAYER_LISTS.dependsOn, layer.dependsOn, name);
  if (layer.dependsOn?.includes(name)) {
    throw new CycleError(
      [name, name],
      `Layer \`${name}\` depends on itself: ${name} -> ${name}. Remove \`${name}\` from its \`dependsOn\`.`,
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
