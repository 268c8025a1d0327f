/**
 * The behaviour of the `/api/runs` routes that every backend must show, as
 * one suite each backend's test file runs over an app it builds: the same
 * requests and assertions for the in-memory service and for Redis. What only
 * one backend does stays in that backend's test file.
 */

import { type RunEvent, WIRE_VALUE_LIMIT } from 'fusync';
import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_DEPTH } from '../http/json-body.js';
import type { OperationDefinition } from '../operations/operation.js';
import {
  Gate,
  json,
  ORDER_INPUT,
  orderSequence,
  readSse,
  type SseMessage,
  SseReader,
  sequenceOf,
} from '../test-support/fixtures.js';
import type { RunService, RunView } from './run-service.js';

/** What a test asks of the app it gets. */
export interface RunAppOptions {
  /** Operations besides the built-in ones (e.g. a `Gate`). */
  extra?: OperationDefinition[];
  bodyLimit?: number;
  maxActiveRuns?: number;
}

/** An app over one backend, fresh for each test (no runs yet). */
export interface RunRoutesApp {
  app: Hono;
  runs: RunService;
  /**
   * Run records read straight from the backend's storage (Redis: its run
   * keys), to show a refused request wrote none; absent where the API is
   * the only view.
   */
  storedRunKeys?: () => Promise<string[]>;
}

export type MakeRunApp = (options?: RunAppOptions) => Promise<RunRoutesApp>;

/** Waits for a run to finish by following its events (no sleeps). */
export async function finished(runs: RunService, runId: string): Promise<void> {
  for await (const _event of runs.events(runId)) {
    // drain
  }
}

/** POSTs a run and returns its id, checking the 202 and its Location. */
export async function startRun(app: Hono, body: unknown): Promise<string> {
  const res = await app.request('/api/runs', json('POST', body));
  expect(res.status, await res.clone().text()).toBe(202);
  const { runId } = (await res.json()) as { runId: string };
  expect(res.headers.get('location')).toBe(`/api/runs/${runId}`);
  return runId;
}

/** `GET /api/runs/:id` as a view. */
export async function runView(app: Hono, runId: string): Promise<RunView> {
  const res = await app.request(`/api/runs/${runId}`);
  expect(res.status).toBe(200);
  return (await res.json()) as RunView;
}

/** How many runs `GET /api/runs` lists. */
export async function runCount(app: Hono): Promise<number> {
  const res = await app.request('/api/runs');
  expect(res.status).toBe(200);
  return ((await res.json()) as { runs: unknown[] }).runs.length;
}

/** Checks that a refused request left no run behind, in the API and in the backend's storage. */
async function expectNoRun({ app, storedRunKeys }: RunRoutesApp): Promise<void> {
  expect(await runCount(app)).toBe(0);
  // Not even a half-written run: no run records at all in the backend's storage.
  if (storedRunKeys) expect(await storedRunKeys()).toEqual([]);
}

/** `first` waits on the gate, then `second` runs. */
function gatedSequence() {
  return sequenceOf(
    { name: 'first', operation: 'gate' },
    { name: 'second', operation: 'wait', dependsOn: ['first'], args: [] },
  );
}

/** Waits for a cancelled run to end, then checks how it ended and that it cannot be cancelled again. */
async function expectEndedCancelled(app: Hono, runs: RunService, runId: string): Promise<void> {
  await finished(runs, runId);
  const view = await runView(app, runId);
  expect(view.status).toBe('cancelled');
  expect(view.layers.map((l) => l.status)).toEqual(['cancelled', 'skipped']);

  const again = await app.request(`/api/runs/${runId}/cancel`, { method: 'POST' });
  expect(again.status).toBe(409);
  expect(await again.json()).toMatchObject({ error: { code: 'RUN_FINISHED' } });
}

const label = (e: RunEvent): string => ('layer' in e ? `${e.type} ${e.layer}` : e.type);

/** The events of SSE messages, checking each message's id and event name against its event. */
function parse(messages: SseMessage[]): RunEvent[] {
  return messages.map((m) => {
    const event = JSON.parse(m.data) as RunEvent;
    expect(m.id).toBe(String(event.seq));
    expect(m.event).toBe(event.type);
    return event;
  });
}

