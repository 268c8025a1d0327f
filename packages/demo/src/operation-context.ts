/**
 * What the engine passes last to every layer function: fusync's
 * `LayerContext`, restated so that this package does not depend on the engine
 * (whose examples and tests use it).
 */
export interface OperationContext {
  /** Aborted when the layer times out, the run is cancelled or an `abort` policy stops the run. */
  readonly signal: AbortSignal;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
  /** The layer's name. */
  readonly layer: string;
  /** The id of the run this attempt belongs to. */
  readonly runId: string;
}

/**
 * Splits what a layer function received into its arguments and the context
 * the engine always passes last.
 *
 * @example
 * async function wait(...received: unknown[]) {
 *   const { args, context } = splitContext(received);
 *   await delay(Number(args[0] ?? 100), context.signal);
 * }
 */
export function splitContext(received: readonly unknown[]): {
  args: unknown[];
  context: OperationContext;
} {
  const context = received[received.length - 1] as OperationContext;
  return { args: received.slice(0, -1), context };
}
