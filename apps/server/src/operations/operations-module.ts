import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LayerFunction } from 'fusync';
import type { OperationArg, OperationDefinition } from './operation.js';

const OPERATION_NAME = /^[A-Za-z_$][A-Za-z0-9_$.:-]{0,199}$/;
const ARG_TYPES = new Set(['string', 'number', 'boolean', 'object', 'array', 'any']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readArgs(source: string, name: string, value: unknown): OperationArg[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new TypeError(
      `${source}: \`${name}.args\` must be an array of names or { name, type, description }.`,
    );
  return value.map((arg, index) => {
    if (typeof arg === 'string') return { name: arg, type: 'any' };
    if (isRecord(arg) && typeof arg.name === 'string') {
      const type = arg.type === undefined ? 'any' : arg.type;
      if (typeof type !== 'string' || !ARG_TYPES.has(type)) {
        throw new TypeError(
          `${source}: \`${name}.args[${index}].type\` must be one of ${[...ARG_TYPES].join(', ')}.`,
        );
      }
      const out: OperationArg = { name: arg.name, type: type as OperationArg['type'] };
      if (typeof arg.description === 'string') out.description = arg.description;
      if (typeof arg.optional === 'boolean') out.optional = arg.optional;
      if ('default' in arg) out.default = arg.default;
      return out;
    }
    throw new TypeError(
      `${source}: \`${name}.args[${index}]\` must be a name or { name, type, description }.`,
    );
  });
}

/**
 * Reads operations from a module's exports: a record whose values are
 * functions or `{ execute, description?, args? }`. Accepts the record as the
 * default export, as an `operations` export, or as the module's named exports.
 */
export function operationsFromExports(
  source: string,
  exports: Record<string, unknown>,
): OperationDefinition[] {
  let record: Record<string, unknown>;
  if (isRecord(exports.default)) record = exports.default;
  else if (isRecord(exports.operations)) record = exports.operations;
  else record = Object.fromEntries(Object.entries(exports).filter(([key]) => key !== 'default'));
  const definitions: OperationDefinition[] = [];
  for (const [name, value] of Object.entries(record)) {
    if (!OPERATION_NAME.test(name))
      throw new TypeError(`${source}: \`${name}\` is not a usable operation name.`);
    if (typeof value === 'function') {
      definitions.push({ name, description: '', args: [], execute: value as LayerFunction });
    } else if (isRecord(value) && typeof value.execute === 'function') {
      definitions.push({
        name,
        description: typeof value.description === 'string' ? value.description : '',
        args: readArgs(source, name, value.args),
        execute: value.execute as LayerFunction,
      });
    } else {
      throw new TypeError(
        `${source}: export \`${name}\` must be a function or { execute, description?, args? }.`,
      );
    }
  }
  if (definitions.length === 0) throw new TypeError(`${source} exports no operations.`);
  return definitions;
}

/**
 * Imports a user's operations module (`--operations ./ops.js`,
 * `FUSYNC_OPERATIONS`). This runs the operator's own code at start-up; nothing
 * from a request is ever imported or evaluated.
 */
export async function loadOperationsModule(
  path: string,
  cwd = process.cwd(),
): Promise<OperationDefinition[]> {
  const absolute = resolve(cwd, path);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`Cannot load the operations module ${absolute}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return operationsFromExports(absolute, exports);
}
