import { LIMITS } from './limits.js';

/**
 * The rules of every field a sequence holds, written once: the builder checks
 * `LayerConfig` and `SequenceConfig` with them, and the JSON loader checks
 * saved documents with them, so whatever one accepts the other does too.
 *
 * A rule answers what a value should have been (`'an integer ≥ 0'`), or
 * `undefined` when the value follows it.
 */
export type Rule = (value: unknown) => string | undefined;

/** Layer names: a letter or `_` first, then letters, digits, `_` or `-`; at most 128 characters. */
export const LAYER_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

/** An integer within `[min, max]`; `Infinity` too when `infinity` is set. */
export function integer(
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
  infinity = false,
): Rule {
  return (value) => {
    if (infinity && value === Number.POSITIVE_INFINITY) return undefined;
    if (typeof value === 'number' && Number.isInteger(value)) {
      if (value > max) return `an integer ≤ ${max}`;
      if (value >= min) return undefined;
    }
    return `an integer ≥ ${min}${infinity ? ' or `Infinity`' : ''}`;
  };
}

/** A finite number of at least `min`. */
export function finite(min = Number.NEGATIVE_INFINITY): Rule {
  return (value) =>
    typeof value === 'number' && Number.isFinite(value) && value >= min
      ? undefined
      : min === Number.NEGATIVE_INFINITY
        ? 'a finite number'
        : `a finite number ≥ ${min}`;
}

/** A string of at most `max` characters, and not empty when `nonEmpty`. */
export function text(max: number, nonEmpty = false): Rule {
  return (value) => {
    if (typeof value !== 'string' || (nonEmpty && value.length === 0))
      return nonEmpty ? 'a non-empty string' : `a string of at most ${max} characters`;
    return value.length > max ? `a string of at most ${max} characters` : undefined;
  };
}

/** Control characters (C0, DEL, C1) and the bidirectional overrides that make text read other than it is. */
const UNPRINTABLE = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/** Printable text of at most `max` characters: what a name shown in logs, lists and spans may hold. */
export function printable(max: number): Rule {
  const length = text(max);
  return (value) =>
    length(value) ??
    (UNPRINTABLE.test(value as string)
      ? `printable text of at most ${max} characters (no control or bidirectional-override characters)`
      : undefined);
}

/** A layer name (`LAYER_NAME_PATTERN`). */
export const layerName: Rule = (value) =>
  typeof value === 'string' && LAYER_NAME_PATTERN.test(value)
    ? undefined
    : 'a layer name: a letter or `_` first, then letters, digits, `_` and `-` (at most 128 characters)';

/** One of `values`. */
export function oneOf(...values: readonly string[]): Rule {
  const expected = values.map((value) => `\`'${value}'\``).join(' or ');
  return (value) => (typeof value === 'string' && values.includes(value) ? undefined : expected);
}

export const boolean: Rule = (value) => (typeof value === 'boolean' ? undefined : 'a boolean');

/** A list of names, each following `item`, at most `max` of them. */
export interface NameListRule {
  readonly item: Rule;
  readonly max: number;
}

/**
 * What is wrong with a list of names: the list itself (`at` undefined) or
 * its item `at`; `undefined` when nothing is.
 */
export function listProblem(
  rule: NameListRule,
  value: unknown,
): { at?: number; expected: string } | undefined {
  if (!Array.isArray(value)) return { expected: 'an array of non-empty strings' };
  if (value.length > rule.max) return { expected: `an array of at most ${rule.max} names` };
  for (let at = 0; at < value.length; at++) {
    const expected = rule.item(value[at]);
    if (expected !== undefined) return { at, expected };
  }
  return undefined;
}

/** The rules of a layer's fields (`execute` aside, which only the builder has). */
export const LAYER_RULES = {
  operation: text(LIMITS.maxNameLength, true),
  priority: integer(-LIMITS.maxPriority, LIMITS.maxPriority),
  retries: integer(0, LIMITS.maxRetries),
  retryDelay: integer(0, LIMITS.maxDelayMs),
  timeout: integer(1, LIMITS.maxDelayMs),
  onError: oneOf('continue', 'abort'),
  description: text(LIMITS.maxDescriptionLength),
} as const satisfies Record<string, Rule>;

/** The rules of a layer's name lists. */
export const LAYER_LISTS = {
  args: { item: text(LIMITS.maxNameLength, true), max: LIMITS.maxArgs },
  dependsOn: { item: layerName, max: LIMITS.maxDependencies },
} as const satisfies Record<string, NameListRule>;

/** The rules of the sequence options a saved document keeps in `config`. */
export const CONFIG_RULES = {
  verbose: boolean,
  queueType: oneOf('FIFO', 'LIFO'),
  useRedis: boolean,
  concurrency: integer(1, Number.MAX_SAFE_INTEGER, true),
  maxRetries: integer(0, LIMITS.maxRetries),
  retryDelay: integer(0, LIMITS.maxDelayMs),
  timeout: integer(1, LIMITS.maxDelayMs),
} as const satisfies Record<string, Rule>;

/** The rules of the sequence's name and description. */
export const SEQUENCE_RULES = {
  name: printable(LIMITS.maxNameLength),
  description: text(LIMITS.maxDescriptionLength),
} as const satisfies Record<string, Rule>;

/** How a value is shown in a message: `'text'`, `12`, a function. */
export function show(value: unknown): string {
  if (typeof value === 'string') return `\`'${value}'\``;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' && !Number.isFinite(value)) return `\`${String(value)}\``;
  try {
    return `\`${JSON.stringify(value) ?? String(value)}\``;
  } catch {
    // A bigint inside, a cycle, an object without a prototype: say what it is.
    return typeof value === 'bigint' ? `\`${value}n\`` : `a value of type ${typeof value}`;
  }
}
