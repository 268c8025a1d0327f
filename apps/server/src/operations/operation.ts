import type { LayerFunction } from 'fusync';

/** One argument an operation expects, as `GET /api/operations` and the studio show it. */
export interface OperationArg {
  name: string;
  type: 'string' | 'number' | 'boolean' | 'object' | 'array' | 'any';
  description?: string;
  /** Whether the operation runs without it (then `default` applies). */
  optional?: boolean;
  default?: unknown;
}

/** What the server exposes of an operation: everything but the function. */
export interface OperationInfo {
  name: string;
  description: string;
  /** Suggested layer `args`, in the order the function takes them. */
  args: OperationArg[];
}

/** An operation the server can run: a layer function and what to show about it. */
export interface OperationDefinition extends OperationInfo {
  execute: LayerFunction;
}
