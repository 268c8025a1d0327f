import { orderSequence as demoOrderSequence } from '@fusync/demo';
import type { SequenceJson } from 'fusync';
import type { Hono } from 'hono';
import { expect } from 'vitest';
import { type AppOptions, createApp } from '../app.js';
import type { OperationDefinition } from '../operations/operation.js';
import { createBuiltinOperations, OperationCatalog } from '../operations/operation-catalog.js';
import { MemoryRunService } from '../runs/memory-run-service.js';
import type { RunView } from '../runs/run-service.js';
import { MemorySequenceStore } from '../sequences/memory-sequence-store.js';
import type { SequenceStore } from '../sequences/sequence-store.js';

/** A layer that runs until the test opens its gate (or the layer is aborted): no timing in tests. */
export class Gate {
  #open: (() => void) | undefined;
  readonly #opened: Promise<void>;
  /** Resolves when the gated layer has started. */
  readonly started: Promise<void>;
  #markStarted!: () => void;

  constructor() {
    this.#opened = new Promise((resolve) => {
      this.#open = resolve;
    });
    this.started = new Promise((resolve) => {
      this.#markStarted = resolve;
    });
  }

  open(): void {
    this.#open?.();
  }

  definition(name = 'gate'): OperationDefinition {
    return {
      name,
      description: 'Waits for the test to open the gate.',
      args: [],
      execute: (...received: unknown[]) => {
        const { signal } = received[received.length - 1] as { signal: AbortSignal };
        this.#markStarted();
        return new Promise((resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
          void this.#opened.then(() => resolve('opened'));
        });
      },
    };
  }
}

/** The README's order sequence, saved as `order`. */
export function orderSequence(): SequenceJson {
  return { ...demoOrderSequence(), name: 'order' };
}

export const ORDER_INPUT = { productId: 'sku-1', quantity: 2, customerId: 'cust-1' };

/** A sequence of one or more layers running `operation`. */
export function sequenceOf(
  ...layers: { name: string; operation?: string; dependsOn?: string[]; args?: string[] }[]
): SequenceJson {
  return {
    format: 'fusync.sequence',
    version: 1,
    layers: layers.map(({ operation, ...layer }) => ({
      ...layer,
      operation: operation ?? layer.name,
    })),
  };
}

export interface TestApp {
  app: Hono;
  runs: MemoryRunService;
  sequences: SequenceStore;
  operations: OperationCatalog;
}

/** An app over the in-memory backend with instant demo operations plus `extra` ones. */
export function testApp(
  options: Partial<AppOptions> & { extra?: OperationDefinition[] } = {},
): TestApp {
  const { extra = [], ...rest } = options;
  const operations = new OperationCatalog([
    ...createBuiltinOperations({ latencyScale: 0 }),
    ...extra,
  ]);
  const runs = new MemoryRunService({ operations: operations.registry });
  const sequences = options.sequences ?? new MemorySequenceStore();
  const app = createApp({ runs, sequences, operations, queue: 'memory', ...rest });
  return { app, runs, sequences, operations };
}

/** `init` for a JSON request. */
export function json(
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  };
}

/** One server-sent event as the stream carried it. */
export interface SseMessage {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

function parseBlock(block: string): SseMessage | undefined {
  const message: SseMessage = { id: undefined, event: undefined, data: '' };
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') message.id = value;
    else if (field === 'event') message.event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0 && message.event === undefined) return undefined;
  message.data = data.join('\n');
  return message;
}

/** Reads server-sent events from a response body as they arrive. */
export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = '';
  #done = false;

  constructor(response: Response) {
    if (!response.body) throw new Error('The response has no body.');
    this.#reader = response.body.getReader();
  }

  /** The next `count` messages (fewer if the stream ends first). */
  async take(count: number): Promise<SseMessage[]> {
    const messages: SseMessage[] = [];
    while (messages.length < count) {
      const end = this.#buffer.indexOf('\n\n');
      if (end >= 0) {
        const message = parseBlock(this.#buffer.slice(0, end));
        this.#buffer = this.#buffer.slice(end + 2);
        if (message) messages.push(message);
        continue;
      }
      if (this.#done) break;
      const { done, value } = await this.#reader.read();
      if (done) this.#done = true;
      else this.#buffer += this.#decoder.decode(value, { stream: true });
    }
    return messages;
  }

  /** Every message up to the end of the stream. */
  rest(): Promise<SseMessage[]> {
    return this.take(Number.POSITIVE_INFINITY);
  }

  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}

/** Every server-sent event of a response, to the end of the stream. */
export function readSse(response: Response): Promise<SseMessage[]> {
  return new SseReader(response).rest();
}

/** Waits for a run to finish by following its events (no polling, no sleeps). */
export async function finished(runs: MemoryRunService, runId: string): Promise<void> {
  for await (const _event of runs.events(runId)) {
    // drain
  }
}

/** Polls `GET /api/runs/:id` of the server at `url` until the run is no longer running. */
export async function settled(url: string, runId: string): Promise<RunView> {
  for (;;) {
    const res = await fetch(`${url}/api/runs/${runId}`);
    expect(res.status).toBe(200);
    const view = (await res.json()) as RunView;
    if (view.status !== 'running') return view;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
