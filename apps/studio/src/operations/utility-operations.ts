import { delay, splitContext } from '@fusync/demo';

/** Waits `ms` milliseconds (its first argument when it is a number, else 250 ms). */
export async function wait(...values: unknown[]): Promise<{ waitedMs: number }> {
  const { args, context } = splitContext(values);
  const ms =
    typeof args[0] === 'number' && Number.isFinite(args[0]) && args[0] >= 0 ? args[0] : 250;
  await delay(ms, context.signal);
  return { waitedMs: ms };
}

/** Fails its first attempt and succeeds on the next one: shows retries (set `retries` ≥ 1). */
export async function flaky(...values: unknown[]): Promise<{ attempt: number }> {
  const { context } = splitContext(values);
  await delay(150, context.signal);
  if (context.attempt < 2) throw new Error(`flaky: attempt ${context.attempt} failed on purpose`);
  return { attempt: context.attempt };
}

/** Always fails: shows `onError` policies and skipped layers. */
export async function fail(...values: unknown[]): Promise<never> {
  const { context } = splitContext(values);
  await delay(100, context.signal);
  throw new Error(`fail: layer \`${context.layer}\` fails on purpose`);
}

/**
 * Fetches a URL (its first argument when it is a string, else the server's
 * health endpoint) and returns the status and the start of the body.
 */
export async function httpFetch(
  ...values: unknown[]
): Promise<{ url: string; status: number; body: string }> {
  const { args, context } = splitContext(values);
  const url = typeof args[0] === 'string' && args[0].length > 0 ? args[0] : '/api/health';
  const response = await fetch(url, { signal: context.signal });
  const body = (await response.text()).slice(0, 2000);
  if (!response.ok) throw new Error(`httpFetch: ${url} answered ${response.status}`);
  return { url, status: response.status, body };
}
