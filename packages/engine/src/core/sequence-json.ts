import { SequenceFormatError } from './errors.js';
import { LIMITS } from './limits.js';
import {
  CONFIG_RULES,
  finite,
  integer,
  LAYER_LISTS,
  LAYER_RULES,
  layerName,
  listProblem,
  type Rule,
  SEQUENCE_RULES,
  show,
  text,
} from './rules.js';
import type { LayerConfig } from './types.js';

export { LAYER_NAME_PATTERN } from './rules.js';

/** The `format` tag of every saved sequence. */
export const SEQUENCE_FORMAT = 'fusync.sequence';
/** The current version of the sequence JSON. Loading accepts this version and earlier ones. */
export const SEQUENCE_VERSION = 1;

/** A layer as saved: its fields but `execute`, its function referenced by operation name. */
export type LayerJson = Omit<LayerConfig, 'execute' | 'operation'> & { operation: string };

/** Sequence options as saved (no functions, no connection secrets). */
export interface SequenceConfigJson {
  verbose?: boolean;
  queueType?: 'FIFO' | 'LIFO';
  useRedis?: boolean;
  concurrency?: number;
  maxRetries?: number;
  retryDelay?: number;
  timeout?: number;
}

/** Editor data of one layer: position on the canvas, expected duration. */
export interface StudioNodeJson {
  x: number;
  y: number;
  /** Expected duration for simulated runs, in ms. */
  expectedDurationMs?: number;
}

/**
 * A saved sequence: what `save()` writes, `load()` reads, the server stores
 * and the studio imports and exports.
 */
export interface SequenceJson {
  $schema?: string;
  format: typeof SEQUENCE_FORMAT;
  version: number;
  name?: string;
  description?: string;
  config?: SequenceConfigJson;
  layers: LayerJson[];
  studio?: { nodes?: Record<string, StudioNodeJson> };
}

/** How each field of an object is checked: by a rule, or by a reader of a nested value. */
type Field = { rule: Rule; required?: boolean } | { read: Reader; required?: boolean };
type Reader = (value: unknown, path: string, issues: Issues) => unknown;

interface Issues {
  list: { path: string; message: string }[];
  /** The document, to name the layer an issue concerns. */
  root: unknown;
}

const ROOT_FIELDS: Record<string, Field> = {
  $schema: { rule: text(Number.MAX_SAFE_INTEGER) },
  format: {
    rule: (value) => (value === SEQUENCE_FORMAT ? undefined : `\`'${SEQUENCE_FORMAT}'\``),
    required: true,
  },
  version: { rule: integer(1, SEQUENCE_VERSION), required: true },
  name: { rule: SEQUENCE_RULES.name },
  description: { rule: SEQUENCE_RULES.description },
  config: { read: objectOf(fieldsOf(CONFIG_RULES)) },
  layers: { read: listOf(objectOf(layerFields()), LIMITS.maxLayers), required: true },
  studio: {
    read: objectOf({
      nodes: {
        read: recordOf(
          objectOf({
            x: { rule: finite(), required: true },
            y: { rule: finite(), required: true },
            expectedDurationMs: { rule: finite(0) },
          }),
        ),
      },
    }),
  },
};

function fieldsOf(rules: Readonly<Record<string, Rule>>): Record<string, Field> {
  const fields: Record<string, Field> = {};
  for (const [key, rule] of Object.entries(rules)) fields[key] = { rule };
  return fields;
}

function layerFields(): Record<string, Field> {
  const fields = fieldsOf(LAYER_RULES);
  fields.name = { rule: layerName, required: true };
  (fields.operation as { required?: boolean }).required = true;
  for (const [key, rule] of Object.entries(LAYER_LISTS)) {
    fields[key] = {
      read: (value, path, issues) => {
        const problem = listProblem(rule, value);
        if (problem === undefined) return [...(value as string[])];
        const at = problem.at === undefined ? path : `${path}[${problem.at}]`;
        const item = problem.at === undefined ? value : (value as unknown[])[problem.at];
        report(issues, at, `expected ${problem.expected}, got ${show(item)}`);
        return undefined;
      },
    };
  }
  return fields;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function report(issues: Issues, path: string, message: string): void {
  issues.list.push({ path, message: `${message}${layerHint(issues.root, path)}` });
}

/** ` (layer \`name\`)` for a path inside `layers[i]` whose layer has a name. */
function layerHint(root: unknown, path: string): string {
  const match = /^layers\[(\d+)\]/.exec(path);
  if (!match || !isObject(root) || !Array.isArray(root.layers)) return '';
  const layer: unknown = root.layers[Number(match[1])];
  const name = isObject(layer) ? layer.name : undefined;
  return typeof name === 'string' ? ` (layer \`${name}\`)` : '';
}

/** Reads an object with exactly `fields` (unknown keys are refused), copying what it reads. */
function objectOf(fields: Readonly<Record<string, Field>>): Reader {
  return (value, path, issues) => {
    if (!isObject(value)) {
      report(issues, path, `expected an object, got ${show(value)}`);
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(fields)) {
      const at = join(path, key);
      const item = Object.hasOwn(value, key) ? value[key] : undefined;
      if (item === undefined) {
        if (field.required) report(issues, at, 'required, but missing');
        continue;
      }
      if ('rule' in field) {
        const expected = field.rule(item);
        if (expected === undefined) out[key] = item;
        else report(issues, at, `expected ${expected}, got ${show(item)}`);
      } else {
        out[key] = field.read(item, at, issues);
      }
    }
    for (const key of Object.keys(value)) {
      if (!Object.hasOwn(fields, key))
        report(
          issues,
          path,
          `unknown field \`${key}\`; known fields: ${Object.keys(fields).join(', ')}`,
        );
    }
    return out;
  };
}

function listOf(item: Reader, max: number): Reader {
  return (value, path, issues) => {
    if (!Array.isArray(value)) {
      report(issues, path, `expected an array, got ${show(value)}`);
      return undefined;
    }
    if (value.length > max) {
      report(issues, path, `expected at most ${max} items, got ${value.length}`);
      return undefined;
    }
    return value.map((entry, at) => item(entry, `${path}[${at}]`, issues));
  };
}

function recordOf(item: Reader): Reader {
  return (value, path, issues) => {
    if (!isObject(value)) {
      report(issues, path, `expected an object, got ${show(value)}`);
      return undefined;
    }
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      // Defined, not assigned: a layer named `__proto__` keeps its entry like any other.
      Object.defineProperty(out, key, {
        value: item(entry, join(path, key), issues),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
}

/**
 * Checks a parsed value against the sequence format, with the same field
 * rules the builder applies. Returns a copy of it, typed, or throws a
 * `SequenceFormatError` listing every problem, its `path` pointing at the
 * first bad field (`layers[2].priority`). Never evaluates anything.
 *
 * @example
 * const json = parseSequenceJson(await response.json());
 * const sequence = AdvancedSequenceBuilder.fromJSON(json, { operations });
 */
export function parseSequenceJson(value: unknown): SequenceJson {
  const issues: Issues = { list: [], root: value };
  const read = objectOf(ROOT_FIELDS)(value, '', issues);
  if (issues.list.length > 0) throw new SequenceFormatError(issues.list);
  return read as SequenceJson;
}

/** Parses sequence JSON text: a syntax error is a `SequenceFormatError` too. */
export function parseSequenceText(text: string): SequenceJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SequenceFormatError([
      {
        path: '',
        message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      },
    ]);
  }
  return parseSequenceJson(value);
}
