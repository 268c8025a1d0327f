import { delay, splitContext } from '@fusync/demo';
import type { OperationDefinition } from './operation.js';

/** Options of the generic demo and test operations. */
export interface GenericOperationsOptions {
  /** Wait of `wait` when the layer passes no `ms`. Default `100`. */
  defaultWaitMs?: number;
  /**
   * Which URLs `httpRequest` may fetch. Default: any `http:` or `https:` URL.
   * Servers reachable from untrusted callers should narrow it (the request
   * names the URL, so an open rule lets callers reach the server's network).
   */
  allowUrl?: (url: URL) => boolean;
  /** Most bytes of a response body `httpRequest` reads. Default 1 MiB. */
  maxResponseBytes?: number;
}

const MAX_TIMER_MS = 2_147_483_647;
/** Most `flaky` layers remembered at once; entries of runs that never finished are dropped oldest first. */
const FLAKY_MEMORY = 10_000;

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function waitOperation(defaultMs: number): OperationDefinition {
  return {
    name: 'wait',
    description: 'Wait `ms` milliseconds (stops at once when the layer is cancelled or times out).',
    args: [{ name: 'ms', type: 'number', optional: true, default: defaultMs }],
    async execute(...received: unknown[]) {
      const { args, context } = splitContext(received);
      const ms = args[0] ?? defaultMs;
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > MAX_TIMER_MS) {
        throw new TypeError(
          `wait: expected \`ms\` to be an integer from 0 to ${MAX_TIMER_MS}, got ${show(ms)}. Set the layer's args to the name of a number, e.g. \`args: ['ms']\`.`,
        );
      }
      await delay(ms, context.signal);
      return { waitedMs: ms };
    },
  };
}

function flakyOperation(): OperationDefinition {
  const failuresSoFar = new Map<string, number>();
  return {
    name: 'flaky',
    description:
      'Fail the first `failures` calls of this layer in this run, then succeed (for trying retries).',
    args: [{ name: 'failures', type: 'number', optional: true, default: 1 }],
    async execute(...received: unknown[]) {
      const { args, context } = splitContext(received);
      const failures = args[0] ?? 1;
      if (typeof failures !== 'number' || !Number.isInteger(failures) || failures < 0) {
        throw new TypeError(
          `flaky: expected \`failures\` to be an integer ≥ 0, got ${show(failures)}.`,
        );
      }
      const key = `${context.runId}\u0000${context.layer}`;
      const calls = (failuresSoFar.get(key) ?? 0) + 1;
      if (calls <= failures) {
        failuresSoFar.delete(key);
        failuresSoFar.set(key, calls);
        if (failuresSoFar.size > FLAKY_MEMORY) {
          const oldest = failuresSoFar.keys().next().value;
          if (oldest !== undefined) failuresSoFar.delete(oldest);
        }
        throw new Error(`flaky: planned failure ${calls} of ${failures}.`);
      }
      failuresSoFar.delete(key);
      return { calls };
    },
  };
}

async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new Error(`httpRequest: the response body is larger than ${limit} bytes.`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function httpRequestOperation(options: GenericOperationsOptions): OperationDefinition {
  const allowUrl = options.allowUrl ?? (() => true);
  const limit = options.maxResponseBytes ?? 1024 * 1024;
  return {
    name: 'httpRequest',
    description:
      'Fetch a URL (GET by default); a non-2xx status fails the layer. Returns status and body (parsed when JSON).',
    args: [
      { name: 'url', type: 'string' },
      { name: 'method', type: 'string', optional: true, default: 'GET' },
      { name: 'body', type: 'any', optional: true },
    ],
    async execute(...received: unknown[]) {
      const { args, context } = splitContext(received);
      const [rawUrl, rawMethod, body] = args;
      let url: URL;
      try {
        url = new URL(String(rawUrl));
      } catch {
        throw new TypeError(
          `httpRequest: expected \`url\` to be an absolute URL, got ${show(rawUrl)}.`,
        );
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new Error(
          `httpRequest: fetching ${url.href} is not allowed: only http: and https: URLs are fetched, not ${url.protocol}.`,
        );
      }
      if (!allowUrl(url)) {
        throw new Error(
          `httpRequest: fetching ${url.origin} is not allowed on this server: add it to FUSYNC_HTTP_ALLOW, or fetch an origin listed there.`,
        );
      }
      const method = rawMethod === undefined ? 'GET' : String(rawMethod).toUpperCase();
      if (!/^[A-Z]{1,16}$/.test(method))
        throw new TypeError(`httpRequest: \`method\` ${show(rawMethod)} is not an HTTP method.`);
      const init: RequestInit = { method, signal: context.signal, redirect: 'manual' };
      if (body !== undefined && method !== 'GET' && method !== 'HEAD') {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        init.headers = {
          'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
        };
      }
      const response = await fetch(url, init);
      const text = await readLimited(response, limit);
      if (!response.ok)
        throw new Error(`httpRequest: ${method} ${url.href} answered ${response.status}.`);
      const isJson = (response.headers.get('content-type') ?? '').includes('json');
      let parsed: unknown = text;
      if (isJson && text !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      return { status: response.status, body: parsed };
    },
  };
}

/** `wait`, `flaky` and `httpRequest`: generic operations for demos and tests. */
export function createGenericOperations(
  options: GenericOperationsOptions = {},
): OperationDefinition[] {
  return [
    waitOperation(options.defaultWaitMs ?? 100),
    flakyOperation(),
    httpRequestOperation(options),
  ];
}
