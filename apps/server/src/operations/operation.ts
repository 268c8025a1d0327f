import type { LayerContext, LayerFunction } from 'fusync';

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

/**
 * Splits what a layer function received into its arguments and the context
 * the engine always passes last.
 */
export function splitContext(received: readonly unknown[]): {
  args: unknown[];
  context: LayerContext;
} {
  const context = received[received.length - 1] as LayerContext;
  return { args: received.slice(0, -1), context };
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
