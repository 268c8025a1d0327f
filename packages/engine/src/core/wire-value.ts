import type { RunEvent } from './events.js';

/**
 * The most JSON characters one recorded value (one argument of an attempt)
 * keeps when it leaves the process: Redis event streams, the server's run
 * views and SSE. A larger value is replaced by an `OmittedValue` giving its
 * size. 32 KiB shows any record a person reads in a details panel, and keeps
 * a 1,000-layer run's stream far from Redis's and the browser's limits.
 */
export const WIRE_VALUE_LIMIT = 32_768;

/**
 * What stands in for a recorded value that did not cross a boundary whole:
 * `too-large` (its JSON is `bytes` characters, over `WIRE_VALUE_LIMIT`),
 * `not-json` (a function, symbol, bigint or cyclic value: `type` says which)
 * or `undefined` (which JSON cannot hold in an array).
 *
 * @example
 * if (isOmittedValue(arg)) label = arg.reason === 'too-large' ? `${arg.bytes} bytes` : arg.type;
 */
export interface OmittedValue {
  $fusync: 'omitted';
  reason: 'too-large' | 'not-json' | 'undefined';
  /** JSON characters of the value, for `too-large`. */
  bytes?: number;
  /** `typeof` the value (`object`, `function`, `bigint`, …). */
  type: string;
}

/** Whether `value` is the marker of a value that was not kept whole. */
export function isOmittedValue(value: unknown): value is OmittedValue {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { $fusync?: unknown }).$fusync === 'omitted'
  );
}

/**
 * `value` as it may cross a process or HTTP boundary: itself when it is JSON
 * of at most `limit` characters, otherwise an `OmittedValue` saying why.
 *
 * @example
 * toWireValue(new Array(1e6).fill(1)); // { $fusync: 'omitted', reason: 'too-large', bytes: 2000001, type: 'object' }
 */
export function toWireValue(value: unknown, limit: number = WIRE_VALUE_LIMIT): unknown {
  if (value === undefined) return { $fusync: 'omitted', reason: 'undefined', type: 'undefined' };
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.length * 6 + 2 <= limit) return value;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // Cyclic, or a bigint somewhere inside: not JSON.
    return { $fusync: 'omitted', reason: 'not-json', type: typeof value };
  }
  if (text === undefined) return { $fusync: 'omitted', reason: 'not-json', type: typeof value };
  if (text.length > limit)
    return { $fusync: 'omitted', reason: 'too-large', bytes: text.length, type: typeof value };
  // Values JSON changes (dates, class instances, nested undefined) cross as JSON reads them back.
  return typeof value === 'object' ? (JSON.parse(text) as unknown) : value;
}

/** An attempt's arguments as they may cross a boundary: each value through `toWireValue`. */
export function toWireArgs(args: readonly unknown[]): unknown[] {
  return args.map((value) => toWireValue(value));
}

/**
 * `event` as it may cross a process or HTTP boundary: a `layer:started`
 * event's `args` made JSON-safe and size-capped; every other event as it is
 * (results and inputs are JSON already wherever they cross).
 */
export function toWireEvent(event: RunEvent): RunEvent {
  if (event.type !== 'layer:started' || event.args === undefined) return event;
  return { ...event, args: toWireArgs(event.args) };
}
