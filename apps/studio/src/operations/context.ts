import type { LayerContext } from 'fusync';

/** Splits a layer function's arguments into its values and the context the engine passes last. */
export function splitArguments(values: readonly unknown[]): {
  args: unknown[];
  context: LayerContext;
} {
  const context = values[values.length - 1] as LayerContext;
  return { args: values.slice(0, -1), context };
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
