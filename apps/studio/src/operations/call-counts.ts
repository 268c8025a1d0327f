import { splitContext } from '@fusync/demo';
import type { LayerFunction } from 'fusync';

/**
 * How many times a browser operation has been called in this tab, by layer
 * name. A rerun promises that the layers it reuses are not called again: here
 * that can be seen, in the console (`fusyncStudio.operationCalls`) and by the
 * end-to-end tests.
 */
export const operationCalls: Record<string, number> = {};

/** `operation`, counting its calls in `operationCalls`. */
export function counted(operation: LayerFunction): LayerFunction {
  return (...values: unknown[]) => {
    const { context } = splitContext(values);
    operationCalls[context.layer] = (operationCalls[context.layer] ?? 0) + 1;
    return operation(...values);
  };
}
