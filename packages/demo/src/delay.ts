/**
 * Resolves after `ms` milliseconds, or rejects with `signal.reason` as soon as
 * the signal aborts (at once when it already has). A layer that waits with the
 * signal it is given stops when it times out or its run is cancelled.
 *
 * @example
 * async function checkInventory(productId: string, context: OperationContext) {
 *   await delay(100, context.signal);
 *   return { productId, inStock: true };
 * }
 */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
