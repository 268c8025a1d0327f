import { createOrderOperations, type OrderOperationsOptions } from '@fusync/demo';
import type { LayerFunction } from 'fusync';
import { createGenericOperations, type GenericOperationsOptions } from './generic-operations.js';
import type { OperationDefinition, OperationInfo } from './operation.js';

/**
 * The operations a server (or worker, or CLI run) can execute, by name. A
 * posted sequence names operations; only these names can ever run.
 */
export class OperationCatalog {
  readonly #byName = new Map<string, OperationDefinition>();
  readonly #registry = new Map<string, LayerFunction>();

  constructor(definitions: Iterable<OperationDefinition> = []) {
    for (const definition of definitions) this.add(definition);
  }

  /** Adds an operation; one with the same name is replaced (user modules override the built-ins). */
  add(definition: OperationDefinition): this {
    this.#byName.set(definition.name, definition);
    this.#registry.set(definition.name, definition.execute);
    return this;
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** Name → function, as the engine's `fromJSON(json, { operations })` takes it. */
  get registry(): ReadonlyMap<string, LayerFunction> {
    return this.#registry;
  }

  /** Name, description and args of every operation, in registration order. */
  list(): OperationInfo[] {
    return [...this.#byName.values()].map(({ name, description, args }) => ({
      name,
      description,
      args: args.map((arg) => ({ ...arg })),
    }));
  }
}

/** Options of the built-in operations. */
export interface BuiltinOperationsOptions
  extends OrderOperationsOptions,
    GenericOperationsOptions {}

/** The seed's five order operations plus `wait`, `flaky` and `httpRequest`. */
export function createBuiltinOperations(
  options: BuiltinOperationsOptions = {},
): OperationDefinition[] {
  return [...createOrderOperations(options), ...createGenericOperations(options)];
}