const wait = { name: 'a', operation: 'wait' };

/** Returns the length of the text it is given. */
const measure: OperationDefinition = {
  name: 'measure',
  description: 'The length of `text`.',
  args: [{ name: 'text', type: 'string' }],
  execute: async (text: unknown) => ({ length: String(text).length }),
};

/** Requests `POST /api/runs` refuses: name, request, status, error. */
const badRuns: [string, RequestInit, number, Record<string, unknown>][] = [
  ['malformed JSON', json('POST', '{"sequence": '), 400, { code: 'INVALID_BODY' }],
  [
    'a body that is not JSON',
    { method: 'POST', body: 'sequence=1', headers: { 'content-type': 'text/plain' } },
    415,
    { code: 'UNSUPPORTED_MEDIA_TYPE' },
  ],
  ['no sequence', json('POST', { input: {} }), 400, { code: 'INVALID_BODY', path: 'sequence' }],
  [
    'an input that is not an object',
    json('POST', { sequence: sequenceOf(wait), input: [1] }),
    400,
    { code: 'INVALID_BODY', path: 'input' },
  ],
  [
    'an unknown field',
    json('POST', { sequence: sequenceOf(wait), extra: 1 }),
    400,
    { code: 'INVALID_BODY' },
  ],
  [
    'a priority of the wrong type',
    json('POST', { sequence: { ...sequenceOf(wait), layers: [{ ...wait, priority: 'high' }] } }),
    400,
    { code: 'INVALID_SEQUENCE_JSON', path: 'sequence.layers[0].priority' },
  ],
  [
    'a bad layer name',
    json('POST', { sequence: sequenceOf({ name: '../etc', operation: 'wait' }) }),
    400,
    { code: 'INVALID_SEQUENCE_JSON', path: 'sequence.layers[0].name' },
  ],
  [
    'an unknown operation',
    json('POST', { sequence: sequenceOf(wait, { name: 'b', operation: 'rm -rf /' }) }),
    422,
    { code: 'UNKNOWN_OPERATION', path: 'sequence.layers[1].operation', layer: 'b' },
  ],
  [
    'a cycle',
    json('POST', {
      sequence: sequenceOf(
        { name: 'a', operation: 'wait', dependsOn: ['b'] },
        { name: 'b', operation: 'wait', dependsOn: ['a'] },
      ),
    }),
    422,
    { code: 'CYCLE_DETECTED', path: 'sequence.layers[1].dependsOn', layer: 'b' },
  ],
  [
    'an unknown dependency',
    json('POST', {
      sequence: sequenceOf(wait, { name: 'b', operation: 'wait', dependsOn: ['c'] }),
    }),
    422,
    { code: 'UNKNOWN_DEPENDENCY', path: 'sequence.layers[1].dependsOn', layer: 'b' },
  ],
  ['an empty sequence', json('POST', { sequence: sequenceOf() }), 422, { code: 'EMPTY_SEQUENCE' }],
  [
    'a bad run id',
    json('POST', { sequence: sequenceOf(wait), runId: 'a:b' }),
    400,
    { code: 'INVALID_PARAMETER', path: 'runId' },
  ],
];

/**
 * The `/api/runs` suite over the backend `makeApp` builds; `backendName`
 * ends each group's title (`POST /api/runs in memory`).
 */
export function describeRunRoutes(backendName: string, makeApp: MakeRunApp): void {
  describe(`POST /api/runs ${backendName}`, () => {
    it('runs the whole order sequence and reports every layer, results and metrics', async () => {
      const { app, runs } = await makeApp();
      const runId = await startRun(app, { sequence: orderSequence(), input: ORDER_INPUT });
      await finished(runs, runId);

      const view = await runView(app, runId);
      expect(view.status).toBe('succeeded');
      expect(view.sequenceName).toBe('order');
      expect(view.layers.map((l) => [l.name, l.status, l.attemptCount])).toEqual([
        ['checkInventory', 'succeeded', 1],
        ['validateCustomer', 'succeeded', 1],
        ['reserveInventory', 'succeeded', 1],
        ['createOrder', 'succeeded', 1],
        ['processPayment', 'succeeded', 1],
      ]);
      const payment = view.layers.find((l) => l.name === 'processPayment');
      expect(payment?.result).toMatchObject({ charged: 39.98, paymentStatus: 'captured' });
      expect(view.parentRunId).toBeUndefined();
      expect(view.input).toEqual(ORDER_INPUT);
      expect(view.metrics).toMatchObject({
        totalTasks: 5,
        succeeded: 5,
        failed: 0,
        successRate: 1,
      });
      // The longer branch by the demo's latencies, unless a loaded machine held the other one up longer.
      expect([
        ['checkInventory', 'reserveInventory', 'createOrder', 'processPayment'],
        ['validateCustomer', 'createOrder', 'processPayment'],
      ]).toContainEqual(view.metrics.criticalPath.path);
    });

    it('accepts a caller-chosen run id and refuses a second run with the same id', async () => {
      const { app, runs } = await makeApp();
      const runId = await startRun(app, {
        sequence: orderSequence(),
        input: ORDER_INPUT,
        runId: 'order-42',
      });
      expect(runId).toBe('order-42');
      await finished(runs, runId);
      const again = await app.request(
        '/api/runs',
        json('POST', { sequence: orderSequence(), input: ORDER_INPUT, runId: 'order-42' }),
      );
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ error: { code: 'RUN_EXISTS', path: 'runId' } });
      expect(await runCount(app)).toBe(1);
    });

    it('retries a failing layer and records every attempt', async () => {
      const { app, runs } = await makeApp();
      const runId = await startRun(app, {
        sequence: {
          ...sequenceOf({ name: 'shaky', operation: 'flaky', args: ['failures'] }),
          config: { maxRetries: 2, retryDelay: 0 },
        },
        input: { failures: 2 },
      });
      await finished(runs, runId);
      const view = await runView(app, runId);
      expect(view.status).toBe('succeeded');
      expect(view.layers[0]).toMatchObject({
        status: 'succeeded',
        attemptCount: 3,
        result: { calls: 3 },
      });
      const attempts = view.layers[0]?.attempts ?? [];
      expect(attempts.map((a) => [a.attempt, a.outcome, a.args])).toEqual([
        [1, 'retrying', [2]],
        [2, 'retrying', [2]],
        [3, 'succeeded', [2]],
      ]);
      expect(attempts[0]?.error?.message).toContain('flaky');
      expect(attempts[2]?.result).toEqual({ calls: 3 });
      expect(attempts[2]?.error).toBeUndefined();
      for (const attempt of attempts) expect(attempt.end).toBeGreaterThanOrEqual(attempt.start);
    });

    it('shows every attempt with the values it was called with, taken from upstream results', async () => {
      const { app, runs } = await makeApp();
      const runId = await startRun(app, { sequence: orderSequence(), input: ORDER_INPUT });
      await finished(runs, runId);
      const view = await runView(app, runId);
      const layer = (name: string) => view.layers.find((l) => l.name === name);
      expect(layer('checkInventory')?.attempts[0]?.args).toEqual(['sku-1', 2]);
      const order = layer('createOrder')?.result as { orderId: string; amount: number };
      expect(layer('processPayment')?.attempts).toEqual([
        expect.objectContaining({
          attempt: 1,
          outcome: 'succeeded',
          args: [order.orderId, order.amount],
          result: layer('processPayment')?.result,
        }),
      ]);
    });

    it('caps an argument too large to show at WIRE_VALUE_LIMIT, saying how large it was', async () => {
      const { app, runs } = await makeApp({ extra: [measure] });
      const big = 'x'.repeat(WIRE_VALUE_LIMIT + 10);
      const runId = await startRun(app, {
        sequence: sequenceOf({ name: 'm', operation: 'measure', args: ['text'] }),
        input: { text: big },
      });
      await finished(runs, runId);
      const [layer] = (await runView(app, runId)).layers;
      expect(layer?.result).toEqual({ length: big.length });
      expect(layer?.attempts[0]?.args).toEqual([
        { $fusync: 'omitted', reason: 'too-large', bytes: big.length + 2, type: 'string' },
      ]);
    });

    it('reports a failing layer as a failed run with the error of each attempt, stack included', async () => {
      const { app, runs } = await makeApp();
      const runId = await startRun(app, {
        sequence: orderSequence(),
        input: { ...ORDER_INPUT, customerId: 'blocked-7' },
      });
      await finished(runs, runId);
      const view = await runView(app, runId);
      expect(view.status).toBe('failed');
      const customer = view.layers.find((l) => l.name === 'validateCustomer');
      expect(customer?.status).toBe('failed');
      expect(customer?.error?.message).toContain('blocked');
      const [attempt] = customer?.attempts ?? [];
      expect(attempt).toMatchObject({ outcome: 'failed', args: ['blocked-7'] });
      expect(attempt?.error?.message).toBe(customer?.error?.message);
      expect(attempt?.error?.stack).toContain(attempt?.error?.message);
      expect(view.layers.find((l) => l.name === 'createOrder')).toMatchObject({
        status: 'skipped',
        attempts: [],
        attemptCount: 0,
      });
    });

    it('lists runs newest first', async () => {
      const { app, runs } = await makeApp();
      const first = await startRun(app, { sequence: orderSequence(), input: ORDER_INPUT });
      await finished(runs, first);
      const second = await startRun(app, { sequence: orderSequence(), input: ORDER_INPUT });
      await finished(runs, second);
      const body = (await (await app.request('/api/runs')).json()) as {
        runs: { runId: string; status: string; layerCount: number; sequenceName: string }[];
      };
      expect(body.runs.map((r) => r.runId)).toEqual([second, first]);
      expect(body.runs[0]).toMatchObject({
        status: 'succeeded',
        layerCount: 5,
        sequenceName: 'order',
      });
    });
  });

  describe(`GET /api/runs ${backendName}, page by page`, () => {
    it('lists at most ?limit= runs, and the next page after the last of them, until none is left', async () => {
      const { app, runs } = await makeApp();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const runId = await startRun(app, { sequence: sequenceOf(wait), input: { ms: 0 } });
        await finished(runs, runId);
        ids.unshift(runId);
      }
      const seen: string[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < 5; pages++) {
        const query = after === undefined ? '?limit=2' : `?limit=2&after=${after}`;
        const body = (await (await app.request(`/api/runs${query}`)).json()) as {
          runs: { runId: string; status: string; layerCount: number }[];
          next?: string;
        };
        expect(body.runs.length).toBeLessThanOrEqual(2);
        expect(body.runs.every((run) => run.status === 'succeeded' && run.layerCount === 1)).toBe(
          true,
        );
        seen.push(...body.runs.map((run) => run.runId));
        if (body.next === undefined) break;
        expect(body.next).toBe(body.runs.at(-1)?.runId);
        after = body.next;
      }
      expect(seen).toEqual(ids);
    });

    it('refuses a limit out of range and an unknown cursor, naming them', async () => {
      const { app } = await makeApp();
      for (const limit of ['0', '1001', 'ten']) {
        const res = await app.request(`/api/runs?limit=${limit}`);
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({
          error: { code: 'INVALID_PARAMETER', path: 'limit' },
        });
      }
      const res = await app.request('/api/runs?after=no-such-run');
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { code: 'INVALID_PARAMETER', path: 'after' },
      });
    });
  });

  describe(`POST /api/runs ${backendName} with bad input`, () => {
    it.each(badRuns)('refuses %s without creating a run', async (_name, init, status, error) => {
      const backend = await makeApp();
      const res = await backend.app.request('/api/runs', init);
      expect(res.status).toBe(status);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error).toMatchObject(error);
      expect(body.error.message.length).toBeGreaterThan(10);
      await expectNoRun(backend);
    });

    it('names the cycle path in the message', async () => {
      const { app } = await makeApp();
      const res = await app.request(
        '/api/runs',
        json('POST', {
          sequence: sequenceOf(
            { name: 'a', operation: 'wait', dependsOn: ['b'] },
            { name: 'b', operation: 'wait', dependsOn: ['a'] },
          ),
        }),
      );
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
        /a -> b -> a|b -> a -> b/,
      );
    });

    it('refuses input nested deeper than the limit with 400 naming where, and creates nothing', async () => {
      const backend = await makeApp();
      // 5,000 levels in 30 KB: within the size limit, far past what the engine should walk.
      const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
      const body = `{"sequence":${JSON.stringify(sequenceOf(wait))},"input":${deep}}`;
      const res = await backend.app.request('/api/runs', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as {
        error: { code: string; message: string; path: string };
      };
      expect(error.code).toBe('INVALID_BODY');
      expect(error.message).toContain(`deeper than ${MAX_BODY_DEPTH} levels`);
      expect(error.path.startsWith('input.a.a')).toBe(true);
      await expectNoRun(backend);
    });

    it('refuses a number JSON cannot carry, naming the field, and creates nothing', async () => {
      const backend = await makeApp();
      const body = `{"sequence":${JSON.stringify(sequenceOf(wait))},"input":{"ms":1e400}}`;
      const res = await backend.app.request('/api/runs', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { code: 'INVALID_BODY', path: 'input.ms' },
      });
      await expectNoRun(backend);
    });

    it('refuses a body over the size limit with 413 and creates nothing', async () => {
      const backend = await makeApp({ bodyLimit: 1024 });
      const big = { sequence: { ...sequenceOf(wait), description: 'x'.repeat(2048) } };
      const res = await backend.app.request('/api/runs', json('POST', big));
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
      await expectNoRun(backend);
    });

    it('refuses an oversized body sent without Content-Length (chunked)', async () => {
      const backend = await makeApp({ bodyLimit: 1024 });
      const chunk = new TextEncoder().encode(
        JSON.stringify({ sequence: sequenceOf(wait), input: { pad: 'x'.repeat(4096) } }),
      );
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(chunk);
          controller.close();
        },
      });
      const res = await backend.app.request('/api/runs', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      await expectNoRun(backend);
    });
  });

  describe(`GET /api/runs/:id ${backendName}`, () => {
    it('answers 404 with a JSON error for an unknown run', async () => {
      const { app } = await makeApp();
      for (const path of ['/api/runs/nope', '/api/runs/nope/events', '/api/runs/nope/timeline']) {
        const res = await app.request(path);
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
      }
      expect((await app.request('/api/runs/nope/cancel', { method: 'POST' })).status).toBe(404);
    });

    it('shows a running layer while it runs', async () => {
      const gate = new Gate();
      const { app, runs } = await makeApp({ extra: [gate.definition()] });
      const runId = await startRun(app, { sequence: gatedSequence() });
      await gate.started;
      const view = await runView(app, runId);
      expect(view.status).toBe('running');
      expect(view.layers.map((l) => l.status)).toEqual(['running', 'pending']);
      gate.open();
      await finished(runs, runId);
      expect((await runView(app, runId)).layers.map((l) => l.status)).toEqual([
        'succeeded',
        'succeeded',
      ]);
    });
  });

  describe(`GET /api/runs/:id/events ${backendName}`, () => {
    it('replays the whole history to a late subscriber and ends after run:finished', async () => {
      const { app, runs } = await makeApp();
      const runId = await startRun(app, { sequence: orderSequence(), input: ORDER_INPUT });
      await finished(runs, runId);
      const res = await app.request(`/api/runs/${runId}/events`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const events = parse(await readSse(res));
      expect(events[0]?.type).toBe('run:started');
      expect(events.at(-1)?.type).toBe('run:finished');
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
      expect(events.filter((e) => e.type === 'layer:succeeded')).toHaveLength(5);
    });

    it('follows a running run live after replaying what happened before', async () => {
      const gate = new Gate();
      const { app } = await makeApp({ extra: [gate.definition()] });
      const runId = await startRun(app, {
        sequence: sequenceOf(
          { name: 'first', operation: 'gate' },
          { name: 'second', operation: 'flaky', dependsOn: ['first'], args: ['failures'] },
        ),
        input: { failures: 0 },
      });
      await gate.started;
      const stream = new SseReader(await app.request(`/api/runs/${runId}/events`));
      const history = parse(await stream.take(3));
      expect(history.map(label)).toEqual([
        'run:started',
        'layer:queued first',
        'layer:started first',
      ]);
      // Nothing else can have happened yet: the rest arrives live on the same stream.
      gate.open();
      const live = parse(await stream.rest());
      expect(live.map(label)).toEqual([
        'layer:succeeded first',
        'layer:queued second',
        'layer:started second',
        'layer:succeeded second',
        'run:finished',
      ]);
      expect(live[0]?.seq).toBe(3);
    });

    it('keeps the run going when a subscriber disconnects mid-stream', async () => {
      const gate = new Gate();
      const { app, runs } = await makeApp({ extra: [gate.definition()] });
      const runId = await startRun(app, {
        sequence: sequenceOf({ name: 'first', operation: 'gate' }),
      });
      await gate.started;
      const stream = new SseReader(await app.request(`/api/runs/${runId}/events`));
      expect(await stream.take(3)).toHaveLength(3);
      await stream.cancel();
      gate.open();
      await finished(runs, runId);
      expect((await runs.get(runId))?.status).toBe('succeeded');
    });

    it('resumes a live stream with Last-Event-ID after the client dropped it mid-run', async () => {
      const gate = new Gate();
      const { app, runs } = await makeApp({ extra: [gate.definition()] });
      const runId = await startRun(app, { sequence: gatedSequence() });
      await gate.started;
      const dropped = new SseReader(await app.request(`/api/runs/${runId}/events`));
      const seen = parse(await dropped.take(2));
      await dropped.cancel();
      gate.open();
      const resumed = parse(
        await readSse(
          await app.request(`/api/runs/${runId}/events`, {
            headers: { 'Last-Event-ID': String(seen.at(-1)?.seq) },
          }),
        ),
      );
      const whole = [...seen, ...resumed];
      expect(whole.map((e) => e.seq)).toEqual(whole.map((_, i) => i));
      expect(whole.at(-1)?.type).toBe('run:finished');
      await finished(runs, runId);
      expect((await runView(app, runId)).status).toBe('succeeded');
    });

    it('resumes after Last-Event-ID, and after ?after= when no header is sent', async () => {
      const { app, runs } = await makeApp();
      const runId = await startRun(app, { sequence: orderSequence(), input: ORDER_INPUT });
      await finished(runs, runId);
      const all = parse(await readSse(await app.request(`/api/runs/${runId}/events`)));

      const resumed = parse(
        await readSse(
          await app.request(`/api/runs/${runId}/events`, { headers: { 'Last-Event-ID': '4' } }),
        ),
      );
      expect(resumed).toEqual(all.slice(5));

      const byQuery = parse(
        await readSse(await app.request(`/api/runs/${runId}/events?after=${all.length - 2}`)),
      );
      expect(byQuery.map((e) => e.type)).toEqual(['run:finished']);

      const headerWins = parse(
        await readSse(
          await app.request(`/api/runs/${runId}/events?after=0`, {
            headers: { 'Last-Event-ID': String(all.length - 2) },
          }),
        ),
      );
      expect(headerWins).toHaveLength(1);
    });

    it('answers 204 to a client that already has every event of a finished run, so EventSource stops reconnecting', async () => {
      const { app, runs } = await makeApp();
      const runId = await startRun(app, { sequence: orderSequence(), input: ORDER_INPUT });
      await finished(runs, runId);
      const view = await runView(app, runId);
      const res = await app.request(`/api/runs/${runId}/events`, {
        headers: { 'Last-Event-ID': String(view.lastEventSeq) },
      });
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');
    });

    it('refuses a Last-Event-ID that is not a seq', async () => {
      const { app, runs } = await makeApp();
      const runId = await startRun(app, { sequence: sequenceOf(wait) });
      await finished(runs, runId);
      for (const [headers, query, path] of [
        [{ 'Last-Event-ID': 'abc' }, '', 'Last-Event-ID'],
        [{}, '?after=1e3', 'after'],
      ] as const) {
        const res = await app.request(`/api/runs/${runId}/events${query}`, { headers });
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ error: { code: 'INVALID_PARAMETER', path } });
      }
    });
  });

  describe(`GET /api/runs/:id/timeline ${backendName}`, () => {
    it('renders the timeline, graph and metrics as JSON, and as text for Accept: text/plain', async () => {
      const { app, runs } = await makeApp();
      const runId = await startRun(app, { sequence: orderSequence(), input: ORDER_INPUT });
      await finished(runs, runId);

      const res = await app.request(`/api/runs/${runId}/timeline`);
      const body = (await res.json()) as {
        status: string;
        timeline: string;
        graph: string;
        metrics: string;
      };
      expect(body.status).toBe('succeeded');
      expect(body.timeline).toContain('--- Execution Timeline ---');
      expect(body.timeline).toMatch(
        /processPayment│[ █]+│\+\d\.\d{3}s to \+\d\.\d{3}s \(\d\.\d{3}s\)/,
      );
      expect(body.graph).toContain('┌');
      expect(body.graph).toContain('createOrder');
      expect(body.metrics).toContain('Total Tasks: 5');
      expect(body.metrics).toContain('Success Rate: 100.00%');

      const text = await app.request(`/api/runs/${runId}/timeline`, {
        headers: { accept: 'text/plain' },
      });
      expect(text.headers.get('content-type')).toContain('text/plain');
      const printed = await text.text();
      expect(printed).toContain(body.timeline);
      expect(printed).toContain(body.graph);
      expect(printed).toContain(body.metrics);
    });
  });

  describe(`the cap on running runs ${backendName}`, () => {
    it('refuses a run beyond FUSYNC_MAX_ACTIVE_RUNS with 429 and Retry-After, creates nothing, and takes one again once a run ends', async () => {
      const { app, runs } = await makeApp({ maxActiveRuns: 2 });
      const long = {
        sequence: sequenceOf({ name: 'slow', operation: 'wait', args: ['ms'] }),
        input: { ms: 600_000 },
      };
      const first = await startRun(app, long);
      await startRun(app, long);
      const health = await (await app.request('/api/health')).json();
      expect(health).toMatchObject({ status: 'ok', activeRuns: 2, maxActiveRuns: 2 });

      const refused = await app.request('/api/runs', json('POST', long));
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toBe('5');
      const { error } = (await refused.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('TOO_MANY_RUNS');
      expect(error.message).toContain('FUSYNC_MAX_ACTIVE_RUNS=2');
      expect(await runs.list()).toHaveLength(2);

      await app.request(`/api/runs/${first}/cancel`, { method: 'POST' });
      await finished(runs, first);
      // Over Redis the run leaves the active set just after its last event is written.
      for (let tries = 0; (await runs.activeCount()) >= 2 && tries < 100; tries++)
        await new Promise((resolve) => setTimeout(resolve, 20));
      const again = await app.request('/api/runs', json('POST', long));
      expect(again.status).toBe(202);
      for (const { runId, status } of await runs.list())
        if (status === 'running')
          await app.request(`/api/runs/${runId}/cancel`, { method: 'POST' });
    });
  });

  describe(`POST /api/runs/:id/cancel ${backendName}`, () => {
    it('cancels a running run: the running layer is aborted and the run ends cancelled', async () => {
      const gate = new Gate();
      const { app, runs } = await makeApp({ extra: [gate.definition()] });
      const runId = await startRun(app, { sequence: gatedSequence() });
      await gate.started;
      const res = await app.request(`/api/runs/${runId}/cancel`, { method: 'POST' });
      expect(res.status).toBe(202);
      expect(await res.json()).toMatchObject({ runId });
      await expectEndedCancelled(app, runs, runId);
    });

    it('cancels a run straight after starting it, and refuses to cancel it again once it ended', async () => {
      const { app, runs } = await makeApp();
      const runId = await startRun(app, {
        sequence: sequenceOf(
          { name: 'slow', operation: 'wait', args: ['ms'] },
          { name: 'after', operation: 'wait', dependsOn: ['slow'], args: [] },
        ),
        input: { ms: 600_000 },
      });
      // Its first layer has just started (in memory) or still waits in the queue for a
      // worker (Redis).
      const res = await app.request(`/api/runs/${runId}/cancel`, { method: 'POST' });
      expect(res.status).toBe(202);
      await expectEndedCancelled(app, runs, runId);
    });
  });
}
